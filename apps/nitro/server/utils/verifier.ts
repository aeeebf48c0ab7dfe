/**
 * The one verifier of this server, built from the contract's plain JWT_* variables (not Nitro's
 * NITRO_-prefixed runtime config) the first time it is asked for. On Node, Bun and Deno that is
 * at start-up (plugins/config.ts), so a bad variable stops the process before it listens. A
 * Worker has no start-up with an environment: its variables arrive with the first request (Nitro
 * exposes the bindings as process.env while it handles one), so there the verifier is made then,
 * once per isolate.
 */
import { createVerifier, readConfig, type Verifier } from '../jwt/index.js';

let verifier: Verifier | undefined;

export function useVerifier(): Verifier {
  verifier ??= createVerifier(readConfig(process.env));
  return verifier;
}
