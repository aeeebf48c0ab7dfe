import { setTimeout as sleep } from 'node:timers/promises';
import { SLOW_MS } from '@repo/test-fixtures';
import { security } from '../check.ts';
import { expectGranted } from '../expect.ts';
import type { Group } from '../model.ts';
import {
  askPastHungBackoff,
  expectCachedWorks,
  expectUnavailable,
  fetches,
  keysInstance,
  needsRs256,
  outwaitCooldown,
  rotatedKey,
  timed,
  unknownKidFlood,
  withinBudget,
} from './key-checks.ts';

/**
 * The key lifecycle's second half, on an app of its own (the group id is `keys`, as for
 * `keysLifecycle`): a key cached at once, the 30 s cooldown waited out beside the first half's,
 * then a rotated key while the JWKS hangs, the recovery after the backoff, and the cooldown
 * after that refetch.
 */
export const keysHung: Group = {
  id: 'keys',
  paced: 'first', // the suite's longest chain: 30 s cooldown, 5 s timeout, 5 s backoff
  instance: keysInstance,
  notApplicable: needsRs256,
  cases: [
    {
      id: 'outage-timeout',
      title: 'a JWKS that hangs: 503 within the 5 s timeout (+slack), while cached keys answer at once',
      async run(ctx) {
        // A key cached by the app's first fetch, then one it has not seen, asked for once that
        // fetch's cooldown is over (else it is rightly refused at once, and nothing hangs).
        const first = await timed(() => expectCachedWorks(ctx, 'before-slow'));
        security('no-answer', !first.error, `the key to cache first: no answer (${first.error})`);
        ctx.state.set('cooldownFrom', Date.now());
        const rotated = await rotatedKey(ctx);
        if (fetches(ctx) > 0) await outwaitCooldown(ctx); // no fetch, no cooldown
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
        const before = fetches(ctx);
        const token = ctx.mint({ sub: 'rotated' }, { key: rotated });
        expectGranted(await askPastHungBackoff(ctx, token), { sub: 'rotated' });
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
