// A small issuer for the app's own tests (no monorepo package, so a copied-out app keeps them):
// RS256 and ES256 keys, tokens signed with node:crypto, and a JWKS endpoint whose answer a test
// can change (rotate, fail, redirect, hang, ...) while recording every fetch.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Alg = 'RS256' | 'ES256';
interface Key {
  kid: string;
  alg: Alg;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

/** What the JWKS endpoint answers: the published keys, or one of the failures of the contract. */
export type Mode = 'keys' | 'error' | 'redirect' | 'huge' | 'garbage' | 'hang' | 'ed25519';

const b64u = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function makeKey(alg: Alg, kid: string): Key {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { kid, alg, privateKey: pair.privateKey, jwk };
}

export class TestIssuer {
  /** Times (ms) of every JWKS request, and of every request to the redirect target. */
  readonly fetches: number[] = [];
  readonly redirectHits: number[] = [];
  mode: Mode = 'keys';
  /** Delay before answering, in ms (a slow issuer). */
  delayMs = 0;
  private keys: Key[];
  private generation = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.keys = [makeKey('RS256', 'rs-0'), makeKey('ES256', 'es-0')];
  }

  static async start(): Promise<TestIssuer> {
    let issuer: TestIssuer | undefined;
    const server = createServer((req, res) => issuer?.handle(req.url ?? '/', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return issuer;
  }

  get jwksUri(): string {
    return `${this.url}/.well-known/jwks.json`;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: this.keys.map((k) => k.jwk) };
  }

  /** Replaces every published key with new ones: tokens signed before stop verifying. */
  rotate(): void {
    this.generation++;
    this.keys = [makeKey('RS256', `rs-${this.generation}`), makeKey('ES256', `es-${this.generation}`)];
  }

  mint(claims: Record<string, unknown> = {}, options: { alg?: Alg } = {}): string {
    const key = this.keys.find((k) => k.alg === (options.alg ?? 'RS256')) as Key;
    const now = Math.floor(Date.now() / 1000);
    const header = b64u(JSON.stringify({ alg: key.alg, kid: key.kid, typ: 'JWT' }));
    const payload = b64u(
      JSON.stringify({ iss: this.url, sub: 'user-1', iat: now, exp: now + 600, ...claims }),
    );
    const input = `${header}.${payload}`;
    const signature =
      key.alg === 'RS256'
        ? sign('sha256', Buffer.from(input), key.privateKey)
        : sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64u(signature)}`;
  }

  private handle(path: string, res: import('node:http').ServerResponse): void {
    if (path === '/elsewhere') {
      this.redirectHits.push(Date.now());
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks()));
      return;
    }
    this.fetches.push(Date.now());
    setTimeout(() => this.answer(res), this.delayMs);
  }

  private answer(res: import('node:http').ServerResponse): void {
    const json = { 'content-type': 'application/json' };
    switch (this.mode) {
      case 'keys':
        return void res.writeHead(200, json).end(JSON.stringify(this.jwks()));
      case 'error':
        return void res.writeHead(500, json).end('{"error":"down"}');
      case 'redirect':
        return void res.writeHead(302, { location: `${this.url}/elsewhere` }).end();
      case 'huge':
        return void res
          .writeHead(200, json)
          .end(JSON.stringify({ ...this.jwks(), pad: 'x'.repeat(1024 * 1024) }));
      case 'garbage':
        return void res.writeHead(200, json).end('{"not":"a key set"}');
      case 'ed25519':
        return void res.writeHead(200, json).end(
          JSON.stringify({
            keys: [{ kty: 'OKP', crv: 'Ed25519', x: b64u(Buffer.alloc(32, 1)), kid: 'ed' }],
          }),
        );
      case 'hang':
        return; // never answers: the fetch times out
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
