import type { Case, CaseContext, Group } from './model.ts';
import type { CaseResult, RunResult } from './results.ts';
import { Session } from './session.ts';
import { suite as fullSuite } from './suite.ts';
import type { Target } from './target.ts';

export interface RunOptions {
  /** Only groups or cases whose `group/id` contains this text. */
  filter?: string;
  onResult?(result: CaseResult): void;
}

/** No case may stall a run: the longest (the key lifecycle with its cooldown) needs about a minute. */
export const CASE_TIMEOUT_MS = 150_000;

/** Runs one case, turning a thrown assertion (or a stall) into a failed result. */
export async function runCase(group: Group, c: Case, ctx: CaseContext): Promise<CaseResult> {
  const t0 = Date.now();
  const base = { group: group.id, id: c.id, title: c.title };
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the case did not finish within ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
  });
  try {
    const note = await Promise.race([c.run(ctx), stalled]);
    return { ...base, ok: true, note: typeof note === 'string' ? note : undefined, ms: Date.now() - t0 };
  } catch (error) {
    return { ...base, ok: false, error: error instanceof Error ? error.message : String(error), ms: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the suite against one target outside vitest (the CLI, and the suite's own tests). */
export async function runSuite(target: Target, options: RunOptions = {}, groups = fullSuite): Promise<RunResult> {
  const session = new Session(target);
  const started = Date.now();
  const results: CaseResult[] = [];
  const record = (r: CaseResult) => {
    results.push(r);
    options.onResult?.(r);
  };
  try {
    for (const group of groups) {
      const cases = group.cases.filter((c) => !options.filter || `${group.id}/${c.id}`.includes(options.filter));
      if (cases.length === 0) continue;
      let instance: Awaited<ReturnType<Session['instanceFor']>>;
      try {
        instance = await session.instanceFor(group);
      } catch (error) {
        for (const c of cases) record({ group: group.id, id: c.id, title: c.title, ok: false, error: String(error), ms: 0 });
        continue;
      }
      const ctx = session.context(instance);
      for (const c of cases) record(await runCase(group, c, ctx));
      await session.release(instance);
    }
  } finally {
    await session.close();
  }
  return { target: target.name, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, results };
}
