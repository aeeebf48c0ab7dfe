import { type Alg, now } from '@repo/test-fixtures';
import { labelled, security } from '../check.ts';
import { expectGranted, expectInvalid } from '../expect.ts';
import type { Case, Group } from '../model.ts';
import { unclaimed } from './algorithms.ts';
import { expectAllInvalid } from './batch.ts';

const granted = (id: string, title: string, claims: () => Record<string, unknown>): Case => ({
  id,
  title: `${title}: 200`,
  async run(ctx) {
    expectGranted(await ctx.get('/protected', { token: ctx.mint(claims()) }));
  },
});

/**
 * The app started with JWT_ISSUER alone: keys from `${JWT_ISSUER}/.well-known/jwks.json` (the
 * gateway's layout), every algorithm the app verifies (the gateway's default, EdDSA, unconfigured),
 * `aud` unchecked, 5 s of clock tolerance. The issuer publishes a key for each of the nine.
 */
export const defaults: Group = {
  id: 'defaults',
  instance: { env: (issuer) => ({ JWT_ISSUER: issuer.url }) },
  cases: [
    granted(
      'jwks-from-issuer',
      'an RS256 token, keys found at the issuer’s /.well-known/jwks.json',
      () => ({}),
    ),
    granted('aud-unchecked', 'with no JWT_AUDIENCE, any aud (or none) is accepted', () => ({
      aud: 'https://anything.example/x',
    })),
    {
      id: 'eddsa-gateway-token',
      title:
        'a token as the gateway mints it by default (EdDSA, typ JWT, kid, aud, scope): 200 where EdDSA is verified; elsewhere 401',
      async run(ctx) {
        // No alg named: the mock issuer's default, which is the gateway's.
        const token = ctx.issuer.mint({ aud: 'https://api.example.com/protected', scope: 'read admin' });
        const reply = await ctx.get('/protected', { token });
        if (!ctx.supports('EdDSA')) {
          // The token is genuine: "an invalid token got 200" would mislead.
          const granted = reply.status >= 200 && reply.status < 300;
          if (
            !security(
              'accepted-invalid-token',
              !granted,
              () => `it got ${reply.status}, but ${unclaimed(ctx, 'EdDSA')}`,
            )
          )
            return;
          expectInvalid(reply, token);
          return 'EdDSA not verified: 401';
        }
        expectGranted(reply, { scope: 'read admin', aud: 'https://api.example.com/protected' });
      },
    },
    {
      id: 'every-supported-algorithm',
      title: 'with no JWT_ALGORITHMS, every algorithm the app verifies is allowed: a token of each gets 200',
      async run(ctx) {
        for (const alg of ctx.target.algorithms as readonly Alg[]) {
          await labelled(alg, async () => {
            expectGranted(await ctx.get('/protected', { token: ctx.mint({ sub: alg }, { alg }) }), {
              sub: alg,
            });
          });
        }
      },
    },
    granted('tolerance-default-exp', 'exp 2 s ago, inside the default 5 s tolerance', () => ({
      exp: now() - 2,
    })),
    granted('tolerance-default-nbf', 'nbf 2 s ahead, inside the default 5 s tolerance', () => ({
      nbf: now() + 2,
    })),
    {
      id: 'tolerance-default-bounds',
      title: 'exp 20 s ago or nbf 20 s ahead, beyond the default 5 s tolerance: refused',
      async run(ctx) {
        await expectAllInvalid(ctx, [
          ['exp -20 s', ctx.mint({ exp: now() - 20 })],
          ['nbf +20 s', ctx.mint({ nbf: now() + 20 })],
        ]);
      },
    },
  ],
};
