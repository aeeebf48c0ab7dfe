import type { Profile } from './check.ts';
import { KIND_ORDER, KINDS } from './kinds.ts';
import { type CaseResult, failuresUnder, type RunResult, tally, verdict, whyNotCounted } from './results.ts';

/** A cell: `ok` (with the case's note), `not applicable`, or `FAIL` and the kinds of its failures. */
function cellOf(r: CaseResult, profile: Profile): string {
  const v = verdict(r, profile);
  if (v === 'not applicable') return v;
  if (v === 'ok') return r.note ? `ok (${r.note})` : 'ok';
  const kinds = new Set(failuresUnder(r, profile).map((f) => f.kind));
  return `FAIL: ${KIND_ORDER.filter((k) => kinds.has(k))
    .map((k) => KINDS[k].cell)
    .join(', ')}`;
}

/**
 * The case × target table under `profile`, closing with the line CI reads, alone on the last
 * line: `N passed, N failed`. Cases that do not apply are listed with their reason, and are
 * counted in neither number.
 */
export function formatMatrix(runs: RunResult[], profile: Profile = 'contract', table = true): string {
  const names = runs.map((r) => r.target);
  const rows = new Map<string, Map<string, string>>();
  const reasons: string[] = [];
  for (const run of runs) {
    for (const r of run.results) {
      const key = `${r.group}/${r.id}`;
      if (!rows.has(key)) rows.set(key, new Map());
      rows.get(key)?.set(run.target, cellOf(r, profile));
      if (verdict(r, profile) === 'not applicable')
        reasons.push(`  ${run.target} ${key}: ${whyNotCounted(r, profile)}`);
    }
  }
  const width = Math.max(4, ...[...rows.keys()].map((k) => k.length));
  const cells = [...rows.values()].flatMap((m) => [...m.values()].map((v) => v.length));
  const col = Math.max(8, ...names.map((n) => n.length), ...cells);
  const line = (first: string, cs: string[]) =>
    `${first.padEnd(width)}  ${cs.map((c) => c.padEnd(col)).join('  ')}`.trimEnd();
  const out: string[] = [];
  if (table) {
    out.push(
      line('case', names),
      line(
        '-'.repeat(width),
        names.map(() => '-'.repeat(col)),
      ),
    );
    for (const [key, cs] of rows)
      out.push(
        line(
          key,
          names.map((n) => cs.get(n) ?? 'not run'),
        ),
      );
    out.push('');
    if (reasons.length)
      out.push(`not applicable (${reasons.length}, counted neither as passed nor as failed):`, ...reasons);
  }
  const total = tally(
    runs.flatMap((r) => r.results),
    profile,
  );
  out.push(
    runs.map((r) => `${r.target}: ${r.results.length} cases in ${r.seconds.toFixed(0)} s`).join('; ') +
      ` (${profile} profile)`,
  );
  out.push(`${total.ok} passed, ${total.failed} failed`);
  return out.join('\n');
}
