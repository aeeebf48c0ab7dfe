import { ALGORITHMS, type Alg } from '@repo/test-fixtures';
import { expectGranted, expectInvalid } from '../expect.ts';
import type { Case, CaseContext, Group } from '../model.ts';
import { SECOND_RS256_KID } from '../session.ts';
import type { Target } from '../target.ts';
import { expectRefusedAtStartup } from './refusal.ts';

export { expectRefusedAtStartup };

/**
 * Why a backend that does not claim `alg` must not take it, said where one does: the suite runs a
 * backend by its claims (the CLI's --algorithms, RS256 unless told), and one that verifies more
 * fails these cases until it claims them. Short: the report clips a reason at 160 characters.
 */
export const unclaimed = (ctx: CaseContext, alg: Alg): string =>
  `it does not claim ${alg} (--algorithms: ${ctx.target.algorithms.join(',')}): claim it if it verifies ${alg}; if not, it must refuse it`;

const perAlgorithm = (alg: Alg): Case => ({
  id: `valid-${alg}`,
  title: `a valid ${alg} token gets 200 where supported; elsewhere ${alg} is refused at start-up`,
  notApplicable(target, byUrl) {
    if (target.algorithms.includes(alg)) return undefined;
    if (target.settings?.JWT_ALGORITHMS === null)
      return `does not claim ${alg}, and has no setting for JWT_ALGORITHMS`;
    return byUrl ? `does not claim ${alg}; its refusal at start-up needs --cmd` : undefined;
  },
  async run(ctx) {
    if (!ctx.supports(alg)) {
      await expectRefusedAtStartup(
        ctx,
        { JWT_ISSUER: ctx.issuer.url, JWT_ALGORITHMS: alg },
        'JWT_ALGORITHMS',
        { ifStarted: `it started with JWT_ALGORITHMS=${alg}, but ${unclaimed(ctx, alg)}` },
      );
      return 'refused at start-up';
    }
    expectGranted(await ctx.get('/protected', { token: ctx.mint({}, { alg }) }), { sub: 'user-123' });
  },
});

/** A supported algorithm with exactly one key in the main issuer (every one but RS256). */
const ONE_KEY = ['ES256', 'PS256', 'RS384'] as const;
const singleOf = (target: Target): Alg | undefined => ONE_KEY.find((a) => target.algorithms.includes(a));
const single = (ctx: CaseContext): Alg => singleOf(ctx.target) ?? 'ES256';

export const algorithms: Group = {
  id: 'algorithms',
  instance: 'main',
  cases: [
    ...ALGORITHMS.map(perAlgorithm),
    {
      id: 'no-kid-one-key',
      title: 'a token without kid is accepted when exactly one JWKS key fits its alg',
      notApplicable: (target) => (singleOf(target) ? undefined : `claims none of ${ONE_KEY.join(', ')}`),
      async run(ctx) {
        const alg = single(ctx);
        expectGranted(await ctx.get('/protected', { token: ctx.mint({}, { alg, kid: null }) }));
      },
    },
    {
      id: 'no-kid-two-keys',
      title: `a token without kid is refused when two keys fit its alg (RS256 and ${SECOND_RS256_KID})`,
      async run({ get, mint }) {
        const token = mint({}, { alg: 'RS256', kid: null });
        expectInvalid(await get('/protected', { token }), token);
      },
    },
    {
      id: 'second-key-by-kid',
      title: 'the second RS256 key is found by its kid',
      async run({ get, mint, issuer }) {
        const key = issuer.keys.find((k) => k.kid === SECOND_RS256_KID);
        expectGranted(await get('/protected', { token: mint({}, { key }) }));
      },
    },
    {
      id: 'alg-differs-from-key',
      title: 'RS384 in the header, signed RS384 with the RS256 key and its kid: the key is for RS256 only',
      async run({ get, mint, issuer }) {
        const token = mint({}, { alg: 'RS384', key: issuer.key('RS256'), kid: issuer.key('RS256').kid });
        expectInvalid(await get('/protected', { token }), token);
      },
    },
    {
      id: 'pss-with-pkcs1-key',
      title: 'PS256 in the header, signed PSS with the RS256 key and its kid: refused',
      async run({ get, mint, issuer }) {
        const token = mint({}, { alg: 'PS256', key: issuer.key('RS256') });
        expectInvalid(await get('/protected', { token }), token);
      },
    },
    {
      id: 'ec-curve-mismatch',
      title: 'ES384 in the header with the ES256 key kid: refused',
      async run(ctx) {
        const token = ctx.mint(
          {},
          { alg: 'ES384', key: ctx.issuer.key('ES384'), kid: ctx.issuer.key('ES256').kid },
        );
        expectInvalid(await ctx.get('/protected', { token }), token);
      },
    },
  ],
};
