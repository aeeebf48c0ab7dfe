// The settings, as `node dist/start.js` reads them: PORT in the launcher, JWT_* in nginx itself
// (lua/jwt/config.lua, in init_by_lua). A refusal is one line naming the variable, exit 1.
import { fileURLToPath } from 'node:url';
import { runExpectingExit } from '@repo/test-fixtures';
import { describe, expect, it } from 'vitest';
import { freePort, startApp } from './helpers/app.ts';

const ISSUER = 'https://example.zuplo.app/__zuplo/issuer';
const appDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs the start script with only `env` (and PATH, HOME); resolves with its exit code and output. */
async function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const command = ['node', 'dist/start.js'];
  const port = String(await freePort());
  const ended = await runExpectingExit({ command, cwd: appDir, env: { PORT: port, ...env }, timeoutMs: 10_000 });
  return { code: ended.code, output: ended.output };
}

/** Starts the app with `env` and stops it: it accepted the settings. */
async function accepts(env: Record<string, string>): Promise<void> {
  const app = await startApp(env);
  await app.stop();
}

describe('the settings', () => {
  it('applies the defaults, and takes trimmed lists, 16 issuers, the header and an empty prefix', async () => {
    await accepts({ JWT_ISSUER: `${ISSUER}/` });
    await accepts({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' a , ,b', JWT_ALGORITHMS: 'ES256, EdDSA,' });
    const many = Array.from({ length: 16 }, (_, i) => `${ISSUER}${i}`);
    await accepts({ JWT_ISSUER: many.join(','), JWT_HEADER: 'X-Gateway-Token', JWT_TOKEN_PREFIX: '' });
    await accepts({ JWT_ISSUER: 'any string', JWT_JWKS_URI: 'http://127.0.0.1:9/jwks' });
  });
  it('never echoes a password', async () => {
    const cases: Record<string, string>[] = [
      { JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'https://u:secret@example/jwks' },
      { JWT_ISSUER: 'https://u:secret@example/iss' },
      { JWT_ISSUER: 'https://u:secret@example/iss', JWT_JWKS_URI: 'https://keys.example/jwks' },
    ];
    for (const env of cases) {
      const { code, output } = await run(env);
      expect(code).toBe(1);
      expect(output).toMatch(/configuration error: JWT_/);
      expect(output).not.toContain('secret');
    }
  });
  const ONE = 'https://b.example/iss';
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER}, ,${ONE}` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},${ISSUER}` }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: [...Array.from({ length: 16 }, (_, i) => `${ISSUER}${i}`), ONE].join(',') }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://u:p@example/iss' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://u:p@example/iss', JWT_JWKS_URI: 'https://keys.example/jwks' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: `${ISSUER},${ONE}`, JWT_JWKS_URI: 'https://keys.example/jwks' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: 'x gateway' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: '' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_HEADER: 'x_gateway_token' }, 'JWT_HEADER'],
    [{ JWT_ISSUER: ISSUER, JWT_TOKEN_PREFIX: 'Bearer ' }, 'JWT_TOKEN_PREFIX'],
    [{ JWT_ISSUER: '  ' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'not a url' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://example.zuplo.app:99999/iss' }, 'JWT_ISSUER'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'not a url' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_URI: 'ftp://example/jwks' }, 'JWT_JWKS_URI'],
    [{ JWT_ISSUER: ISSUER, JWT_AUDIENCE: ' , ' }, 'JWT_AUDIENCE'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: 'rs256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_ALGORITHMS: ' ' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '-1' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_CLOCK_TOLERANCE: '1.5' }, 'JWT_CLOCK_TOLERANCE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '0' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '10m' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, JWT_JWKS_MAX_AGE: '' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: ISSUER, PORT: '65536' }, 'PORT'],
    [{ JWT_ISSUER: ISSUER, PORT: 'http' }, 'PORT'],
  ])('%j is refused in one line naming %s', async (env, variable) => {
    const { code, output } = await run(env);
    expect(code).toBe(1);
    const refusals = output.split('\n').filter((line) => line.startsWith('configuration error: '));
    expect(refusals).toEqual([expect.stringMatching(new RegExp(`^configuration error: ${variable} `))]);
    expect(output).not.toMatch(/traceback|\n\s+at /);
  });
});

describe('the test run without nginx', () => {
  it('fails with how to install it, and says a CI run cannot skip', async () => {
    const { missingNginx } = await import('./setup/require-nginx.ts');
    expect(missingNginx({ nginx: '/usr/sbin/nginx', lua: {} }, false)).toBeUndefined();
    expect(missingNginx({}, false)).toMatch(/^nginx is not installed.*apt-get install -y nginx-light libnginx-mod-http-lua /);
    expect(missingNginx({ nginx: '/usr/sbin/nginx' }, true)).toMatch(/^the Lua module .*CI=true/);
  });
});
