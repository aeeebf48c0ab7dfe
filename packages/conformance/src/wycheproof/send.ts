import pLimit from 'p-limit';
import { labelled, security } from '../check.ts';
import { expectGranted, expectInvalid, expectMissing } from '../expect.ts';
import type { CaseContext } from '../model.ts';
import type { Carried } from './carry.ts';

/** Enough to finish a few hundred requests in a second or two without swamping a small server. */
const CONCURRENCY = 16;

/** The contract's answer for one carried vector. */
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

/** Sends every carried token to `/protected`, a few at a time; each failure is recorded under its tcId. */
export async function checkAll(ctx: CaseContext, carried: Carried[]): Promise<void> {
  await pLimit(CONCURRENCY).map(carried, (c) =>
    labelled(`tcId ${c.tcId} (${c.comment}, ${c.expected})`, async () => {
      await check(ctx, c).catch((error: Error) =>
        security('no-answer', false, `no answer (${error.message})`),
      );
    }),
  );
}
