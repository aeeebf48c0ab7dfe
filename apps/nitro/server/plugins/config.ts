/**
 * Start-up: read and validate the configuration once, then build the one verifier (and its one
 * JWKS cache) for the process. Nitro runs plugins synchronously while the server entry loads,
 * before it listens, so a bad variable stops the process here: one line, exit code 1.
 */
import { defineNitroPlugin } from 'nitropack/runtime';
import { createVerifier, installVerifier } from '../utils/auth';
import { type Config, ConfigError, loadConfig } from '../utils/config';

function load(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export default defineNitroPlugin(() => {
  const config = load();
  // Nitro's node-server entry reads PORT right after the plugins ran; its own default is 3000,
  // the contract's is 3003. (NITRO_PORT, Nitro's own variable, still wins if someone sets it.)
  process.env.PORT = String(config.port);
  // No fetch here: the JWKS is fetched on first need, so the app starts while the issuer is down.
  installVerifier(createVerifier(config));
});
