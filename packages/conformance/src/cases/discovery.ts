import { setTimeout as sleep } from 'node:timers/promises';
import { type MockIssuer, notFound } from '@repo/test-fixtures';
import { contract, labelled, security } from '../check.ts';
import { expectError, expectGranted, expectInvalid } from '../expect.ts';
import type { Case, CaseContext, Group } from '../model.ts';
import { needsRs256 } from './key-checks.ts';

/**
 * An app trusting one issuer X, found by discovery; `K` (and `L`) only host keys elsewhere, so
 * a token signed with K's key verifies only if the app fetched the `jwks_uri` X's document names.
 */
async function launch(
  ctx: CaseContext,
  options: { hostname?: string; hosts?: number; maxAge?: number } = {},
) {
  const own = await ctx.launch({
    issuer: { algorithms: ['RS256'], hostname: options.hostname },
    others: Array.from({ length: options.hosts ?? 1 }, () => ({ algorithms: ['RS256'] as const })),
    env: (x) => ({
      JWT_ISSUER: x.url,
      JWT_ALGORITHMS: 'RS256',
      ...(options.maxAge !== undefined && { JWT_JWKS_MAX_AGE: String(options.maxAge) }),
    }),
    beforeStart: async (x, [k]) => {
      if (k) x.discovery = { jwks_uri: k.altJwksUri };
    },
  });
  const [k, l] = own.others as [MockIssuer, MockIssuer | undefined];
  return { own, x: own.issuer, k, l };
}

/** A token of X signed with `host`'s key. */
const signedBy = (own: CaseContext, host: MockIssuer, sub = 'discovered') =>
  own.mint({ sub }, { key: host.key('RS256') });

/** No usable discovery document and nothing cached: no grant; 503 (contract). */
async function expectNoKeys(own: CaseContext, token: string, label: string) {
  await labelled(label, async () =>
    expectError(await own.get('/protected', { token }), 'temporarily_unavailable', token),
  );
}

const unusedDocument = (
  id: string,
  title: string,
  spoil: (x: MockIssuer, k: MockIssuer) => Promise<void>,
): Case => ({
  id,
  title: `${title}: its jwks_uri is never fetched, 503 temporarily_unavailable`,
  async run(ctx) {
    const { own, x, k } = await launch(ctx);
    await spoil(x, k);
    await expectNoKeys(own, signedBy(own, k), id);
    security('key-from-bad-jwks', k.jwksRequests === 0, `the jwks_uri of a refused document was fetched`);
  },
});

/** OpenID Connect Discovery 1.0 §4 as the contract has it, one app of its own per case (cold). */
export const discovery: Group = {
  id: 'discovery',
  instance: 'none',
  needs: ['restart'],
  notApplicable: (target) => needsRs256(target),
  cases: [
    {
      id: 'jwks-uri-elsewhere',
      title: "the keys are where the document's jwks_uri says, not at jwks.json: 200, one request each",
      async run(ctx) {
        const { own, x, k } = await launch(ctx);
        expectGranted(await own.get('/protected', { token: signedBy(own, k) }), { sub: 'discovered' });
        security(
          'fetched-too-often',
          x.discoveryRequests <= 1 && x.jwksRequests + k.jwksRequests <= 1,
          () => `${x.discoveryRequests} discovery and ${x.jwksRequests + k.jwksRequests} JWKS requests`,
        );
      },
    },
    unusedDocument(
      'issuer-mismatch',
      'the document names another issuer (a trailing slash)',
      async (x, k) => {
        x.discovery = { issuer: `${x.url}/`, jwks_uri: k.altJwksUri };
      },
    ),
    unusedDocument('issuer-of-another', "the document is another issuer's (its issuer)", async (x, k) => {
      x.discovery = { issuer: k.url, jwks_uri: k.altJwksUri };
    }),
    {
      id: 'redirect-not-followed',
      title: 'discovery answers 302 to a valid document: not followed, 503 temporarily_unavailable',
      async run(ctx) {
        const { own, x, k } = await launch(ctx);
        await x.discoveryFaults.set('redirect');
        await expectNoKeys(own, signedBy(own, k), 'redirect');
        security(
          'key-from-bad-jwks',
          x.discoveryRedirectRequests === 0,
          'the discovery redirect was followed',
        );
        security('key-from-bad-jwks', k.jwksRequests === 0, 'the redirected document was used');
      },
    },
    {
      id: 'not-found-fallback',
      title: 'discovery answers 404: the keys at <issuer>/.well-known/jwks.json, 200',
      async run(ctx) {
        const { own, x } = await launch(ctx, { hosts: 0 });
        await x.discoveryFaults.set(notFound);
        expectGranted(await own.get('/protected', { token: signedBy(own, x, 'fallback') }), {
          sub: 'fallback',
        });
        contract(
          'fetched-too-often',
          x.discoveryRequests <= 1 && x.jwksRequests <= 1,
          () => `${x.discoveryRequests} discovery and ${x.jwksRequests} JWKS requests`,
        );
      },
    },
    {
      id: 'http-jwks-uri-refused',
      title: 'an http jwks_uri from an issuer not on a loopback address (0.0.0.0): never fetched, 503',
      async run(ctx) {
        // Linux connects 0.0.0.0 to this machine, yet it is no loopback address (RFC 6890): the
        // contract's exception for local work does not cover it, so its http jwks_uri is refused.
        const { own, x } = await launch(ctx, { hostname: '0.0.0.0', hosts: 0 });
        x.discovery = { jwks_uri: x.altJwksUri };
        await expectNoKeys(own, signedBy(own, x), 'http jwks_uri');
        // Any request at all proves 0.0.0.0 reaches the issuer here (a backend without discovery
        // fetches <issuer>/.well-known/jwks.json instead).
        if (
          !security(
            'case-error',
            x.discoveryRequests + x.jwksRequests > 0,
            'the issuer at 0.0.0.0 was never reached: this proves nothing here',
          )
        )
          return;
        security('key-from-bad-jwks', x.jwksRequests === 0, `the http jwks_uri ${x.altJwksUri} was fetched`);
      },
    },
    {
      id: 'jwks-uri-change-followed',
      title:
        'JWT_JWKS_MAX_AGE=1, the document moves jwks_uri to new keys: followed at the refresh, old key refused',
      needs: ['JWT_JWKS_MAX_AGE'],
      async run(ctx) {
        const { own, x, k, l } = await launch(ctx, { hosts: 2, maxAge: 1 });
        if (!l) throw new Error('two key hosts expected');
        expectGranted(await own.get('/protected', { token: signedBy(own, k, 'old') }), { sub: 'old' });
        x.discovery = { jwks_uri: l.altJwksUri };
        await sleep(1600);
        // Past the max age: answered from the cache, and a background refetch starts.
        await own.get('/protected', { token: signedBy(own, k, 'old') });
        for (let waited = 0; l.jwksRequests === 0 && waited < 4000; waited += 100) await sleep(100);
        if (!security('keys-not-refreshed', l.jwksRequests > 0, 'the new jwks_uri was never fetched')) return;
        // The refetch lands a moment after L answered (later on a busy machine): asked again until then.
        let moved = await own.get('/protected', { token: signedBy(own, l, 'new') });
        for (let tries = 0; moved.status !== 200 && tries < 10; tries++) {
          await sleep(300);
          moved = await own.get('/protected', { token: signedBy(own, l, 'new') });
        }
        await labelled('a key at the new jwks_uri', async () => expectGranted(moved, { sub: 'new' }));
        const old = signedBy(own, k, 'old');
        await labelled('a key only at the old jwks_uri', async () =>
          expectInvalid(await own.get('/protected', { token: old }), old),
        );
      },
    },
  ],
};
