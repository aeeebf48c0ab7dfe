import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintFlags, starterHint } from '../src/dev.ts';
import { bannerSections, formatBanner } from '../src/dev-banner.ts';
import { type DevIssuer, devIssuers, joinOrStartIssuer } from '../src/dev-issuers.ts';
import { tokenHeader } from '../src/header.ts';
import { MockIssuer } from '../src/index.ts';
import { freePort } from '../src/process.ts';

const decode = (token = '', at = 1) =>
  JSON.parse(Buffer.from(token.split('.')[at] ?? '', 'base64url').toString()) as Record<string, unknown>;
const dev = (i: MockIssuer, name: string): DevIssuer => ({ name, url: i.url, origin: i.origin });

let production: MockIssuer;
let preview: MockIssuer;
let app: Server;
let base: string;
const seen: Record<string, string | undefined>[] = [];

beforeAll(async () => {
  [production, preview] = await Promise.all([MockIssuer.start(), MockIssuer.start()]);
  // A stand-in for an app with JWT_HEADER=x-gateway-token, JWT_TOKEN_PREFIX='' and only production's issuer.
  const keys = createLocalJWKSet(production.jwks());
  app = createServer((req, res) => {
    seen.push({
      gateway: req.headers['x-gateway-token'] as string,
      authorization: req.headers.authorization,
    });
    jwtVerify(String(req.headers['x-gateway-token']), keys, { issuer: production.url }).then(
      () => res.writeHead(200).end(),
      () => res.writeHead(401).end(),
    );
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(async () => {
  app.close();
  await Promise.all([production.close(), preview.close()]);
});

describe("pnpm dev's two environments", () => {
  it('joins the issuer already on a port, else starts its own there: each with its own keys', async () => {
    const port = await freePort();
    const [joined, started] = await devIssuers([
      { name: 'production', port: Number(new URL(production.origin).port) },
      { name: 'preview', port },
    ]);
    expect(joined).toEqual({ name: 'production', url: production.url, origin: production.origin });
    expect(started?.url).toBe(`http://127.0.0.1:${port}/__zuplo/issuer`);
    expect(started?.close).toBeTypeOf('function');
    expect(await joinOrStartIssuer(port)).toEqual({ url: started?.url, origin: started?.origin });
    // Discovery shaped like the gateway's, pointing at keys other than production's.
    const discovery = (await (await fetch(`${started?.url}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    expect(discovery).toMatchObject({
      issuer: started?.url,
      jwks_uri: `${started?.url}/.well-known/jwks.json`,
    });
    const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
    const kids = keys.map((k) => k.kid);
    expect(kids).not.toContain(production.key('EdDSA').kid);
    await started?.close?.();
  });

  it('mints for every environment in the configured header, and sees which ones the app accepts', async () => {
    const header = tokenHeader({ JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' });
    const issuers = [dev(production, 'production'), dev(preview, 'preview')];
    seen.length = 0;
    const { alg, sections } = await bannerSections(issuers, base, header, ['EdDSA', 'ES256']);
    expect(alg).toBe('EdDSA');
    expect(sections.map((s) => [s.issuer.name, s.status])).toEqual([
      ['production', 200],
      ['preview', 401],
    ]);
    expect(sections.map((s) => decode(s.curls[1]?.token).iss)).toEqual([production.url, preview.url]);
    expect(decode(sections[0]?.curls[1]?.token)).toMatchObject({
      scope: 'read admin',
      aud: `${base}/protected/admin`,
    });
    expect(seen[0]).toEqual({ gateway: sections[0]?.curls[0]?.token, authorization: undefined });

    const banner = formatBanner({ name: 'demo', base, alg, header, sections, mintHint: 'pnpm mint' });
    expect(banner).toContain(`JWT_ISSUER=${production.url},${preview.url}`);
    expect(banner).toContain(
      `curl -i ${base}/protected -H "X-Gateway-Token: ${sections[1]?.curls[0]?.token}"`,
    );
    expect(banner).toContain(
      `preview (iss ${preview.url}), but demo answered 401 (check JWT_ISSUER, JWT_HEADER, JWT_TOKEN_PREFIX):`,
    );
    expect(banner).toContain(`production (iss ${production.url}):`);
    expect(banner).not.toMatch(/Authorization|Bearer/);
  });

  it('says the default header and prefix, or the flags that make pnpm mint print the same line', () => {
    expect(tokenHeader({})).toEqual({ name: 'Authorization', prefix: 'Bearer' });
    expect(mintFlags(tokenHeader({ JWT_HEADER: 'authorization' }))).toBe('--scope "read admin"');
    expect(mintFlags(tokenHeader({ JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' }))).toBe(
      `--scope "read admin" --header X-Gateway-Token --prefix ''`,
    );
    expect(mintFlags(tokenHeader({ JWT_TOKEN_PREFIX: 'Token' }))).toBe('--scope "read admin" --prefix Token');
    expect(mintFlags(tokenHeader({ JWT_HEADER: 'X-Gateway-Token' }))).toBe(
      '--scope "read admin" --header X-Gateway-Token',
    );
  });
});

describe("a starter's banner", () => {
  it('says how to mint more tokens without the repository: the curl it prints works', async () => {
    const hint = starterHint(production.origin);
    const [, url, body] = /curl -s -X POST (\S+) -d '([^']+)'/.exec(hint) ?? [];
    const res = await fetch(url as string, { method: 'POST', body });
    const { token } = (await res.json()) as { token: string };
    expect(decode(token)).toMatchObject({ iss: production.url, scope: 'read admin' });
  });
});
