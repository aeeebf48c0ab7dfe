import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import jwt from 'jsonwebtoken';

/**
 * Does jose's verify use more than one core in Node? jose verifies through WebCrypto, whose
 * sign/verify jobs Node runs on libuv's threadpool (UV_THREADPOOL_SIZE, 4 by default), while
 * jsonwebtoken calls crypto.verify synchronously on the main thread. Run it twice, under
 * `taskset -c 0` and without, to see what a second core buys each library:
 *   taskset -c 0 pnpm exec tsx src/cores.ts ; pnpm exec tsx src/cores.ts
 * For each: µs of wall time per verification one at a time (awaited), and with 32 in flight
 * (what a server under load does), plus the process CPU time per verification and the cores
 * that CPU time filled (cpu ÷ wall; above 1.0 means other threads worked in parallel).
 */
const SECONDS = Number(process.env.CORES_SECONDS ?? 2);
const ISS = 'https://issuer.example';
type Alg = 'RS256' | 'ES256' | 'EdDSA';
const PAIRS: Record<Alg, () => { publicKey: KeyObject; privateKey: KeyObject }> = {
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: () => generateKeyPairSync('ed25519'),
};

async function measure(verify: (t: string) => unknown, tokens: string[], inFlight: number) {
  let n = 0;
  const lane = async (end: number) => {
    while (performance.now() < end) await verify(tokens[n++ % tokens.length] as string);
  };
  await Promise.all(Array.from({ length: inFlight }, () => lane(performance.now() + 300))); // warm-up
  n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, () => lane(t0 + SECONDS * 1000)));
  const wall = (performance.now() - t0) * 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = cpu.user + cpu.system;
  return { wallUs: wall / n, cpuUs: cpuUs / n, cores: cpuUs / wall };
}

const fmt = (x: number, d = 1) => x.toFixed(d).padStart(7);

async function main() {
  const { Cpus_allowed_list: allowed = '?' } = Object.fromEntries(
    (await import('node:fs'))
      .readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .map((l) => l.split(/:\s*/)),
  );
  console.log(
    `node ${process.version}, cores allowed: ${allowed}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`,
  );
  console.log(
    'library       alg    | 1 in flight: wall µs  cpu µs cores | 32 in flight: wall µs  cpu µs cores',
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
    const libs: [string, (t: string) => unknown][] = [
      ['jose', (t) => jwtVerify(t, publicKey, { issuer: ISS, algorithms: [alg] })],
    ];
    if (alg !== 'EdDSA')
      libs.push(['jsonwebtoken', (t) => jwt.verify(t, publicKey, { issuer: ISS, algorithms: [alg] })]);
    for (const [name, verify] of libs) {
      const one = await measure(verify, tokens, 1);
      const many = await measure(verify, tokens, 32);
      console.log(
        `${name.padEnd(13)} ${alg.padEnd(6)} |            ${fmt(one.wallUs)} ${fmt(one.cpuUs)} ${fmt(one.cores, 2)} |             ${fmt(many.wallUs)} ${fmt(many.cpuUs)} ${fmt(many.cores, 2)}`,
      );
    }
  }
}

await main();
