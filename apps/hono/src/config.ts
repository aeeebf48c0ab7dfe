/**
 * The environment, read and validated once at start-up (shared/CONTRACT.md, "Configuration").
 * Any problem is a ConfigError whose message is one line naming the variable.
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
export type Alg = (typeof ALGORITHMS)[number];

export interface Config {
  port: number;
  /** The only accepted `iss`, compared as an exact string. */
  issuer: string;
  jwksUri: URL;
  /** `undefined` when JWT_AUDIENCE is unset: `aud` is then not checked. */
  audiences: string[] | undefined;
  algorithms: Alg[];
  /** Seconds of leeway for `exp` and `nbf` (RFC 7519 §4.1.4, §4.1.5). */
  clockTolerance: number;
}

export const DEFAULT_PORT = 3002;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Comma-separated list, entries trimmed, empty entries dropped; `undefined` when unset. */
function list(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0)
    throw new ConfigError(`${name} is set but lists nothing; unset it or give a value.`);
  return items;
}

function integer(env: Env, name: string, fallback: number, max: number, what: string): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value <= max)) throw new ConfigError(`${name} must be ${what}, got ${JSON.stringify(raw)}.`);
  return value;
}

function httpUrl(value: string, name: string, why: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new ConfigError(`${name} must ${why} an http(s) URL, got ${JSON.stringify(value)}.`);
  }
  return url;
}

function algorithms(env: Env): Alg[] {
  const names = list(env, 'JWT_ALGORITHMS') ?? ['RS256'];
  for (const name of names) {
    if ((ALGORITHMS as readonly string[]).includes(name)) continue;
    // RFC 8725 §3.1/§3.2: never `none`, never a shared secret for a public issuer.
    const why =
      name.toLowerCase() === 'none'
        ? 'unsigned tokens are never accepted'
        : /^HS\d+$/i.test(name)
          ? 'HMAC algorithms are never accepted'
          : `allowed: ${ALGORITHMS.join(' ')}`;
    throw new ConfigError(`JWT_ALGORITHMS contains ${JSON.stringify(name)}: ${why}.`);
  }
  return [...new Set(names as Alg[])];
}

export function loadConfig(env: Env = process.env): Config {
  const issuer = env.JWT_ISSUER;
  if (issuer === undefined || issuer.trim() === '') {
    throw new ConfigError(
      'JWT_ISSUER is required: the issuer URL of your gateway (the exact iss of its tokens).',
    );
  }
  // The gateway publishes its keys under the issuer (https://<deployment>.zuplo.app/__zuplo/issuer).
  const jwksUri =
    env.JWT_JWKS_URI !== undefined
      ? httpUrl(env.JWT_JWKS_URI, 'JWT_JWKS_URI', 'be')
      : httpUrl(
          `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`,
          'JWT_ISSUER',
          'be (when JWT_JWKS_URI is unset)',
        );
  return {
    port: integer(env, 'PORT', DEFAULT_PORT, 65_535, 'a port number from 0 to 65535'),
    issuer,
    jwksUri,
    audiences: list(env, 'JWT_AUDIENCE'),
    algorithms: algorithms(env),
    clockTolerance: integer(
      env,
      'JWT_CLOCK_TOLERANCE',
      5,
      Number.MAX_SAFE_INTEGER,
      'a whole number of seconds (0 or more)',
    ),
  };
}

/**
 * What the runtime cannot verify is refused like an unknown algorithm: EdDSA needs Ed25519 in
 * WebCrypto, which jose 6 uses. Imports one fixed public key (RFC 8037 §A.2) to find out.
 */
export async function checkRuntimeSupport(config: Config): Promise<void> {
  if (!config.algorithms.includes('EdDSA')) return;
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
  try {
    await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new ConfigError(
      `JWT_ALGORITHMS contains EdDSA, but Node.js ${process.version} has no Ed25519 in WebCrypto.`,
    );
  }
}
