import { THEME_ORDER } from './applicable.ts';
import { PROFILES, type Profile } from './check.ts';
import { type CaseResult, failuresUnder, type RunResult, tally, verdict, whyNotCounted } from './results.ts';

const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Why a case failed under `profile`, in one short line: its first failed expectation and how many more. */
export function reasonOf(result: CaseResult, profile: Profile): string {
  const failures = failuresUnder(result, profile);
  const [first] = failures;
  if (!first) return '';
  return `${clip(first.message)}${failures.length > 1 ? ` (+${failures.length - 1} more)` : ''}`;
}

/** One line per case (`verbose`: then every failed expectation, with its profile). */
export function caseLine(result: CaseResult, profile: Profile, verbose = false): string {
  const name = `${result.group}/${result.id}`;
  const v = verdict(result, profile);
  if (v === 'not applicable') return `n/a  ${name}: ${whyNotCounted(result, profile)}`;
  if (v === 'ok') {
    const other = profile === 'security' && result.failures.length ? ', contract differs' : '';
    return `ok   ${name}${result.note || other ? ` (${[result.note, other.slice(2)].filter(Boolean).join(', ')})` : ''}`;
  }
  const head = `FAIL ${name}: ${reasonOf(result, profile)}`;
  if (!verbose) return head;
  return [
    head,
    ...failuresUnder(result, profile).map((f) => `       [${f.profile}] ${clip(f.message, 300)}`),
  ].join('\n');
}

/** Passed cases of all that ran, per theme and profile: the picture behind the wording. */
export function themeSummary(run: RunResult): string {
  const rows = THEME_ORDER.map((theme) => {
    const results = run.results.filter((r) => r.theme === theme);
    const cells = PROFILES.map((p) => {
      const t = tally(results, p);
      return t.ok + t.failed === 0 ? '-' : `${t.ok}/${t.ok + t.failed} ok`;
    });
    const na = tally(results, 'contract')['not applicable'];
    return [theme, ...cells, na ? `${na} not applicable` : ''];
  });
  const widths = [20, 16, 16];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(['theme', 'security', 'contract']), ...rows.map(line)].join('\n');
}

/** The cases that failed under `profile`, grouped by theme, one short reason each. */
export function failureList(run: RunResult, profile: Profile): string[] {
  const out: string[] = [];
  for (const theme of THEME_ORDER) {
    const failed = run.results.filter((r) => r.theme === theme && verdict(r, profile) === 'failed');
    if (failed.length === 0) continue;
    out.push(`${theme}:`);
    for (const r of failed) out.push(`  ${r.group}/${r.id}: ${reasonOf(r, profile)}`);
  }
  return out;
}
