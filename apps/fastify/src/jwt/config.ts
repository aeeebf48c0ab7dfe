/**
 * The environment, read and validated once at start-up. Any problem is a ConfigError whose
 * message is one line naming the variable: a typo never becomes a server accepting the wrong tokens.
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
  /** Seconds a fetched key set is used before it is fetched again (in the background). */
  jwksMaxAge: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function fail(name: string, expected: string, value: string): never {
  throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(value.slice(0, 60))}.`);
}

/** Comma-separated, entries trimmed; an empty entry is a typo, not something to guess around. */
function list(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  const items = raw?.split(',').map((item) => item.trim());
  if (raw !== undefined && items?.includes(''))
    fail(name, 'a comma-separated list without empty entries', raw);
  return items && [...new Set(items)];
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw !== undefined && !/^\d{1,9}$/.test(raw)) fail(name, 'a whole number of seconds (0 or more)', raw);
  return raw === undefined ? fallback : Number(raw);
}

function httpUrl(name: string, value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') fail(name, 'an http(s) URL', value);
  // Credentials in a key URL would be logged with every failed fetch; never echo them here either.
  if (url.username || url.password)
    throw new ConfigError(`${name} must be an http(s) URL without a user name or password.`);
  return url.href;
}

/** RFC 8725 §3.1-3.2: never `none`, never an HMAC secret shared with a public issuer. */
function algorithm(name: string): Algorithm {
  if (!(ALGORITHMS as readonly string[]).includes(name))
    fail('JWT_ALGORITHMS', `a list of ${ALGORITHMS.join(' ')}`, name);
  return name as Algorithm;
}

export function readConfig(env: Env): Config {
  const issuer = env.JWT_ISSUER ?? '';
  if (issuer.trim() === '')
    throw new ConfigError(
      'JWT_ISSUER is required: the issuer URL of your gateway (the exact iss of its tokens).',
    );
  return {
    issuer,
    // The gateway's layout: keys at <issuer>/.well-known/jwks.json.
    jwksUri:
      env.JWT_JWKS_URI !== undefined
        ? httpUrl('JWT_JWKS_URI', env.JWT_JWKS_URI)
        : httpUrl('JWT_ISSUER', `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`),
    audience: list(env, 'JWT_AUDIENCE'),
    algorithms: list(env, 'JWT_ALGORITHMS')?.map(algorithm) ?? [...ALGORITHMS],
    clockTolerance: seconds(env, 'JWT_CLOCK_TOLERANCE', 5),
    jwksMaxAge: seconds(env, 'JWT_JWKS_MAX_AGE', 600),
  };
}

export function readPort(env: Env, fallback: number): number {
  const raw = env.PORT;
  if (raw !== undefined && !(/^\d{1,5}$/.test(raw) && Number(raw) <= 65_535))
    fail('PORT', 'a port from 0 to 65535', raw);
  return raw === undefined ? fallback : Number(raw);
}
