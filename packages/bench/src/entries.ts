import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type Alg = (typeof ALGS)[number];
export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Something the bench starts and loads. It is given PORT and the contract's variables
 * (JWT_ISSUER, JWT_ALGORITHMS) in its environment, nothing else but PATH and HOME.
 */
export interface Entry {
  name: string;
  kind: 'app' | 'peer' | 'yardstick';
  /** The app whose rows it joins (its own name for an app). */
  group: string;
  /** Folder it runs in, from the repository root. */
  cwd: string;
  command: string[];
  algorithms: readonly Alg[];
  /** A Node app: the 1.3× yardstick and 0.85 same-token targets apply. */
  node?: boolean;
  /** The app's peers: it must be faster than each. */
  peers?: string[];
  /**
   * The unauthenticated path its same-token figure is read against, default /health. nginx's is
   * a location that proxies to the same upstream as /protected, without auth.
   */
  baseline?: string;
  /** More environment than the contract's variables (nginx's: the bench's /baseline, NGINX_INCLUDE). */
  env?: Record<string, string>;
  /** Its signatures are OpenSSL's (nginx): its distinct-token auth is read against `openssl speed`. */
  floor?: boolean;
  /** Folder of its framework glue, from cwd: counted without the copied core in `jwt/`. */
  glue?: string;
  /** The built file its command runs, when the command does not name it. */
  built?: string;
  /**
   * Contract variable → the name it reads instead (`null`: it has no such setting, and is not
   * given it), as a conformance peer's config says. Absent: the contract's own names.
   */
  settings?: Record<string, string | null>;
  /** It will not start without an audience: it gets JWT_AUDIENCE, the `aud` every bench token carries. */
  audience?: boolean;
}

/** nginx's /baseline (nginx/baseline.conf): the bench's configuration, not the app's. */
export const NGINX_BASELINE = fileURLToPath(new URL('../nginx/baseline.conf', import.meta.url));

const NO_EDDSA: Alg[] = ['RS256', 'ES256']; // jsonwebtoken (koa-jwt) has no EdDSA

const app = (name: string, command: string[], more: Partial<Entry> = {}): Entry => ({
  name,
  kind: 'app',
  group: name,
  cwd: `apps/${name}`,
  command,
  algorithms: ALGS,
  node: true,
  glue: 'src',
  ...more,
});
/** apps/hono's same build on another runtime (binaries from its devDependencies): rows, no targets. */
const hono = (name: string, command: string[], built?: string): Entry =>
  app(name, command, { group: 'hono', cwd: 'apps/hono', node: false, glue: undefined, built });
const peer = (name: string, group: string, algorithms: readonly Alg[]): Entry => ({
  name,
  kind: group === name ? 'yardstick' : 'peer',
  group,
  cwd: 'packages/bench',
  command: ['node', '--import', 'tsx', `peers/${name}.ts`],
  algorithms,
});

const SUITE_PEERS = 'packages/conformance/peers';
/**
 * One of the conformance suite's peers (`packages/conformance/peers/<dir>`: a library wired the way
 * its documentation shows), run as its `conformance.config.json` says: its command, its algorithms,
 * the contract's variables under its own names, an audience when it requires one.
 */
function suitePeer(dir: string, group: string): Entry {
  const file = `${REPO}${SUITE_PEERS}/${dir}/conformance.config.json`;
  const config = JSON.parse(readFileSync(file, 'utf8'));
  return {
    name: config.name,
    kind: 'peer',
    group,
    cwd: `${SUITE_PEERS}/${dir}`,
    command: config.command.split(' '),
    algorithms: ALGS.filter((a) => config.algorithms.includes(a)),
    settings: config.settings,
    audience: config.audience !== undefined,
  };
}

/** The environment an entry gets: the contract's variables under its names, those it has none for left out. */
export function renamed(entry: Entry, env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const to = entry.settings?.[name];
    if (to !== null) out[to ?? name] = value;
  }
  return out;
}

/** Adding an app is one line here. */
export const ENTRIES: Entry[] = [
  app('koa', ['node', 'dist/index.js'], { peers: ['koa-jwt', 'koa-reference'] }),
  app('hono', ['node', 'dist/index.js'], { peers: ['hono-jwk'] }),
  app('nitro', ['node', '.output/server/index.mjs'], { glue: 'server' }),
  app('loopback', ['node', 'dist/index.js'], { peers: ['loopback-reference'] }),
  app('express', ['node', 'dist/index.js'], { peers: ['express-oauth2-jwt-bearer'] }),
  app('fastify', ['node', 'dist/index.js'], { peers: ['fastify-jwt'] }),
  app('nestjs', ['node', 'dist/main.js'], { peers: ['passport-jwt'] }),
  // Not the copied core: its own verifier, so no glue to count against 120.
  app('nginx', ['node', 'dist/start.js'], {
    node: false,
    baseline: '/baseline',
    env: { NGINX_INCLUDE: NGINX_BASELINE },
    floor: true,
    glue: undefined,
  }),
  hono('hono-bun', ['env', 'DO_NOT_TRACK=1', 'node_modules/bun/bin/bun.exe', 'dist/bun.js']),
  hono('hono-deno', [
    ...['env', 'DENO_NO_UPDATE_CHECK=1', 'DENO_NO_PROMPT=1', 'node_modules/deno/deno', 'run'],
    ...['--allow-env', '--allow-net', '--allow-read=.', '--cached-only', 'dist/deno.js'],
  ]),
  hono(
    'hono-workers',
    [
      'sh',
      '-c',
      'exec node_modules/workerd/bin/workerd serve workerd.capnp --socket-addr "http=127.0.0.1:$PORT"',
    ],
    'dist/worker.js',
  ),
  peer('hono-jwk', 'hono', ALGS),
  peer('koa-jwt', 'koa', NO_EDDSA),
  peer('koa-reference', 'koa', ['RS256']),
  peer('loopback-reference', 'loopback', ['RS256']),
  suitePeer('express', 'express'),
  suitePeer('fastify', 'fastify'),
  suitePeer('nestjs', 'nestjs'),
];
/** jose's jwtVerify alone in a bare node:http server: what every row is paired with. */
export const YARDSTICK = peer('jose-http', 'jose-http', ALGS);

/** The entries to run: the apps named (all by default) and, unless told not to, their other runtimes and peers. */
export function select(names: string[] | null, peers: boolean, runtimes = true): Entry[] {
  const apps = ENTRIES.filter((e) => e.kind === 'app' && e.group === e.name).map((e) => e.name);
  const unknown = names?.filter((n) => !apps.includes(n)) ?? [];
  if (unknown.length) throw new Error(`unknown app ${unknown.join(', ')}; known: ${apps.join(', ')}`);
  const wanted = (e: Entry) => (e.kind === 'app' ? runtimes || e.name === e.group : peers);
  return ENTRIES.filter((e) => (!names || names.includes(e.group)) && wanted(e));
}

/** The file an entry runs, to tell whether it is built. */
export const builtFile = (e: Entry) => e.built ?? e.command.find((w) => /\.(m?js|ts|exe)$|\/deno$/.test(w));

/**
 * Builds the selected apps in one turbo run (cached: seconds when nothing changed; `--continue`:
 * one failure does not stop the others), then says which entries cannot run and why.
 */
export function build(
  entries: readonly Entry[],
  run: boolean,
  log: (line: string) => void,
): Map<string, string> {
  // An app is a workspace package; a peer may be a plain folder (the conformance suite's).
  const exists = (e: Entry) => existsSync(`${REPO}${e.cwd}${e.kind === 'app' ? '/package.json' : ''}`);
  const folders = [...new Set(entries.filter((e) => e.kind === 'app' && exists(e)).map((e) => e.cwd))];
  if (run && folders.length) {
    const args = ['exec', 'turbo', 'run', 'build', '--continue', '--output-logs=errors-only'];
    const env = { ...process.env, DO_NOT_TRACK: '1' };
    const out = spawnSync('pnpm', [...args, ...folders.map((f) => `--filter=./${f}`)], { cwd: REPO, env });
    if (out.status !== 0)
      log(`the build failed: ${`${out.stdout}${out.stderr}`.trim().split('\n').slice(-5).join(' | ')}`);
  }
  const missing = new Map<string, string>();
  for (const e of entries) {
    const file = builtFile(e);
    if (!exists(e)) missing.set(e.name, `${e.cwd} does not exist`);
    else if (!file || !existsSync(`${REPO}${e.cwd}/${file}`))
      missing.set(e.name, `no ${e.cwd}/${file}: it did not build`);
  }
  return missing;
}
