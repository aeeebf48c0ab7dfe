// The rendered configuration, checked by the real nginx (`nginx -t`) for each kind of JWKS URI.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { findLuaModules, findNginx } from '../src/nginx.ts';
import { nameservers, quoted, renderConf } from '../src/render.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const prefixes: string[] = [];
afterAll(() => {
  for (const prefix of prefixes) rmSync(prefix, { recursive: true, force: true });
});

function render(env: Record<string, string>, resolvConf = 'nameserver 192.0.2.53\n') {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-jwt-test-'));
  chmodSync(prefix, 0o755);
  prefixes.push(prefix);
  const conf = renderConf({
    config: loadConfig({ PORT: '18999', ...env }),
    appDir,
    prefix,
    modules: findLuaModules() ?? { ndk: '', lua: '' },
    upstreamPort: 1,
    workers: 2,
    resolvConf,
  });
  return { prefix, conf, http: readFileSync(conf, 'utf8') };
}

const nginxTest = (prefix: string, conf: string) =>
  execFileSync(findNginx() ?? 'nginx', ['-t', '-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: 'pipe',
  });

describe('renderConf', () => {
  it('fills every placeholder and passes nginx -t for IP-literal issuers without a nameserver', () => {
    const { prefix, conf, http } = render({ JWT_ISSUER: 'http://127.0.0.1:9/a, http://127.0.0.1:9/b' }, '');
    expect(readFileSync(conf, 'utf8')).not.toMatch(/\{\{/);
    expect(http).not.toMatch(/^\s*resolver /m);
    expect(http).not.toMatch(/location = \/baseline/);
    const settings = JSON.parse(readFileSync(join(prefix, 'conf', 'jwt-config.json'), 'utf8'));
    expect(settings).toMatchObject({
      issuers: ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'],
      jwks_uri: null,
      header: 'authorization',
      token_prefix: 'Bearer',
    });
    expect(settings.algorithms).toHaveLength(9);
    nginxTest(prefix, conf);
  });
  it('has /baseline only when the bench asks for it', () => {
    const prefix = mkdtempSync(join(tmpdir(), 'nginx-jwt-test-'));
    prefixes.push(prefix);
    const conf = renderConf({
      config: loadConfig({ PORT: '18999', JWT_ISSUER: 'http://127.0.0.1:9/a' }),
      ...{ appDir, prefix, upstreamPort: 1, workers: 2, baseline: true },
      modules: findLuaModules() ?? { ndk: '', lua: '' },
    });
    expect(readFileSync(conf, 'utf8')).toMatch(/location = \/baseline \{/);
    nginxTest(prefix, conf);
  });
  it('verifies TLS and resolves names at run time for an https gateway', () => {
    const { prefix, conf, http } = render({ JWT_ISSUER: 'https://example.zuplo.app/__zuplo/issuer' });
    expect(http).toMatch(/^\s*resolver 192\.0\.2\.53 valid=60s;/m);
    expect(http).toMatch(/lua_ssl_trusted_certificate "\/etc\/ssl\/certs\/ca-certificates\.crt";/);
    nginxTest(prefix, conf);
  });
  it('needs no resolver for localhost (lua/jwt/fetch.lua connects to 127.0.0.1)', () => {
    const { prefix, conf, http } = render({ JWT_ISSUER: 'http://localhost:3000/iss' }, '');
    expect(http).not.toMatch(/^\s*resolver /m);
    nginxTest(prefix, conf);
  });
  it('refuses a host name when no nameserver is known, naming the variable', () => {
    expect(() => render({ JWT_ISSUER: 'x', JWT_JWKS_URI: 'https://keys.example/jwks' }, '')).toThrow(
      /^JWT_JWKS_URI names the host keys\.example/,
    );
    expect(() => render({ JWT_ISSUER: 'https://a.example/iss' }, '')).toThrow(ConfigError);
  });
  it('reads nameservers, bracketing IPv6', () => {
    expect(
      nameservers('# c\nnameserver 10.0.0.2\nnameserver ::1\nnameserver fe80::1%eth0\nsearch x\n'),
    ).toEqual(['10.0.0.2', '[::1]']);
    expect(quoted('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
