import type { RunResult } from './results.ts';

/** The case × target table, closing with the line CI reads: `N passed, N failed`. */
export function formatMatrix(runs: RunResult[]): string {
  const names = runs.map((r) => r.target);
  const rows = new Map<string, Map<string, string>>();
  for (const run of runs) {
    for (const r of run.results) {
      const key = `${r.group}/${r.id}`;
      if (!rows.has(key)) rows.set(key, new Map());
      rows.get(key)?.set(run.target, r.ok ? (r.note ? `ok (${r.note})` : 'ok') : 'FAIL');
    }
  }
  const width = Math.max(4, ...[...rows.keys()].map((k) => k.length));
  const col = Math.max(8, ...names.map((n) => n.length), ...[...rows.values()].flatMap((m) => [...m.values()].map((v) => v.length)));
  const line = (first: string, cells: string[]) => `${first.padEnd(width)}  ${cells.map((c) => c.padEnd(col)).join('  ')}`.trimEnd();
  const out = [line('case', names), line('-'.repeat(width), names.map(() => '-'.repeat(col)))];
  for (const [key, cells] of rows) out.push(line(key, names.map((n) => cells.get(n) ?? 'not run')));
  const all = runs.flatMap((r) => r.results);
  const failed = all.filter((r) => !r.ok).length;
  out.push('', runs.map((r) => `${r.target}: ${r.results.length} cases in ${r.seconds.toFixed(0)} s`).join('; '));
  out.push(`${all.length - failed} passed, ${failed} failed`);
  return out.join('\n');
}
