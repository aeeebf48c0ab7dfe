import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../src/entries.ts';
import { countLines, linesOfCode } from '../src/lines.ts';

const hasCloc = spawnSync('cloc', ['--version']).status === 0;

describe.runIf(hasCloc || process.env.CI)('lines of code', () => {
  it("counts hono's Node glue apart from its Bun, Deno and Workers entries, which it names in runtimes.json", () => {
    const { lines } = countLines(ENTRIES.filter((e) => e.name === 'hono'));
    const hono = lines.find((l) => l.name === 'hono');
    const all = linesOfCode(new URL('../../../apps/hono/src', import.meta.url).pathname);
    expect(hono?.otherRuntimes).toBeGreaterThan(0);
    expect((hono?.code ?? 0) + (hono?.otherRuntimes ?? 0)).toBe(all);
    expect(lines.find((l) => l.name === 'core')?.otherRuntimes).toBeUndefined();
  });
});
