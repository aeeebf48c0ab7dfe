import { contract } from '../check.ts';
import { describe, expectMissing, expectNoServerError } from '../expect.ts';
import type { Case, Group } from '../model.ts';
import type { Reply } from '../http.ts';

/** What is only this contract's choice (RFC 6750 leaves room): exact under `contract`, no 5xx under `security`. */
function contractOnly(reply: Reply, token: string, status: 200 | 401): void {
  expectNoServerError(reply, token);
  const error = (reply.json as { error?: unknown } | undefined)?.error;
  const ok = status === 200 ? reply.status === 200 : reply.status === 401 && error === 'invalid_token';
  contract(
    'wrong-status',
    ok,
    () => `expected ${status === 200 ? '200' : '401 invalid_token'}, got ${describe(reply)}`,
  );
}

/** RFC 6750 §2.1: only `Authorization: Bearer <token>`, the scheme case-insensitive. */
const missing = (id: string, what: string, authorization: (token: string) => string | undefined): Case => ({
  id,
  title: `${what} gets 401 missing_token with a bare challenge`,
  async run({ get, mint }) {
    const value = authorization(mint());
    expectMissing(await get('/protected', value === undefined ? {} : { authorization: value }));
  },
});

const granted = (id: string, scheme: string): Case => ({
  id,
  title: `scheme written "${scheme}" is accepted (case-insensitive, RFC 7235 §2.1)`,
  async run({ get, mint }) {
    const token = mint();
    contractOnly(await get('/protected', { authorization: `${scheme} ${token}` }), token, 200);
  },
});

export const credentials: Group = {
  id: 'credentials',
  instance: 'main',
  cases: [
    missing('no-header', 'no Authorization header', () => undefined),
    missing(
      'basic-scheme',
      'Basic credentials',
      () => `Basic ${Buffer.from('user:pass').toString('base64')}`,
    ),
    missing('other-scheme', 'a valid token under another scheme ("Token ...")', (t) => `Token ${t}`),
    missing('scheme-prefix', 'a scheme that only starts with Bearer ("Bearerx ...")', (t) => `Bearerx ${t}`),
    missing('bearer-alone', '"Bearer" with no token', () => 'Bearer'),
    missing('bearer-empty', '"Bearer " with an empty token', () => 'Bearer '),
    missing('empty-header', 'an empty Authorization header', () => ''),
    granted('scheme-lowercase', 'bearer'),
    granted('scheme-uppercase', 'BEARER'),
    granted('scheme-mixed', 'bEaReR'),
    {
      id: 'query-token-ignored',
      title: 'a valid token in the query string alone is ignored: 401 missing_token',
      async run({ get, mint }) {
        const token = mint();
        expectMissing(await get(`/protected?access_token=${token}&token=${token}`));
      },
    },
    {
      id: 'two-spaces',
      title: '"Bearer" followed by two spaces: the token is not a b64token, 401 invalid_token',
      async run({ get, mint }) {
        const token = mint();
        contractOnly(await get('/protected', { authorization: `Bearer  ${token}` }), token, 401);
      },
    },
    {
      id: 'trailing-words',
      title: 'extra words after the token: 401 invalid_token',
      async run({ get, mint }) {
        const token = mint();
        contractOnly(await get('/protected', { authorization: `Bearer ${token} extra` }), token, 401);
      },
    },
  ],
};
