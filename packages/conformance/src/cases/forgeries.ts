import { b64uJson } from '@repo/test-fixtures';
import type { Case, Group } from '../model.ts';
import { expectAllInvalid } from './batch.ts';

const reSign = (token: string, signature: string) => token.split('.').slice(0, 2).concat(signature).join('.');

/** RFC 8725 §3.1, §2.1: the algorithm comes from the key and the allow-list, never from the token alone. */
const algorithmConfusion: Case[] = [
  {
    id: 'alg-none',
    title: 'alg "none" in every spelling, unsigned or with a real signature: refused',
    async run(ctx) {
      const rs = ctx.issuer.key('RS256');
      const tokens = ['none', 'None', 'NONE', 'nOnE'].flatMap((alg): [string, string][] => [
        [`${alg} unsigned`, ctx.mint({}, { alg, kid: null, unsigned: true })],
        [`${alg} with kid, unsigned`, ctx.mint({}, { alg, kid: rs.kid, unsigned: true })],
        [`${alg} with an RS256 signature`, ctx.mint({}, { alg, key: rs })],
      ]);
      await expectAllInvalid(ctx, tokens);
    },
  },
  {
    id: 'hmac-with-public-key',
    title: 'HS256/384/512 signed with the RSA public key as the secret (PEM, PKCS#1, DER, JWK): refused',
    async run(ctx) {
      const rs = ctx.issuer.key('RS256');
      const secrets: [string, Buffer | string][] = [
        ['SPKI PEM', rs.publicKey.export({ format: 'pem', type: 'spki' })],
        ['PKCS#1 PEM', rs.publicKey.export({ format: 'pem', type: 'pkcs1' })],
        ['SPKI DER', rs.publicKey.export({ format: 'der', type: 'spki' })],
        ['JWK JSON', JSON.stringify(rs.jwk)],
        ['modulus bytes', Buffer.from(String(rs.jwk.n), 'base64url')],
      ];
      const tokens = ['HS256', 'HS384', 'HS512'].flatMap((alg) =>
        secrets.flatMap(([what, secret]): [string, string][] => [
          [`${alg} ${what}`, ctx.mint({}, { alg, kid: rs.kid, signWith: secret })],
          [`${alg} ${what} no kid`, ctx.mint({}, { alg, kid: null, signWith: secret })],
        ]),
      );
      await expectAllInvalid(ctx, tokens);
    },
  },
  {
    id: 'hmac-random-secret',
    title: 'HS256 with any secret is off every allow-list: refused',
    async run(ctx) {
      await expectAllInvalid(ctx, [['HS256', ctx.mint({}, { alg: 'HS256', kid: null, signWith: 'secret' })]]);
    },
  },
];

/** The signature must be the issuer's, over exactly these bytes (RFC 7515 §5.2). */
const signatures: Case[] = [
  {
    id: 'signature-stripped',
    title: 'a valid token with its signature removed: refused',
    async run(ctx) {
      const token = ctx.mint();
      await expectAllInvalid(ctx, [['stripped', reSign(token, '')]]);
    },
  },
  {
    id: 'foreign-key',
    title: 'signed by a key not in the JWKS, with a real kid, its own kid or none: refused',
    async run(ctx) {
      const tokens: [string, string][] = [];
      for (const alg of ['RS256', 'ES256'] as const) {
        const key = await ctx.issuer.foreignKey(alg);
        tokens.push([`${alg} real kid`, ctx.mint({}, { alg, key, kid: ctx.issuer.key(alg).kid })]);
        tokens.push([`${alg} own kid`, ctx.mint({}, { alg, key })]);
      }
      await expectAllInvalid(ctx, tokens);
    },
  },
  {
    id: 'signature-swapped',
    title: "another valid token's signature on this header and payload: refused",
    async run(ctx) {
      const other = ctx.mint({ sub: 'someone-else' });
      const token = ctx.mint({ sub: 'admin', scope: 'admin' });
      await expectAllInvalid(ctx, [['swapped', reSign(token, other.split('.')[2] ?? '')]]);
    },
  },
  {
    id: 'payload-tampered',
    title: 'a valid token whose payload was edited after signing: refused',
    async run(ctx) {
      const token = ctx.mint({ scope: 'read' });
      const [h, p, s] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const edited = `${h}.${b64uJson({ ...claims, scope: 'read admin' })}.${s}`;
      // Raising the scope matters most on the scope route; without one, the protected route.
      await expectAllInvalid(
        ctx,
        [['scope raised', edited]],
        ctx.routes.scope ? '/protected/admin' : '/protected',
      );
    },
  },
  {
    id: 'header-tampered',
    title: 'a valid token whose header was edited after signing: refused',
    async run(ctx) {
      const token = ctx.mint();
      const [h, p, s] = token.split('.') as [string, string, string];
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      await expectAllInvalid(ctx, [['typ changed', `${b64uJson({ ...header, typ: 'at+jwt' })}.${p}.${s}`]]);
    },
  },
];

export const forgeries: Group = {
  id: 'forgeries',
  instance: 'main',
  cases: [...algorithmConfusion, ...signatures],
};
