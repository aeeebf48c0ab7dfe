// Reads and validates the environment once, at start-up (the contract's table).
// Every problem is one line naming the variable; start.ts prints it and exits 1.
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
export const DEFAULT_PORT = 3005;
/** One per environment of the gateway; more is a typo or a pattern in disguise. */
export const MAX_ISSUERS = 16;
// RFC 9110 §5.6.2: a header name, and an auth-scheme, is a token.
const TOKEN = /^[!#$%&'*+.^`|~\w-]+$/;

export interface Config {
  port: number;
  /** The accepted `iss` values, exact strings, each with its own key set. */
  issuers: string[];
  /** undefined: each issuer's keys are found by discovery (lua/jwt/jwks.lua). */
  jwksUri: string | undefined;
  /** undefined: `aud` is not checked. */
  audiences: string[] | undefined;
  algorithms: string[];
  clockTolerance: number;
  /** Seconds a fetched key set is used before it is fetched again (in the background). */
  jwksMaxAge: number;
  /** The request header the token comes in, lower-case. */
  header: string;
  /** What precedes the token, any case; empty: the whole value is the token. */
  tokenPrefix: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`${variable} ${detail}`);
  }
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');

function port(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new ConfigError('PORT', `must be a port number from 0 to 65535 (got "${value}")`);
  return Number(value);
}

// Never echoes the value: it may hold a password.
function httpUrl(value: string, variable: string, what: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new ConfigError(variable, `must make ${what} an http(s) URL`);
  if (url.username || url.password) throw new ConfigError(variable, `must not carry a user name or password in ${what}`);
  return url.href;
}

function issuers(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '')
    throw new ConfigError('JWT_ISSUER', 'is required (the exact iss of your tokens, comma-separated)');
  const items = value.split(',').map((item) => item.trim());
  if (items.includes('')) throw new ConfigError('JWT_ISSUER', 'has an empty entry');
  if (new Set(items).size < items.length) throw new ConfigError('JWT_ISSUER', 'lists an issuer twice');
  if (items.length > MAX_ISSUERS) throw new ConfigError('JWT_ISSUER', `lists more than ${MAX_ISSUERS} issuers`);
  return items;
}

function algorithms(value: string | undefined): string[] {
  if (value === undefined) return [...ALGORITHMS]; // the contract's default: all nine
  const names = list(value);
  if (names.length === 0) throw new ConfigError('JWT_ALGORITHMS', 'is set but lists no algorithm');
  const wrong = names.find((name) => !ALGORITHMS.includes(name));
  if (wrong)
    throw new ConfigError('JWT_ALGORITHMS', `lists "${wrong}"; allowed: ${ALGORITHMS.join(', ')} (never none or HS*)`);
  return [...new Set(names)];
}

function seconds(value: string | undefined, variable: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min)
    throw new ConfigError(variable, `must be a whole number of seconds, at least ${min} (got "${value}")`);
  return Number(value);
}

function word(value: string, variable: string, what: string): string {
  if (value !== '' && !TOKEN.test(value)) throw new ConfigError(variable, `must be ${what} (got "${value.slice(0, 60)}")`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const list_ = issuers(env.JWT_ISSUER);
  let jwksUri: string | undefined;
  if (env.JWT_JWKS_URI !== undefined) {
    if (list_.length > 1) throw new ConfigError('JWT_JWKS_URI', 'needs a single JWT_ISSUER: with several, each is discovered');
    jwksUri = httpUrl(env.JWT_JWKS_URI, 'JWT_JWKS_URI', 'the JWKS URI');
    // The issuer is then only compared, never fetched, yet the start-up line names it.
    const url = URL.canParse(list_[0] as string) ? new URL(list_[0] as string) : undefined;
    if (url?.username || url?.password) throw new ConfigError('JWT_ISSUER', 'must not carry a user name or password');
  } else {
    // Discovery starts from the issuer URL itself.
    for (const issuer of list_) httpUrl(issuer, 'JWT_ISSUER', 'each issuer');
  }
  const audiences = env.JWT_AUDIENCE === undefined ? undefined : list(env.JWT_AUDIENCE);
  if (audiences?.length === 0) throw new ConfigError('JWT_AUDIENCE', 'is set but lists no audience');
  const header = (env.JWT_HEADER ?? 'authorization').toLowerCase();
  // nginx drops header names with other characters (ignore_invalid_headers): it would never see the token.
  if (!/^[a-z0-9-]+$/.test(header))
    throw new ConfigError('JWT_HEADER', `must be a header name of letters, digits and hyphens (got "${header.slice(0, 60)}")`);
  return {
    port: port(env.PORT),
    issuers: list_,
    jwksUri,
    audiences,
    algorithms: algorithms(env.JWT_ALGORITHMS),
    clockTolerance: seconds(env.JWT_CLOCK_TOLERANCE, 'JWT_CLOCK_TOLERANCE', 5, 0),
    jwksMaxAge: seconds(env.JWT_JWKS_MAX_AGE, 'JWT_JWKS_MAX_AGE', 600, 1),
    header,
    tokenPrefix: word(env.JWT_TOKEN_PREFIX ?? 'Bearer', 'JWT_TOKEN_PREFIX', 'a word like Bearer, or empty'),
  };
}
