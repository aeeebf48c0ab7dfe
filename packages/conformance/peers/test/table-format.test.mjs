import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviour, cell, END, formatTable, replaceBlock, START } from '../table-format.mjs';

const result = (id, failures, extra = {}) => ({
  group: 'forgeries',
  id,
  title: id,
  theme: 'forgeries accepted',
  failures,
  ms: 1,
  ...extra,
});
const sec = (message) => ({ profile: 'security', message });

test('a behaviour is read from the message, with the token it happened to', () => {
  assert.deepEqual(behaviour('HS256 SPKI PEM: an invalid token got 500 {"statusCode":500}'), {
    what: '500',
    label: 'HS256 SPKI PEM',
  });
  assert.deepEqual(behaviour('missing: an invalid token got 200 {"message":"Access granted"}'), {
    what: 'accepted',
    label: 'missing',
  });
  assert.equal(behaviour('a valid token got 401 Unauthorized').what, 'valid token refused (401)');
  assert.equal(
    behaviour('200 JWKS fetches for 200 unknown kids (at most 1)').what,
    'a JWKS fetch per unknown kid',
  );
  assert.equal(behaviour('the app fetched the jku URL from the token 2 times').what, 'fetched the jku URL');
  assert.equal(behaviour('slow: answered after 30012 ms (budget 7500)').what, 'no JWKS timeout within 7.5 s');
  assert.equal(behaviour('it started (/health answered 200) with JWT_ISSUER=""').what, 'starts anyway');
});

test('a cell shows each behaviour once, ignores contract failures, and says n/a', () => {
  const failures = [
    sec('HS256 a: an invalid token got 500 x'),
    sec('HS384 b: an invalid token got 500 x'),
    { profile: 'contract', message: 'expected 401' },
  ];
  assert.equal(cell(result('hmac', failures)), '500 ×2');
  assert.equal(cell(result('exp', [sec('missing: an invalid token got 200 {}')])), 'accepted (missing)');
  assert.equal(cell(result('hmac', [{ profile: 'contract', message: 'expected 401' }])), 'ok');
  assert.equal(cell(result('hmac', [], { notApplicable: 'no scope route' })), 'n/a');
});

test('the table counts per theme and lists only the cases that fail somewhere', () => {
  const a = {
    target: 'a',
    results: [result('none', [sec('x: an invalid token got 200 y')]), result('crit', [])],
  };
  const b = { target: 'b', results: [result('none', []), result('crit', [])] };
  const table = formatTable([
    { heading: 'peer a', run: a },
    { heading: 'app b', run: b },
  ]);
  assert.match(table, /\| \*\*forgeries accepted\*\* \| \*\*1 of 2 fail\*\* \| all 2 ok \|/);
  assert.match(table, /\| `forgeries\/none` \| accepted \(x\) \| ok \|/);
  assert.doesNotMatch(table, /forgeries\/crit/);
});

test('only the block between the markers is replaced', () => {
  const readme = `# Suite\n\n${START}\nold\n${END}\n\nafter\n`;
  assert.equal(replaceBlock(readme, 'new'), `# Suite\n\n${START}\nnew\n${END}\n\nafter\n`);
  assert.equal(replaceBlock('# no markers\n', 'new'), undefined);
});

test('a status without a known subject is still read', () => {
  assert.deepEqual(behaviour('got 404 {"error":"not found"}'), { what: 'answered 404', label: '' });
  assert.deepEqual(behaviour('one: expected a 4xx, got 502 x'), { what: '502', label: 'one' });
});

test('a key obtained from a misbehaving JWKS is named by the fault, not as a forgery', () => {
  assert.equal(behaviour('slow: with no key available, got 200 {}').what, 'no JWKS timeout within 7.5 s');
  assert.equal(behaviour('redirect: with no key available, got 200 {}').what, 'follows a JWKS redirect');
  assert.equal(behaviour('huge-chunked: with no key available, got 200 {}').what, 'takes an oversized JWKS');
  assert.equal(
    behaviour(
      '240 requests over 12 s: 236 JWKS fetches, 235 of them less than 5 s after the previous failed one',
    ).what,
    'retries a failing JWKS at once (no backoff)',
  );
});

test('a consequence is dropped next to its cause, and a theme with nothing applicable says n/a', () => {
  const failures = [
    sec('huge: with no key available, got 200 {}'),
    sec('huge: the JWKS was not fetched (the 503 came from the backoff)'),
  ];
  assert.equal(cell(result('oversized', failures)), 'takes an oversized JWKS');
  const run = { target: 'x', results: [result('none', [], { notApplicable: 'no audience' })] };
  assert.match(formatTable([{ heading: 'x', run }]), /\| \*\*forgeries accepted\*\* \| n\/a \|/);
});

test('a failure left over from an earlier case is named for what happened, not for this case', () => {
  assert.equal(
    behaviour(
      'huge: answered 200 with the key it kept from the redirect answer (the JWKS was not fetched, so huge went untested)',
    ).what,
    'kept the key from the followed redirect',
  );
  assert.equal(
    behaviour(
      'huge-chunked: answered 200 with the key it kept from the huge answer (the JWKS was not fetched, so huge-chunked went untested)',
    ).what,
    'kept the key from the oversized JWKS',
  );
  assert.equal(
    behaviour('the redirect target was contacted 1 times, all while the JWKS redirected (none since)').what,
    'the redirect it followed before (none since)',
  );
  assert.equal(
    behaviour('the redirect target was contacted 2 times after the JWKS stopped redirecting (3 in all)').what,
    'contacts the redirect target later',
  );
  assert.equal(
    behaviour(
      "the rotated key was not fetched again: it was already held, from the hung JWKS's answer after 8 s",
    ).what,
    "rotated key kept from the hung JWKS's late answer",
  );
  // The oversized set taken for real is what the cell says; the key it left behind is its consequence.
  const failures = [
    sec('huge: with no key available, got 200 {}'),
    sec(
      'huge-chunked: answered 200 with the key it kept from the huge answer (the JWKS was not fetched, so huge-chunked went untested)',
    ),
  ];
  assert.equal(cell(result('oversized', failures)), 'takes an oversized JWKS');
});

test('a timing-dependent consequence does not flip the cell next to its cause', () => {
  const cause = sec('slow: with no key available, got 200 {}');
  const waited = sec('a cached key waited 8018 ms for the hung fetch');
  assert.equal(cell(result('outage-timeout', [cause, waited])), 'no JWKS timeout within 7.5 s');
  assert.equal(cell(result('outage-timeout', [cause])), 'no JWKS timeout within 7.5 s');
  // Alone, it is still shown.
  assert.equal(cell(result('outage-timeout', [waited])), 'cached keys wait for a hung JWKS');
});
