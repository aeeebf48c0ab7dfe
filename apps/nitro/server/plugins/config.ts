/**
 * Start-up on Node, Bun and Deno: Nitro runs plugins while the server entry loads, before it
 * listens, so a bad variable stops the process here with one line naming it, exit code 1 (a
 * plugin that throws would print a stack trace instead). Nothing is fetched yet: the JWKS is
 * fetched on first need, so the app starts while the issuer is down.
 */
import { defineNitroPlugin } from 'nitropack/runtime';
import { ConfigError, readPort } from '../jwt/index.js';
import { useVerifier } from '../utils/verifier';

/** The contract's default; Nitro's own would be 3000. */
const DEFAULT_PORT = 3003;

export default defineNitroPlugin(() => {
  // A Worker gets its variables with the first request (utils/verifier.ts); its port is workerd's.
  if (import.meta.preset === 'cloudflare-module') return;
  try {
    // The entries read PORT after the plugins ran (NITRO_PORT, Nitro's own variable, still wins).
    process.env.PORT = String(readPort(process.env, DEFAULT_PORT));
    useVerifier();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
});
