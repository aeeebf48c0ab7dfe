import { afterAll, beforeAll, describe, it } from 'vitest';
import { whyNotApplicable } from './applicable.ts';
import { copyApp, removeCopy } from './copy.ts';
import { formatMatrix } from './matrix.ts';
import { reasonOf } from './report.ts';
import { type CaseResult, type RunResult, saveRun, verdict } from './results.ts';
import { runSuite } from './runner.ts';
import { suite } from './suite.ts';
import type { Target } from './target.ts';

/** Long enough for the whole run: an `it` waits for its case, which the runner times out itself. */
const WAIT_MS = 900_000;

/**
 * Registers the conformance suite for one target as vitest tests, run by the CLI's runner
 * (`runSuite`, src/runner.ts), which schedules the groups: a `beforeAll` starts the run, and one
 * `it` per case that applies awaits that case's result (a case that does not apply is not
 * registered, so nothing skips; the matrix lists it as not applicable). Judged by
 * `target.profile` (default `contract`). Saves the run and prints this target's column at the end.
 */
export function describeConformance(target: Target, hooks: { prepare?: () => Promise<void> } = {}): void {
  const profile = target.profile ?? 'contract';
  const settle = new Map<string, { resolve(r: CaseResult): void; reject(e: unknown): void }>();
  const results = new Map<string, Promise<CaseResult>>();
  for (const group of suite)
    for (const c of group.cases) {
      const key = `${group.id}/${c.id}`;
      results.set(key, new Promise((resolve, reject) => settle.set(key, { resolve, reject })));
      results.get(key)?.catch(() => {}); // a case never awaited (not applicable) must not warn
    }
  let run: Promise<RunResult> | undefined;

  describe(`conformance: ${target.name}`, () => {
    beforeAll(async () => {
      const failAll = (error: unknown) => {
        for (const { reject } of settle.values()) reject(error);
      };
      await hooks.prepare?.().catch((error) => {
        failAll(error);
        throw error;
      });
      run = runSuite(target, { onResult: (r) => settle.get(`${r.group}/${r.id}`)?.resolve(r) });
      run.catch(failAll);
    }, WAIT_MS);
    afterAll(async () => {
      const done = await run;
      if (!done) return;
      saveRun(done);
      console.log(formatMatrix([done], profile));
    }, WAIT_MS);

    for (const group of suite) {
      const applicable = group.cases.filter((c) => whyNotApplicable(target, group, c) === undefined);
      if (applicable.length === 0) continue;
      describe(group.id, () => {
        for (const c of applicable)
          it(c.id, { timeout: WAIT_MS }, async () => {
            const result = await results.get(`${group.id}/${c.id}`);
            if (result && verdict(result, profile) === 'failed')
              throw new Error(
                result.failures.map((f) => `[${f.profile} ${f.kind}] ${f.message}`).join('\n') ||
                  reasonOf(result, profile),
              );
          });
      });
    }
  });
}

/**
 * The copy test: `appDir` copied outside the workspace, installed with plain npm, built, and
 * run through the whole suite as `<name>-copy`.
 */
export function describeCopiedApp(target: Target, build?: string[]): void {
  const copy = { ...target, name: `${target.name}-copy` };
  describeConformance(copy, {
    prepare: async () => {
      copy.cwd = await copyApp(target.cwd, build);
    },
  });
  afterAll(() => {
    if (copy.cwd !== target.cwd) removeCopy(copy.cwd);
  });
}
