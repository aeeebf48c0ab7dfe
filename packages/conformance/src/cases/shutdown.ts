import { setTimeout as sleep } from 'node:timers/promises';
import { type ChildServer, DELAY_MS, startServer } from '@repo/test-fixtures';
import { freePort, launchOptions } from '../app.ts';
import { contract } from '../check.ts';
import { expectGranted } from '../expect.ts';
import { get } from '../http.ts';
import type { Group } from '../model.ts';
import { routesOf, type Target } from '../target.ts';
import { needsRs256 } from './key-checks.ts';
import { waitFor } from './lifecycle-checks.ts';

/**
 * Starts the target as `startApp` does, but keeps the process: this case signals it itself, to
 * the process alone (as a container runtime does to its main process), not to its group.
 */
async function startOwn(
  target: Target,
  env: Record<string, string>,
): Promise<{ server: ChildServer; url: string }> {
  const options = launchOptions(target, await freePort(), env);
  return {
    server: await startServer({ ...options, command: execInShell(target.command) }),
    url: options.url,
  };
}

/**
 * `sh -c "node server.js"` (how `--cmd` runs a backend): dash stays the parent and dies of the
 * SIGTERM meant for the server. `exec` makes the server the process, as in a container's exec form.
 */
function execInShell(command: readonly string[]): string[] {
  const [bin, flag, script, ...rest] = command;
  const simple = script !== undefined && !/[;&|()`$<>\n]/.test(script) && !script.startsWith('exec ');
  if (bin && /(^|\/)(sh|bash|dash)$/.test(bin) && flag === '-c' && simple)
    return [bin, flag, `exec ${script}`, ...rest];
  return [...command];
}

/**
 * SIGTERM while a request waits on the JWKS: the request gets its answer, the process exits 0.
 * Its time is the slow JWKS's delay, waiting: paced.
 */
export const shutdown: Group = {
  id: 'shutdown',
  paced: true,
  theme: 'start-up',
  needs: ['restart'],
  instance: 'none',
  notApplicable: needsRs256,
  cases: [
    {
      id: 'sigterm-drains-in-flight',
      title: `SIGTERM while a request waits on a slow JWKS (${DELAY_MS / 1000} s): that request gets its 200, then the process exits 0`,
      async run(ctx) {
        await ctx.issuer.fault('delay');
        // A backend that requires an audience gets the target's, as every other group gives it
        // (startOwn bypasses the session, which adds it elsewhere), and the token carries it.
        const aud = ctx.target.audience?.split(',')[0]?.trim();
        const app = await startOwn(ctx.target, {
          JWT_ISSUER: ctx.issuer.url,
          JWT_ALGORITHMS: 'RS256',
          ...(ctx.target.audience ? { JWT_AUDIENCE: ctx.target.audience } : {}),
        });
        try {
          // A key published after start-up: whether or not the app fetched at start, it must fetch now.
          const key = await ctx.issuer.publish('RS256');
          const token = ctx.issuer.mint({ sub: 'in-flight', ...(aud ? { aud } : {}) }, { key });
          const sent = Date.now();
          const inflight = get(app.url, routesOf(ctx.target).protected, { token, timeoutMs: 15_000 }).then(
            (reply) => ({ reply, at: Date.now(), error: undefined }),
            (error: Error) => ({ reply: undefined, at: Date.now(), error: error.message }),
          );
          const waiting = await waitFor(() => ctx.issuer.jwksRequestTimes.some((t) => t >= sent), 3000);
          if (
            !contract(
              'bad-shutdown',
              waiting,
              'the request did not make the app fetch the JWKS, so nothing was in flight',
            )
          )
            return;
          await sleep(200);
          const signalled = Date.now();
          app.server.child.kill('SIGTERM');
          const { reply, at, error } = await inflight;
          contract(
            'bad-shutdown',
            at > signalled,
            'the request was answered before SIGTERM arrived; the case proves nothing',
          );
          if (
            contract(
              'bad-shutdown',
              reply !== undefined,
              `the request in flight got no answer after SIGTERM (${error})`,
            ) &&
            reply
          ) {
            expectGranted(reply, { sub: 'in-flight' });
          }
          const exit = await Promise.race([app.server.exited, sleep(15_000).then(() => undefined)]);
          if (
            contract('bad-shutdown', exit !== undefined, 'the process had not exited 15 s after SIGTERM') &&
            exit
          ) {
            contract(
              'bad-shutdown',
              exit.code === 0,
              `the process exited with ${exit.code ?? `signal ${exit.signal}`} after SIGTERM, not 0`,
            );
          }
        } finally {
          await app.server.stop(0);
          await ctx.issuer.fault(null);
        }
      },
    },
  ],
};
