/** A JWKS server on 127.0.0.1 (port 0) with real keys from jose, and tokens signed by them. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export class Issuer {
  url = '';
  requests = 0;
  /** Milliseconds before the JWKS is answered; `null` answers 500. */
  delay: number | null = 0;
  readonly #server: Server;
  readonly #keys: { alg: string; privateKey: CryptoKey; jwk: JWK }[] = [];

  constructor() {
    this.#server = createServer((_req, res) => {
      this.requests++;
      if (this.delay === null) return void res.writeHead(500).end();
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: this.#keys.map((k) => k.jwk) }));
      }, this.delay);
    });
  }

  async start(algorithms: string[]): Promise<this> {
    for (const alg of algorithms) {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      this.#keys.push({
        alg,
        privateKey,
        jwk: { ...(await exportJWK(publicKey)), kid: alg, alg, use: 'sig' },
      });
    }
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** A token from this issuer, valid for 5 minutes, signed with the key for `alg`. */
  mint(claims: Record<string, unknown> = {}, alg = this.#keys[0]?.alg): Promise<string> {
    const key = this.#keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`no ${alg} key`);
    return new SignJWT({ iss: this.url, sub: 'user-1', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.alg })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
  }

  stop(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
