import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Fault, SigningKey } from '@repo/test-fixtures';
import { labelled, security } from '../check.ts';
import { expectError, expectGranted } from '../expect.ts';
import type { Reply } from '../http.ts';
import type { CaseContext, OwnInstance } from '../model.ts';
import { expectAllInvalid } from './batch.ts';

export const COOLDOWN_S = 30;
/** How long a request may take when the JWKS hangs: the contract's 5 s timeout plus slack. */
export const HUNG_FETCH_BUDGET_MS = 7500;
export const OUTAGES: Fault[] = ['error', 'garbage', 'not-a-jwks', 'refuse'];

/** The contract's fetch timeout, and its wait after a failed fetch before the next attempt. */
const FETCH_TIMEOUT_MS = 5000;
const BACKOFF_MS = 5000;

/** When the backoff after the last JWKS fetch is surely over, had that fetch hung (1.5 s of slack). */
const pastHungBackoff = (ctx: CaseContext) =>
  (ctx.issuer.jwksRequestTimes.at(-1) ?? 0) + FETCH_TIMEOUT_MS + BACKOFF_MS + 1500;

/**
 * Waits out the backoff that follows the last JWKS fetch, counted from when a hung fetch timed
 * out: until then, a request that needs a new key is rightly answered 503 at once.
 */
export async function outwaitHungFetch(ctx: CaseContext): Promise<void> {
  await sleep(Math.max(0, pastHungBackoff(ctx) - Date.now()));
}

/**
 * The same after a fetch that failed at once (500, garbage, refused): 5 s and 1.5 s of slack,
 * from the last fetch the issuer saw, or from `askedAt` (a refused connection never reaches it).
 */
export async function outwaitBackoff(ctx: CaseContext, askedAt = 0): Promise<void> {
  const over = Math.max(ctx.issuer.jwksRequestTimes.at(-1) ?? 0, askedAt) + BACKOFF_MS + 1500;
  await sleep(Math.max(0, over - Date.now()));
}

/**
 * The answer to `token` once the backoff after a hung fetch is over. Asked every 250 ms from the
 * earliest moment it can be over (5 s timeout + 5 s backoff), a 503 meaning "not yet", instead of
 * once at the latest moment: the reply at or after `outwaitHungFetch`'s deadline is the verdict.
 */
export async function askPastHungBackoff(ctx: CaseContext, token: string): Promise<Reply> {
  const deadline = pastHungBackoff(ctx);
  await sleep(Math.max(0, deadline - 1500 - Date.now()));
  for (;;) {
    const late = Date.now() >= deadline;
    const reply = await ctx.get('/protected', { token });
    if (reply.status !== 503 || late) return reply;
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
  }
}

export const keysEnv = (issuerUrl: string) => ({ JWT_ISSUER: issuerUrl, JWT_ALGORITHMS: 'RS256' });
/** The keys groups' own app: one RS256 issuer. */
export const keysInstance: OwnInstance = { issuer: { algorithms: ['RS256'] }, env: (i) => keysEnv(i.url) };

/**
 * Waits until the cooldown of the last fetch for unknown kids is over (counted from
 * `state.cooldownFrom`, set when that fetch was surely made), plus a second of slack.
 */
export async function outwaitCooldown(ctx: CaseContext): Promise<void> {
  const from = (ctx.state.get('cooldownFrom') as number | undefined) ?? Date.now();
  await sleep(Math.max(0, from + COOLDOWN_S * 1000 + 1000 - Date.now()));
}

/** The key lifecycle is exercised with RS256 keys. */
export const needsRs256 = (target: { algorithms: readonly string[] }) =>
  target.algorithms.includes('RS256') ? undefined : 'does not claim RS256, which these cases rotate';

/** JWKS fetches so far, in one line for a failure message. */
export const fetches = (ctx: CaseContext) => ctx.issuer.jwksRequests;

/** Requests of a flood or a burst in flight at once. */
export const FLOOD_AT_ONCE = 16;

export async function unknownKidFlood(ctx: CaseContext, count: number): Promise<void> {
  const foreign = await ctx.issuer.foreignKey('RS256');
  const tokens = Array.from({ length: count }, (_, i): [string, string] => [
    `kid ${i}`,
    ctx.mint({}, { key: i % 2 ? foreign : ctx.issuer.key('RS256'), kid: `unknown-${i}-${Math.random()}` }),
  ]);
  // Side by side, as a flood comes: sent one by one, a slow machine could stretch it past the
  // cooldown, and the refetch it then rightly makes would cost the group another 30 s wait.
  await pLimit(FLOOD_AT_ONCE).map(tokens, (token) => expectAllInvalid(ctx, [token]));
}

/** A key published after the app's last fetch (made on first use, so each case can run alone). */
export async function rotatedKey(ctx: CaseContext): Promise<SigningKey> {
  let key = ctx.state.get('rotated') as SigningKey | undefined;
  if (!key) {
    key = await ctx.issuer.publish('RS256');
    ctx.state.set('rotated', key);
  }
  return key;
}

/** A token needing a key that is published but not yet fetched, during an outage: 503. Resolves with ms. */
export async function expectUnavailable(ctx: CaseContext, label: string, key: SigningKey): Promise<number> {
  const token = ctx.mint({}, { key });
  const t0 = Date.now();
  const reply = await ctx.get('/protected', { token });
  await labelled(label, async () => expectError(reply, 'temporarily_unavailable', token));
  return Date.now() - t0;
}

/** A token whose key was fetched before the outage: it keeps working. */
export async function expectCachedWorks(ctx: CaseContext, label: string): Promise<void> {
  const reply = await ctx.get('/protected', { token: ctx.mint({ sub: label }) });
  await labelled(label, async () => expectGranted(reply, { sub: label }));
}

/** A request's time in ms, or the reason it got no answer; never rejects. */
export async function timed(run: () => Promise<unknown>): Promise<{ ms: number; error?: string }> {
  const t0 = Date.now();
  try {
    await run();
    return { ms: Date.now() - t0 };
  } catch (error) {
    return { ms: Date.now() - t0, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The time budget of a request that waited on a hung JWKS fetch (security). */
export function withinBudget(label: string, result: { ms: number; error?: string }): void {
  security('no-answer', !result.error, `${label}: no answer (${result.error})`);
  security(
    'no-timeout',
    result.ms < HUNG_FETCH_BUDGET_MS,
    `${label}: answered after ${result.ms} ms (budget ${HUNG_FETCH_BUDGET_MS})`,
  );
}
