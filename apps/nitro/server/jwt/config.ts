/**
 * The environment, read and validated once at start-up. Any problem is a ConfigError whose
 * message is one line naming the variable, so a typo never becomes a server that quietly
 * accepts the wrong tokens.
 */
export const ALGORITHMS = [
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
export type Algorithm = (typeof ALGORITHMS)[number];

export interface Config {
  /** The only accepted `iss`, compared as an exact string (RFC 7519 §4.1.1). */
  issuer: string;
  jwksUri: string;
  /** `undefined`: `aud` is not checked; otherwise `aud` must contain one of these. */
  audience: string[] | undefined;
  algorithms: Algorithm[];
  /** Seconds of leeway for `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5). */
  clockTolerance: number;
  /** Seconds a fetched key set is used before it is fetched again in the background. */
  jwksMaxAge: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const show = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);

/** Comma-separated; entries trimmed; an empty entry is a typo, not something to guess around. */
function list(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((item) => item.trim());
  if (items.includes(''))
    throw new ConfigError(`${name} has an empty entry in ${show(raw)}; separate values with commas.`);
  return [...new Set(items)];
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw))
    throw new ConfigError(`${name} must be a whole number of seconds (0 or more), got ${show(raw)}.`);
  return Number(raw);
}

function httpUrl(value: string, name: string, what: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new ConfigError(`${name} must be ${what} http(s) URL, got ${show(value)}.`);
  return url.href;
}

function algorithm(name: string): Algorithm {
  if ((ALGORITHMS as readonly string[]).includes(name)) return name as Algorithm;
  // RFC 8725 §3.1, §3.2: unsigned tokens and shared secrets are never accepted from an issuer.
  const why = /^none$/i.test(name)
    ? 'unsigned tokens are never accepted'
    : /^HS\d+$/i.test(name)
      ? 'HMAC algorithms are never accepted'
      : `allowed: ${ALGORITHMS.join(' ')}`;
  throw new ConfigError(`JWT_ALGORITHMS contains ${show(name)}: ${why}.`);
}

export function readConfig(env: Env): Config {
  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '')
    throw new ConfigError(
      'JWT_ISSUER is required: the issuer URL of your gateway (the exact iss of its tokens).',
    );
  // The gateway's layout: keys at <issuer>/.well-known/jwks.json.
  const jwksUri =
    env.JWT_JWKS_URI === undefined
      ? httpUrl(`${issuer.replace(/\/$/, '')}/.well-known/jwks.json`, 'JWT_ISSUER', 'an')
      : httpUrl(env.JWT_JWKS_URI, 'JWT_JWKS_URI', 'an');
  return {
    issuer,
    jwksUri,
    audience: list(env, 'JWT_AUDIENCE'),
    algorithms: list(env, 'JWT_ALGORITHMS')?.map(algorithm) ?? [...ALGORITHMS],
    clockTolerance: seconds(env, 'JWT_CLOCK_TOLERANCE', 5),
    jwksMaxAge: seconds(env, 'JWT_JWKS_MAX_AGE', 600),
  };
}

export function readPort(env: Env, fallback: number): number {
  const raw = env.PORT;
  if (raw === undefined) return fallback;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535)
    throw new ConfigError(`PORT must be a port number from 0 to 65535, got ${show(raw)}.`);
  return Number(raw);
}
