/**
 * SIGTERM on Bun and Deno. Nitro's node-server entry drains by itself (it stops accepting,
 * lets the requests in flight finish, then exits 0; NITRO_SHUTDOWN_TIMEOUT, 30 s by default);
 * its bun and deno-server entries do nothing, and the signal's default action would cut a
 * request waiting on the JWKS. Their servers are out of a plugin's reach, so this one counts the
 * requests in flight and exits 0 once none is left, or after 10 s.
 */
import { defineNitroPlugin } from 'nitropack/runtime';

const DRAIN_LIMIT_MS = 10_000;

export default defineNitroPlugin((nitroApp) => {
  if (import.meta.preset !== 'bun' && import.meta.preset !== 'deno-server') return;
  let inFlight = 0;
  let stopping = false;
  // A macrotask later: the runtime writes the last response after the hooks have run.
  const exitWhenIdle = () => {
    if (stopping && inFlight === 0) setTimeout(() => process.exit(0), 0);
  };
  nitroApp.hooks.hook('request', () => {
    inFlight++;
  });
  nitroApp.hooks.hook('afterResponse', () => {
    inFlight--;
    exitWhenIdle();
  });
  const stop = () => {
    stopping = true;
    setTimeout(() => process.exit(0), DRAIN_LIMIT_MS);
    exitWhenIdle();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
});
