import { contract, sameJson, security } from '../check.ts';
import { describe, expectError, expectGranted, expectInvalid, expectMissing } from '../expect.ts';
import type { Case, Group } from '../model.ts';

/** The contract's routes: health, the protected route and the scope route. */
export const routes: Group = {
  id: 'routes',
  instance: 'main',
  cases: [
    {
      id: 'health',
      title: 'GET /health answers 200 {"status":"ok"} without a token',
      async run({ get }) {
        const reply = await get('/health');
        if (
          !security(
            reply.status >= 500 ? 'server-error' : 'wrong-status',
            reply.status === 200,
            () => `got ${describe(reply)}`,
          )
        )
          return;
        contract(
          'wrong-wording',
          /^application\/json/.test(reply.headers.get('content-type') ?? ''),
          'content-type is not JSON',
        );
        contract(
          'wrong-wording',
          sameJson(reply.json, { status: 'ok' }),
          () => `body ${reply.text.slice(0, 100)}`,
        );
      },
    },
    {
      id: 'protected-granted',
      title: 'a valid token gets 200 with every verified claim in user',
      async run({ get, mint, issuer }) {
        const token = mint({ tenant: 'acme', roles: ['a', 'b'], nested: { x: 1 } });
        const reply = await get('/protected', { token });
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
        expectGranted(reply, payload);
        const user = (reply.json as { user?: unknown } | undefined)?.user;
        if (reply.status === 200)
          contract('wrong-wording', sameJson(user, payload), 'user is not exactly the verified claims');
        contract('case-error', payload.iss === issuer.url, 'the token was minted for another issuer');
      },
    },
    {
      id: 'admin-granted',
      title: '/protected/admin with scope "read admin" gets 200',
      needs: ['scope-route'],
      async run({ get, mint }) {
        expectGranted(await get('/protected/admin', { token: mint({ scope: 'read admin write' }) }), {
          sub: 'user-123',
        });
      },
    },
    ...(
      [
        ['admin-scope-missing', 'no scope claim', undefined],
        ['admin-scope-other', 'scope "read write"', 'read write'],
        [
          'admin-scope-substring',
          'scope "administrator read:admin" (no exact "admin")',
          'administrator read:admin',
        ],
        ['admin-scope-array', 'scope ["admin"] (not a space-separated string)', ['admin']],
        ['admin-scope-case', 'scope "ADMIN" (scopes are case-sensitive)', 'ADMIN'],
      ] as const
    ).map(
      ([id, what, scope]): Case => ({
        id,
        title: `/protected/admin with ${what} gets 403 insufficient_scope`,
        needs: ['scope-route'],
        async run({ get, mint }: Parameters<Case['run']>[0]) {
          const token = mint({ scope });
          expectError(await get('/protected/admin', { token }), 'insufficient_scope', token);
        },
      }),
    ),
    {
      id: 'admin-invalid-token',
      title: '/protected/admin with a bad token gets 401, not 403',
      needs: ['scope-route'],
      async run({ get, mint }) {
        const token = mint({ scope: 'admin', iss: 'https://elsewhere.example' });
        expectInvalid(await get('/protected/admin', { token }), token);
      },
    },
    {
      id: 'admin-no-token',
      title: '/protected/admin without a token gets 401 missing_token',
      needs: ['scope-route'],
      async run({ get }) {
        expectMissing(await get('/protected/admin'));
      },
    },
  ],
};
