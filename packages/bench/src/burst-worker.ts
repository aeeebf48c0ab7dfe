import { connect, type Socket } from 'node:net';
import { readPool } from './pool.ts';
import { Samples } from './stats.ts';
import { emit, workerMain } from './worker.ts';

/**
 * A truly concurrent burst: `count` connections are opened first (in batches, so the server's
 * accept backlog never overflows), then every request is written in one go, each with its own token.
 */
export interface BurstSpec {
  port: number;
  path: string;
  tokensFile: string;
  offset: number;
  count: number;
}

export interface BurstOutcome {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** From the first request written to the last answer, and per-request latency, ms. */
  ms: number;
  p50: number;
  p99: number;
  /** How many answers had each status (0: no answer). */
  statuses: Record<string, number>;
}

const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });

/** Sends one request on `socket` and resolves with the status code (0 on error or no answer). */
function exchange(socket: Socket, port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.length < 16) head += chunk.toString('latin1');
    });
    socket.once('error', () => resolve(0));
    socket.once('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.setTimeout(30_000, () => socket.destroy());
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
  });
}

async function main(spec: BurstSpec): Promise<void> {
  const tokens = readPool(spec.tokensFile, spec.offset + spec.count).slice(spec.offset);
  const sockets: Socket[] = [];
  for (let i = 0; i < spec.count; i += 100) {
    sockets.push(
      ...(await Promise.all(Array.from({ length: Math.min(100, spec.count - i) }, () => open(spec.port)))),
    );
  }
  const latencies = new Samples();
  const started = performance.now();
  const statuses = await Promise.all(
    sockets.map((s, i) =>
      exchange(s, spec.port, spec.path, tokens[i % tokens.length] as string).then((status) => {
        latencies.add(performance.now() - started);
        return status;
      }),
    ),
  );
  const ms = performance.now() - started;
  const ok = statuses.filter((s) => s >= 200 && s < 300).length;
  const errors = statuses.filter((s) => s === 0).length;
  const outcome: BurstOutcome = {
    requests: statuses.length,
    ok,
    non2xx: statuses.length - ok - errors,
    errors,
    ms,
    ...latencies.percentiles(),
    statuses: {},
  };
  for (const s of statuses) outcome.statuses[s] = (outcome.statuses[s] ?? 0) + 1;
  emit(outcome);
}

workerMain<BurstSpec>('burst', main);
