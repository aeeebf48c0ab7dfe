import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cell, END, formatTable, replaceBlock, START } from '../table-format.mjs';

const result = (id, failures, extra = {}) => ({
  group: 'forgeries',
  id,
  title: id,
  theme: 'forgeries and algorithms',
  failures,
  ms: 1,
  ...extra,
});
const sec = (kind, label) => ({ profile: 'security', kind, message: `${label}: anything`, label });

test('a cell names each kind once, in order, with the tokens let in, and ignores contract failures', () => {
  const failures = [
    sec('server-error', 'HS256 a'),
    sec('server-error', 'HS384 b'),
    sec('accepted-invalid-token', 'missing'),
    { profile: 'contract', kind: 'wrong-status', message: 'expected 401' },
  ];
  assert.equal(cell(result('hmac', failures)), 'accepted (missing); 5xx ×2');
  assert.equal(cell(result('hmac', [{ profile: 'contract', kind: 'wrong-wording', message: 'x' }])), 'ok');
  assert.equal(cell(result('hmac', [], { notApplicable: 'no scope route' })), 'n/a');
  assert.equal(cell(undefined), 'not run');
});

test('labels are shown for tokens let in and JWKS faults, at most three; other counts are left out', () => {
  const many = ['a', 'b', 'c', 'd'].map((l) => sec('accepted-invalid-token', l));
  assert.equal(cell(result('crit', many)), 'accepted (a, b, c, +1)');
  const waits = [sec('key-from-bad-jwks', 'slow'), sec('no-timeout', 'x'), sec('no-timeout', 'y')];
  assert.equal(cell(result('outage', waits)), 'used a bad JWKS answer (slow); waits on a hung JWKS');
});

test('the table counts cases per kind and per theme, and lists only the cases that fail somewhere', () => {
  const a = {
    target: 'a',
    results: [
      result('none', [sec('server-error', 'x')]),
      result('crit', [sec('accepted-invalid-token', 'y')]),
    ],
  };
  const b = { target: 'b', results: [result('none', []), result('crit', [])] };
  const table = formatTable([
    { heading: 'peer a', run: a },
    { heading: 'app b', run: b },
  ]);
  // A 500 is never counted as a forgery accepted.
  assert.match(
    table,
    /\| let in a forged or invalid token, no token, or one without the scope \| \*\*1\*\* \| 0 \|/,
  );
  assert.match(table, /\| answered 5xx \| \*\*1\*\* \| 0 \|/);
  assert.doesNotMatch(table, /refused a valid token/);
  assert.match(table, /\| \*\*forgeries and algorithms\*\* cases \| \*\*2 of 2 fail\*\* \| all 2 ok \|/);
  assert.match(table, /\| `forgeries\/none` \| 5xx \| ok \|/);
  const run = { target: 'x', results: [result('none', [], { notApplicable: 'no audience' })] };
  assert.match(formatTable([{ heading: 'x', run }]), /\| \*\*forgeries and algorithms\*\* cases \| n\/a \|/);
});

test('a wait beside too many JWKS fetches is their consequence and is not shown', () => {
  const stream = [sec('fetched-too-often', ''), sec('no-timeout', '')];
  assert.equal(cell(result('steady-stream', stream)), 'too many JWKS fetches');
  assert.equal(cell(result('steady-stream', [sec('no-timeout', '')])), 'waits on a hung JWKS');
});

test('only the block between the markers is replaced', () => {
  const readme = `# Suite\n\n${START}\nold\n${END}\n\nafter\n`;
  assert.equal(replaceBlock(readme, 'new'), `# Suite\n\n${START}\nnew\n${END}\n\nafter\n`);
  assert.equal(replaceBlock('# no markers\n', 'new'), undefined);
});
