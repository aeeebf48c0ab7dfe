/**
 * The configuration, read from the environment once at start-up (server/plugins/config.ts) and
 * validated there, so a mistake stops the process with one line instead of failing requests.
 * Framework-free: plain `process.env` names, no Nitro runtimeConfig prefixes.
 */

/** The contract's allow-list. HS* and `none` are absent on purpose (RFC 8725 §3.1, §3.2). */
export const SUPPORTED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type Algorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export const DEFAULT_PORT = 3003;
export const DEFAULT_CLOCK_TOLERANCE = 5;

export interface Config {
  port: number;
  /** The only accepted `iss`, compared as an exact string (RFC 7519 §4.1.1). */
  issuer: string;
  jwksUri: string;
  /** Undefined: `aud` is not checked. */
  audiences: readonly string[] | undefined;
  algorithms: readonly Algorithm[];
  /** Seconds of leeway for `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5). */
  clockTolerance: number;
}

/** A configuration mistake; the message is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
  }
}

type Env = Record<string, string | undefined>;

const isSupported = (value: string): value is Algorithm =>
  (SUPPORTED_ALGORITHMS as readonly string[]).includes(value);

/** Comma-separated, entries trimmed, empty entries dropped. */
const list = (value: string): string[] =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

function integer(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER
        ? 'a whole number of seconds, 0 or more'
        : `a whole number from 0 to ${max}`;
    throw new ConfigError(name, `must be ${range}, got ${JSON.stringify(raw)}.`);
  }
  return Number(raw);
}

function httpUrl(value: string, variable: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `must give an http(s) URL for ${what}, got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, `must give an http(s) URL for ${what}, got ${JSON.stringify(value)}.`);
  }
  return url.href;
}

function algorithms(env: Env): Algorithm[] {
  const raw = env.JWT_ALGORITHMS;
  if (raw === undefined) return ['RS256'];
  const names = list(raw);
  if (names.length === 0) throw new ConfigError('JWT_ALGORITHMS', 'lists no algorithm.');
  for (const name of names) {
    if (name.toLowerCase() === 'none' || /^HS\d+$/i.test(name)) {
      throw new ConfigError(
        'JWT_ALGORITHMS',
        `must not contain ${name}: unsigned and HMAC tokens are never accepted.`,
      );
    }
    if (!isSupported(name)) {
      throw new ConfigError(
        'JWT_ALGORITHMS',
        `contains ${JSON.stringify(name)}; use ${SUPPORTED_ALGORITHMS.join(', ')}.`,
      );
    }
  }
  return [...new Set(names as Algorithm[])];
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', DEFAULT_PORT, 65535);

  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '') {
    throw new ConfigError('JWT_ISSUER', "is required: set it to your gateway's issuer URL.");
  }

  // The gateway serves its keys under the issuer: `${issuer}/.well-known/jwks.json`.
  const jwksUri =
    env.JWT_JWKS_URI === undefined
      ? httpUrl(
          `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
          'JWT_ISSUER',
          'the default JWKS location',
        )
      : httpUrl(env.JWT_JWKS_URI, 'JWT_JWKS_URI', 'the JWKS');

  let audiences: string[] | undefined;
  if (env.JWT_AUDIENCE !== undefined) {
    audiences = list(env.JWT_AUDIENCE);
    if (audiences.length === 0)
      throw new ConfigError('JWT_AUDIENCE', 'is set but lists no audience; unset it to skip the check.');
  }

  return {
    port,
    issuer,
    jwksUri,
    audiences,
    algorithms: algorithms(env),
    clockTolerance: integer(env, 'JWT_CLOCK_TOLERANCE', DEFAULT_CLOCK_TOLERANCE, Number.MAX_SAFE_INTEGER),
  };
}
