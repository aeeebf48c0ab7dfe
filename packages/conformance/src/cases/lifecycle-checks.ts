import { setTimeout as sleep } from 'node:timers/promises';
import { contract, labelled, security } from '../check.ts';
import { expectError } from '../expect.ts';
import type { Reply } from '../http.ts';
import type { CaseContext } from '../model.ts';

/** The contract's wait after a failed fetch, and the `Retry-After` every 503 carries. */
export const BACKOFF_MS = 5000;
export const RETRY_AFTER = '5';
/** `JWT_JWKS_MAX_AGE` for the refresh cases: short, so they take seconds. */
export const MAX_AGE_S = 2;

/** A `get` that never rejects: the reply, or why there was none, and how long it took. */
export async function attempt(
  ctx: Pick<CaseContext, 'get'>,
  path: string,
  token: string,
): Promise<{ reply?: Reply; error?: string; ms: number; at: number }> {
  const at = Date.now();
  try {
    return { reply: await ctx.get(path, { token }), ms: Date.now() - at, at };
  } catch (error) {
    return { error: (error as Error).message, ms: Date.now() - at, at };
  }
}

/** 503 temporarily_unavailable with exactly `Retry-After: 5` (the contract's value). */
export async function expectUnavailableNow(
  label: string,
  reply: Reply | undefined,
  token: string,
  why?: string,
) {
  await labelled(label, async () => {
    if (!security('no-answer', reply !== undefined, `no answer${why ? ` (${why})` : ''}`) || !reply) return;
    expectError(reply, 'temporarily_unavailable', token);
    if (reply.status === 503) {
      const value = reply.headers.get('retry-after');
      contract(
        'wrong-wording',
        value === RETRY_AFTER,
        `Retry-After: ${value} (the contract says ${RETRY_AFTER})`,
      );
    }
  });
}

/** Waits until `ready()` holds or `ms` pass; whether it held. */
export async function waitFor(ready: () => boolean, ms: number, every = 50): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) return false;
    await sleep(every);
  }
  return true;
}

/** Sleeps until `BACKOFF_MS` after the last JWKS request, plus time for that fetch to have failed (the app counts from there). */
export async function outwaitBackoff(ctx: CaseContext, slack = 1000): Promise<void> {
  const last = ctx.issuer.jwksRequestTimes.at(-1);
  if (last !== undefined) await sleep(Math.max(0, last + BACKOFF_MS + slack - Date.now()));
}

/** The gaps between JWKS requests (ms) at or after `from`; each must be at least the backoff. */
export function fetchGaps(ctx: CaseContext, from = 0): number[] {
  const times = ctx.issuer.jwksRequestTimes.filter((t) => t >= from);
  return times.slice(1).map((t, i) => t - (times[i] as number));
}

/** Security: no two JWKS requests closer than the backoff (a dead issuer is never hammered). */
export function expectBackoff(ctx: CaseContext, from: number, what: string): void {
  const gaps = fetchGaps(ctx, from);
  // 100 ms of slack: the issuer stamps a request on arrival, the app starts waiting a little later.
  const short = gaps.filter((g) => g < BACKOFF_MS - 100);
  security(
    'fetched-too-often',
    short.length === 0,
    () =>
      `${what}: ${gaps.length + 1} JWKS fetches, ${short.length} of them less than 5 s after the previous failed one (gaps ${gaps.slice(0, 8).join(', ')} ms)`,
  );
}
