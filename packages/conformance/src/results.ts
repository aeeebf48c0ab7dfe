import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { counts, type Failure, type Profile } from './check.ts';
import type { Theme } from './model.ts';

export interface CaseResult {
  group: string;
  id: string;
  title: string;
  theme: Theme;
  /** Why the case was not run against this target; absent when it ran. */
  notApplicable?: string;
  /** Every expectation that did not hold, each tagged with its profile. */
  failures: Failure[];
  /** How many security expectations it checked: none makes it contract-only (not applicable under security). */
  securityChecks?: number;
  note?: string;
  ms: number;
}

export interface RunResult {
  target: string;
  /** The profile the run was judged by (both verdicts can be read from `results`). */
  profile: Profile;
  startedAt: string;
  seconds: number;
  results: CaseResult[];
}

export type Verdict = 'ok' | 'failed' | 'not applicable';

const CONTRACT_ONLY = 'no security expectation (contract profile only)';

/** Why `result` does not count under `profile`, or `undefined` when it does. */
export function whyNotCounted(result: CaseResult, profile: Profile): string | undefined {
  if (result.notApplicable !== undefined) return result.notApplicable;
  if (profile === 'security' && result.securityChecks === 0 && result.failures.length === 0)
    return CONTRACT_ONLY;
  return undefined;
}

export function verdict(result: CaseResult, profile: Profile): Verdict {
  if (whyNotCounted(result, profile) !== undefined) return 'not applicable';
  return result.failures.some((f) => counts(f.profile, profile)) ? 'failed' : 'ok';
}

/** The failures that count under `profile`. */
export const failuresUnder = (result: CaseResult, profile: Profile) =>
  result.failures.filter((f) => counts(f.profile, profile));

export function tally(results: CaseResult[], profile: Profile): Record<Verdict, number> {
  const out: Record<Verdict, number> = { ok: 0, failed: 0, 'not applicable': 0 };
  for (const r of results) out[verdict(r, profile)]++;
  return out;
}

/**
 * Where each target's last run is kept, for the matrix across apps: `CONFORMANCE_RESULTS_DIR`
 * (CI keeps one folder per Node version), else `.results` in this package.
 */
export function resultsDir(): string {
  const override = process.env.CONFORMANCE_RESULTS_DIR;
  return override ? resolve(override) : join(import.meta.dirname, '..', '.results');
}

export function saveRun(run: RunResult): void {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${run.target}.json`), `${JSON.stringify(run, null, 2)}\n`);
}

export function loadRuns(): RunResult[] {
  const dir = resultsDir();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunResult)
    .filter((run) => Array.isArray(run.results) && run.results.every((r) => Array.isArray(r.failures)));
}
