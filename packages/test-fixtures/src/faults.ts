import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the JWKS endpoint misbehaves:
 * - `error`: answers 500;
 * - `garbage`: answers 200 with a body that is not JSON;
 * - `not-a-jwks`: answers 200 with JSON that is not a key set;
 * - `slow`: answers only after `SLOW_MS`, longer than the contract's 5 s fetch timeout;
 * - `refuse`: stops listening, so connections are refused.
 */
export type Fault = 'error' | 'garbage' | 'not-a-jwks' | 'slow' | 'refuse';
export const FAULTS: readonly Fault[] = ['error', 'garbage', 'not-a-jwks', 'slow', 'refuse'];
export const SLOW_MS = 8000;

export class FaultInjector {
  #kind: Fault | null = null;
  #port = 0;
  #stalled = new Set<() => void>();

  constructor(private readonly server: Server) {}

  get current(): Fault | null {
    return this.#kind;
  }

  async set(kind: Fault | null): Promise<void> {
    const was = this.#kind;
    this.#kind = kind;
    if (was === 'slow') for (const release of this.#stalled) release();
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
    if (was === 'refuse' && kind !== 'refuse') {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(this.#port, '127.0.0.1', () => resolve());
      });
    }
  }

  /** Answers the request with the current fault; false when the normal answer should follow. */
  async intercept(res: ServerResponse): Promise<boolean> {
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
      case 'slow':
        await new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            this.#stalled.delete(release);
            resolve();
          };
          const timer = setTimeout(release, SLOW_MS);
          this.#stalled.add(release);
          res.once('close', release);
        });
        return res.destroyed;
      default:
        return false;
    }
  }
}
