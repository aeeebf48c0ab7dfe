import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault, SigningKey } from '@repo/test-fixtures';
import { expectError, expectGranted } from '../expect.ts';
import type { CaseContext, Group } from '../model.ts';
import { expectAllInvalid } from './batch.ts';

export const COOLDOWN_S = 30;
/** How long a request may take when the JWKS hangs: the contract's 5 s timeout plus slack. */
const HUNG_FETCH_BUDGET_MS = 7500;
const OUTAGES: Fault[] = ['error', 'garbage', 'not-a-jwks', 'refuse'];

const env = (issuerUrl: string) => ({ JWT_ISSUER: issuerUrl, JWT_ALGORITHMS: 'RS256' });

async function unknownKidFlood(ctx: CaseContext, count: number): Promise<void> {
  const foreign = await ctx.issuer.foreignKey('RS256');
  const tokens = Array.from({ length: count }, (_, i): [string, string] => [
    `kid ${i}`,
    ctx.mint({}, { key: i % 2 ? foreign : ctx.issuer.key('RS256'), kid: `unknown-${i}-${Math.random()}` }),
  ]);
  await expectAllInvalid(ctx, tokens);
}

/** Sends a token needing a key that is published but not yet fetched, during an outage: 503. */
async function expectUnavailable(ctx: CaseContext, label: string): Promise<number> {
  const token = ctx.mint({}, { key: ctx.state.get('rotated') as SigningKey });
  const t0 = Date.now();
  const reply = await ctx.get('/protected', { token });
  try {
    expectError(reply, 'temporarily_unavailable', token);
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
  return Date.now() - t0;
}

/** Sends a token whose key was fetched before the outage: it keeps working. */
async function expectCachedWorks(ctx: CaseContext, label: string): Promise<void> {
  const reply = await ctx.get('/protected', { token: ctx.mint({ sub: label }) });
  expectGranted(reply, { sub: label });
}

/**
 * One app's whole key lifecycle, in order: cold burst, cache, unknown-kid flood, rotation
 * during an outage of every kind, recovery. The 30 s cooldown is waited out once.
 */
export const keysLifecycle: Group = {
  id: 'keys',
  instance: { issuer: { algorithms: ['RS256'] }, env: (issuer) => env(issuer.url) },
  cases: [
    {
      id: 'cold-burst-one-fetch',
      title: '100 concurrent requests on a cold cache cost exactly one JWKS fetch',
      async run(ctx) {
        const replies = await Promise.all(
          Array.from({ length: 100 }, (_, i) => ctx.get('/protected', { token: ctx.mint({ sub: `burst-${i}` }) })),
        );
        for (const [i, reply] of replies.entries()) expectGranted(reply, { sub: `burst-${i}` });
        assert.equal(ctx.issuer.jwksRequests, 1, 'JWKS fetches');
        ctx.state.set('cooldownFrom', Date.now());
      },
    },
    {
      id: 'cached',
      title: '50 more requests are served from the cache: no further fetch',
      async run(ctx) {
        for (let i = 0; i < 50; i++) await expectCachedWorks(ctx, `cached-${i}`);
        assert.equal(ctx.issuer.jwksRequests, 1, 'JWKS fetches');
      },
    },
    {
      id: 'unknown-kid-flood',
      title: '200 tokens with unknown kids: all 401, at most one refetch within the 30 s cooldown',
      async run(ctx) {
        await unknownKidFlood(ctx, 200);
        assert.ok(ctx.issuer.jwksRequests <= 2, `${ctx.issuer.jwksRequests} JWKS fetches`);
        if (ctx.issuer.jwksRequests === 2) ctx.state.set('cooldownFrom', Date.now());
      },
    },
    {
      id: 'outage-keeps-cached-keys',
      title: 'after the cooldown, a rotated key during an outage (500, garbage, not a JWKS, refused): 503; cached keys still 200',
      async run(ctx) {
        ctx.state.set('rotated', await ctx.issuer.publish('RS256'));
        const wait = (ctx.state.get('cooldownFrom') as number) + COOLDOWN_S * 1000 + 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        for (const fault of OUTAGES) {
          await ctx.issuer.fault(fault);
          await expectUnavailable(ctx, fault);
          await expectCachedWorks(ctx, `during-${fault}`);
        }
      },
    },
    {
      id: 'outage-timeout',
      title: 'a JWKS that hangs: 503 within the 5 s timeout (+slack), while cached keys answer at once',
      async run(ctx) {
        await ctx.issuer.fault('slow');
        const hung = expectUnavailable(ctx, 'slow');
        const t0 = Date.now();
        await expectCachedWorks(ctx, 'during-slow');
        assert.ok(Date.now() - t0 < 2000, 'a cached key waited for the hung fetch');
        const ms = await hung;
        assert.ok(ms < HUNG_FETCH_BUDGET_MS, `answered after ${ms} ms`);
      },
    },
    {
      id: 'recovery-rotation',
      title: 'when the JWKS is back, the rotated key works without a restart',
      async run(ctx) {
        await ctx.issuer.fault(null);
        const before = ctx.issuer.jwksRequests;
        const token = ctx.mint({ sub: 'rotated' }, { key: ctx.state.get('rotated') as SigningKey });
        expectGranted(await ctx.get('/protected', { token }), { sub: 'rotated' });
        assert.ok(ctx.issuer.jwksRequests > before, 'the rotated key was fetched');
        await expectCachedWorks(ctx, 'old-key-after-rotation');
      },
    },
    {
      id: 'cooldown-after-refetch',
      title: 'right after that refetch, 100 more unknown kids cost no fetch (cooldown)',
      async run(ctx) {
        const before = ctx.issuer.jwksRequests;
        await unknownKidFlood(ctx, 100);
        assert.equal(ctx.issuer.jwksRequests, before, 'JWKS fetches during the cooldown');
      },
    },
  ],
};

/** The app started while its JWKS endpoint is down: 503 with Retry-After, then recovery. */
export const keysColdOutage: Group = {
  id: 'keys-cold-outage',
  instance: {
    issuer: { algorithms: ['RS256'] },
    env: (issuer) => env(issuer.url),
    beforeStart: (issuer) => issuer.fault('error'),
  },
  cases: [
    {
      id: 'cold-outage-503',
      title: 'no key cached and the JWKS down (500, garbage, not a JWKS, refused): 503 temporarily_unavailable',
      async run(ctx) {
        ctx.state.set('rotated', ctx.issuer.key('RS256'));
        for (const fault of OUTAGES) {
          await ctx.issuer.fault(fault);
          await expectUnavailable(ctx, fault);
        }
      },
    },
    {
      id: 'cold-outage-timeout',
      title: 'no key cached and the JWKS hangs: 503 within the 5 s timeout (+slack)',
      async run(ctx) {
        await ctx.issuer.fault('slow');
        const ms = await expectUnavailable(ctx, 'slow');
        assert.ok(ms < HUNG_FETCH_BUDGET_MS, `answered after ${ms} ms`);
      },
    },
    {
      id: 'cold-outage-recovery',
      title: 'the JWKS comes back: the same token now gets 200, without a restart',
      async run(ctx) {
        await ctx.issuer.fault(null);
        await expectCachedWorks(ctx, 'recovered');
      },
    },
  ],
};
