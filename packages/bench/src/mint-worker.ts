import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { b64u, compact, signBytes } from '@repo/test-fixtures';

/**
 * A child process that signs tokens [from, to) of one pool and writes them, one per line, to `file`.
 * The parent forks one per core so that RSA pools (about 1 ms per signature) mint in parallel.
 */
export interface MintJob {
  alg: string;
  kid: string;
  /** PKCS#8 PEM of the issuer's private key (handed over IPC, never printed). */
  privateKeyPem: string;
  issuer: string;
  exp: number;
  from: number;
  to: number;
  file: string;
}

/** Header and claims of pool token `i`: distinct by `jti`, otherwise like a gateway's access token. */
export function tokenParts(job: Pick<MintJob, 'alg' | 'kid' | 'issuer' | 'exp'>, i: number, iat: number) {
  const header = { alg: job.alg, typ: 'JWT', kid: job.kid };
  const claims = {
    iss: job.issuer,
    sub: `bench-user-${i % 1000}`,
    scope: 'read',
    iat,
    exp: job.exp,
    jti: `bench-${i}`,
  };
  return { header, claims };
}

process.once('message', (job: MintJob) => {
  const key = createPrivateKey(job.privateKeyPem);
  const iat = Math.floor(Date.now() / 1000);
  const lines: string[] = [];
  for (let i = job.from; i < job.to; i++) {
    const { header, claims } = tokenParts(job, i, iat);
    const h = b64u(JSON.stringify(header));
    const p = b64u(JSON.stringify(claims));
    lines.push(compact(h, p, signBytes(job.alg, Buffer.from(`${h}.${p}`), key)));
  }
  writeFileSync(job.file, `${lines.join('\n')}\n`);
  process.send?.({ minted: lines.length }, () => process.exit(0));
});
