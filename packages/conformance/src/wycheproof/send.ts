import { expectGranted, expectInvalid, expectMissing } from '../expect.ts';
import type { CaseContext } from '../model.ts';
import type { Carried } from './carry.ts';

/** Enough to finish a few hundred requests in a second or two without swamping a small server. */
const CONCURRENCY = 16;
/** Failures listed in full in an assertion message; the rest are counted. */
const LISTED = 40;

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await run(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const firstLine = (error: unknown): string =>
  String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';

/** The contract's answer for one carried vector; throws an assertion error otherwise. */
async function check(ctx: CaseContext, carried: Carried): Promise<void> {
  if (carried.token === '') {
    // The empty-string vector cannot reach token parsing: "Bearer " (which fetch trims to "Bearer")
    // carries no credential, and the contract answers an empty token with 401 missing_token and a
    // bare challenge (RFC 6750 §3.1). Holding the app to that still proves it is refused, never a 200.
    expectMissing(await ctx.get('/protected', { token: '' }));
    return;
  }
  const reply = await ctx.get('/protected', { token: carried.token });
  if (carried.expected === 'valid')
    expectGranted(reply, { iss: carried.claims.iss, sub: carried.claims.sub });
  else expectInvalid(reply, carried.token);
}

/** Sends every carried token to `/protected`, a few at a time; the failures, one line each, by tcId. */
export async function checkAll(ctx: CaseContext, carried: Carried[]): Promise<string[]> {
  const failures: { tcId: number; line: string }[] = [];
  await eachLimited(carried, CONCURRENCY, async (c) => {
    try {
      await check(ctx, c);
    } catch (error) {
      failures.push({
        tcId: c.tcId,
        line: `tcId ${c.tcId} (${c.comment}, ${c.expected}): ${firstLine(error)}`,
      });
    }
  });
  return failures.sort((a, b) => a.tcId - b.tcId).map((f) => f.line);
}

export function report(failures: string[], total: number): string {
  const more = failures.length > LISTED ? [`... and ${failures.length - LISTED} more`] : [];
  return [`${failures.length} of ${total} vectors failed:`, ...failures.slice(0, LISTED), ...more].join('\n');
}
