import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CaseResult {
  group: string;
  id: string;
  title: string;
  ok: boolean;
  note?: string;
  error?: string;
  ms: number;
}

export interface RunResult {
  target: string;
  startedAt: string;
  seconds: number;
  results: CaseResult[];
}

/** Where each target's last run is kept, for the matrix across apps. */
export const RESULTS_DIR = join(import.meta.dirname, '..', '.results');

export function saveRun(run: RunResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${run.target}.json`), `${JSON.stringify(run, null, 2)}\n`);
}

export function loadRuns(): RunResult[] {
  let files: string[] = [];
  try {
    files = readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as RunResult);
}
