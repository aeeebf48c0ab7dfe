// The README table from suite runs (the JSON of `--json`), read by kind (src/kinds.ts), never by
// message: first how many cases failed with each kind, then one block per theme with a row per
// case that fails under `security` on at least one backend, each cell naming the kinds.
import { THEME_ORDER } from '../src/applicable.ts';
import { KIND_ORDER, KINDS } from '../src/kinds.ts';

export const START = '<!-- peers-table:start -->';
export const END = '<!-- peers-table:end -->';

// A backend that fetches the JWKS on every request makes each request wait on that fetch:
// `no-timeout` beside `fetched-too-often` in one case is its consequence, and whether a request
// crosses the case's bound then depends on the machine's pace, so it is not shown beside it.
const withoutConsequences = (failures) =>
  failures.some((f) => f.kind === 'fetched-too-often')
    ? failures.filter((f) => f.kind !== 'no-timeout')
    : failures;

/** `ok`, `n/a`, `not run`, or the failures that count under the security profile. */
export function verdictOf(result) {
  if (result === undefined) return { kind: 'not run' };
  if (result.notApplicable !== undefined) return { kind: 'n/a' };
  const failures = withoutConsequences(result.failures.filter((f) => f.profile === 'security'));
  return failures.length ? { kind: 'failed', failures } : { kind: 'ok' };
}

const MAX_LABELS = 3;
// Which tokens got in, and from which JWKS fault a key was taken, matter; 5xx answers are
// counted. Other counts are left out: they vary from run to run (a timing-dependent second
// wait), and the kind is what the table says.
const NAMED = new Set(['accepted-invalid-token', 'key-from-bad-jwks']);

function named(kind, failures) {
  const labels = [...new Set(failures.map((f) => f.label).filter(Boolean))];
  const text = KINDS[kind].cell;
  if (NAMED.has(kind) && labels.length) {
    const more = labels.length > MAX_LABELS ? `, +${labels.length - MAX_LABELS}` : '';
    return `${text} (${labels.slice(0, MAX_LABELS).join(', ')}${more})`;
  }
  return kind === 'server-error' && failures.length > 1 ? `${text} ×${failures.length}` : text;
}

/** One cell: `ok`, `n/a`, or each kind of failure once, in the kinds' order. */
export function cell(result) {
  const v = verdictOf(result);
  if (v.kind !== 'failed') return v.kind;
  return KIND_ORDER.map((kind) => [kind, v.failures.filter((f) => f.kind === kind)])
    .filter(([, failures]) => failures.length > 0)
    .map(([kind, failures]) => named(kind, failures))
    .join('; ');
}

const cellText = (text) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** Per kind, the cases of each column that failed with it (a case may count under several). */
function kindRows(byKey) {
  const rows = [];
  for (const kind of KIND_ORDER) {
    const counts = byKey.map(
      (results) =>
        [...results.values()].filter((r) => verdictOf(r).failures?.some((f) => f.kind === kind)).length,
    );
    if (counts.some((n) => n > 0))
      rows.push(`| ${KINDS[kind].heading} | ${counts.map((n) => (n ? `**${n}**` : '0')).join(' | ')} |`);
  }
  return rows;
}

/** `columns`: [{ heading, run }] where `run` is the suite's JSON result. */
export function formatTable(columns) {
  const byKey = columns.map(({ run }) => new Map(run.results.map((r) => [`${r.group}/${r.id}`, r])));
  const themeOf = new Map();
  for (const { run } of columns) for (const r of run.results) themeOf.set(`${r.group}/${r.id}`, r.theme);
  const lines = [
    `| cases that failed, by what the backend did | ${columns.map((c) => cellText(c.heading)).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    ...kindRows(byKey),
  ];
  const themes = [...THEME_ORDER, ...new Set([...themeOf.values()].filter((t) => !THEME_ORDER.includes(t)))];
  for (const theme of themes) {
    const keys = [...themeOf].filter(([, t]) => t === theme).map(([k]) => k);
    if (keys.length === 0) continue;
    const summary = byKey.map((results) => {
      const verdicts = keys.map((k) => verdictOf(results.get(k)).kind);
      const failed = verdicts.filter((k) => k === 'failed').length;
      const applicable = verdicts.filter((k) => k === 'ok' || k === 'failed').length;
      if (applicable === 0) return verdicts.includes('n/a') ? 'n/a' : 'not run';
      return failed ? `**${failed} of ${applicable} fail**` : `all ${applicable} ok`;
    });
    lines.push(`| **${theme}** cases | ${summary.join(' | ')} |`);
    for (const key of keys) {
      const cells = byKey.map((results) => cell(results.get(key)));
      if (cells.some((c) => c !== 'ok' && c !== 'n/a' && c !== 'not run'))
        lines.push(`| \`${key}\` | ${cells.map(cellText).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** The README with `table` between the markers, or `undefined` when the markers are missing. */
export function replaceBlock(readme, table) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) return undefined;
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}
