/**
 * A local issuer for the app's own tests: a JWKS for all nine algorithms served on
 * 127.0.0.1:0, and tokens minted with jose. It needs nothing from the monorepo, so the tests
 * that use it still run in an app copied out of it.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { ALGORITHMS, type Algorithm } from '../src/jwt/index.js';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export class TestIssuer {
  /** JWKS requests answered so far. */
  jwksRequests = 0;
  /** Milliseconds the JWKS answer is held back. */
  delayMs = 0;
  /** While true, the JWKS answers 500. */
  down = false;
  #waiting: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly keys: Map<Algorithm, PrivateKey>,
  ) {}

  static async start(): Promise<TestIssuer> {
    const keys = new Map<Algorithm, PrivateKey>();
    const jwks: JWK[] = [];
    for (const alg of ALGORITHMS) {
      const pair = await generateKeyPair(alg, { extractable: true });
      keys.set(alg, pair.privateKey);
      jwks.push({ ...(await exportJWK(pair.publicKey)), kid: alg, alg, use: 'sig' });
    }
    const body = JSON.stringify({ keys: jwks });
    let issuer: TestIssuer | undefined;
    const server = createServer((request, response) => {
      if (!issuer || request.url !== '/.well-known/jwks.json') return void response.writeHead(404).end();
      issuer.jwksRequests++;
      for (const resolve of issuer.#waiting.splice(0)) resolve();
      const { down } = issuer;
      setTimeout(() => {
        response.writeHead(down ? 500 : 200, { 'content-type': 'application/json' });
        response.end(down ? '{}' : body);
      }, issuer.delayMs);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    issuer = new TestIssuer(server, `http://127.0.0.1:${port}`, keys);
    return issuer;
  }

  /** Resolves when the next JWKS request arrives. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** A token of this issuer, valid for 10 minutes unless `claims` say otherwise. */
  mint(claims: JWTPayload = {}, alg: Algorithm = 'EdDSA'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: this.url, sub: 'user-123', iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg, kid: alg, typ: 'JWT' })
      .sign(this.keys.get(alg) as PrivateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
