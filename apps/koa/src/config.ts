/**
 * The environment, read and validated once at start-up. A bad value stops the process with
 * one line naming the variable (no stack trace), so a misconfiguration never becomes a
 * server that quietly accepts the wrong tokens.
 */

/** What jsonwebtoken 9 can verify from the contract's list (RFC 7518 §3.1); no `none`, no HS*. */
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

export const DEFAULT_PORT = 3001;
export const DEFAULT_CLOCK_TOLERANCE = 5;

export interface Config {
  port: number;
  /** The only accepted `iss`, compared as an exact string (RFC 7519 §4.1.1). */
  issuer: string;
  jwksUri: string;
  /** Undefined: `aud` is not checked. Otherwise `aud` must contain one of these. */
  audiences: string[] | undefined;
  algorithms: Algorithm[];
  /** Seconds of leeway for `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5). */
  clockTolerance: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const show = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);

/** Comma-separated, entries trimmed, empty entries dropped. */
const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function parseAlgorithm(name: string): Algorithm {
  if ((SUPPORTED_ALGORITHMS as readonly string[]).includes(name)) return name as Algorithm;
  if (name === 'EdDSA') {
    throw new ConfigError(
      'JWT_ALGORITHMS',
      'EdDSA is not supported here: jsonwebtoken 9 cannot verify EdDSA signatures. Use RS256/PS256/ES256 keys, or a backend whose library verifies EdDSA.',
    );
  }
  if (/^none$/i.test(name) || /^HS\d+$/i.test(name)) {
    throw new ConfigError('JWT_ALGORITHMS', `${show(name)} is never accepted (RFC 8725 §3.1, §3.2).`);
  }
  throw new ConfigError('JWT_ALGORITHMS', `${show(name)} is not one of ${SUPPORTED_ALGORITHMS.join(', ')}.`);
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  let port = DEFAULT_PORT;
  if (env.PORT !== undefined) {
    if (!/^\d{1,5}$/.test(env.PORT) || Number(env.PORT) > 65535) {
      throw new ConfigError('PORT', `${show(env.PORT)} is not a port number (0-65535).`);
    }
    port = Number(env.PORT);
  }

  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '') {
    throw new ConfigError(
      'JWT_ISSUER',
      'required: the issuer URL of your gateway, e.g. https://<deployment>.zuplo.app/__zuplo/issuer',
    );
  }

  let jwksUri: string | undefined;
  if (env.JWT_JWKS_URI !== undefined) {
    jwksUri = httpUrl(env.JWT_JWKS_URI);
    if (!jwksUri) throw new ConfigError('JWT_JWKS_URI', `${show(env.JWT_JWKS_URI)} is not an http(s) URL.`);
  } else {
    // The gateway's layout: the JWKS lives under the issuer URL.
    jwksUri = httpUrl(`${issuer.replace(/\/$/, '')}/.well-known/jwks.json`);
    if (!jwksUri) {
      throw new ConfigError(
        'JWT_ISSUER',
        `${show(issuer)} is not an http(s) URL, so the JWKS URI cannot be derived from it (or set JWT_JWKS_URI).`,
      );
    }
  }

  let audiences: string[] | undefined;
  if (env.JWT_AUDIENCE !== undefined) {
    audiences = [...new Set(list(env.JWT_AUDIENCE))];
    if (audiences.length === 0) {
      throw new ConfigError('JWT_AUDIENCE', 'set but lists no audience (unset it to leave aud unchecked).');
    }
  }

  let algorithms: Algorithm[] = ['RS256'];
  if (env.JWT_ALGORITHMS !== undefined) {
    algorithms = [...new Set(list(env.JWT_ALGORITHMS).map(parseAlgorithm))];
    if (algorithms.length === 0) throw new ConfigError('JWT_ALGORITHMS', 'set but lists no algorithm.');
  }

  let clockTolerance = DEFAULT_CLOCK_TOLERANCE;
  if (env.JWT_CLOCK_TOLERANCE !== undefined) {
    clockTolerance = Number(env.JWT_CLOCK_TOLERANCE);
    if (!/^\d+$/.test(env.JWT_CLOCK_TOLERANCE) || !Number.isSafeInteger(clockTolerance)) {
      throw new ConfigError(
        'JWT_CLOCK_TOLERANCE',
        `${show(env.JWT_CLOCK_TOLERANCE)} is not a non-negative whole number of seconds.`,
      );
    }
  }

  return { port, issuer, jwksUri, audiences, algorithms, clockTolerance };
}

/** parseConfig on process.env; on a bad value, one line on stderr and exit code 1. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`koa-app: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}
