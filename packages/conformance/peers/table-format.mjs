// The README table from suite runs (the JSON of `--json`): one block per theme, a row per case
// that fails under `security` on at least one backend, and in each cell what the backend did
// (read from the failure messages: status classes, fetches, start-up), not the suite's wording.

export const START = '<!-- peers-table:start -->';
export const END = '<!-- peers-table:end -->';
export const THEMES = ['forgeries accepted', 'claims', 'errors', 'keys and outages', 'start-up'];

const isSecurity = (failure) => failure.profile === 'security';

/** `ok`, `n/a`, or the failures that count under the security profile. */
export function verdictOf(result) {
  if (result === undefined) return { kind: 'not run' };
  if (result.notApplicable !== undefined) return { kind: 'n/a' };
  const failures = result.failures.filter(isSecurity);
  return failures.length ? { kind: 'failed', failures } : { kind: 'ok' };
}

// What happened, from the suite's messages (src/expect.ts, src/cases/*): the first rule that
// matches names the behaviour; the label before it (a token's name in a batch) is kept.
const SUBJECT =
  '(?:(?:an invalid token|a token lacking the scope|no usable credentials|with no key available,|expected a 4xx,) )';
const rule = (pattern, name) => [new RegExp(`^(.*?)${pattern}`), name];
const RULES = [
  rule('with no key available, got 2\\d\\d', (m) => keyAnyway(m[1])),
  rule('(?:an invalid token|a token lacking the scope) got 2\\d\\d', () => 'accepted'),
  rule('no usable credentials got 2\\d\\d', () => 'let in without a token'),
  rule('a valid token got (\\d{3})', (m) =>
    m[2] >= '500' ? `valid token: ${m[2]}` : `valid token refused (${m[2]})`,
  ),
  rule(`${SUBJECT}?got (5\\d\\d)`, (m) => m[2]),
  rule(`${SUBJECT}?got (\\d{3})`, (m) => `answered ${m[2]}`),
  rule('no answer', () => 'no answer'),
  rule('the app fetched the (\\w+) URL from the token', (m) => `fetched the ${m[2]} URL`),
  rule('(\\d+) JWKS fetches for a cold burst', (m) =>
    Number(m[2]) >= 10 ? 'a JWKS fetch per request' : `${m[2]} fetches for a cold burst`,
  ),
  rule('(\\d+) JWKS fetches for cached keys', () => 'refetches for cached keys'),
  rule('(\\d+) JWKS fetches for (\\d+) unknown kids', (m) => fetchesPerKid(m[2], m[3])),
  rule('(\\d+) JWKS fetches during the cooldown', (m) => fetchesPerKid(m[2], null)),
  rule('answered after \\d+ ms', () => 'no JWKS timeout within 7.5 s'),
  rule(
    '\\d+ JWKS fetches, \\d+ of them less than 5 s after',
    () => 'retries a failing JWKS at once (no backoff)',
  ),
  rule(
    'the redirect target was contacted \\d+ times, all while the JWKS redirected',
    () => 'the redirect it followed before (none since)',
  ),
  rule(
    'the redirect target was contacted \\d+ times after the JWKS stopped redirecting',
    () => 'contacts the redirect target later',
  ),
  rule('the redirect (?:was followed|target was contacted)', () => 'follows a JWKS redirect'),
  rule('answered \\d+ with the key it kept from the ([\\w-]+) answer', (m) => keptFrom(m[2])),
  rule('the JWKS was not fetched', () => 'answered without fetching the JWKS'),
  rule('a cached key (?:waited|during the hung fetch)', () => 'cached keys wait for a hung JWKS'),
  rule(
    "the rotated key was not fetched again: it was already held, from the hung JWKS's answer",
    () => "rotated key kept from the hung JWKS's late answer",
  ),
  rule('the rotated key was not fetched', () => 'rotated key never fetched'),
  rule('a stack trace reached the client', () => 'stack trace in the answer'),
  rule('the response echoes the token', () => 'echoes the token'),
  rule('it started \\(', () => 'starts anyway'),
  rule('it neither exited nor became ready', () => 'hangs at start-up'),
  rule('it exited with code 0', () => 'exits 0'),
  rule('the backend did not start', () => 'did not start'),
  rule('(?:the case stopped|the suite: unhandled rejection|did not finish within)', () => 'suite error'),
];

/** A key the backend should not have had (the JWKS hung, redirected or was too big), by the fault. */
function keyAnyway(label) {
  const fault = label.replace(/:\s*$/, '').trim();
  if (fault === 'slow') return 'no JWKS timeout within 7.5 s';
  if (fault === 'redirect') return 'follows a JWKS redirect';
  if (fault.startsWith('huge')) return 'takes an oversized JWKS';
  return 'answered 2xx with no key to be had';
}

/** The fault whose answer left a key behind, so that a later fault was never put to the backend. */
function keptFrom(fault) {
  if (fault === 'redirect') return 'kept the key from the followed redirect';
  if (fault.startsWith('huge')) return 'kept the key from the oversized JWKS';
  return `kept the key from the ${fault} answer`;
}

/** Counts are shown by size, so that a run-to-run difference of one fetch does not change the table. */
function fetchesPerKid(made, kids) {
  const n = Number(made);
  if (kids !== null && n >= Number(kids) / 2) return 'a JWKS fetch per unknown kid';
  if (n >= 10) return 'refetches for unknown kids, no cooldown';
  return 'refetches within the cooldown';
}

export function behaviour(message) {
  for (const [pattern, name] of RULES) {
    const m = pattern.exec(message);
    if (m) return { what: name(m), label: m[1].replace(/:\s*$/, '').trim() };
  }
  return { what: 'other failure', label: '' };
}

const MAX_LABELS = 3;
// Which tokens got in matters ("accepted (missing)": a token without exp); for the rest the count
// of tokens is enough, and the keys cases speak for themselves.
const NAMED = new Set(['accepted', 'let in without a token']);
// 'cached keys wait for a hung JWKS' next to 'no JWKS timeout': whether a key is still cached by
// then depends on the run's pace (get-jwks drops keys after 60 s, close to when the case runs),
// so the cell would flip between runs; the case fails either way, for the missing timeout.
const SECONDARY = new Set([
  'cached keys wait for a hung JWKS',
  'answered without fetching the JWKS',
  'rotated key never fetched',
  "rotated key kept from the hung JWKS's late answer",
  'kept the key from the followed redirect',
  'kept the key from the oversized JWKS',
]);

function withTokens(what, labels) {
  if (labels.length === 0) return what;
  if (NAMED.has(what)) {
    const shown = labels.slice(0, MAX_LABELS).join(', ');
    return `${what} (${shown}${labels.length > MAX_LABELS ? `, +${labels.length - MAX_LABELS}` : ''})`;
  }
  return /^\d{3}$/.test(what) && labels.length > 1 ? `${what} ×${labels.length}` : what;
}

/** One cell: `ok`, `n/a`, or each behaviour once, with the tokens it happened to. */
export function cell(result) {
  const v = verdictOf(result);
  if (v.kind !== 'failed') return v.kind;
  const labels = new Map();
  for (const f of v.failures) {
    const { what, label } = behaviour(f.message);
    if (!labels.has(what)) labels.set(what, []);
    if (label && !labels.get(what).includes(label)) labels.get(what).push(label);
  }
  // A consequence of another failure of the same case says nothing more on its own.
  const shown = [...labels].filter(([what]) => labels.size === 1 || !SECONDARY.has(what));
  return shown.map(([what, ls]) => withTokens(what, ls)).join('; ');
}

const cellText = (text) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** `columns`: [{ heading, run }] where `run` is the suite's JSON result. */
export function formatTable(columns) {
  const byKey = columns.map(({ run }) => new Map(run.results.map((r) => [`${r.group}/${r.id}`, r])));
  const themeOf = new Map();
  for (const { run } of columns) for (const r of run.results) themeOf.set(`${r.group}/${r.id}`, r.theme);
  const lines = [
    `| case | ${columns.map((c) => cellText(c.heading)).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
  ];
  const themes = [...THEMES, ...new Set([...themeOf.values()].filter((t) => !THEMES.includes(t)))];
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
    lines.push(`| **${theme}** | ${summary.join(' | ')} |`);
    for (const key of keys) {
      const cells = byKey.map((results) => cell(results.get(key)));
      if (cells.some((c) => c !== 'ok' && c !== 'n/a' && c !== 'not run')) {
        lines.push(`| \`${key}\` | ${cells.map(cellText).join(' | ')} |`);
      }
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
