import { fileURLToPath } from 'node:url';
import { ALGORITHMS } from '@repo/test-fixtures';
import { describe, expect, it } from 'vitest';
import { algorithms } from '../src/cases/algorithms.ts';
import { allowList } from '../src/cases/allow-list.ts';
import { backoff } from '../src/cases/backoff.ts';
import { defaults } from '../src/cases/defaults.ts';
import { jwksFetch } from '../src/cases/jwks-fetch.ts';
import { refresh } from '../src/cases/refresh.ts';
import { shutdown } from '../src/cases/shutdown.ts';
import { verdict } from '../src/results.ts';
import { runSuite } from '../src/runner.ts';

/** test/fixtures/lifecycle-server.mjs, with the given flaws switched on. */
const server = (flaws: string[] = []) => ({
  name: flaws.join(',') || 'lifecycle',
  command: ['node', 'test/fixtures/lifecycle-server.mjs'],
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  algorithms: ALGORITHMS,
  env: { FLAWS: flaws.join(',') },
});

const GROUPS = [defaults, allowList, refresh, jwksFetch, backoff, shutdown];

async function verdicts(flaws: string[], filter?: string) {
  const run = await runSuite(server(flaws), { filter }, GROUPS);
  return Object.fromEntries(run.results.map((r) => [`${r.group}/${r.id}`, verdict(r, 'contract')]));
}

describe('the contract v2 cases', () => {
  it('pass against a backend that follows the key lifecycle', async () => {
    const all = await verdicts([]);
    const ids = GROUPS.flatMap((g) => g.cases.map((c) => `${g.id}/${c.id}`));
    expect(Object.keys(all).sort()).toEqual(ids.sort());
    for (const id of ids) expect(all[id], id).toBe('ok');
  }, 180_000);

  // Each flaw breaks one rule of the contract; the case about that rule must fail.
  it.concurrent.each([
    ['token-cache', 'refresh/retired-key-refused'],
    ['no-refresh', 'refresh/retired-key-refused'],
    ['no-refresh', 'refresh/refresh-served-from-cache'],
    ['blocking-refresh', 'refresh/refresh-served-from-cache'],
    ['drop-on-failure', 'refresh/outage-past-max-age'],
    ['follow-redirects', 'jwks-fetch/redirect-not-followed'],
    ['no-size-cap', 'jwks-fetch/oversized-1mib'],
    ['no-backoff', 'backoff/cold-outage-steady-stream'],
    ['abrupt-exit', 'shutdown/sigterm-drains-in-flight'],
    ['rs256-default', 'defaults/eddsa-gateway-token'],
    ['rs256-default', 'defaults/every-supported-algorithm'],
    ['any-alg', 'allow-list/unlisted-algorithms'],
  ])(
    'fail against a backend with the flaw %s: %s',
    async (flaw, id) => {
      expect((await verdicts([flaw], id))[id]).toBe('failed');
    },
    120_000,
  );
});

describe('a failure caused by an earlier case of the group', () => {
  // A backend that follows the redirect keeps its key: the oversized JWKS is then never fetched,
  // and recovery fails for that earlier contact. Both still fail, named for what happened.
  it('is named for the earlier cause (follow-redirects: oversized-1mib, recovery)', async () => {
    const run = await runSuite(server(['follow-redirects']), { filter: 'jwks-fetch' }, GROUPS);
    const messages = (id: string) => {
      const r = run.results.find((x) => `${x.group}/${x.id}` === id);
      expect(r && verdict(r, 'security'), id).toBe('failed');
      return r?.failures.map((f) => f.message) ?? [];
    };
    expect(messages('jwks-fetch/redirect-not-followed').join('\n')).toMatch(/the redirect was followed/);
    expect(messages('jwks-fetch/oversized-1mib')).toEqual([
      expect.stringMatching(/^huge: answered 200 with the key it kept from the redirect answer/),
      expect.stringMatching(/^huge-chunked: answered 200 with the key it kept from the redirect answer/),
    ]);
    expect(messages('jwks-fetch/recovery')).toEqual([
      expect.stringMatching(/the redirect target was contacted \d+ times, all while the JWKS redirected/),
    ]);
  }, 120_000);
});

describe('a backend that requires an audience', () => {
  // The shutdown case starts its own process (not through the session): it must pass the
  // target's audience too, or such a backend never starts and the case fails for that.
  it('is started by the shutdown case with its audience, and its token carries it', async () => {
    const target = { ...server(), audience: 'api://pinned', env: { FLAWS: '', REQUIRE_AUDIENCE: '1' } };
    const run = await runSuite(target, { filter: 'shutdown' }, [shutdown]);
    expect(run.results.map((r) => [r.id, verdict(r, 'contract'), r.failures])).toEqual([
      ['sigterm-drains-in-flight', 'ok', []],
    ]);
  }, 60_000);
});

describe('a backend that verifies more algorithms than it is said to', () => {
  // Claimed RS256 alone (the CLI's default --algorithms), it verifies all nine: the failures
  // must say to claim them, never that an invalid token got in.
  const claimingRs256 = { ...server(), algorithms: ['RS256'] as const };
  const failures = async (id: string, groups: typeof GROUPS) => {
    const run = await runSuite(claimingRs256, { filter: id }, groups);
    const r = run.results.find((x) => `${x.group}/${x.id}` === id);
    expect(r && verdict(r, 'security'), id).toBe('failed');
    return r?.failures.map(({ kind, message }) => ({ kind, message })) ?? [];
  };

  const claim = (alg: string) =>
    `it does not claim ${alg} (--algorithms: RS256): claim it if it verifies ${alg}; if not, it must refuse it`;
  it.concurrent.each([
    [
      'defaults/eddsa-gateway-token',
      [defaults],
      'accepted-invalid-token',
      `it got 200, but ${claim('EdDSA')}`,
    ],
    [
      'algorithms/valid-ES384',
      [algorithms],
      'started-with-bad-setting',
      `it started with JWT_ALGORITHMS=ES384, but ${claim('ES384')}`,
    ],
  ] as const)(
    '%s says to claim it, in a line the report does not clip',
    async (id, groups, kind, message) => {
      expect(await failures(id, [...groups])).toEqual([{ kind, message }]);
      expect(message.length).toBeLessThanOrEqual(160);
    },
    60_000,
  );
});
