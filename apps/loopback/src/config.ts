/**
 * The whole configuration, read from the environment ONCE at start-up and validated, so a
 * mistake stops the process with one line naming the variable instead of failing per request.
 */

/** What jsonwebtoken 9 can verify, in the contract's list (RFC 7518 §3.1). */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
] as const;
export type Algorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export const DEFAULT_PORT = 3004;

export interface Config {
  port: number;
  /** The only accepted `iss`, compared as an exact string (RFC 7519 §4.1.1). */
  issuer: string;
  jwksUri: string;
  /** When set, `aud` must contain one of these (RFC 7519 §4.1.3); undefined = not checked. */
  audiences: string[] | undefined;
  algorithms: Algorithm[];
  /** Leeway in seconds for `exp` and `nbf` (RFC 7519 §4.1.4-5). */
  clockTolerance: number;
}

/** A configuration mistake; `message` is the one line printed before exiting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function fail(variable: string, why: string): never {
  throw new ConfigError(`Invalid configuration: ${variable} ${why}`);
}

/** Comma-separated, entries trimmed, empty entries dropped. */
const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) fail('PORT', `must be a port number from 0 to 65535, got "${value}".`);
  return port;
}

function parseJwksUri(env: Env, issuer: string): string {
  const explicit = env.JWT_JWKS_URI;
  const variable = explicit === undefined ? 'JWT_ISSUER' : 'JWT_JWKS_URI';
  // The gateway serves its keys under the issuer URL; strip one trailing slash to avoid "//".
  const uri = explicit ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
  let url: URL | undefined;
  try {
    url = new URL(uri);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    const what = explicit === undefined ? `gives the JWKS URL "${uri}", which` : '';
    fail(variable, `${what} must be an http(s) URL.`.trimStart());
  }
  return uri;
}

function parseAlgorithms(value: string | undefined): Algorithm[] {
  if (value === undefined) return ['RS256'];
  const algorithms = list(value);
  if (algorithms.length === 0) fail('JWT_ALGORITHMS', 'is set but lists no algorithm.');
  for (const alg of algorithms) {
    // RFC 8725 §3.1-3.2: never "none", never a shared-secret algorithm for tokens from a gateway.
    if (alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg)) {
      fail('JWT_ALGORITHMS', `must not contain "${alg}": unsigned and HMAC tokens are never accepted.`);
    }
    if (alg === 'EdDSA') {
      fail(
        'JWT_ALGORITHMS',
        "contains EdDSA, which jsonwebtoken 9 (this app's verifier) cannot verify; remove it.",
      );
    }
    if (!(SUPPORTED_ALGORITHMS as readonly string[]).includes(alg)) {
      fail('JWT_ALGORITHMS', `contains "${alg}"; allowed: ${SUPPORTED_ALGORITHMS.join(', ')}.`);
    }
  }
  return [...new Set(algorithms)] as Algorithm[];
}

function parseTolerance(value: string | undefined): number {
  if (value === undefined) return 5;
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(seconds)) {
    fail('JWT_CLOCK_TOLERANCE', `must be a whole number of seconds (0 or more), got "${value}".`);
  }
  return seconds;
}

/** Reads and validates the environment; throws ConfigError with the one line to print. */
export function loadConfig(env: Env): Config {
  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '') {
    fail(
      'JWT_ISSUER',
      'is required: the issuer URL of your gateway, e.g. https://<deployment>.zuplo.app/__zuplo/issuer.',
    );
  }
  const audience = env.JWT_AUDIENCE;
  const audiences = audience === undefined ? undefined : list(audience);
  if (audiences?.length === 0)
    fail('JWT_AUDIENCE', 'is set but lists no audience; unset it to skip the aud check.');
  return {
    port: parsePort(env.PORT),
    issuer,
    jwksUri: parseJwksUri(env, issuer),
    audiences,
    algorithms: parseAlgorithms(env.JWT_ALGORITHMS),
    clockTolerance: parseTolerance(env.JWT_CLOCK_TOLERANCE),
  };
}
