import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * A small in-process issuer for the unit tests (no monorepo packages, so they also run in a
 * copied-out app): keys, a JWKS endpoint that can misbehave, and token signing.
 */
export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(alg: string, kid: string, extra: Partial<JWK> = {}): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...extra } };
}

export type Mode = 'ok' | 'error' | 'garbage' | 'slow';

export class JwksServer {
  keys: TestKey[] = [];
  /** Raw JWKs to publish instead of `keys` (malformed or unusual ones). */
  raw: unknown[] | undefined;
  mode: Mode = 'ok';
  requests = 0;
  readonly issuer: string;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {
    this.issuer = `${origin}/__zuplo/issuer`;
  }

  static async start(keys: TestKey[] = []): Promise<JwksServer> {
    let self: JwksServer | undefined;
    const server = createServer((_req, res) => {
      if (!self) return;
      self.requests++;
      if (self.mode === 'slow') return void setTimeout(() => res.end('{"keys":[]}'), 2000).unref();
      if (self.mode === 'error') return void res.writeHead(500).end('{}');
      if (self.mode === 'garbage') return void res.writeHead(200).end('<html>');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: self.raw ?? self.keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new JwksServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    self.keys = keys;
    return self;
  }

  get jwksUri(): URL {
    return new URL(`${this.issuer}/.well-known/jwks.json`);
  }

  /** A token from this issuer (iss, sub, exp in 5 minutes) signed with `key`. */
  async sign(
    key: TestKey,
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const all = { iss: this.issuer, sub: 'user-1', iat: now, exp: now + 300, ...claims };
    // undefined removes a default claim
    return new SignJWT(JSON.parse(JSON.stringify(all)))
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Builds a token from raw header and payload objects with a fake signature (never verifies). */
export function unsigned(header: unknown, payload: unknown, signature = 'c2lnbmF0dXJl'): string {
  const b64 = (v: unknown) =>
    Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.${signature}`;
}
