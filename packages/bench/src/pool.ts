import { fork } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { MockIssuer } from '@repo/test-fixtures';
import type { MintJob } from './mint-worker.ts';
import { BENCH_DIR } from './targets.ts';
import type { BenchAlg } from './types.ts';

/** A file of distinct valid tokens, one per line, all signed by the issuer's published key for `alg`. */
export interface Pool {
  alg: BenchAlg;
  file: string;
  size: number;
}

function mintPart(job: MintJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(`${BENCH_DIR}src/mint-worker.ts`, [], {
      cwd: BENCH_DIR,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`mint worker exited with ${code}`)),
    );
    child.send(job);
  });
}

/**
 * Mints `size` tokens for `alg` across one child process per core, into `dir/<alg>.tokens`.
 * Tokens live `lifetimeSeconds` so a long run never sends an expired one.
 */
export async function mintPool(
  issuer: MockIssuer,
  alg: BenchAlg,
  size: number,
  dir: string,
  lifetimeSeconds: number,
): Promise<Pool> {
  const key = issuer.key(alg);
  const parts = Math.max(1, Math.min(availableParallelism(), Math.ceil(size / 1000)));
  const file = `${dir}/${alg}.tokens`;
  const base = {
    alg,
    kid: key.kid,
    privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    issuer: issuer.url,
    exp: Math.floor(Date.now() / 1000) + lifetimeSeconds,
  };
  const jobs = Array.from({ length: parts }, (_, p): MintJob => {
    const from = Math.floor((size * p) / parts);
    const to = Math.floor((size * (p + 1)) / parts);
    return { ...base, from, to, file: `${file}.part${p}` };
  });
  await Promise.all(jobs.map(mintPart));
  writeFileSync(file, '');
  for (const job of jobs) {
    appendFileSync(file, readFileSync(job.file));
    rmSync(job.file);
  }
  return { alg, file, size };
}

/** Reads a pool back line by line from bytes (a million tokens would be too long for one string). */
export function readPool(file: string, limit = Number.POSITIVE_INFINITY): string[] {
  const bytes = readFileSync(file);
  const tokens: string[] = [];
  for (let at = 0; at < bytes.length && tokens.length < limit; ) {
    const end = bytes.indexOf(10, at);
    const stop = end < 0 ? bytes.length : end;
    if (stop > at) tokens.push(bytes.toString('latin1', at, stop));
    at = stop + 1;
  }
  return tokens;
}
