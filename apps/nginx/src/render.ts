// Renders nginx/*.conf into a private prefix: placeholders filled, the verifier's settings
// written as conf/jwt-config.json (read by init_by_lua_block). Nothing here touches /etc/nginx.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { type Config, ConfigError } from './config.js';

export interface RenderOptions {
  config: Config;
  /** The app folder (holds nginx/ and lua/). */
  appDir: string;
  /** The private prefix: conf/, temp/ and the pid file go here. */
  prefix: string;
  modules: { ndk: string; lua: string };
  upstreamPort: number;
  workers: number;
  /** /etc/resolv.conf's text, for `resolver` when the JWKS host is a name. */
  resolvConf?: string;
  /** Whether nginx can open /dev/stdout (not when stdout is a socket) for the access log. */
  stdoutLog?: boolean;
  /** The bench's unauthenticated /baseline (NGINX_BENCH_BASELINE=1): never in a deployment. */
  baseline?: boolean;
}

const CA_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** An nginx string literal: double-quoted, `"` and `\` escaped. */
export const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function nameservers(resolvConf: string): string[] {
  return (
    resolvConf
      .split('\n')
      .map((line) => /^\s*nameserver\s+(\S+)/.exec(line)?.[1])
      // nginx cannot take a zone id (fe80::1%eth0): such entries are left out.
      .filter((ip): ip is string => ip !== undefined && !ip.includes('%') && isIP(ip) !== 0)
      .map((ip) => (isIP(ip) === 6 ? `[${ip}]` : ip))
  );
}

/** Every URL the verifier is configured with: the JWKS URI, or the issuers it discovers from. */
const urlsOf = (config: Config) => (config.jwksUri ? [config.jwksUri] : config.issuers);

/**
 * Cosockets resolve names with nginx's resolver (not /etc/hosts; `localhost` is 127.0.0.1). A
 * discovered jwks_uri may name any host, so the system's nameservers are used whenever known.
 */
function resolver(config: Config, resolvConf: string | undefined): string {
  const named = urlsOf(config)
    .map((url) => new URL(url).hostname.replace(/^\[|\]$/g, ''))
    .find((host) => isIP(host) === 0 && host !== 'localhost');
  const servers = nameservers(resolvConf ?? '');
  if (servers.length > 0) return `resolver ${servers.join(' ')} valid=60s;\n    resolver_timeout 5s;`;
  const variable = config.jwksUri ? 'JWT_JWKS_URI' : 'JWT_ISSUER';
  if (named) throw new ConfigError(variable, `names the host ${named}, but /etc/resolv.conf lists no nameserver`);
  return '# No nameserver known: only IP literals and localhost can be fetched.';
}

function caBundle(config: Config): string {
  const bundle = CA_BUNDLES.find((path) => existsSync(path));
  if (bundle) return quoted(bundle);
  if (urlsOf(config).some((url) => url.startsWith('https:')))
    throw new ConfigError('JWT_ISSUER', 'is https, but no CA bundle was found to verify it (install ca-certificates)');
  return '/dev/null';
}

/**
 * The bench reads the same-token rate against the same request proxied to the same upstream
 * without auth (issue #20): the bearer token's payload segment goes up UNVERIFIED as X-JWT-Claims,
 * so the upstream does the same work; without one, `{"sub":"baseline"}`. Never in a deployment.
 */
const BASELINE = `location = /baseline {
            set $jwt_unverified "eyJzdWIiOiJiYXNlbGluZSJ9";
            if ($http_authorization ~ "^Bearer [^.]+\\.([A-Za-z0-9_-]+)\\.") {
                set $jwt_unverified $1;
            }
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "";
            proxy_set_header X-JWT-Claims $jwt_unverified;
            proxy_pass http://jwt_app_upstream/protected;
        }`;

function fill(template: string, values: Record<string, string>, file: string): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: unknown placeholder {{${name}}}`);
    return value;
  });
}

/** Writes conf/ under the prefix; returns the path of the main nginx.conf. */
export function renderConf(options: RenderOptions): string {
  const { config, appDir, prefix } = options;
  if (!/^[A-Za-z0-9._/-]+$/.test(prefix)) throw new Error(`the nginx prefix ${prefix} has characters nginx cannot take`);
  const values: Record<string, string> = {
    PREFIX: prefix,
    LUA_DIR: join(appDir, 'lua'),
    NDK_MODULE: quoted(options.modules.ndk),
    LUA_MODULE: quoted(options.modules.lua),
    WORKERS: String(options.workers),
    // Buffered: one write per 64 KiB or per second, not one per request.
    ACCESS_LOG: options.stdoutLog ? '/dev/stdout jwt_uri buffer=64k flush=1s' : 'off',
    PORT: String(config.port),
    UPSTREAM_PORT: String(options.upstreamPort),
    RESOLVER: resolver(config, options.resolvConf),
    CA_BUNDLE: caBundle(config),
    BASELINE: options.baseline ? BASELINE : '',
  };
  const confDir = join(prefix, 'conf');
  for (const dir of [confDir, join(prefix, 'temp')]) mkdirSync(dir, { recursive: true });
  const templates = join(appDir, 'nginx');
  for (const file of readdirSync(templates).filter((name) => name.endsWith('.conf'))) {
    writeFileSync(join(confDir, file), fill(readFileSync(join(templates, file), 'utf8'), values, file));
  }
  const settings = {
    issuers: config.issuers,
    jwks_uri: config.jwksUri ?? null,
    audiences: config.audiences ?? null,
    algorithms: config.algorithms,
    clock_tolerance: config.clockTolerance,
    jwks_max_age: config.jwksMaxAge,
    header: config.header,
    token_prefix: config.tokenPrefix,
  };
  writeFileSync(join(confDir, 'jwt-config.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return join(confDir, 'nginx.conf');
}
