import { setTimeout as sleep } from 'node:timers/promises';
import { SLOW_MS } from '@repo/test-fixtures';
import pLimit from 'p-limit';
import { security } from '../check.ts';
import { expectGranted } from '../expect.ts';
import type { Group } from '../model.ts';
import {
  COOLDOWN_S,
  expectCachedWorks,
  expectUnavailable,
  FLOOD_AT_ONCE,
  fetches,
  keysEnv,
  needsRs256,
  OUTAGES,
  outwaitHungFetch,
  rotatedKey,
  timed,
  unknownKidFlood,
  withinBudget,
} from './key-checks.ts';

// The cold-outage group lives in its own file; suite.ts imports both from here.
export { keysColdOutage } from './keys-cold-outage.ts';
export { COOLDOWN_S };

/**
 * One app's whole key lifecycle, in order: cold burst, cache, unknown-kid flood, rotation
 * during an outage of every kind, recovery. The 30 s cooldown is waited out once. Fetch counts
 * and timings are the contract's bounds, so they count under the security profile.
 */
export const keysLifecycle: Group = {
  id: 'keys',
  paced: true,
  instance: { issuer: { algorithms: ['RS256'] }, env: (issuer) => keysEnv(issuer.url) },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'cold-burst-one-fetch',
      title: '100 concurrent requests on a cold cache cost exactly one JWKS fetch',
      async run(ctx) {
        const replies = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            ctx.get('/protected', { token: ctx.mint({ sub: `burst-${i}` }) }),
          ),
        );
        for (const [i, reply] of replies.entries()) expectGranted(reply, { sub: `burst-${i}` });
        security(
          'fetched-too-often',
          fetches(ctx) === 1,
          `${fetches(ctx)} JWKS fetches for a cold burst (expected 1)`,
        );
        ctx.state.set('cooldownFrom', Date.now());
      },
    },
    {
      id: 'cached',
      title: '50 more requests are served from the cache: no further fetch',
      async run(ctx) {
        const before = fetches(ctx);
        const each = Array.from({ length: 50 }, (_, i) => `cached-${i}`);
        await pLimit(FLOOD_AT_ONCE).map(each, (label) => expectCachedWorks(ctx, label));
        security(
          'fetched-too-often',
          fetches(ctx) === before,
          `${fetches(ctx) - before} JWKS fetches for cached keys (expected 0)`,
        );
      },
    },
    {
      id: 'unknown-kid-flood',
      title: '200 tokens with unknown kids: all 401, at most one refetch within the 30 s cooldown',
      async run(ctx) {
        const before = fetches(ctx);
        await unknownKidFlood(ctx, 200);
        const made = fetches(ctx) - before;
        security('fetched-too-often', made <= 1, `${made} JWKS fetches for 200 unknown kids (at most 1)`);
        if (made > 0) ctx.state.set('cooldownFrom', Date.now());
      },
    },
    {
      id: 'outage-keeps-cached-keys',
      title:
        'after the cooldown, a rotated key during an outage (500, garbage, not a JWKS, refused): 503; cached keys still 200',
      async run(ctx) {
        const rotated = await rotatedKey(ctx);
        const from = (ctx.state.get('cooldownFrom') as number | undefined) ?? Date.now();
        const wait = from + COOLDOWN_S * 1000 + 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        for (const fault of OUTAGES) {
          await ctx.issuer.fault(fault);
          await expectUnavailable(ctx, fault, rotated);
          await expectCachedWorks(ctx, `during-${fault}`);
        }
      },
    },
    {
      id: 'outage-timeout',
      title: 'a JWKS that hangs: 503 within the 5 s timeout (+slack), while cached keys answer at once',
      async run(ctx) {
        const rotated = await rotatedKey(ctx);
        await outwaitHungFetch(ctx); // else the backoff answers at once, and nothing hangs
        await ctx.issuer.fault('slow');
        const before = fetches(ctx);
        // Both requests are settled together: a fast wrong answer to one can never leave the
        // other's rejection unhandled (which used to end the whole run).
        const hung = timed(() => expectUnavailable(ctx, 'slow', rotated));
        const cached = sleep(200).then(() => timed(() => expectCachedWorks(ctx, 'during-slow')));
        const [slow, quick] = await Promise.all([hung, cached]);
        security('no-answer', !quick.error, `a cached key during the hung fetch: no answer (${quick.error})`);
        security('no-timeout', quick.ms < 2000, `a cached key waited ${quick.ms} ms for the hung fetch`);
        withinBudget('the rotated key during the hung fetch', slow);
        // Fetches the hung JWKS got: it answers (with the rotated key) after SLOW_MS, so a
        // backend without the 5 s timeout takes the rotated key from it; recovery-rotation says so.
        ctx.state.set('hungFetches', fetches(ctx) - before);
        security(
          'keys-not-refreshed',
          fetches(ctx) > before,
          'the JWKS was not fetched, so nothing hung (this proves nothing)',
        );
      },
    },
    {
      id: 'recovery-rotation',
      title:
        'when the JWKS is back (and the backoff after the hung fetch is over), the rotated key works without a restart',
      async run(ctx) {
        const rotated = await rotatedKey(ctx);
        await ctx.issuer.fault(null);
        await outwaitHungFetch(ctx);
        const before = fetches(ctx);
        const token = ctx.mint({ sub: 'rotated' }, { key: rotated });
        expectGranted(await ctx.get('/protected', { token }), { sub: 'rotated' });
        // Granted without a fetch: the backend already had the rotated key. The outages before
        // serve no keys; only the hung JWKS does, late (past the 5 s timeout it should have kept).
        const hung = (ctx.state.get('hungFetches') as number | undefined) ?? 0;
        security(
          hung > 0 ? 'key-from-bad-jwks' : 'keys-not-refreshed',
          fetches(ctx) > before,
          hung > 0
            ? `the rotated key was not fetched again: it was already held, from the hung JWKS's answer after ${SLOW_MS / 1000} s`
            : 'the rotated key was not fetched',
        );
        await expectCachedWorks(ctx, 'old-key-after-rotation');
      },
    },
    {
      id: 'cooldown-after-refetch',
      title: 'right after that refetch, 100 more unknown kids cost no fetch (cooldown)',
      async run(ctx) {
        const before = fetches(ctx);
        await unknownKidFlood(ctx, 100);
        security(
          'fetched-too-often',
          fetches(ctx) === before,
          `${fetches(ctx) - before} JWKS fetches during the cooldown (expected 0)`,
        );
      },
    },
  ],
};
