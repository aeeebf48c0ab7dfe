import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchAlg, Library } from './types.ts';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../..', import.meta.url));

/** Something to load: one of our apps, or a peer written the way another library's docs show. */
export interface Target {
  name: string;
  /** The framework: one table per group, the app first, its peers below. */
  group: string;
  kind: 'app' | 'peer';
  cwd: string;
  /** The production start command; for apps, from package.json `start` when it is a plain command. */
  command: string[];
  algorithms: BenchAlg[];
  /** The library call the micro-benchmark times for this target. */
  library: Library;
  /** How the peer verifies, for the report. */
  note?: string;
  /** The built file the command runs, when the command does not name it (checked by --no-build). */
  entry?: string;
}

const ALL: BenchAlg[] = ['RS256', 'ES256', 'EdDSA'];
const NO_EDDSA: BenchAlg[] = ['RS256', 'ES256']; // jsonwebtoken (the koa-jwt peer) and njs 0.7.9 have no EdDSA

const APPS: Omit<Target, 'cwd' | 'kind' | 'group'>[] = [
  // Every Node app verifies with the shared jose core (packages/verifier, copied into each app).
  { name: 'koa', command: ['node', 'dist/index.js'], algorithms: ALL, library: 'jose' },
  { name: 'hono', command: ['node', 'dist/index.js'], algorithms: ALL, library: 'jose' },
  { name: 'nitro', command: ['node', '.output/server/index.mjs'], algorithms: ALL, library: 'jose' },
  { name: 'loopback', command: ['node', 'dist/index.js'], algorithms: ALL, library: 'jose' },
  { name: 'nginx', command: ['node', 'dist/start.js'], algorithms: NO_EDDSA, library: 'njs' },
];

/**
 * apps/hono's same build on its other runtimes, each a row in hono's table next to Node. The
 * binaries come from the app's devDependencies (npm packages), run directly so the server's
 * process group is the runtime alone; telemetry and update checks off as in its start scripts.
 * `lib µs` stays Node's jose: the micro-benchmark runs in Node.
 */
const HONO_RUNTIMES: Omit<Target, 'cwd' | 'kind' | 'group'>[] = [
  {
    name: 'hono-bun',
    command: ['env', 'DO_NOT_TRACK=1', 'node_modules/bun/bin/bun.exe', 'dist/bun.js'],
    algorithms: ALL,
    library: 'jose',
  },
  {
    name: 'hono-deno',
    command: [
      ...['env', 'DENO_NO_UPDATE_CHECK=1', 'DENO_NO_PROMPT=1', 'node_modules/deno/deno', 'run'],
      ...['--allow-env', '--allow-net', '--allow-read=.', '--cached-only', 'dist/deno.js'],
    ],
    algorithms: ALL,
    library: 'jose',
  },
  {
    name: 'hono-workers',
    // workerd itself (what `pnpm start:workers` launches), on 127.0.0.1:$PORT.
    command: [
      'sh',
      '-c',
      'exec node_modules/workerd/bin/workerd serve workerd.capnp --socket-addr "http=127.0.0.1:$PORT"',
    ],
    entry: 'dist/worker.js',
    algorithms: ALL,
    library: 'jose',
  },
];

const peer = (
  group: string,
  file: string,
  algorithms: BenchAlg[],
  library: Library,
  note: string,
): Target => ({
  name: file,
  group,
  kind: 'peer',
  cwd: BENCH_DIR,
  command: ['node', '--import', 'tsx', `peers/${file}.ts`],
  algorithms,
  library,
  note,
});

/** jose alone in a bare server: what every Node app's distinct-token cost is compared with. */
export const JOSE_HTTP = 'jose-http';
const NODE_APPS = ['koa', 'hono', 'nitro', 'loopback'];

const PEERS: Target[] = [
  peer(
    'jose',
    JOSE_HTTP,
    ALL,
    'jose',
    "jose's jwtVerify in a bare node:http server: no framework, no cache (the yardstick)",
  ),
  peer('hono', 'hono-jwk', ALL, 'hono-jwt', "hono/jwk middleware with jwks_uri, as Hono's docs show"),
  peer(
    'koa',
    'koa-jwt',
    NO_EDDSA,
    'jsonwebtoken-pem',
    "koa-jwt + jwksRsa.koaJwtSecret, as koa-jwt's docs show",
  ),
  peer(
    'koa',
    'koa-reference',
    ['RS256'],
    'jsonwebtoken-pem',
    "the reference page's way: jsonwebtoken given a PEM string",
  ),
  peer(
    'loopback',
    'loopback-reference',
    ['RS256'],
    'jsonwebtoken-pem',
    "the reference page's way: a JWKS client per request",
  ),
];

/** `node <file>` from the app's `start` script, when it is that simple; the known default otherwise. */
function startCommand(cwd: string, fallback: string[]): string[] {
  try {
    const pkg = JSON.parse(readFileSync(`${cwd}/package.json`, 'utf8')) as {
      scripts?: Record<string, string>;
    };
    const words = pkg.scripts?.start?.trim().split(/\s+/) ?? [];
    return words[0] === 'node' && words.every((w) => /^[\w./@=:-]+$/.test(w)) ? words : fallback;
  } catch {
    return fallback;
  }
}

/** The targets to run: every app in apps/ (or those named) and, unless told not to, their peers. */
export function selectTargets(names: string[] | null, peers: boolean): Target[] {
  const wanted = (t: { name: string; group?: string }) => !names || names.includes(t.group ?? t.name);
  const apps = APPS.filter(wanted).map((a): Target => {
    const cwd = `${REPO_DIR}apps/${a.name}`;
    return { ...a, kind: 'app', group: a.name, cwd, command: startCommand(cwd, a.command) };
  });
  const hono = `${REPO_DIR}apps/hono`;
  const runtimes = HONO_RUNTIMES.filter(() => wanted({ name: 'hono' })).map(
    (r): Target => ({ ...r, kind: 'app', group: 'hono', cwd: hono }),
  );
  const unknown = names?.filter((n) => !APPS.some((a) => a.name === n)) ?? [];
  if (unknown.length)
    throw new Error(`unknown app ${unknown.join(', ')}; known: ${APPS.map((a) => a.name).join(', ')}`);
  // The yardstick runs whenever a Node app does: their figures are read against its own.
  const yardstick = (t: Target) => t.group === 'jose' && NODE_APPS.some((n) => wanted({ name: n }));
  const selected = peers ? PEERS.filter((t) => wanted(t) || yardstick(t)) : [];
  return [...selected.filter(yardstick), ...apps, ...runtimes, ...selected.filter((t) => !yardstick(t))];
}

const builds = new Map<string, Promise<string | null>>();

/** `pnpm run build` in the app, once per folder; null on success, or the reason it did not build. */
export function build(target: Target): Promise<string | null> {
  if (target.kind === 'peer') return Promise.resolve(null); // peers run from source with tsx
  const once = builds.get(target.cwd) ?? buildIn(target);
  builds.set(target.cwd, once);
  return once;
}

function buildIn(target: Target): Promise<string | null> {
  if (!existsSync(`${target.cwd}/package.json`))
    return Promise.resolve(`apps/${target.name} does not exist yet`);
  return new Promise((resolve) => {
    const child = spawn('pnpm', ['run', 'build'], { cwd: target.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-4000)));
    child.once('error', (e) => resolve(`pnpm run build could not start: ${e.message}`));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').slice(-3).join(' | ');
      resolve(code === 0 ? null : `pnpm run build failed (exit ${code}): ${last}`);
    });
  });
}

/** Whether the start command's entry file exists (for --no-build). */
export function isBuilt(target: Target): boolean {
  const entry = target.entry ?? target.command.find((w) => /\.(m?js|ts)$/.test(w));
  return entry !== undefined && existsSync(`${target.cwd}/${entry}`);
}
