import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';

/**
 * Does jose's verify use more than one core in Node? jose verifies through WebCrypto, whose
 * sign/verify jobs Node runs on libuv's threadpool (UV_THREADPOOL_SIZE, 4 by default), while
 * jsonwebtoken calls crypto.verify synchronously on the main thread. Run it twice, under
 * `taskset -c 0` and without, to see what a second core buys each library:
 *   taskset -c 0 pnpm exec tsx src/cores.ts ; pnpm exec tsx src/cores.ts
 * For each: µs per verification of wall time, of the main thread's CPU (what bounds a server's
 * requests per second once other cores are free) and of every other thread's CPU (libuv's
 * threadpool, and V8's GC helpers), one at a time (awaited) and with 32 in flight (a server under
 * load); `cores` = all that CPU ÷ wall time (above 1.0: other threads worked in parallel).
 * Per-thread CPU comes from /proc, so the split holds even on a busy machine; wall time does not.
 */
const SECONDS = Number(process.env.CORES_SECONDS ?? 2);
const CLOCK_TICKS = 100; // USER_HZ of /proc's utime and stime on Linux
const ISS = 'https://issuer.example';
type Alg = 'RS256' | 'ES256' | 'EdDSA';
const PAIRS: Record<Alg, () => { publicKey: KeyObject; privateKey: KeyObject }> = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: () => generateKeyPairSync('ed25519'),
};

/** CPU µs used so far by the main thread (tid = pid) and by every other thread, from /proc. */
function threadCpuUs(): { main: number; others: number } {
  const total = { main: 0, others: 0 };
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const us = ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS; // utime + stime
    if (Number(tid) === process.pid) total.main += us;
    else total.others += us;
  }
  return total;
}

async function measure(verify: (t: string) => unknown, tokens: string[], inFlight: number) {
  let n = 0;
  const lane = async (end: number) => {
    while (performance.now() < end) await verify(tokens[n++ % tokens.length] as string);
  };
  await Promise.all(Array.from({ length: inFlight }, () => lane(performance.now() + 300))); // warm-up
  n = 0;
  const cpu0 = threadCpuUs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => lane(t0 + SECONDS * 1000)));
  const wall = (performance.now() - t0) * 1000;
  const cpu1 = threadCpuUs();
  const main = cpu1.main - cpu0.main;
  const others = cpu1.others - cpu0.others;
  return { wallUs: wall / n, mainUs: main / n, othersUs: others / n, cores: (main + others) / wall };
}

const fmt = (x: number, d = 1) => x.toFixed(d).padStart(7);

async function main() {
  const allowed = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  console.log(
    `node ${process.version}, cores allowed: ${allowed}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  );
  console.log('µs per verification: wall time, CPU of the main thread, CPU of every other thread');
  console.log(
    'library       alg    | 1 in flight:  wall   main  other | 32 in flight:  wall   main  other  cores',
  );
  for (const alg of ['RS256', 'ES256', 'EdDSA'] as Alg[]) {
    const { publicKey, privateKey } = PAIRS[alg]();
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const tokens = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        new SignJWT({ sub: `u${i}` })
          .setProtectedHeader({ alg })
          .setIssuer(ISS)
          .setExpirationTime(exp)
          .sign(privateKey),
      ),
    );
    const joseKey = await importJWK(publicKey.export({ format: 'jwk' }), alg);
    const libs: [string, (t: string) => unknown][] = [
      // A CryptoKey, as createLocalJWKSet hands jwtVerify in the apps.
      ['jose', (t) => jwtVerify(t, joseKey, { issuer: ISS, algorithms: [alg] })],
    ];
    if (alg !== 'EdDSA')
      libs.push(['jsonwebtoken', (t) => jwt.verify(t, publicKey, { issuer: ISS, algorithms: [alg] })]);
    for (const [name, verify] of libs) {
      const one = await measure(verify, tokens, 1);
      const many = await measure(verify, tokens, 32);
      const cols = (r: typeof one) => `${fmt(r.wallUs)}${fmt(r.mainUs)}${fmt(r.othersUs)}`;
      console.log(
        `${name.padEnd(13)} ${alg.padEnd(6)} |           ${cols(one)} |            ${cols(many)}${fmt(many.cores, 2)}`,
      );
    }
  }
}

await main();
