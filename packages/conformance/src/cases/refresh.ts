import { setTimeout as sleep } from 'node:timers/promises';
import { DELAY_MS, type SigningKey } from '@repo/test-fixtures';
import { labelled, security } from '../check.ts';
import { expectGranted, expectInvalid } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';
import { needsRs256 } from './key-checks.ts';
import { attempt, expectBackoff, MAX_AGE_S, waitFor } from './lifecycle-checks.ts';

const fetches = (ctx: CaseContext) => ctx.issuer.jwksRequests;
const replacement = (ctx: CaseContext) => ctx.state.get('replacement') as SigningKey | undefined;

/** Sleeps until the key set fetched last is older than the max age (+ slack). */
async function outliveMaxAge(ctx: CaseContext): Promise<void> {
  const last = ctx.issuer.jwksRequestTimes.at(-1) ?? Date.now();
  await sleep(Math.max(0, last + MAX_AGE_S * 1000 + 600 - Date.now()));
}

/** A token of the key that replaced the retired one (published by the first case, or here). */
async function currentToken(ctx: CaseContext, sub: string): Promise<string> {
  let key = replacement(ctx);
  if (!key) {
    key = await ctx.issuer.publish('RS256');
    ctx.state.set('replacement', key);
  }
  return ctx.mint({ sub }, { key });
}

/**
 * `JWT_JWKS_MAX_AGE=2`: once the key set is older than that, a request is served from the cached
 * set and starts one background refetch; a key the issuer no longer publishes stops working as
 * soon as it lands; an outage past the max age changes nothing for cached keys.
 */
export const refresh: Group = {
  id: 'refresh',
  paced: true,
  theme: 'keys and outages',
  needs: ['JWT_JWKS_MAX_AGE', 'restart'],
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => ({
      JWT_ISSUER: issuer.url,
      JWT_ALGORITHMS: 'RS256',
      JWT_JWKS_MAX_AGE: String(MAX_AGE_S),
    }),
  },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'retired-key-refused',
      title: `a token verified once, whose key the issuer then retires: refused once the refresh after ${MAX_AGE_S} s lands (no verified-token cache outlives its key)`,
      async run(ctx) {
        const retired = ctx.issuer.key('RS256');
        const token = ctx.mint({ sub: 'verified-before' }, { key: retired });
        const first = await ctx.get('/protected', { token });
        expectGranted(first, { sub: 'verified-before' });
        const next = await ctx.issuer.publish('RS256');
        ctx.state.set('replacement', next);
        ctx.issuer.retire(retired.kid);
        await outliveMaxAge(ctx);
        const before = fetches(ctx);
        // This one may still be answered from the cached set; it starts the background refresh.
        await attempt(ctx, '/protected', token);
        if (
          !security(
            'keys-not-refreshed',
            await waitFor(() => fetches(ctx) > before, 2000),
            `no JWKS fetch once the key set was older than JWT_JWKS_MAX_AGE=${MAX_AGE_S}`,
          )
        )
          return;
        // The refresh has been served; give its answer up to 2 s to reach the app's key set.
        let last = await attempt(ctx, '/protected', token);
        for (const until = Date.now() + 2000; last.reply?.status === 200 && Date.now() < until; ) {
          await sleep(100);
          last = await attempt(ctx, '/protected', token);
        }
        await labelled('the token verified before its key was retired', async () => {
          if (security('no-answer', last.reply !== undefined, `no answer (${last.error})`) && last.reply)
            expectInvalid(last.reply, token);
        });
        const fresh = ctx.mint({ sub: 'retired-fresh' }, { key: retired });
        await labelled('a new token of the retired key', async () =>
          expectInvalid(await ctx.get('/protected', { token: fresh }), fresh),
        );
        const settled = fetches(ctx);
        await labelled('a token of the new key', async () =>
          expectGranted(await ctx.get('/protected', { token: ctx.mint({ sub: 'new-key' }, { key: next }) }), {
            sub: 'new-key',
          }),
        );
        security(
          'keys-not-refreshed',
          fetches(ctx) === settled,
          'the new key was not in the refreshed set (it needed another fetch)',
        );
      },
    },
    {
      id: 'refresh-served-from-cache',
      title: `past the max age, the request that starts the refresh is answered from the cached set at once (the JWKS answers after ${DELAY_MS / 1000} s)`,
      async run(ctx) {
        const token = await currentToken(ctx, 'during-refresh');
        expectGranted(await ctx.get('/protected', { token }), { sub: 'during-refresh' }); // the set is cached
        await ctx.issuer.fault('delay');
        try {
          await outliveMaxAge(ctx);
          const before = fetches(ctx);
          const { reply, error, ms } = await attempt(ctx, '/protected', token);
          if (security('no-answer', reply !== undefined, `no answer (${error})`) && reply)
            expectGranted(reply, { sub: 'during-refresh' });
          security(
            'no-timeout',
            ms < DELAY_MS - 1000,
            `answered after ${ms} ms: it waited for the refresh instead of using the cached set`,
          );
          security(
            'keys-not-refreshed',
            await waitFor(() => fetches(ctx) > before, 1000),
            'no refresh started once the key set was past its max age',
          );
          await sleep(DELAY_MS); // the refresh lands before the next case
        } finally {
          await ctx.issuer.fault(null);
        }
      },
    },
    {
      id: 'outage-past-max-age',
      title:
        'the JWKS answers 500 for longer than the max age and the 5 s backoff: cached keys keep working, retries 5 s apart; then a key published meanwhile works',
      async run(ctx) {
        const token = await currentToken(ctx, 'outage');
        expectGranted(await ctx.get('/protected', { token }), { sub: 'outage' }); // the set is cached
        await ctx.issuer.fault('error');
        const from = Date.now();
        const published = await ctx.issuer.publish('RS256');
        try {
          while (Date.now() - from < 2 * MAX_AGE_S * 1000 + 6000) {
            const { reply, error } = await attempt(ctx, '/protected', token);
            await labelled(`${((Date.now() - from) / 1000).toFixed(1)} s into the outage`, async () => {
              if (security('no-answer', reply !== undefined, `no answer (${error})`) && reply)
                expectGranted(reply, { sub: 'outage' });
            });
            await sleep(400);
          }
          security(
            'keys-not-refreshed',
            fetches(ctx) > 0 && ctx.issuer.jwksRequestTimes.some((t) => t >= from),
            'no refresh was attempted during the outage',
          );
          expectBackoff(ctx, from, 'during the outage');
        } finally {
          await ctx.issuer.fault(null);
        }
        // Back: the next refresh (within the backoff and the max age) brings the new key.
        const fresh = ctx.mint({ sub: 'published-during-outage' }, { key: published });
        let last = await attempt(ctx, '/protected', fresh);
        for (const until = Date.now() + 8000; last.reply?.status !== 200 && Date.now() < until; ) {
          await sleep(250);
          await attempt(ctx, '/protected', token); // keeps the max-age refresh coming
          last = await attempt(ctx, '/protected', fresh);
        }
        await labelled('a key published during the outage, once the JWKS is back', async () => {
          if (security('no-answer', last.reply !== undefined, `no answer (${last.error})`) && last.reply)
            expectGranted(last.reply);
        });
      },
    },
  ],
};
