import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIssuer } from './issuer.js';

/** `node dist/index.js` as `npm start` runs it (test/global-setup.ts built dist/ first). */
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['dist/index.js'], {
    cwd: APP_DIR,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk) => (text += chunk));
  child.stderr?.on('data', (chunk) => (text += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => text, exited };
}

/** Waits for the start-up line and returns the base URL. */
async function listening(app: Started): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const port = /listening on port (\d+)/.exec(app.output())?.[1];
    if (port) return `http://127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no start-up line: ${app.output()}`);
}

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

describe('node dist/index.js', () => {
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://issuer.example', JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: 'https://issuer.example', JWT_JWKS_MAX_AGE: 'ten' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: 'https://issuer.example', PORT: '70000' }, 'PORT'],
  ])('refuses %j with one line naming %s and exit code 1', async (env, variable) => {
    const app = run(env);
    expect(await app.exited).toBe(1);
    const lines = app.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });

  it('on SIGTERM refuses new connections, finishes a request waiting on the JWKS, exits 0', async () => {
    const app = run({ JWT_ISSUER: issuer.url });
    try {
      const url = await listening(app);
      issuer.delayMs = 1500;
      const fetched = issuer.nextRequest();
      const token = await issuer.mint();
      const inFlight = fetch(`${url}/protected`, { headers: { authorization: `Bearer ${token}` } });
      await fetched; // the request now waits on the slow JWKS
      app.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(fetch(`${url}/health`)).rejects.toThrow();
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ message: 'Access granted', user: { sub: 'user-123' } });
      expect(await app.exited).toBe(0);
    } finally {
      issuer.delayMs = 0;
      app.child.kill('SIGKILL');
    }
  });
});
