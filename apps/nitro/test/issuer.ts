// A minimal issuer for the glue tests, with jose alone (no monorepo package): one Ed25519 key,
// its JWK Set at any path, and a switch that holds JWKS answers back (a slow issuer).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  url: string;
  jwksRequests: number;
  mint(claims?: JWTPayload): Promise<string>;
  /** JWKS answers wait until the returned function is called. */
  hold(): () => void;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' }],
  });
  let held: Promise<void> = Promise.resolve();
  const server = createServer(async (_req, res) => {
    issuer.jwksRequests++;
    await held;
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer: TestIssuer = {
    url,
    jwksRequests: 0,
    mint: (claims = {}) =>
      new SignJWT({ sub: 'user-123', ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' })
        .setIssuer(url)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey),
    hold() {
      let release = () => {};
      held = new Promise((resolve) => {
        release = resolve;
      });
      return release;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return issuer;
}
