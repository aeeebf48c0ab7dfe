import { now } from '@repo/test-fixtures';
import { expectGranted } from '../expect.ts';
import type { Case, Group } from '../model.ts';
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
 * gateway's layout), RS256 only, `aud` unchecked, 5 s of clock tolerance. The issuer also
 * publishes PS256 and ES256 keys, which must not be accepted.
 */
export const defaults: Group = {
  id: 'defaults',
  instance: 'defaults',
  cases: [
    granted('jwks-from-issuer', 'an RS256 token, keys found at the issuer’s /.well-known/jwks.json', () => ({})),
    granted('aud-unchecked', 'with no JWT_AUDIENCE, any aud (or none) is accepted', () => ({ aud: 'https://anything.example/x' })),
    {
      id: 'rs256-only',
      title: 'with no JWT_ALGORITHMS only RS256 is allowed: PS256 and ES256 tokens from JWKS keys are refused',
      async run(ctx) {
        await expectAllInvalid(ctx, [
          ['PS256', ctx.mint({}, { alg: 'PS256' })],
          ['ES256', ctx.mint({}, { alg: 'ES256' })],
        ]);
      },
    },
    granted('tolerance-default-exp', 'exp 2 s ago, inside the default 5 s tolerance', () => ({ exp: now() - 2 })),
    granted('tolerance-default-nbf', 'nbf 2 s ahead, inside the default 5 s tolerance', () => ({ nbf: now() + 2 })),
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
