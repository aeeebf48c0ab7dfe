import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Entry } from './entries.ts';
import { type Ctx, start } from './serve.ts';

export const BURST = 1000;
/** The JWKS answers this late, so the whole burst arrives while the first fetch is in flight. */
const DELAY_MS = 250;

export interface Burst {
  name: string;
  /** JWKS documents served from start-up to the last answer. */
  fetches: number;
  /** Answers by status (0: none). */
  statuses: Record<string, number>;
  ms: number;
  skipped?: string;
}

/** A JWKS endpoint in front of the issuer's that answers late and counts what it serves. */
async function slowJwks(upstream: string) {
  let served = 0;
  const server = createServer((_req, res) => {
    served++;
    setTimeout(async () => {
      const body = await fetch(upstream).then(
        (r) => r.text(),
        () => '',
      );
      res.writeHead(body ? 200 : 502, { 'content-type': 'application/json' }).end(body);
    }, DELAY_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/jwks.json`, served: () => served, close: () => server.close() };
}

const open = (port: number) =>
  new Promise<Socket>((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    socket.once('connect', () => resolve(socket)).once('error', reject);
  });

/** Writes one request on an open socket; resolves with the status of the answer (0: none). */
const exchange = (socket: Socket, port: number, token: string) =>
  new Promise<number>((resolve) => {
    let head = '';
    socket.on('data', (c: Buffer) => (head += head.length < 16 ? c.toString('latin1') : ''));
    socket.once('error', () => resolve(0));
    socket.once('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)));
    socket.setTimeout(30_000, () => socket.destroy());
    socket.write(
      `GET /protected HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
    );
  });

/**
 * "A cold burst of 1,000 concurrent requests costs one JWKS fetch": a fresh start, 1,000
 * connections opened first (in hundreds, within the accept backlog), then a distinct RS256 token
 * on each, all written at once, while the JWKS answers only after 250 ms.
 */
export async function coldBurst(ctx: Ctx, entry: Entry, tokens: readonly string[]): Promise<Burst> {
  const result: Burst = { name: entry.name, fetches: 0, statuses: {}, ms: 0 };
  if (entry.settings?.JWT_JWKS_URI === null)
    return {
      ...result,
      skipped: "no JWKS URI setting (it fetches from the token's iss): the slow JWKS cannot be put in front",
    };
  const jwks = await slowJwks(ctx.issuer.jwksUri);
  try {
    const running = await start(ctx, entry, { JWT_JWKS_URI: jwks.url });
    try {
      await sleep(DELAY_MS * 2); // a start-up prefetch, if the target makes one, lands first
      const port = Number(new URL(running.url).port);
      const sockets: Socket[] = [];
      for (let i = 0; i < BURST; i += 100)
        sockets.push(...(await Promise.all(Array.from({ length: 100 }, () => open(port)))));
      const t0 = performance.now();
      const codes = await Promise.all(sockets.map((s, i) => exchange(s, port, tokens[i] as string)));
      result.ms = performance.now() - t0;
      for (const c of codes) result.statuses[c] = (result.statuses[c] ?? 0) + 1;
      result.fetches = jwks.served();
    } finally {
      await running.server.stop();
    }
  } catch (e) {
    result.skipped = (e as Error).message.split('\n')[0];
  } finally {
    jwks.close();
  }
  return result;
}
