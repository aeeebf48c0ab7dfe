// The rendered configuration, checked by the real nginx (`nginx -t`, which also runs
// init_by_lua: the settings are read from the environment then).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NGINX } from '../src/nginx.ts';
import { quoted, renderConf, resolver } from '../src/render.ts';

const prefixes: string[] = [];
afterAll(() => {
  for (const prefix of prefixes) rmSync(prefix, { recursive: true, force: true });
});

function render(resolvConf = 'nameserver 192.0.2.53\n', include?: string) {
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-jwt-test-'));
  chmodSync(prefix, 0o755);
  prefixes.push(prefix);
  const conf = renderConf(prefix, { port: 18999, upstreamPort: 1, resolvConf, include });
  return { prefix, conf, http: readFileSync(conf, 'utf8') };
}

const nginxTest = (prefix: string, conf: string, env: Record<string, string>) =>
  execFileSync(NGINX, ['-t', '-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: 'pipe', env });

describe('renderConf', () => {
  it('fills every placeholder and passes nginx -t for IP-literal issuers without a nameserver', () => {
    const { prefix, conf, http } = render('');
    expect(http).not.toMatch(/\{\{/);
    expect(http).not.toMatch(/^\s*resolver /m);
    expect(http).not.toMatch(/^\s*include "/m);
    expect(http).toMatch(/^\s*listen 127\.0\.0\.1:18999 /m);
    nginxTest(prefix, conf, { JWT_ISSUER: 'http://127.0.0.1:9/a, http://127.0.0.1:9/b' });
  });
  it('includes NGINX_INCLUDE\'s file inside the server block', () => {
    const extra = join(mkdtempSync(join(tmpdir(), 'nginx-jwt-include-')), 'extra "quoted".conf');
    prefixes.push(dirname(extra));
    writeFileSync(extra, 'location = /extra { return 204; }\n');
    const { prefix, conf, http } = render('', extra);
    // In the server block, before its catch-all (a location outside one fails nginx -t); the path quoted.
    const at = http.indexOf(`include ${quoted(extra)};`);
    expect(at).toBeGreaterThan(http.indexOf('listen 127.0.0.1:18999'));
    expect(at).toBeLessThan(http.indexOf('location / {'));
    nginxTest(prefix, conf, { JWT_ISSUER: 'http://127.0.0.1:9/a' });
  });
  it('verifies TLS and resolves names at run time for an https gateway', () => {
    const { prefix, conf, http } = render();
    expect(http).toMatch(/^\s*resolver 192\.0\.2\.53 valid=60s;/m);
    expect(http).toMatch(/lua_ssl_trusted_certificate \/etc\/ssl\/certs\/ca-certificates\.crt;/);
    nginxTest(prefix, conf, { JWT_ISSUER: 'https://example.zuplo.app/__zuplo/issuer' });
  });
  it('reads nameservers, bracketing IPv6', () => {
    expect(resolver('# c\nnameserver 10.0.0.2\nnameserver ::1\nnameserver fe80::1%eth0\nsearch x\n')).toBe(
      'resolver 10.0.0.2 [::1] valid=60s;',
    );
    expect(quoted('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
