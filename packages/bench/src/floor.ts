import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Alg } from './entries.ts';
import { pinned } from './proc.ts';

/**
 * OpenSSL's own verify, the floor under nginx's auth (issue #20): the Lua app hands every
 * signature to this same libcrypto, so what it costs beyond this is its own work. Timed with
 * `openssl speed` on the server core, between the app's windows, so that both see the same host.
 */
const SPEED_NAME: Record<Alg, string> = { RS256: 'rsa2048', ES256: 'ecdsap256', EdDSA: 'ed25519' };

/**
 * `-mr` prints a machine-readable summary line, its last field the verifies per second:
 * `+F2:2:2048:<sign/s>:<verify/s>` (RSA), `+F4:…` (ECDSA), `+F6:0:253:Ed25519:<sign/s>:<verify/s>`.
 */
export function parseSpeed(output: string): number {
  const line = output.split('\n').find((l) => /^\+F\d+:/.test(l));
  const perSecond = Number(line?.split(':').at(-1));
  if (!(perSecond > 0)) throw new Error('openssl speed printed no verify rate');
  return 1e6 / perSecond;
}

/** µs per verify of ALG's key type, on `core` for `seconds`. */
export async function opensslVerifyUs(core: number | null, alg: Alg, seconds: number): Promise<number> {
  const [bin, ...args] = pinned(core, [
    'openssl',
    'speed',
    '-seconds',
    String(seconds),
    '-mr',
    SPEED_NAME[alg],
  ]);
  const { stdout } = await promisify(execFile)(bin as string, args);
  return parseSpeed(stdout);
}
