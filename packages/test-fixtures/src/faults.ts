import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How the JWKS endpoint misbehaves (the contract's "failed fetch" list, one entry each):
 * - `error`: answers 500;
 * - `garbage`: answers 200 with a body that is not JSON;
 * - `not-a-jwks`: answers 200 with JSON that is not a key set;
 * - `slow`: answers only after `SLOW_MS`, longer than the contract's 5 s fetch timeout;
 * - `refuse`: stops listening, so connections are refused;
 * - `redirect`: answers 302 to `REDIRECT_TARGET_PATH`, which serves the real key set and counts
 *   its hits, so a test can tell that an app followed it;
 * - `huge`: answers 200 with a 1 MiB JWK Set (the real keys plus filler), `content-length` set;
 * - `huge-chunked`: the same body, chunked, with no length announced;
 * - `delay`: answers normally, but only after `DELAY_MS` (inside the 5 s timeout).
 */
export const FAULTS = [
  'error',
  'garbage',
  'not-a-jwks',
  'slow',
  'refuse',
  'redirect',
  'huge',
  'huge-chunked',
  'delay',
] as const;
export type Fault = (typeof FAULTS)[number];
/** Any other answer, written by the test (a status, a body, a stream never ended). */
export type Answer = (res: ServerResponse) => void;
export const SLOW_MS = 8000;
export const DELAY_MS = 2500;
/** Size of the `huge` answers: twice the contract's 512 KiB limit. */
export const HUGE_BYTES = 1024 * 1024;
/** Where `redirect` points: on the issuer itself, serving the real key set. */
export const REDIRECT_TARGET_PATH = '/__mock/moved/jwks.json';

/** An answer that is not a failure for discovery: 404, an issuer without a discovery document. */
export const notFound: Answer = (res) => {
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
};

/** A JWK Set of exactly `bytes` bytes: `keys` first, then unusable filler keys (`use: enc`). */
export function paddedJwks(keys: readonly object[], bytes = HUGE_BYTES): Buffer {
  const parts = keys.map((k) => JSON.stringify(k));
  let size = parts.reduce((n, p) => n + Buffer.byteLength(p) + 1, 0);
  for (let i = 0; size < bytes - 300; i++) {
    const filler = JSON.stringify({ kty: 'oct', kid: `filler-${i}`, use: 'enc', k: 'A'.repeat(86) });
    parts.push(filler);
    size += filler.length + 1;
  }
  const head = `{"keys":[${parts.join(',')}],"x":"`;
  // The last stretch is padding inside one JSON string, so the body is valid JSON of exactly `bytes`.
  return Buffer.from(`${head}${'-'.repeat(Math.max(0, bytes - Buffer.byteLength(head) - 2))}"}`);
}

/** How long `refuse` ends waiting for its port, should another socket hold it meanwhile. */
const RELISTEN_MS = 10_000;

export class FaultInjector {
  #kind: Fault | Answer | null = null;
  #port = 0;
  #stalled = new Set<() => void>();
  #huge: { text: string; body: Buffer } | undefined;

  /** `redirectTo`: where `redirect` points (a path on the same server that serves the real answer). */
  constructor(
    private readonly server: Server,
    private readonly redirectTo = REDIRECT_TARGET_PATH,
  ) {}

  get current(): Fault | Answer | null {
    return this.#kind;
  }

  async set(kind: Fault | Answer | null): Promise<void> {
    const was = this.#kind;
    this.#kind = kind;
    if (was === 'slow' || was === 'delay') for (const release of this.#stalled) release();
    if (kind === 'refuse' && was !== 'refuse') {
      this.#port = (this.server.address() as AddressInfo).port;
      // Stop listening at once; open keep-alive connections are cut too, so nothing is served.
      await new Promise<void>((resolve) => {
        const done = setTimeout(resolve, 1000);
        this.server.close(() => {
          clearTimeout(done);
          resolve();
        });
        this.server.closeAllConnections();
      });
    }
    if (was === 'refuse' && kind !== 'refuse') await this.#listenAgain();
  }

  /**
   * The same port again. While it was closed, another socket on this machine may have taken it
   * (an outgoing connection's local port comes from the same range as listen(0)'s), which made a
   * CI run fail with EADDRINUSE: retried every 50 ms for up to 10 s, then that error.
   */
  async #listenAgain(): Promise<void> {
    for (const deadline = Date.now() + RELISTEN_MS; ; ) {
      try {
        // events.once settles on 'listening' or 'error' and removes both listeners: retries leave none.
        const listening = once(this.server, 'listening');
        this.server.listen(this.#port, '127.0.0.1');
        await listening;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > deadline) throw error;
        await sleep(50);
      }
    }
  }

  /**
   * Answers the request with the current fault; false when the normal answer should follow.
   * `keys` is the real key set, for the faults that serve it (padded, or late).
   */
  async intercept(res: ServerResponse, keys: readonly object[] = []): Promise<boolean> {
    if (typeof this.#kind === 'function') {
      this.#kind(res);
      return true;
    }
    switch (this.#kind) {
      case 'error':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
        return true;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>upstream hiccup');
        return true;
      case 'not-a-jwks':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":"none","x":[1]}');
        return true;
      case 'redirect':
        res.writeHead(302, { location: this.redirectTo, 'content-length': '0' }).end();
        return true;
      case 'huge':
      case 'huge-chunked':
        return this.#sendHuge(res, keys, this.#kind === 'huge');
      case 'slow':
        await this.#stall(res, SLOW_MS);
        return res.destroyed;
      case 'delay':
        await this.#stall(res, DELAY_MS);
        return res.destroyed;
      default:
        return false;
    }
  }

  #sendHuge(res: ServerResponse, keys: readonly object[], declared: boolean): true {
    // Made once per key set: building 1 MiB takes long enough on a loaded machine to skew timings.
    const text = JSON.stringify(keys);
    if (this.#huge?.text !== text) this.#huge = { text, body: paddedJwks(keys) };
    const { body } = this.#huge;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (declared) headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    // 64 KiB writes, so a chunked answer really arrives in chunks; a client that stops reading
    // (its cap reached) and hangs up leaves the rest unsent.
    for (let at = 0; at < body.length && !res.destroyed; at += 65536)
      res.write(body.subarray(at, at + 65536));
    res.end();
    return true;
  }

  #stall(res: ServerResponse, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.#stalled.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.#stalled.add(release);
      res.once('close', release);
    });
  }
}
