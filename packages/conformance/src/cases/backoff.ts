import { setTimeout as sleep } from 'node:timers/promises';
import { contract, security } from '../check.ts';
import type { Group } from '../model.ts';
import { needsRs256 } from './key-checks.ts';
import { attempt, expectBackoff, expectUnavailableNow } from './lifecycle-checks.ts';

const RATE_PER_S = 20;
const SECONDS = 12;
/** "Answered at once": far below the 5 s fetch timeout, with room for a loaded machine. */
const PROMPT_MS = 1500;

/**
 * The app starts while its JWKS answers 500 and gets a steady stream of requests that need a
 * key: each is answered 503 at once, and the dead issuer sees at most one fetch per 5 s.
 */
export const backoff: Group = {
  id: 'backoff',
  paced: true,
  theme: 'keys and outages',
  needs: ['restart'],
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'RS256' }),
    beforeStart: (issuer) => issuer.fault('error'),
  },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'cold-outage-steady-stream',
      title: `a cold outage under ${RATE_PER_S} requests/s for ${SECONDS} s: every one 503 at once (Retry-After: 5), at most one JWKS fetch per 5 s`,
      async run(ctx) {
        const token = ctx.mint({ sub: 'stream' }, { key: ctx.issuer.key('RS256') });
        const t0 = Date.now();
        const pending: ReturnType<typeof attempt>[] = [];
        for (let i = 0; i < RATE_PER_S * SECONDS; i++) {
          await sleep(Math.max(0, t0 + (i * 1000) / RATE_PER_S - Date.now()));
          pending.push(attempt(ctx, '/protected', token));
        }
        const results = await Promise.all(pending);
        // One failure line per kind of wrong answer is enough: the first few are recorded.
        const wrong = results.filter(
          (r) => r.reply?.status !== 503 || r.reply.headers.get('retry-after') !== '5',
        );
        for (const r of wrong.slice(0, 3)) {
          await expectUnavailableNow(`${((r.at - t0) / 1000).toFixed(2)} s`, r.reply, token, r.error);
        }
        if (wrong.length > 3)
          contract(
            'wrong-status',
            false,
            `${wrong.length} of ${results.length} requests were not answered 503 with Retry-After: 5`,
          );
        const slow = results.filter((r) => r.ms > PROMPT_MS);
        security(
          'no-timeout',
          slow.length === 0,
          () =>
            `${slow.length} requests waited more than ${PROMPT_MS} ms (slowest ${Math.max(...slow.map((r) => r.ms))} ms)`,
        );
        security('keys-not-refreshed', ctx.issuer.jwksRequests > 0, 'the JWKS was never fetched');
        expectBackoff(ctx, 0, `${results.length} requests over ${SECONDS} s`);
      },
    },
    {
      id: 'recovery-after-backoff',
      title:
        'the JWKS comes back: the same token gets 200 within the 5 s backoff (+slack), without a restart',
      async run(ctx) {
        await ctx.issuer.fault(null);
        const token = ctx.mint({ sub: 'back' }, { key: ctx.issuer.key('RS256') });
        let status = 0;
        for (const until = Date.now() + 7000; status !== 200 && Date.now() < until; ) {
          status = (await attempt(ctx, '/protected', token)).reply?.status ?? 0;
          if (status !== 200) await sleep(250);
        }
        security(
          'keys-not-refreshed',
          status === 200,
          `still ${status || 'no answer'} 7 s after the JWKS came back`,
        );
      },
    },
  ],
};
