import { setTimeout as sleep } from 'node:timers/promises';
import { generateSigningKey, type SigningKey } from '@repo/test-fixtures';
import { security } from '../check.ts';
import type { Case, CaseContext, Group } from '../model.ts';
import { selfSignedCertificate } from '../x509.ts';
import { expectAllInvalid } from './batch.ts';

let attacker: Promise<SigningKey> | undefined;
const attackerKey = () => {
  attacker ??= generateSigningKey('RS256', 'attacker-key');
  return attacker;
};

/**
 * Tokens that carry their own key or a URL to one. RFC 8725 §3.10 and RFC 7515 §4.1.2-4.1.6:
 * the key comes only from the configured JWKS; nothing in the token is used or fetched.
 */
async function expectNothingFetched(ctx: CaseContext, field: 'jku' | 'x5u', path: string): Promise<void> {
  const key = await attackerKey();
  ctx.issuer.attackerBody = JSON.stringify({ keys: [key.jwk] });
  const url = ctx.issuer.attackerUrl + path;
  const before = ctx.issuer.attackerRequests;
  await expectAllInvalid(ctx, [
    [`${field}, attacker kid`, ctx.mint({}, { key, header: { [field]: url } })],
    [`${field}, real kid`, ctx.mint({}, { key, kid: ctx.issuer.key('RS256').kid, header: { [field]: url } })],
    [`${field}, no kid`, ctx.mint({}, { key, kid: null, header: { [field]: url } })],
  ]);
  await sleep(300); // a fetch started in the background would show by now
  const fetched = ctx.issuer.attackerRequests - before;
  security(
    'fetched-token-url',
    fetched === 0,
    `the app fetched the ${field} URL from the token ${fetched} times`,
  );
}

const embedded: Case[] = [
  {
    id: 'embedded-jwk',
    title: 'a jwk header holding the attacker key that signed the token: refused',
    async run(ctx) {
      const key = await attackerKey();
      const jwk = key.jwk;
      await expectAllInvalid(ctx, [
        ['attacker kid', ctx.mint({}, { key, header: { jwk } })],
        ['real kid', ctx.mint({}, { key, kid: ctx.issuer.key('RS256').kid, header: { jwk } })],
        ['no kid', ctx.mint({}, { key, kid: null, header: { jwk } })],
      ]);
    },
  },
  {
    id: 'jku-not-fetched',
    title: 'a jku header pointing at an attacker JWKS: refused, and the URL is never fetched',
    run: (ctx) => expectNothingFetched(ctx, 'jku', 'jwks.json'),
  },
  {
    id: 'x5u-not-fetched',
    title: 'an x5u header pointing at an attacker certificate: refused, and the URL is never fetched',
    run: (ctx) => expectNothingFetched(ctx, 'x5u', 'cert.pem'),
  },
  {
    id: 'x5c-ignored',
    title: 'an x5c header with a self-signed attacker certificate: refused',
    async run(ctx) {
      const key = await attackerKey();
      const x5c = [selfSignedCertificate(key.privateKey, key.publicKey).toString('base64')];
      await expectAllInvalid(ctx, [
        ['attacker kid', ctx.mint({}, { key, header: { x5c } })],
        ['real kid', ctx.mint({}, { key, kid: ctx.issuer.key('RS256').kid, header: { x5c } })],
        ['no kid', ctx.mint({}, { key, kid: null, header: { x5c } })],
      ]);
    },
  },
];

/** kid values that trip naive lookups: paths, SQL, prototype names, wrong JSON types, huge. */
const HOSTILE_KIDS: [string, unknown][] = [
  ['path traversal', '../../../../etc/passwd'],
  ['SQL', "x' OR '1'='1"],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['toString', 'toString'],
  ['hasOwnProperty', 'hasOwnProperty'],
  ['empty', ''],
  ['NUL byte', 'rs\u0000256'],
  ['newline', 'a\r\nx-injected: 1'],
  ['5000 characters', 'k'.repeat(5000)],
  ['number', 1],
  ['object', { kid: 'x' }],
  ['array', ['x']],
  ['null', null],
  ['true', true],
];

const critical: Case[] = [
  {
    id: 'hostile-kid',
    title: 'hostile kid values, signed with the real RS256 key: refused, never a 5xx',
    async run(ctx) {
      const key = ctx.issuer.key('RS256');
      await expectAllInvalid(
        ctx,
        HOSTILE_KIDS.map(([label, kid]) => [label, ctx.mint({}, { key, kid: null, header: { kid } })]),
      );
    },
  },
  {
    id: 'crit-unknown',
    title: 'a crit header naming an extension the app does not understand (RFC 7515 §4.1.11): refused',
    async run(ctx) {
      await expectAllInvalid(ctx, [
        ['crit [x-ext]', ctx.mint({}, { header: { crit: ['x-ext'], 'x-ext': true } })],
        ['crit [exp]', ctx.mint({}, { header: { crit: ['exp'], exp: 1 } })],
        ['crit []', ctx.mint({}, { header: { crit: [] } })],
        ['crit "x-ext"', ctx.mint({}, { header: { crit: 'x-ext', 'x-ext': true } })],
      ]);
    },
  },
];

export const headerKeys: Group = { id: 'header-keys', instance: 'main', cases: [...embedded, ...critical] };
