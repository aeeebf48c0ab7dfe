import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuOf, pinned } from './proc.ts';
import type { Window } from './stats.ts';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** One window of load: a fixed token, a distinct one per request from a pool, or neither. */
export interface Load {
  url: string;
  seconds: number;
  connections: number;
  core: number | null;
  token?: string;
  /** Lines `first`.. of a token file; `count` 0: round and round, else that many then stop. */
  pool?: { file: string; first: number; count: number };
}

export interface LoadResult extends Window {
  /** Pool tokens handed out; 5xx answers among `errors`. */
  sent: number;
  fivexx: number;
}

/**
 * wrk from Debian, installed with apt-get when missing (never a download from elsewhere);
 * null when it cannot be had: the bench then loads with autocannon.
 */
export function findWrk(log: (line: string) => void): string | null {
  if (spawnSync('wrk', ['-v']).error === undefined) return 'wrk';
  log('wrk is not installed: apt-get install -y wrk');
  const apt = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
  if (apt.status === 0 && spawnSync('wrk', ['-v']).error === undefined) return 'wrk';
  log('wrk could not be installed (apt-get needs root and Debian): loading with autocannon instead');
  return null;
}

const ms = (value: string | undefined, unit: string | undefined) =>
  value ? Number(value) * ({ us: 1e-3, ms: 1, s: 1e3 }[unit ?? 'ms'] ?? 1) : Number.NaN;

/** The figures of wrk's summary (and of distinct.lua's `done`). */
export function parseWrk(text: string): Omit<LoadResult, 'loadCpu'> {
  const n = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const lat = (p: number) => new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
  return {
    rps: n(/Requests\/sec:\s+([\d.]+)/),
    requests: n(/(\d+) requests in/),
    errors: n(/Non-2xx or 3xx responses: (\d+)/) + (socket?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0),
    sent: n(/^sent (\d+)$/m),
    fivexx: n(/^5xx (\d+)$/m),
    p50: ms(lat(50)?.[1], lat(50)?.[2]),
    p99: ms(lat(99)?.[1], lat(99)?.[2]),
  };
}

/** Runs one window with wrk (or the autocannon fallback) on the load core, its CPU read from /proc meanwhile. */
export function loadWindow(load: Load, wrk: string | null): Promise<LoadResult> {
  const { url, seconds, connections, token, pool } = load;
  // pool-done ends a counted run early, so its length only needs to be an upper bound.
  const duration = pool?.count ? 3600 : seconds;
  const command = wrk
    ? [wrk, '-t1', `-c${connections}`, `-d${duration}s`, '--latency', '--timeout', '10s']
        .concat(token ? ['-H', `Authorization: Bearer ${token}`] : [])
        .concat(
          pool ? ['-s', here('distinct.lua'), url, '--', pool.file, `${pool.first}`, `${pool.count}`] : [url],
        )
    : [
        process.execPath,
        '--import',
        'tsx',
        here('autocannon.ts'),
        JSON.stringify({ ...load, seconds: duration }),
      ];
  const [bin, ...args] = pinned(load.core, command) as [string, ...string[]];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const samples: [number, number][] = [];
  const timer = setInterval(() => {
    const cpu = cpuOf(`/proc/${child.pid}/stat`);
    if (Number.isFinite(cpu)) samples.push([performance.now() / 1000, cpu]);
  }, 200);
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-2000);
    if (err.includes('pool-done')) child.kill('SIGINT');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(timer);
      if (code !== 0)
        return reject(new Error(`${bin} exited with ${code}: ${err.trim().split('\n').at(-1)}`));
      const [first, last] = [samples[0], samples.at(-1)];
      const loadCpu =
        first && last && last[0] > first[0] ? (last[1] - first[1]) / (last[0] - first[0]) : Number.NaN;
      resolve(wrk ? { ...parseWrk(out), loadCpu } : (JSON.parse(out) as LoadResult));
    });
  });
}
