import { type ChildServer, freePort, type MockIssuer, startServer } from '@repo/test-fixtures';
import type { Options } from './args.ts';
import { type Alg, type Entry, REPO, renamed } from './entries.ts';
import { type LoadResult, loadWindow } from './load.ts';
import { type Pinning, pinned } from './proc.ts';
import { AUDIENCE, type Pool } from './tokens.ts';

/** What every measurement needs: the options, the issuer, the pools, the cores, the load generator. */
export interface Ctx {
  opts: Options;
  issuer: MockIssuer;
  pools: Map<Alg, Pool>;
  /** One token per algorithm for the same-token windows. */
  same: Map<Alg, string>;
  pin: Pinning;
  /** The wrk binary, or null for the autocannon fallback. */
  wrk: string | null;
  log: (line: string) => void;
}

export interface Running {
  entry: Entry;
  server: ChildServer;
  url: string;
  /** The server's process: the memory run reads it and its descendants. */
  pid: number;
  /** The path its same-token windows are read against: /health, or the entry's baseline. */
  baseline: string;
  /** Pool tokens sent so far, per algorithm: the next window goes on from there. */
  sent: Partial<Record<Alg, number>>;
}

/** Starts an entry on the server core in production mode with the contract's variables, and waits for /health. */
export async function start(ctx: Ctx, entry: Entry, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const algs = entry.algorithms.filter((a) => ctx.pools.has(a));
  const server = await startServer({
    name: entry.name,
    command: pinned(ctx.pin.server, entry.command),
    cwd: `${REPO}${entry.cwd}`,
    env: {
      NODE_ENV: 'production',
      PORT: `${port}`,
      ...renamed(entry, {
        JWT_ISSUER: ctx.issuer.url,
        JWT_ALGORITHMS: algs.join(','),
        ...(entry.audience ? { JWT_AUDIENCE: AUDIENCE } : {}),
        ...entry.env,
        ...env,
      }),
    },
    health: `${url}/health`,
  });
  const running = { entry, server, url, pid: server.child.pid as number, baseline: '/health', sent: {} };
  if (entry.baseline && (await status(`${url}${entry.baseline}`)) === 200) running.baseline = entry.baseline;
  else if (entry.baseline)
    ctx.log(`${entry.name}: ${entry.baseline} does not answer 200: read against /health`);
  return running;
}

/** The status `url` answers (0 for none), with `token` as a bearer token when given. */
export async function status(url: string, token?: string): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) }).catch(() => null);
  await res?.arrayBuffer().catch(() => {});
  return res?.status ?? 0;
}

export type Kind = 'health' | 'same' | 'distinct';

/** One window on a running server: its baseline, /protected with one token, or with a distinct token per request. */
export async function window(
  ctx: Ctx,
  s: Running,
  kind: Kind,
  alg: Alg,
  seconds: number,
): Promise<LoadResult> {
  const pool = ctx.pools.get(alg) as Pool;
  const first = s.sent[alg] ?? 0;
  const result = await loadWindow(
    {
      url: `${s.url}${kind === 'health' ? s.baseline : '/protected'}`,
      seconds,
      connections: ctx.opts.connections,
      core: ctx.pin.load,
      // nginx's /baseline is the same request without auth: it carries the same token too.
      ...(kind === 'same' || (kind === 'health' && s.baseline !== '/health')
        ? { token: ctx.same.get(alg) }
        : {}),
      ...(kind === 'distinct' ? { pool: { file: pool.file, first, count: 0 } } : {}),
    },
    ctx.wrk,
  );
  if (kind === 'distinct') s.sent[alg] = first + result.sent;
  return result;
}
