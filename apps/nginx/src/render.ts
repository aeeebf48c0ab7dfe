// Renders nginx/*.conf into a private prefix's conf/, the double-braced placeholders filled.
// Nothing here touches /etc/nginx.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('..', import.meta.url));

export interface RenderOptions {
  port: number;
  upstreamPort: number;
  /** /etc/resolv.conf's text: nginx's resolver (cosockets need one for host names) uses its nameservers. */
  resolvConf: string;
  /** Whether nginx can open /dev/stdout (not when stdout is a socket) for the access log. */
  stdoutLog?: boolean;
  /** An absolute path: a file of directives included in the server block (NGINX_INCLUDE). */
  include?: string;
}

/** An nginx string literal: double-quoted, `"` and `\` escaped. */
export const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function resolver(resolvConf: string): string {
  const servers = [...resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)]
    .map((match) => match[1] as string)
    // nginx cannot take a zone id (fe80::1%eth0): such entries are left out.
    .filter((ip) => !ip.includes('%') && isIP(ip) !== 0)
    .map((ip) => (isIP(ip) === 6 ? `[${ip}]` : ip));
  // Without one, only IP literals and localhost (lua/jwt/fetch.lua) can be fetched.
  if (servers.length === 0) return '# No nameserver in /etc/resolv.conf.';
  return `resolver ${servers.join(' ')} valid=60s;`;
}

/** Writes conf/ (and temp/) under the prefix; returns the path of the main nginx.conf. */
export function renderConf(prefix: string, options: RenderOptions): string {
  const values: Record<string, string> = {
    PORT: String(options.port),
    UPSTREAM_PORT: String(options.upstreamPort),
    // One per core this process may run on (its CPU affinity), at most 4: two workers on one core
    // take turns at the shared dicts' locks, spinning while the holder waits for the core.
    WORKERS: String(Math.min(4, availableParallelism())),
    LUA_PATH: quoted(`${appDir}/lua/?.lua;${appDir}/lua/?/init.lua;;`),
    // Buffered: one write per 64 KiB or per second, not one per request.
    ACCESS_LOG: options.stdoutLog ? '/dev/stdout jwt_uri buffer=64k flush=1s' : 'off',
    RESOLVER: resolver(options.resolvConf),
    INCLUDE: options.include ? `include ${quoted(options.include)};` : '',
  };
  for (const dir of ['conf', 'temp']) mkdirSync(join(prefix, dir), { recursive: true });
  for (const file of readdirSync(join(appDir, 'nginx'))) {
    const template = readFileSync(join(appDir, 'nginx', file), 'utf8');
    const filled = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? '');
    writeFileSync(join(prefix, 'conf', file), filled);
  }
  return join(prefix, 'conf', 'nginx.conf');
}
