import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type Entry, REPO } from './entries.ts';

export const CORE_DIR = 'packages/verifier/src';

/**
 * Lines of code (cloc's count: comments and blank lines left out) of TypeScript and JavaScript
 * under `paths`, the copied core (`jwt/`) excluded; null when cloc is not installed.
 */
export function linesOfCode(...paths: string[]): number | null {
  const out = spawnSync(
    'cloc',
    [
      '--json',
      '--quiet',
      '--include-lang=TypeScript,JavaScript',
      '--exclude-dir=jwt,node_modules,dist,.output',
      ...paths,
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
  /** Lines in the glue folder that only another runtime's starter carries (Bun, Deno, Workers entries). */
  otherRuntimes?: number;
}

/**
 * The glue files that only a Bun, Deno or Workers starter carries (the app's runtimes.json): a
 * Node starter leaves them out (issue #21), so they are counted apart from the Node glue.
 */
function runtimeOnly(appDir: string, glue: string): string[] {
  const file = `${appDir}/runtimes.json`;
  if (!existsSync(file)) return [];
  const { runtimes } = JSON.parse(readFileSync(file, 'utf8')) as {
    runtimes: Record<string, { files: string[] }>;
  };
  const files = new Set(Object.values(runtimes).flatMap((r) => r.files));
  return [...files].filter((f) => f.startsWith(`${glue}/`)).map((f) => `${appDir}/${f}`);
}

/** The core against 340 lines, each app's framework glue against 120 (issue 22). */
export function countLines(entries: readonly Entry[]): { lines: Lines[]; note?: string } {
  const glue = entries.filter((e) => e.glue && existsSync(`${REPO}${e.cwd}/${e.glue}`));
  const core: Lines = { name: 'core', dir: CORE_DIR, limit: 340, code: linesOfCode(`${REPO}${CORE_DIR}`) };
  const lines = [core];
  for (const e of glue) {
    const all = linesOfCode(`${REPO}${e.cwd}/${e.glue}`);
    const others = runtimeOnly(`${REPO}${e.cwd}`, e.glue as string);
    const other = others.length && all !== null ? (linesOfCode(...others) ?? 0) : 0;
    lines.push({
      name: e.name,
      dir: `${e.cwd}/${e.glue}`,
      limit: 120,
      code: all === null ? null : all - other,
      ...(other ? { otherRuntimes: other } : {}),
    });
  }
  const note =
    lines[0]?.code === null
      ? 'cloc is not installed (apt-get install cloc): lines of code not counted'
      : undefined;
  return { lines, ...(note ? { note } : {}) };
}
