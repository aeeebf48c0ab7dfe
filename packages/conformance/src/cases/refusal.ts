import { contract, security } from '../check.ts';
import type { CaseContext } from '../model.ts';

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/**
 * The app must refuse `env` at start-up. Security: it does not become ready, and exits non-zero.
 * Contract: in one clear line naming `variable`, without a stack trace. `secret`: a password in
 * `env` that its output must not show; `ifStarted`: the failure to report when it starts anyway,
 * in place of one listing `env`.
 */
export async function expectRefusedAtStartup(
  ctx: CaseContext,
  env: Record<string, string>,
  variable: string,
  { secret, ifStarted }: { secret?: string; ifStarted?: string } = {},
) {
  const { code, output, started, exited } = await ctx.startExpectingExit(env);
  const given = Object.keys(env).length ? JSON.stringify(env) : 'no settings';
  if (
    !security(
      'started-with-bad-setting',
      !started,
      ifStarted ?? `it started (${ctx.routes.health} answered 200) with ${given}`,
    )
  )
    return;
  if (!security('started-with-bad-setting', exited, `it neither exited nor became ready with ${given}`))
    return;
  security('started-with-bad-setting', code !== 0, `it exited with code 0 with ${given}`);
  // The contract: a refusal never echoes a password (it would end up in every log collector).
  if (secret) security('leaked', !output.includes(secret), 'the refusal prints the password of the URL');
  const last = output.trim().split('\n').at(-1)?.slice(0, 160) ?? '';
  contract('wrong-wording', output.includes(variable), `its output does not name ${variable}: "${last}"`);
  contract('wrong-wording', !STACK_TRACE.test(output), 'a stack trace instead of one clear line');
}
