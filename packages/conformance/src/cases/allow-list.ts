import { ALGORITHMS } from '@repo/test-fixtures';
import { expectGranted } from '../expect.ts';
import type { Group } from '../model.ts';
import { expectAllInvalid } from './batch.ts';
import { needsRs256 } from './key-checks.ts';

/**
 * `JWT_ALGORITHMS=RS256`: the allow-list is the only one that counts, whatever the JWKS holds
 * (the issuer publishes a key for each of the nine algorithms).
 */
export const allowList: Group = {
  id: 'allow-list',
  theme: 'forgeries and algorithms',
  needs: ['JWT_ALGORITHMS'],
  instance: { env: (issuer) => ({ JWT_ISSUER: issuer.url, JWT_ALGORITHMS: 'RS256' }) },
  notApplicable: needsRs256,
  cases: [
    {
      id: 'listed-algorithm',
      title: 'JWT_ALGORITHMS=RS256: an RS256 token gets 200',
      async run(ctx) {
        expectGranted(await ctx.get('/protected', { token: ctx.mint({}, { alg: 'RS256' }) }));
      },
    },
    {
      id: 'unlisted-algorithms',
      title: 'JWT_ALGORITHMS=RS256: tokens of the eight others, signed by their JWKS keys, are refused',
      async run(ctx) {
        const others = ALGORITHMS.filter((alg) => alg !== 'RS256');
        await expectAllInvalid(
          ctx,
          others.map((alg) => [alg, ctx.mint({}, { alg })]),
        );
      },
    },
  ],
};
