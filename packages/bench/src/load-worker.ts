import autocannon from 'autocannon';
import { readPool } from './pool.ts';
import { Samples } from './stats.ts';
import type { RunResult } from './types.ts';
import { emit, workerMain } from './worker.ts';

/**
 * The load generator: its own process (pinned to its own core by the parent), driven by one
 * JSON spec on stdin, reporting JSON lines on stdout: `start`/`end` around every run (so the
 * parent can read the server's CPU time at the same moments) and `done`.
 */
export interface LoadSpec {
  url: string;
  path: string;
  connections: number;
  /** Seconds of untimed load first, then `runs` timed runs of `duration` seconds. */
  warmup: number;
  duration: number;
  runs: number;
  /** Fixed-count mode instead: one run of exactly this many requests, no warm-up. */
  amount?: number;
  /** One token sent on every request... */
  token?: string;
  /** ...or a distinct one per request from this pool, starting at `offset`. */
  tokensFile?: string;
  offset?: number;
}

export interface LoadEvent {
  event: 'start' | 'end' | 'done';
  index?: number;
  result?: Omit<RunResult, 'serverCpu'>;
  /** Pool tokens handed out (`done`), warm-up included. */
  sent?: number;
}

async function main(spec: LoadSpec): Promise<void> {
  const offset = spec.offset ?? 0;
  const tokens = spec.tokensFile
    ? readPool(spec.tokensFile, offset + (spec.amount ?? Number.POSITIVE_INFINITY))
    : [];
  let next = offset;
  const request: autocannon.Request = { method: 'GET', path: spec.path };
  if (tokens.length) {
    // A fresh Authorization header per request; autocannon rebuilds the request when setupRequest exists.
    request.setupRequest = (req) => ({
      ...req,
      headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
    });
  }
  const headers = spec.token ? { authorization: `Bearer ${spec.token}` } : {};
  const once = async (index: number, seconds: number, amount?: number) => {
    emit({ event: 'start', index } satisfies LoadEvent);
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const instance = autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: seconds,
      ...(amount ? { amount } : {}),
      headers,
      requests: [request],
    }) as unknown as autocannon.Instance & Promise<autocannon.Result>; // without a callback it is both
    // autocannon's own histogram keeps whole milliseconds; keep 2xx latencies at full precision.
    const latencies = new Samples();
    instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.add(ms);
    });
    const r = await instance;
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const result = {
      rps: r.requests.total / r.duration,
      ...latencies.percentiles(),
      requests: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      statuses: Object.fromEntries(
        Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, Number(s.count)]),
      ),
      clientCpu: (used.user + used.system) / 1e6 / wall,
    };
    emit({ event: 'end', index, result } satisfies LoadEvent);
  };
  if (spec.amount) await once(0, 3600, spec.amount);
  else {
    if (spec.warmup > 0) await once(-1, spec.warmup);
    for (let i = 0; i < spec.runs; i++) await once(i, spec.duration);
  }
  emit({ event: 'done', sent: next - offset } satisfies LoadEvent);
}

workerMain<LoadSpec>('load generator', main);
