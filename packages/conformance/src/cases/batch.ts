import { labelled, security } from '../check.ts';
import { expectInvalid } from '../expect.ts';
import type { CaseContext } from '../model.ts';

/**
 * Sends every labelled token and expects 401 invalid_token for each (a 4xx under the security
 * profile); every token that was not refused is recorded under its label, and the batch goes on.
 */
export async function expectAllInvalid(
  ctx: CaseContext,
  tokens: [label: string, token: string][],
  path = '/protected',
) {
  for (const [label, token] of tokens) {
    await labelled(label, async () => {
      const reply = await ctx.get(path, { token }).catch((error: Error) => {
        security('no-answer', false, `no answer (${error.message})`);
      });
      if (reply) expectInvalid(reply, token);
    });
  }
}
