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
  /**
   * The accepted `iss` values, each compared as an exact string (RFC 7519 §4.1.1): one per
   * environment of the gateway (production, each preview), never a pattern. Each has its own keys.
   */
  issuers: string[];
  /** Where the keys are; unset: found by discovery (`jwks.ts`). Only with a single issuer. */
  jwksUri: string | undefined;
  /** `undefined`: `aud` is not checked; otherwise `aud` must contain one of these. */
  audience: string[] | undefined;
  algorithms: Algorithm[];
  /** Seconds of leeway for `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5). */
  clockTolerance: number;
  /** Seconds a fetched key set is used before it is fetched again (in the background). */
  jwksMaxAge: number;
  /** The request header the token comes in, lower-case (default `authorization`). */
  header: string;
  /** What precedes the token in that header, matched in any case; empty: the whole value. */
  tokenPrefix: string;
}

/** More issuers than a gateway has environments worth listing is a typo or a pattern in disguise. */
export const MAX_ISSUERS = 16;
// RFC 9110 §5.6.2: a header name, and an auth-scheme, is a token.
const TOKEN = /^[!#$%&'*+.^_`|~\w-]+$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function fail(name: string, expected: string, value: string): never {
  throw new ConfigError(`${name} must be ${expected}, got ${JSON.stringify(value.slice(0, 60))}.`);
}

/**
 * Comma-separated, entries trimmed; an empty entry is a typo, not something to guess around. A
 * repeat is dropped, or refused where it says the list is not what was meant (issuers).
 */
function list(env: Env, name: string, repeats: 'drop' | 'refuse' = 'drop'): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((item) => item.trim());
  if (items.includes('')) fail(name, 'a comma-separated list without empty entries', raw);
  if (repeats === 'refuse' && new Set(items).size < items.length) fail(name, 'a list without repeats', raw);
  return [...new Set(items)];
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw !== undefined && !/^\d{1,9}$/.test(raw)) fail(name, 'a whole number of seconds (0 or more)', raw);
  return raw === undefined ? fallback : Number(raw);
}

function httpUrl(name: string, value: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') fail(name, 'an http(s) URL', value);
  noCredentials(name, url);
  return url.href;
}

/** Credentials in a URL would be logged (fetch failures, the start-up line); never echo them here either. */
function noCredentials(name: string, url: URL): void {
  if (url.username || url.password)
    throw new ConfigError(`${name} must be an http(s) URL without a user name or password.`);
}

/** RFC 8725 §3.1-3.2: never `none`, never an HMAC secret shared with a public issuer. */
function algorithm(name: string): Algorithm {
  if (!(ALGORITHMS as readonly string[]).includes(name))
    fail('JWT_ALGORITHMS', `a list of ${ALGORITHMS.join(' ')}`, name);
  return name as Algorithm;
}

export function readConfig(env: Env): Config {
  if ((env.JWT_ISSUER ?? '').trim() === '')
    throw new ConfigError(
      'JWT_ISSUER is required: the issuer URL of your gateway (the exact iss of its tokens).',
    );
  const issuers = list(env, 'JWT_ISSUER', 'refuse') as string[];
  if (issuers.length > MAX_ISSUERS)
    fail('JWT_ISSUER', `at most ${MAX_ISSUERS} issuers`, env.JWT_ISSUER ?? '');
  let jwksUri: string | undefined;
  if (env.JWT_JWKS_URI !== undefined) {
    if (issuers.length > 1)
      throw new ConfigError(
        'JWT_JWKS_URI needs a single JWT_ISSUER: with several, each issuer is discovered.',
      );
    jwksUri = httpUrl('JWT_JWKS_URI', env.JWT_JWKS_URI);
    // The issuer is then only compared, never fetched, yet the app's start-up line names it.
    for (const issuer of issuers) if (URL.canParse(issuer)) noCredentials('JWT_ISSUER', new URL(issuer));
  } else {
    // Without a JWKS URI, each issuer's keys are found from its URL (discovery, then jwks.json).
    for (const issuer of issuers) httpUrl('JWT_ISSUER', issuer);
  }
  const header = (env.JWT_HEADER ?? 'authorization').toLowerCase();
  if (!TOKEN.test(header)) fail('JWT_HEADER', 'a header name', header);
  const tokenPrefix = env.JWT_TOKEN_PREFIX ?? 'Bearer';
  if (tokenPrefix !== '' && !TOKEN.test(tokenPrefix))
    fail('JWT_TOKEN_PREFIX', 'a word like Bearer, or empty', tokenPrefix);
  return {
    issuers,
    jwksUri,
    audience: list(env, 'JWT_AUDIENCE'),
    algorithms: list(env, 'JWT_ALGORITHMS')?.map(algorithm) ?? [...ALGORITHMS],
    clockTolerance: seconds(env, 'JWT_CLOCK_TOLERANCE', 5),
    jwksMaxAge: seconds(env, 'JWT_JWKS_MAX_AGE', 600),
    header,
    tokenPrefix,
  };
}

export function readPort(env: Env, fallback: number): number {
  const raw = env.PORT;
  if (raw !== undefined && !(/^\d{1,5}$/.test(raw) && Number(raw) <= 65_535))
    fail('PORT', 'a port from 0 to 65535', raw);
  return raw === undefined ? fallback : Number(raw);
}
