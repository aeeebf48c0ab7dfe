// Reads and validates the environment once, at start-up (the contract's table).
// Every problem is one line naming the variable; start.ts prints it and exits 1.
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];
export const DEFAULT_PORT = 3005;

export interface Config {
  port: number;
  issuer: string;
  jwksUri: string;
  /** undefined: `aud` is not checked. */
  audiences: string[] | undefined;
  algorithms: string[];
  clockTolerance: number;
  /** Seconds a fetched key set is used before it is fetched again (in the background). */
  jwksMaxAge: number;
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

function httpUrl(value: string, variable: string, what: string): string {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new ConfigError(variable, `must make ${what} an http(s) URL (got "${value}")`);
  if (url.username || url.password) throw new ConfigError(variable, `must not carry credentials in ${what}`);
  return url.href;
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

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '')
    throw new ConfigError('JWT_ISSUER', 'is required (the exact iss of your tokens)');
  const jwksUri =
    env.JWT_JWKS_URI === undefined
      ? httpUrl(`${issuer.replace(/\/$/, '')}/.well-known/jwks.json`, 'JWT_ISSUER', 'the default JWKS URI')
      : httpUrl(env.JWT_JWKS_URI, 'JWT_JWKS_URI', 'the JWKS URI');
  const audiences = env.JWT_AUDIENCE === undefined ? undefined : list(env.JWT_AUDIENCE);
  if (audiences?.length === 0) throw new ConfigError('JWT_AUDIENCE', 'is set but lists no audience');
  return {
    port: port(env.PORT),
    issuer,
    jwksUri,
    audiences,
    algorithms: algorithms(env.JWT_ALGORITHMS),
    clockTolerance: seconds(env.JWT_CLOCK_TOLERANCE, 'JWT_CLOCK_TOLERANCE', 5, 0),
    jwksMaxAge: seconds(env.JWT_JWKS_MAX_AGE, 'JWT_JWKS_MAX_AGE', 600, 1),
  };
}
