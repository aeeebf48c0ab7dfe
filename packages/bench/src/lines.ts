import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Entry, REPO } from './entries.ts';

export const CORE_DIR = 'packages/verifier/src';

/**
 * Lines of code (cloc's count: comments and blank lines left out) of TypeScript and JavaScript
 * under `dir`, the copied core (`jwt/`) excluded; null when cloc is not installed.
 */
export function linesOfCode(dir: string): number | null {
  const out = spawnSync(
    'cloc',
    [
      '--json',
      '--quiet',
      '--include-lang=TypeScript,JavaScript',
      '--exclude-dir=jwt,node_modules,dist,.output',
      dir,
    ],
    { encoding: 'utf8' },
  );
  if (out.error || out.status !== 0) return null;
  return (JSON.parse(out.stdout || '{}') as { SUM?: { code: number } }).SUM?.code ?? 0;
}

export interface Lines {
  /** What is counted: the core, or an app's glue. */
  name: string;
  dir: string;
  code: number | null;
  limit: number;
}

/** The core against 340 lines, each app's framework glue against 120 (issue 22). */
export function countLines(entries: readonly Entry[]): { lines: Lines[]; note?: string } {
  const glue = entries.filter((e) => e.glue && existsSync(`${REPO}${e.cwd}/${e.glue}`));
  const lines = [
    { name: 'core', dir: CORE_DIR, limit: 340 },
    ...glue.map((e) => ({ name: e.name, dir: `${e.cwd}/${e.glue}`, limit: 120 })),
  ].map((l) => ({ ...l, code: linesOfCode(`${REPO}${l.dir}`) }));
  const note =
    lines[0]?.code === null
      ? 'cloc is not installed (apt-get install cloc): lines of code not counted'
      : undefined;
  return { lines, ...(note ? { note } : {}) };
}
