import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { Load, LoadResult } from './load.ts';

/**
 * The load generator where wrk is absent: one window of `Load` (JSON in argv[2]), its figures
 * as one JSON line, its own CPU share read from the kernel like wrk's is from /proc.
 */
const load = JSON.parse(process.argv[2] ?? '{}') as Load;
const { pool } = load;
let tokens: string[] = [];
if (pool) {
  const lines = readFileSync(pool.file, 'latin1').split('\n').filter(Boolean);
  tokens = pool.count ? lines.slice(pool.first, pool.first + pool.count) : lines;
}
let next = pool && !pool.count ? pool.first : 0;
let sent = 0;
let fivexx = 0;
const request: autocannon.Request = { method: 'GET' };
if (tokens.length)
  request.setupRequest = (req) => {
    sent++;
    return { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } };
  };
const cpu = process.cpuUsage();
const t0 = performance.now();
const run = autocannon({
  url: load.url,
  connections: load.connections,
  ...(pool?.count ? { amount: pool.count } : { duration: load.seconds }),
  headers: load.token ? { authorization: `Bearer ${load.token}` } : {},
  requests: [request],
}) as unknown as autocannon.Instance & Promise<autocannon.Result>;
run.on('response', (_c, status: number) => {
  if (status >= 500) fivexx++;
});
const r = await run;
const used = process.cpuUsage(cpu);
const result: LoadResult = {
  rps: r.requests.total / r.duration,
  requests: r.requests.total,
  errors: r.non2xx + r.errors,
  loadCpu: (used.user + used.system) / 1e3 / (performance.now() - t0),
  sent,
  fivexx,
  p50: r.latency.p50,
  p99: r.latency.p99,
};
console.log(JSON.stringify(result));
