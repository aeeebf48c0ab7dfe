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
  keysInstance,
  needsRs256,
  OUTAGES,
  outwaitCooldown,
  rotatedKey,
  unknownKidFlood,
} from './key-checks.ts';

// The other keys groups live in their own files; suite.ts imports them all from here.
export { keysColdOutage } from './keys-cold-outage.ts';
export { keysHung } from './keys-hung.ts';
export { COOLDOWN_S };

/**
 * One app's key lifecycle, in order: cold burst, cache, unknown-kid flood, then (the 30 s
 * cooldown waited out) rotation during an outage of every kind. The hung JWKS and the recovery
 * after it are `keysHung`, the same group id on an app of its own, so that the two cooldowns
 * run side by side. Fetch counts and timings are the contract's bounds: security profile.
 */
export const keysLifecycle: Group = {
  id: 'keys',
  paced: true,
  instance: keysInstance,
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
        await outwaitCooldown(ctx);
        for (const fault of OUTAGES) {
          await ctx.issuer.fault(fault);
          await expectUnavailable(ctx, fault, rotated);
          await expectCachedWorks(ctx, `during-${fault}`);
        }
      },
    },
  ],
};
