import { security } from '../check.ts';
import type { Group } from '../model.ts';
import {
  expectCachedWorks,
  expectUnavailable,
  keysEnv,
  needsRs256,
  OUTAGES,
  outwaitBackoff,
  outwaitHungFetch,
  timed,
  withinBudget,
} from './key-checks.ts';

/** The app started while its JWKS endpoint is down: 503 with Retry-After, then recovery. */
export const keysColdOutage: Group = {
  id: 'keys-cold-outage',
  paced: true,
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => keysEnv(issuer.url),
    beforeStart: (issuer) => issuer.fault('error'),
  },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'cold-outage-503',
      title:
        'no key cached and the JWKS down (500, garbage, not a JWKS, refused): 503 temporarily_unavailable',
      async run(ctx) {
        for (const fault of OUTAGES) {
          // Within the backoff after the last failure a 503 comes without a fetch: this fault
          // would go untried. So each is asked once the backoff is over, and must be fetched
          // (a refused connection never reaches the issuer: that one cannot be counted).
          await outwaitBackoff(ctx, ctx.state.get('askedAt') as number | undefined);
          await ctx.issuer.fault(fault);
          const before = ctx.issuer.jwksRequests;
          ctx.state.set('askedAt', Date.now());
          await expectUnavailable(ctx, fault, ctx.issuer.key('RS256'));
          security(
            'keys-not-refreshed',
            fault === 'refuse' || ctx.issuer.jwksRequests > before,
            `${fault}: the JWKS was not fetched once the backoff was over (this fault went untried)`,
          );
        }
      },
    },
    {
      id: 'cold-outage-timeout',
      title: 'no key cached and the JWKS hangs: 503 within the 5 s timeout (+slack)',
      async run(ctx) {
        // Else the backoff answers at once, and nothing hangs.
        await outwaitBackoff(ctx, ctx.state.get('askedAt') as number | undefined);
        await ctx.issuer.fault('slow');
        const before = ctx.issuer.jwksRequests;
        withinBudget('slow', await timed(() => expectUnavailable(ctx, 'slow', ctx.issuer.key('RS256'))));
        security(
          'keys-not-refreshed',
          ctx.issuer.jwksRequests > before,
          'the JWKS was not fetched, so nothing hung (this proves nothing)',
        );
      },
    },
    {
      id: 'cold-outage-recovery',
      title: 'the JWKS comes back: after the backoff, the same token gets 200, without a restart',
      async run(ctx) {
        await ctx.issuer.fault(null);
        await outwaitHungFetch(ctx);
        await expectCachedWorks(ctx, 'recovered');
      },
    },
  ],
};
