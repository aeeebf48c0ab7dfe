import { fork } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { b64u, compact, type MockIssuer, signBytes } from '@repo/test-fixtures';
import type { Alg } from './entries.ts';

/**
 * The `aud` of every bench token (the gateway sets one). Only a target that requires an audience
 * is told it (`Entry.audience`); the others, without JWT_AUDIENCE, do not check `aud`.
 */
export const AUDIENCE = 'https://api.example.com';

/** A file of distinct valid tokens, one per line, signed with the issuer's published key for `alg`. */
export interface Pool {
  alg: Alg;
  file: string;
  size: number;
}

interface Job {
  alg: Alg;
  kid: string;
  /** PKCS#8 PEM of the issuer's key, handed over IPC, never printed. */
  pem: string;
  issuer: string;
  iat: number;
  exp: number;
  from: number;
  to: number;
  file: string;
}

/**
 * Tokens [from, to): distinct by `jti`, otherwise shaped like the gateway's. Every line of a pool
 * is the same length (`jti` and `sub` zero-padded, one `iat`), so wrk's script seeks straight to
 * a window's first token instead of reading the whole file (src/distinct.lua).
 */
function mint(job: Job): void {
  const key = createPrivateKey(job.pem);
  const h = b64u(JSON.stringify({ alg: job.alg, typ: 'JWT', kid: job.kid }));
  const lines: string[] = [];
  for (let i = job.from; i < job.to; i++) {
    const claims = {
      iss: job.issuer,
      sub: `bench-user-${String(i % 1000).padStart(3, '0')}`,
      aud: AUDIENCE,
      scope: 'read',
      iat: job.iat,
      exp: job.exp,
      jti: `bench-${String(i).padStart(9, '0')}`,
    };
    const p = b64u(JSON.stringify(claims));
    lines.push(compact(h, p, signBytes(job.alg, Buffer.from(`${h}.${p}`), key)));
  }
  writeFileSync(job.file, `${lines.join('\n')}\n`);
}

// Forked below: RSA signing takes about 1 ms, so pools are minted on every core.
if (process.argv[2] === 'mint')
  process.once('message', (job: Job) => {
    mint(job);
    process.send?.('done', () => process.exit(0));
  });

const part = (job: Job) =>
  new Promise<void>((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['mint'], { execArgv: ['--import', 'tsx'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`minting exited with ${code}`))));
    child.send(job);
  });

/** Mints `size` tokens for `alg` into `dir/<alg>.tokens`, living `lifetime` seconds. */
export async function mintPool(issuer: MockIssuer, alg: Alg, size: number, dir: string, lifetime: number) {
  const key = issuer.key(alg);
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + lifetime;
  const file = `${dir}/${alg}.tokens`;
  const n = Math.max(1, Math.min(availableParallelism(), Math.ceil(size / 1000)));
  const jobs = Array.from({ length: n }, (_, i): Job => {
    const [from, to] = [Math.floor((size * i) / n), Math.floor((size * (i + 1)) / n)];
    return { alg, kid: key.kid, pem, issuer: issuer.url, iat, exp, from, to, file: `${file}.${i}` };
  });
  await Promise.all(jobs.map(part));
  const all = Buffer.concat(jobs.map((j) => readFileSync(j.file)));
  for (const j of jobs) rmSync(j.file);
  if (all.length !== size * (all.indexOf(10) + 1)) throw new Error(`${alg} pool: lines of unequal length`);
  writeFileSync(file, all);
  return { alg, file, size } satisfies Pool;
}
