// Renders nginx/*.conf into a private prefix: placeholders filled, settings for njs written
// as conf/jwt-config.json (read by `js_preload_object`). Nothing here touches /etc/nginx.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { type Config, ConfigError } from './config.js';

export interface RenderOptions {
  config: Config;
  /** The app folder (holds nginx/ and njs/). */
  appDir: string;
  /** The private prefix: conf/, temp/, cache/, the pid file and the JWKS socket go here. */
  prefix: string;
  jsModule: string;
  upstreamPort: number;
  workers: number;
  /** /etc/resolv.conf's text, for `resolver` when the JWKS host is a name. */
  resolvConf?: string;
  /** Whether nginx can open /dev/stdout (not when stdout is a socket) for the access log. */
  stdoutLog?: boolean;
}

const CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

/** An nginx string literal: double-quoted, `"` and `\` escaped. */
export const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** nginx's resolver ignores /etc/hosts, so `localhost` is fetched as 127.0.0.1. */
function fetchTarget(jwksUri: string): { url: URL; hostHeader: string | undefined } {
  const url = new URL(jwksUri);
  if (url.hostname !== 'localhost') return { url, hostHeader: undefined };
  const hostHeader = url.host;
  url.hostname = '127.0.0.1';
  return { url, hostHeader };
}

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

function resolverBlock(url: URL, resolvConf: string | undefined): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return '# The JWKS host is an IP address: no resolver needed.';
  const servers = nameservers(resolvConf ?? '');
  if (servers.length === 0) {
    throw new ConfigError(
      'JWT_JWKS_URI',
      `names the host ${host}, but /etc/resolv.conf lists no nameserver for nginx`,
    );
  }
  // proxy_pass takes the URL from a variable, so the name is resolved at run time (and again
  // when the gateway's addresses change), not once at start-up.
  return `resolver ${servers.join(' ')} valid=60s;\nresolver_timeout 5s;`;
}

function originTls(url: URL, hostHeader: string | undefined): string {
  const lines: string[] = [];
  if (hostHeader) lines.push(`proxy_set_header Host ${quoted(hostHeader)};`);
  if (url.protocol === 'https:') {
    const bundle = CA_BUNDLES.find((path) => existsSync(path));
    if (!bundle)
      throw new ConfigError(
        'JWT_JWKS_URI',
        'is https, but no CA bundle was found to verify it (install ca-certificates)',
      );
    // nginx does not verify upstream certificates unless told to: a JWKS from anyone is a forgery kit.
    lines.push(
      'proxy_ssl_server_name on;',
      'proxy_ssl_verify on;',
      'proxy_ssl_verify_depth 4;',
      `proxy_ssl_trusted_certificate ${quoted(bundle)};`,
      'proxy_ssl_protocols TLSv1.2 TLSv1.3;',
    );
  }
  return lines.map((line) => `        ${line}`).join('\n');
}

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
  if (!/^[A-Za-z0-9._/-]+$/.test(prefix))
    throw new Error(`the nginx prefix ${prefix} has characters nginx cannot take`);
  const { url, hostHeader } = fetchTarget(config.jwksUri);
  const values: Record<string, string> = {
    PREFIX: prefix,
    NJS_DIR: quoted(join(appDir, 'njs')),
    JS_MODULE: quoted(options.jsModule),
    WORKERS: String(options.workers),
    // Buffered: one write per 64 KiB or per second, not one per request.
    ACCESS_LOG: options.stdoutLog ? '/dev/stdout jwt_uri buffer=64k flush=1s' : 'off',
    PORT: String(config.port),
    UPSTREAM_PORT: String(options.upstreamPort),
    RESOLVER: resolverBlock(url, options.resolvConf),
    ORIGIN_TLS: originTls(url, hostHeader),
  };
  const confDir = join(prefix, 'conf');
  for (const dir of [confDir, join(prefix, 'temp'), join(prefix, 'cache'), join(prefix, 'cache-tokens')])
    mkdirSync(dir, { recursive: true });
  const templates = join(appDir, 'nginx');
  for (const file of readdirSync(templates).filter((name) => name.endsWith('.conf'))) {
    writeFileSync(join(confDir, file), fill(readFileSync(join(templates, file), 'utf8'), values, file));
  }
  const settings = {
    issuer: config.issuer,
    audiences: config.audiences ?? null,
    algorithms: config.algorithms,
    clockTolerance: config.clockTolerance,
    jwksMaxAge: config.jwksMaxAge,
    jwksUri: config.jwksUri,
    jwksFetchUri: url.href,
  };
  writeFileSync(join(confDir, 'jwt-config.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return join(confDir, 'nginx.conf');
}
