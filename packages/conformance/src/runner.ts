import { themeOf, whyNotApplicable } from './applicable.ts';
import { collecting, Expectations, type Profile } from './check.ts';
import type { Case, CaseContext, Group } from './model.ts';
import type { CaseResult, RunResult } from './results.ts';
import { schedule } from './schedule.ts';
import { Session } from './session.ts';
import { suite as fullSuite } from './suite.ts';
import type { Target } from './target.ts';

export interface RunOptions {
  /** Only groups or cases whose `group/id` contains this text. */
  filter?: string;
  onResult?(result: CaseResult): void;
  /** The backend was started by hand (`--url`): cases that restart it do not apply. */
  byUrl?: boolean;
}

/** No case may stall a run: the longest (`keys/outage-timeout`, with the cooldown) needs about 40 s. */
export const CASE_TIMEOUT_MS = 150_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

// A promise a case forgot to await must not end the run (Node's default for an unhandled
// rejection is to exit): it is recorded against the cases running then. Groups run side by side,
// so that may be more than one; a case is never passed by it, only failed.
const running = new Set<Expectations>();
const onStray = (reason: unknown) => {
  for (const into of running)
    into.record('security', 'case-error', false, `the suite: unhandled rejection (${messageOf(reason)})`);
  if (running.size === 0)
    console.error(`conformance: unhandled rejection outside a case: ${messageOf(reason)}`);
};

/** Whether a case is running now (the CLI reports stray rejections between cases itself). */
export const caseRunning = () => running.size > 0;

const resultBase = (group: Group, c: Case) => ({
  group: group.id,
  id: c.id,
  title: c.title,
  theme: themeOf(group),
});

export const notApplicableResult = (group: Group, c: Case, reason: string): CaseResult => ({
  ...resultBase(group, c),
  notApplicable: reason,
  failures: [],
  ms: 0,
});

/** A case that could not run because its backend did not start: a failure under both profiles. */
export const notStartedResult = (group: Group, c: Case, error: unknown): CaseResult => ({
  ...resultBase(group, c),
  failures: [
    { profile: 'security', kind: 'did-not-start', message: `the backend did not start: ${messageOf(error)}` },
  ],
  ms: 0,
});

/** Runs one case: every failed expectation is kept; a throw, a rejection or a stall fails it. */
export async function runCase(
  group: Group,
  c: Case,
  ctx: CaseContext,
  timeoutMs = CASE_TIMEOUT_MS,
): Promise<CaseResult> {
  const t0 = Date.now();
  const into = new Expectations();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  if (running.size === 0) process.on('unhandledRejection', onStray);
  running.add(into);
  let note: unknown;
  try {
    note = await Promise.race([collecting(into, () => c.run(ctx)), stalled]);
  } catch (error) {
    into.record('security', 'case-error', false, `the case stopped: ${messageOf(error)}`);
  } finally {
    clearTimeout(timer);
    running.delete(into);
    if (running.size === 0) process.off('unhandledRejection', onStray);
  }
  const failures = [...into.failures]; // a stalled case may still record; its result is closed
  return {
    ...resultBase(group, c),
    failures,
    securityChecks: into.checked.security,
    note: typeof note === 'string' ? note : undefined,
    ms: Date.now() - t0,
  };
}

/** Runs the suite against one target outside vitest (the CLI, and the suite's own tests). */
export async function runSuite(
  target: Target,
  options: RunOptions = {},
  groups = fullSuite,
  session = new Session(target),
): Promise<RunResult> {
  const started = Date.now();
  const byGroup = new Map<Group, CaseResult[]>();
  // Results are told in the suite's order, whichever lane finishes first.
  let told = 0;
  const tell = () => {
    for (let next = groups[told]; next && byGroup.has(next); next = groups[++told])
      for (const result of byGroup.get(next) ?? []) options.onResult?.(result);
  };

  /** `up`: called once the group's app is up (or failed to start, or none is needed). */
  async function runGroup(group: Group, up: () => void): Promise<void> {
    const results: CaseResult[] = [];
    const runnable: Case[] = [];
    for (const c of group.cases.filter(
      (c) => !options.filter || `${group.id}/${c.id}`.includes(options.filter),
    )) {
      const reason = whyNotApplicable(target, group, c, options.byUrl);
      if (reason === undefined) runnable.push(c);
      else results.push(notApplicableResult(group, c, reason));
    }
    if (runnable.length > 0) {
      try {
        const instance = await session.instanceFor(group).finally(up);
        const ctx = session.context(instance);
        for (const c of runnable) results.push(await runCase(group, c, ctx));
        await session.release(instance).catch(() => {});
      } catch (error) {
        for (const c of runnable) results.push(notStartedResult(group, c, error));
      }
    }
    up();
    byGroup.set(group, results);
    tell();
  }

  try {
    await schedule(groups, options.byUrl ?? false, runGroup);
  } finally {
    await session.close().catch(() => {});
  }
  const results = groups.flatMap((group) => byGroup.get(group) ?? []);
  const profile: Profile = target.profile ?? 'contract';
  const seconds = (Date.now() - started) / 1000;
  return { target: target.name, profile, startedAt: new Date(started).toISOString(), seconds, results };
}
