import type { MockIssuer } from '@repo/test-fixtures';
import { labelled, security } from '../check.ts';
import { expectError, expectGranted } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';
import { expectAllInvalid } from './batch.ts';
import { needsRs256 } from './key-checks.ts';

/** A kid both listed issuers publish, each with a key of its own. */
const SHARED_KID = 'shared-kid';

/** The listed issuers A, B and C (C's JWKS is down from the start), and D, listed nowhere. */
const listed = (ctx: CaseContext) => {
  const [b, c, d] = ctx.others as [MockIssuer, MockIssuer, MockIssuer];
  return { a: ctx.issuer, b, c, unlisted: d };
};
const shared = (issuer: MockIssuer) => issuer.keys.find((k) => k.kid === SHARED_KID);
const own = (issuer: MockIssuer) => issuer.keys.find((k) => k.kid !== SHARED_KID);

/**
 * `JWT_ISSUER` lists three issuers, each with its own key set found by discovery: the token's
 * `iss` (read unverified) picks the set, and nothing of one issuer ever serves another.
 */
export const issuers: Group = {
  id: 'issuers',
  needs: ['restart'],
  instance: {
    issuer: { algorithms: ['RS256'] },
    others: [{ algorithms: ['RS256'] }, { algorithms: ['RS256'] }, { algorithms: ['RS256'] }],
    env: (a, _target, [b, c]) => ({
      JWT_ISSUER: [a, b, c].map((i) => i?.url).join(','),
      JWT_ALGORITHMS: 'RS256',
    }),
    async beforeStart(a, [b, c]) {
      if (!b || !c) throw new Error('three issuers expected');
      await Promise.all([a.publish('RS256', SHARED_KID), b.publish('RS256', SHARED_KID)]);
      await c.fault('error');
    },
  },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'unlisted-issuer-not-fetched',
      title: 'a token of an unlisted issuer (or a URL on a listed host): 401 invalid_token, nothing fetched',
      async run(ctx) {
        const { a, b, c, unlisted } = listed(ctx);
        await expectAllInvalid(ctx, [
          ['unlisted issuer', ctx.mint({}, {}, unlisted)],
          ['unlisted iss, a listed key', ctx.mint({ iss: unlisted.url }, { key: shared(a) })],
          ['iss on a listed host', ctx.mint({ iss: `${a.attackerUrl}issuer` }, { key: shared(a) })],
        ]);
        security('fetched-token-url', unlisted.totalRequests === 0, () => {
          return `the unlisted issuer got ${unlisted.totalRequests} requests`;
        });
        security('fetched-token-url', a.attackerRequests === 0, 'a URL under the iss of a token was fetched');
        for (const [name, issuer] of [
          ['A', a],
          ['B', b],
          ['C', c],
        ] as const)
          security(
            'fetched-too-often',
            issuer.totalRequests === 0,
            () => `listed issuer ${name} got ${issuer.totalRequests} requests for unlisted tokens`,
          );
      },
    },
    {
      id: 'one-issuer-down',
      title: "issuer C's JWKS down, A and B cold: C 503, A and B 200 at once, C not fetched again",
      async run(ctx) {
        const { a, b, c } = listed(ctx);
        const cToken = ctx.mint({}, {}, c);
        await labelled('C down', async () =>
          expectError(await ctx.get('/protected', { token: cToken }), 'temporarily_unavailable', cToken),
        );
        // C's failed fetch starts C's backoff, and only C's: A and B still fetch their keys.
        for (const [name, issuer] of [
          ['A', a],
          ['B', b],
        ] as const) {
          const reply = await ctx.get('/protected', { token: ctx.mint({}, {}, issuer) });
          await labelled(`${name} while C is down`, async () => expectGranted(reply, { iss: issuer.url }));
        }
        await labelled('C again', async () =>
          expectError(await ctx.get('/protected', { token: cToken }), 'temporarily_unavailable', cToken),
        );
        security(
          'fetched-too-often',
          c.jwksRequests <= 1,
          () => `C's dead JWKS was fetched ${c.jwksRequests} times within its backoff`,
        );
      },
    },
    {
      id: 'each-issuer-accepted',
      title: 'tokens of A and of B, each with both of its keys: 200, each set fetched once',
      async run(ctx) {
        const { a, b } = listed(ctx);
        for (const [name, issuer] of [
          ['A', a],
          ['B', b],
        ] as const)
          for (const key of [shared(issuer), own(issuer)]) {
            const reply = await ctx.get('/protected', { token: ctx.mint({}, { key }, issuer) });
            await labelled(`${name} ${key?.kid}`, async () => expectGranted(reply, { iss: issuer.url }));
          }
        for (const [name, issuer] of [
          ['A', a],
          ['B', b],
        ] as const)
          security(
            'fetched-too-often',
            issuer.jwksRequests <= 1 && issuer.discoveryRequests <= 1,
            () => `${name}: ${issuer.discoveryRequests} discovery and ${issuer.jwksRequests} JWKS requests`,
          );
      },
    },
    {
      id: 'cross-issuer-keys',
      title: "iss A signed with B's key and iss B with A's, the shared kid too: 401 invalid_token",
      async run(ctx) {
        const { a, b } = listed(ctx);
        await expectAllInvalid(ctx, [
          ["iss A, B's key of the shared kid", ctx.mint({ iss: a.url }, { key: shared(b) })],
          ["iss B, A's key of the shared kid", ctx.mint({ iss: b.url }, { key: shared(a) })],
          ["iss A, B's own key", ctx.mint({ iss: a.url }, { key: own(b) })],
          ["iss B, A's own key", ctx.mint({ iss: b.url }, { key: own(a) })],
        ]);
      },
    },
  ],
};
