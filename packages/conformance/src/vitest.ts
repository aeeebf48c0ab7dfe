import { afterAll, beforeAll, describe, it } from 'vitest';
import { copyApp, removeCopy } from './copy.ts';
import { formatMatrix } from './matrix.ts';
import type { CaseContext } from './model.ts';
import type { CaseResult } from './results.ts';
import { CASE_TIMEOUT_MS, runCase } from './runner.ts';
import { saveRun } from './results.ts';
import { Session } from './session.ts';
import { suite } from './suite.ts';
import type { Target } from './target.ts';

/**
 * Registers the whole conformance suite for one target as vitest tests: one `describe` per
 * group, one `it` per case, in the suite's order. Prints this target's column at the end.
 */
export function describeConformance(target: Target, hooks: { prepare?: () => Promise<void> } = {}): void {
  const session = new Session(target);
  const results: CaseResult[] = [];
  const startedAt = new Date();

  describe(`conformance: ${target.name}`, () => {
    if (hooks.prepare) beforeAll(hooks.prepare, 900_000);
    afterAll(async () => {
      await session.close();
      const run = { target: target.name, startedAt: startedAt.toISOString(), seconds: (Date.now() - startedAt.getTime()) / 1000, results };
      saveRun(run);
      console.log(formatMatrix([run]));
    });

    for (const group of suite) {
      describe(group.id, () => {
        let shared: Promise<CaseContext> | undefined;
        let instance: Awaited<ReturnType<Session['instanceFor']>> | undefined;
        const context = () => {
          shared ??= session.instanceFor(group).then((i) => {
            instance = i;
            return session.context(i);
          });
          return shared;
        };
        afterAll(async () => {
          if (instance) await session.release(instance);
        });
        for (const c of group.cases) {
          it(c.id, { timeout: CASE_TIMEOUT_MS + 30_000 }, async () => {
            const ctx = await context().catch((error: Error) => {
              results.push({ group: group.id, id: c.id, title: c.title, ok: false, error: error.message, ms: 0 });
              throw error;
            });
            const result = await runCase(group, c, ctx);
            results.push(result);
            if (!result.ok) throw new Error(result.error);
          });
        }
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
