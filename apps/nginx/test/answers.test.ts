// Every refusal in the Node core's words (the same sentences its own tests assert, in
// packages/verifier/test), status, code and WWW-Authenticate included: whichever app is behind
// the gateway, a client and a log read the same answer (issue #20: "the same answers as the Node
// apps"). The conformance suite checks statuses and codes; the sentences are checked here.
import { type Alg, MockIssuer, now } from '@repo/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from './helpers/app.ts';

const aud = 'api://answers';
let issuer: MockIssuer;
let app: App;

beforeAll(async () => {
  issuer = await MockIssuer.start({ algorithms: ['ES256', 'EdDSA'] });
  app = await startApp({ JWT_ISSUER: issuer.url, JWT_AUDIENCE: aud, JWT_ALGORITHMS: 'ES256' });
});
afterAll(async () => {
  await app?.stop();
  await issuer?.close();
});

const bearer = (claims: Record<string, unknown> = {}, alg: Alg = 'ES256', kid?: string) =>
  `Bearer ${issuer.mint({ aud, scope: 'read', ...claims }, { alg, ...(kid ? { kid } : {}) })}`;

/** A valid token with one base64url character of its signature changed (still canonical). */
function tampered(): string {
  const token = bearer();
  const at = token.lastIndexOf('.') + 5;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}

const invalid = (message: string) => ({ status: 401, error: 'invalid_token', message });
const cases: [string, () => string | undefined, { status: number; error: string; message: string }][] = [
  [
    'no Authorization header',
    () => undefined,
    { status: 401, error: 'missing_token', message: 'A bearer token is required.' },
  ],
  ['not a compact JWS', () => 'Bearer abc.def', invalid('The token is not a compact JWS.')],
  [
    'an issuer not listed',
    () => bearer({ iss: 'https://elsewhere.example' }),
    invalid('The token issuer is not accepted.'),
  ],
  ['an algorithm not allowed', () => bearer({}, 'EdDSA'), invalid('The token algorithm is not accepted.')],
  [
    'a kid the issuer does not publish',
    () => bearer({}, 'ES256', 'no-such-kid'),
    invalid('No key of the issuer fits the token.'),
  ],
  ['a changed signature', tampered, invalid('The token signature is invalid.')],
  ['another audience', () => bearer({ aud: 'api://other' }), invalid('The token audience is not accepted.')],
  ['no exp', () => bearer({ exp: undefined }), invalid('The token has no valid expiry.')],
  ['exp a string', () => bearer({ exp: String(now() + 60) }), invalid('The token has no valid expiry.')],
  ['exp past', () => bearer({ exp: now() - 3600 }), invalid('The token has expired.')],
  ['nbf ahead', () => bearer({ nbf: now() + 3600 }), invalid('The token is not valid yet.')],
  ['nbf a string', () => bearer({ nbf: String(now() - 60) }), invalid('The token nbf is not a valid date.')],
  ['iat a string', () => bearer({ iat: 'today' }), invalid('The token iat is not a valid date.')],
];

async function answer(path: string, authorization: string | undefined) {
  const res = await fetch(`${app.url}${path}`, authorization ? { headers: { authorization } } : {});
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
}

describe('refusals, in the Node core words', () => {
  it('a valid token first: the key set is fetched, so a later unknown kid waits out the cooldown', async () => {
    expect((await answer('/protected', bearer())).status).toBe(200);
  });

  it.each(cases)('%s', async (_title, authorization, want) => {
    const got = await answer('/protected', authorization());
    expect({ status: got.status, body: got.body }).toEqual({
      status: want.status,
      body: { error: want.error, message: want.message },
    });
    const params =
      want.error === 'missing_token' ? '' : `, error="invalid_token", error_description="${want.message}"`;
    expect(got.challenge).toBe(`Bearer realm="api"${params}`);
  });

  it('a scope the token lacks: 403 insufficient_scope, naming it', async () => {
    const got = await answer('/protected/admin', bearer());
    expect(got).toEqual({
      status: 403,
      challenge: 'Bearer realm="api", error="insufficient_scope", scope="admin"',
      body: { error: 'insufficient_scope', message: 'The token lacks the "admin" scope.' },
    });
  });
});
