/**
 * A real JWKS server on 127.0.0.1 (port 0) and real keys from jose: what the verifier meets in
 * production, with the faults it must survive one assignment away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { Algorithm } from '../../src/config.ts';

export interface Key {
  alg: Algorithm;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

let serial = 0;

/** A key pair; `jwk` is the public half as published (kid, alg, use: sig unless overridden). */
export async function makeKey(alg: Algorithm, jwk: JWK = {}): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = `${alg}-${++serial}`;
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...jwk } };
}

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

export class Issuer {
  readonly url: string;
  /** JWKS requests answered (or left hanging) so far. */
  requests = 0;
  keys: Key[] = [];
  /** Answers JWKS requests; reset to `null` for the normal answer. */
  fault: Reply | null = null;

  private constructor(
    private readonly server: Server,
    port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static async start(keys: Key[] = []): Promise<Issuer> {
    let issuer: Issuer | undefined;
    const server = createServer((req, res) => issuer?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = new Issuer(server, (server.address() as AddressInfo).port);
    issuer.keys = keys;
    return issuer;
  }

  get jwksUri(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    if (this.fault) {
      this.fault(req, res);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
  }

  /** Mints a token: `iss` this issuer, `sub`, `iat`, `exp` in 5 minutes, unless overridden. */
  mint(
    key: Key,
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: this.url, sub: 'user-1', iat: now, exp: now + 300, ...claims };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The usual fault answers. */
export const faults = {
  status:
    (code: number, body = '{}'): Reply =>
    (_req, res) =>
      res.writeHead(code).end(body),
  body:
    (body: string): Reply =>
    (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
  hang: (): Reply => () => {},
  redirect:
    (location: string): Reply =>
    (_req, res) =>
      res.writeHead(302, { location }).end(),
};

const b64u = (text: string) => Buffer.from(text).toString('base64url');

/** Signs any header and payload text with an ES256 key, so only what is under test can be wrong. */
export async function signRaw(key: Key, header: unknown, payload: unknown): Promise<string> {
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const input = `${b64u(text(header))}.${b64u(text(payload))}`;
  const algorithm = { name: 'ECDSA', hash: 'SHA-256' };
  const signature = await crypto.subtle.sign(algorithm, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}
