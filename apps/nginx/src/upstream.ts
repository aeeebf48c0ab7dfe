// The upstream of this example: the service nginx protects. It sees only requests that passed
// verification, and reads the verified claims from the headers nginx sets (never the token).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** X-JWT-Claims: the verified payload, base64url JSON (RFC 7515 §2), as nginx forwarded it. */
function claimsFrom(req: IncomingMessage): object | undefined {
  const header = req.headers['x-jwt-claims'];
  if (typeof header !== 'string') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(header, 'base64url').toString());
    return claims !== null && typeof claims === 'object' ? claims : undefined;
  } catch {
    return undefined;
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://upstream').pathname;
  const user = claimsFrom(req);
  if (path !== '/protected' && path !== '/protected/admin') {
    send(res, 404, { error: 'not_found', message: 'There is nothing at this path.' });
  } else if (!user) {
    // Only reachable around nginx (its port is private): refuse rather than trust nothing.
    send(res, 500, { error: 'server_error', message: 'The request did not come through the verifier.' });
  } else {
    send(res, 200, { message: 'Access granted', user });
  }
}

/** Listens on a free 127.0.0.1 port; nginx's `upstream` block points at it. */
export async function startUpstream(): Promise<{ server: Server; port: number }> {
  // Verified claims ride in a header: allow for an 8 KiB token's payload.
  const server = createServer({ maxHeaderSize: 32 * 1024 }, handle);
  // nginx may open one connection per request in a burst: a long accept queue.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
