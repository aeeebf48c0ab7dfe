import type { Fault } from '@repo/test-fixtures';
import { labelled, security } from '../check.ts';
import { expectGranted } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';
import { needsRs256 } from './key-checks.ts';
import { attempt, expectUnavailableNow, outwaitBackoff } from './lifecycle-checks.ts';

/** Where the backend got a key during this group that it should never have had (a fault's name). */
const HELD = 'key-taken-from';
/** Requests to the redirect's target made while the redirect case ran. */
const CONTACTED_DURING_REDIRECT = 'contacted-during-redirect';

/** One cold-cache request while the JWKS misbehaves as `fault`: a failed fetch, so 503. */
async function expectFailedFetch(ctx: CaseContext, fault: Fault): Promise<void> {
  await outwaitBackoff(ctx);
  await ctx.issuer.fault(fault);
  const before = ctx.issuer.jwksRequests;
  const token = ctx.mint({ sub: fault }, { key: ctx.issuer.key('RS256') });
  const { reply, error } = await attempt(ctx, '/protected', token);
  const fetched = ctx.issuer.jwksRequests > before;
  const granted = reply !== undefined && reply.status >= 200 && reply.status < 300;
  const held = ctx.state.get(HELD) as Fault | undefined;
  if (granted && !fetched && held !== undefined) {
    // The cache is no longer cold: an earlier fault's answer (a followed redirect, an oversized
    // set) left the key behind, so this fault was never put to the backend. Still a failure
    // (the case proves nothing), named for what happened rather than for this fault.
    await labelled(fault, async () => {
      security(
        'key-from-bad-jwks',
        false,
        `answered ${reply.status} with the key it kept from the ${held} answer (the JWKS was not fetched, so ${fault} went untested)`,
      );
    });
    return;
  }
  await expectUnavailableNow(fault, reply, token, error);
  if (granted && fetched) ctx.state.set(HELD, fault);
  await labelled(fault, async () => {
    security(
      'keys-not-refreshed',
      fetched,
      'the JWKS was not fetched (the 503 came from the backoff, so this proves nothing)',
    );
  });
}

/**
 * The app starts with an empty key set and a JWKS that redirects or is too big. Each is a failed
 * fetch (contract: "redirects (never followed), sends more than 512 KiB"): 503 with Retry-After 5,
 * and the place the redirect points to (which serves the real keys) is never asked.
 */
export const jwksFetch: Group = {
  id: 'jwks-fetch',
  paced: true,
  theme: 'keys and outages',
  needs: ['restart'],
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'RS256' }),
  },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'redirect-not-followed',
      title:
        'a JWKS answering 302 (to a URL that serves the real keys): 503, Retry-After: 5, the target never contacted',
      async run(ctx) {
        await expectFailedFetch(ctx, 'redirect');
        ctx.state.set(CONTACTED_DURING_REDIRECT, ctx.issuer.redirectTargetRequests);
        security(
          'key-from-bad-jwks',
          ctx.issuer.redirectTargetRequests === 0,
          `the redirect was followed (${ctx.issuer.redirectTargetRequests} requests to its target)`,
        );
      },
    },
    {
      id: 'oversized-1mib',
      title:
        'a JWKS of 1 MiB (valid JSON, the real keys first), with and without Content-Length: 503, Retry-After: 5',
      async run(ctx) {
        await expectFailedFetch(ctx, 'huge');
        await expectFailedFetch(ctx, 'huge-chunked');
      },
    },
    {
      id: 'recovery',
      title:
        'the JWKS serves normally again: 200 after the 5 s backoff, and the redirect target was never contacted',
      async run(ctx) {
        await outwaitBackoff(ctx);
        await ctx.issuer.fault(null);
        expectGranted(
          await ctx.get('/protected', { token: ctx.mint({ sub: 'back' }, { key: ctx.issuer.key('RS256') }) }),
          { sub: 'back' },
        );
        // Any contact fails this case, even one already failed by redirect-not-followed; the
        // message says when it happened, so an earlier contact is not read as a new one.
        const contacted = ctx.issuer.redirectTargetRequests;
        const during = (ctx.state.get(CONTACTED_DURING_REDIRECT) as number | undefined) ?? 0;
        security(
          'key-from-bad-jwks',
          contacted === 0,
          contacted > during
            ? `the redirect target was contacted ${contacted - during} times after the JWKS stopped redirecting (${contacted} in all)`
            : `the redirect target was contacted ${contacted} times, all while the JWKS redirected (none since)`,
        );
      },
    },
  ],
};
