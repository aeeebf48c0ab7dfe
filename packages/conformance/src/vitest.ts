import { afterAll, beforeAll, describe, it } from 'vitest';
import { whyNotApplicable } from './applicable.ts';
import { copyApp, removeCopy } from './copy.ts';
import { lanes } from './lanes.ts';
import { formatMatrix } from './matrix.ts';
import type { CaseContext, Group } from './model.ts';
import { reasonOf } from './report.ts';
import { type CaseResult, saveRun, verdict } from './results.ts';
import { CASE_TIMEOUT_MS, notApplicableResult, notStartedResult, runCase } from './runner.ts';
import { Session } from './session.ts';
import { suite } from './suite.ts';
import type { Target } from './target.ts';

/**
 * Registers the whole conformance suite for one target as vitest tests: one `describe` per
 * group, one `it` per case that applies, groups in lanes side by side (a case that does not apply is
 * not registered, so nothing skips; it is listed as not applicable in the matrix). Judged by
 * `target.profile` (default `contract`). Saves the run and prints this target's column at the end.
 */
export function describeConformance(target: Target, hooks: { prepare?: () => Promise<void> } = {}): void {
  const session = new Session(target);
  const results: CaseResult[] = [];
  const startedAt = new Date();
  const profile = target.profile ?? 'contract';

  describe(`conformance: ${target.name}`, () => {
    if (hooks.prepare) beforeAll(hooks.prepare, 900_000);
    afterAll(async () => {
      await session.close();
      const seconds = (Date.now() - startedAt.getTime()) / 1000;
      // Lanes finish in any order; the matrix lists cases in the suite's.
      const order = new Map(
        suite.flatMap((g) => g.cases.map((c) => `${g.id}/${c.id}`)).map((k, i) => [k, i]),
      );
      const rank = (r: CaseResult) => order.get(`${r.group}/${r.id}`) ?? order.size;
      results.sort((a, b) => rank(a) - rank(b));
      const run = { target: target.name, profile, startedAt: startedAt.toISOString(), seconds, results };
      saveRun(run);
      console.log(formatMatrix([run], profile));
    });

    // Lanes run side by side (src/lanes.ts): each is a concurrent describe whose cases stay in order.
    for (const lane of lanes(suite)) {
      if (lane.length === 1) describeGroup(lane[0] as Group, { concurrent: true });
      else
        describe('shared instances', { concurrent: true }, () => {
          for (const group of lane) describeGroup(group, { concurrent: false });
        });
    }
  });

  function describeGroup(group: Group, options: { concurrent: boolean }): void {
    const applicable = group.cases.filter((c) => {
      const reason = whyNotApplicable(target, group, c);
      if (reason !== undefined) results.push(notApplicableResult(group, c, reason));
      return reason === undefined;
    });
    if (applicable.length === 0) return;
    describe(group.id, options, () => {
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
      for (const c of applicable) {
        // `concurrent: false`: a group's cases share its app and state, one after another.
        it(c.id, { timeout: CASE_TIMEOUT_MS + 30_000, concurrent: false }, async () => {
          const ctx = await context().catch((error: Error) => {
            results.push(notStartedResult(group, c, error));
            throw error;
          });
          const result = await runCase(group, c, ctx);
          results.push(result);
          if (verdict(result, profile) === 'failed') {
            throw new Error(
              result.failures.map((f) => `[${f.profile}] ${f.message}`).join('\n') ||
                reasonOf(result, profile),
            );
          }
        });
      }
    });
  }
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
