import { execFile } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify, type JsonWebKey } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { MockIssuer } from '@repo/test-fixtures';
import { createVerifier, readConfig } from '@repo/verifier';
import { verify as honoVerify } from 'hono/jwt';
import { importJWK, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { type Alg, ALGS } from './entries.ts';
import { cpuOf, pinned } from './proc.ts';
import { num, renderTable } from './report.ts';
import type { Ctx } from './serve.ts';

/**
 * Each library's verify in-process, 32 calls in flight, µs per call: wall time, CPU of the main
 * thread (what bounds a server's event loop) and of every other thread (libuv's pool, where
 * WebCrypto runs jose's signature check; GC), the split read per thread from /proc.
 * `pnpm bench:cores` runs it alone with its own issuer, once on one core and once on all.
 */
interface Spec {
  issuer: string;
  jwks: Partial<Record<Alg, JsonWebKey>>;
  tokens: Partial<Record<Alg, string[]>>;
  seconds: number;
}

function threadCpuUs(): { main: number; others: number } {
  const t = { main: 0, others: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    const us = (cpuOf(`/proc/self/task/${tid}/stat`) || 0) * 1e6;
    if (Number(tid) === process.pid) t.main += us;
    else t.others += us;
  }
  return t;
}

async function time(fn: (t: string) => unknown, tokens: string[], seconds: number) {
  let n = 0;
  const lanes = (ms: number) => {
    const end = performance.now() + ms;
    return Promise.all(
      Array.from({ length: 32 }, async () => {
        while (performance.now() < end) await fn(tokens[n++ % tokens.length] as string);
      }),
    );
  };
  await lanes(300); // JIT, key caches
  n = 0;
  const [c0, t0] = [threadCpuUs(), performance.now()];
  await lanes(seconds * 1000);
  const [c1, wall] = [threadCpuUs(), (performance.now() - t0) * 1000];
  return { wall: wall / n, main: (c1.main - c0.main) / n, others: (c1.others - c0.others) / n };
}

async function measure(spec: Spec) {
  const results: { lib: string; alg: Alg; wall: number; main: number; others: number }[] = [];
  for (const alg of ALGS) {
    const [jwk, tokens] = [spec.jwks[alg], spec.tokens[alg]];
    if (!jwk || !tokens) continue;
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const pem = key.export({ format: 'pem', type: 'spki' }).toString();
    const joseKey = await importJWK(jwk, alg);
    const opts = { issuer: spec.issuer, algorithms: [alg] as jwt.Algorithm[] };
    const core = createVerifier(readConfig({ JWT_ISSUER: spec.issuer, JWT_ALGORITHMS: alg }), { log() {} });
    const libs: Record<string, (t: string) => unknown> = {
      // The floor: the signature alone.
      crypto: (t) => {
        const d = t.lastIndexOf('.');
        cryptoVerify(
          alg === 'EdDSA' ? null : 'sha256',
          Buffer.from(t.slice(0, d)),
          { key, dsaEncoding: 'ieee-p1363' },
          Buffer.from(t.slice(d + 1), 'base64url'),
        );
      },
      jose: (t) => jwtVerify(t, joseKey, { issuer: spec.issuer, algorithms: [alg] }),
      // The apps' core as they call it; it caches verified tokens, so with a pool cycled past its 10,000 entries it misses.
      ...(tokens.length > 10_000 ? { core: (t: string) => core.verify(`Bearer ${t}`) } : {}),
      'hono-jwt': (t) => honoVerify(t, jwk as Parameters<typeof honoVerify>[1], { alg, iss: spec.issuer }),
      ...(alg === 'EdDSA'
        ? {}
        : {
            jsonwebtoken: (t: string) => jwt.verify(t, key, opts),
            'jsonwebtoken-pem': (t: string) => jwt.verify(t, pem, opts),
          }),
    };
    for (const [lib, fn] of Object.entries(libs))
      results.push({ lib, alg, ...(await time(fn, tokens, spec.seconds)) });
  }
  return results;
}

type Results = Awaited<ReturnType<typeof measure>>;
export const renderMicro = (r: Results) =>
  renderTable(
    ['verify, 32 in flight', 'alg', 'wall µs', 'main thread µs', 'other threads µs'],
    r.map((x) => [x.lib, x.alg, num(x.wall, 1), num(x.main, 1), num(x.others, 1)]),
  );

/** Runs the timings in a child process on the server core, idle at that moment. */
export async function runMicro(ctx: Ctx, seconds: number) {
  const spec: Spec = { issuer: ctx.issuer.url, jwks: {}, tokens: {}, seconds };
  let file = '';
  for (const [alg, pool] of ctx.pools) {
    spec.jwks[alg] = ctx.issuer.key(alg).jwk;
    spec.tokens[alg] = readFileSync(pool.file, 'latin1').trimEnd().split('\n');
    file = `${dirname(pool.file)}/micro.json`;
  }
  writeFileSync(file, JSON.stringify(spec));
  ctx.log('in-process verify timings');
  // Not spawnSync: the core fetches its keys from the issuer, which runs in this process.
  const [bin, ...args] = pinned(ctx.pin.server, [
    process.execPath,
    '--import',
    'tsx',
    fileURLToPath(import.meta.url),
    file,
  ]);
  const { stdout } = await promisify(execFile)(bin as string, args, { maxBuffer: 1e8 });
  return JSON.parse(stdout) as Results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2])
    console.log(JSON.stringify(await measure(JSON.parse(readFileSync(process.argv[2], 'utf8')) as Spec)));
  else {
    const issuer = await MockIssuer.start({ algorithms: ALGS });
    const tokens = Object.fromEntries(
      ALGS.map((alg) => [alg, Array.from({ length: 200 }, (_, i) => issuer.mint({ jti: `c${i}` }, { alg }))]),
    );
    const jwks = Object.fromEntries(ALGS.map((a) => [a, issuer.key(a).jwk]));
    console.log(
      renderMicro(
        await measure({ issuer: issuer.url, jwks, tokens, seconds: Number(process.env.CORES_SECONDS ?? 2) }),
      ),
    );
    await issuer.close();
  }
}
