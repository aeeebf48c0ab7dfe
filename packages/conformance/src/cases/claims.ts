import { now } from '@repo/test-fixtures';
import { expectGranted } from '../expect.ts';
import { AUDIENCES, type Case, type Group, MAIN_TOLERANCE, type Need } from '../model.ts';
import { expectAllInvalid } from './batch.ts';

type ClaimSet = Record<string, unknown>;

const granted = (id: string, title: string, claims: () => ClaimSet, needs?: Need[]): Case => ({
  id,
  title: `${title}: 200`,
  needs,
  async run(ctx) {
    expectGranted(await ctx.get('/protected', { token: ctx.mint(claims()) }));
  },
});

const refused = (
  id: string,
  title: string,
  variants: (issuer: string) => [string, ClaimSet][],
  needs?: Need[],
): Case => ({
  id,
  title: `${title}: 401 invalid_token`,
  needs,
  async run(ctx) {
    await expectAllInvalid(
      ctx,
      variants(ctx.issuer.url).map(([label, claims]) => [label, ctx.mint(claims)]),
    );
  },
});

const t = MAIN_TOLERANCE;

/** RFC 7519 §4.1 with the main instance's settings: two audiences and a 30 s tolerance. */
export const claims: Group = {
  id: 'claims',
  instance: 'main',
  cases: [
    refused(
      'iss-wrong',
      'iss from another issuer, missing, or differing only in a trailing slash or case',
      (iss) => [
        ['other', { iss: 'https://evil.example/__zuplo/issuer' }],
        ['missing', { iss: undefined }],
        ['trailing slash', { iss: `${iss}/` }],
        ['upper case', { iss: iss.toUpperCase() }],
        ['number', { iss: 1 }],
        ['array', { iss: [iss] }],
      ],
    ),
    granted(
      'aud-string',
      `aud "${AUDIENCES[1]}" (the second configured audience)`,
      () => ({ aud: AUDIENCES[1] }),
      ['JWT_AUDIENCE'],
    ),
    granted(
      'aud-array',
      'aud an array holding one configured audience',
      () => ({ aud: ['other', AUDIENCES[0]] }),
      ['JWT_AUDIENCE'],
    ),
    refused(
      'aud-wrong',
      'aud missing, empty, another value, or a prefix/suffix of a configured one',
      () => [
        ['missing', { aud: undefined }],
        ['other', { aud: 'api://three' }],
        ['empty array', { aud: [] }],
        ['array of others', { aud: ['a', 'b'] }],
        ['longer', { aud: `${AUDIENCES[0]}/x` }],
        ['shorter', { aud: 'api://on' }],
        ['comma-joined', { aud: AUDIENCES.join(',') }],
      ],
      ['JWT_AUDIENCE'],
    ),
    refused('exp-bad', 'exp missing, past, or not a number', () => [
      ['missing', { exp: undefined }],
      ['an hour ago', { exp: now() - 3600 }],
      [`${t + 15} s ago (past the tolerance)`, { exp: now() - t - 15 }],
      ['string', { exp: String(now() + 300) }],
      ['null', { exp: null }],
      ['boolean', { exp: true }],
    ]),
    granted(
      'exp-within-tolerance',
      `exp ${t - 10} s ago, inside the ${t} s tolerance`,
      () => ({ exp: now() - (t - 10) }),
      ['JWT_CLOCK_TOLERANCE'],
    ),
    refused('nbf-bad', 'nbf in the future beyond the tolerance, or not a number', () => [
      ['in an hour', { nbf: now() + 3600 }],
      [`in ${t + 15} s`, { nbf: now() + t + 15 }],
      ['string', { nbf: String(now()) }],
    ]),
    granted(
      'nbf-within-tolerance',
      `nbf ${t - 10} s ahead, inside the ${t} s tolerance`,
      () => ({ nbf: now() + (t - 10) }),
      ['JWT_CLOCK_TOLERANCE'],
    ),
    granted('nbf-past', 'nbf in the past', () => ({ nbf: now() - 60 })),
    {
      id: 'times-not-finite',
      title: 'exp 1e400, nbf -1e400 or iat 1e400 (JSON for ±Infinity): 401 invalid_token',
      async run(ctx) {
        // JSON.stringify cannot write 1e400: the payload is spliced as text.
        const aud = ctx.env.JWT_AUDIENCE?.split(',')[0]?.trim();
        const base = { iss: ctx.issuer.url, sub: 'user-123', ...(aud && { aud }) };
        const raw = (extra: string, claims: ClaimSet) =>
          ctx.mint({}, { payloadJson: `${JSON.stringify({ ...base, ...claims }).slice(0, -1)},${extra}}` });
        const valid = { iat: now(), exp: now() + 300 };
        await expectAllInvalid(ctx, [
          ['exp 1e400', raw('"exp":1e400', { iat: now() })],
          ['nbf -1e400', raw('"nbf":-1e400', valid)],
          ['iat 1e400', raw('"iat":1e400', { exp: valid.exp })],
        ]);
      },
    },
  ],
};
