import assert from 'node:assert/strict';
import { expectInvalid } from '../expect.ts';
import type { CaseContext } from '../model.ts';

/** Sends every labelled token and asserts 401 invalid_token for each, naming the ones that were not. */
export async function expectAllInvalid(ctx: CaseContext, tokens: [label: string, token: string][], path = '/protected') {
  const failures: string[] = [];
  for (const [label, token] of tokens) {
    try {
      expectInvalid(await ctx.get(path, { token }), token);
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  assert.deepEqual(failures, [], `not refused as invalid_token:\n${failures.join('\n')}`);
}
