// The contract against the cloudflare-module build in workerd, started as `pnpm start:workers`
// does (scripts/start-workers.mjs hands PORT, HOST and the JWT_* variables to the Worker).
import { describeConformance } from '@repo/conformance/vitest';
import { describe, expect, it, vi } from 'vitest';
import { ALGORITHMS } from '../server/jwt/index.js';
import { cwd, startTarget, TARGETS } from './targets';

const { command, env } = TARGETS.workers;

// A Worker has no start-up with an environment: its variables arrive with its first request, so
// a bad JWT_* value cannot stop a process by exit code. It answers 500 server_error and logs the
// line instead (PORT is the launcher's, and is refused at start-up like everywhere else).
const READ_ON_FIRST_REQUEST =
  'a Worker reads its JWT_* variables on its first request (no start-up with an environment): a bad value answers 500 and logs the line, it cannot exit';
const CONFIG_CASES = [
  'missing-issuer',
  'empty-issuer',
  'algorithm-hs256',
  'algorithm-none',
  'algorithm-unknown',
  'algorithm-lowercase',
  'tolerance-not-a-number',
  'tolerance-negative',
  'jwks-uri-not-a-url',
  'jwks-uri-not-http',
  'audience-empty-list',
  'issuer-empty-entry',
  'issuer-repeated',
  'issuer-too-many',
  'issuer-with-credentials',
  'jwks-uri-with-two-issuers',
  'jwks-uri-with-credentials',
];

describeConformance({
  name: 'nitro-workers',
  command,
  cwd,
  algorithms: ALGORITHMS,
  env: { ...env, HOST: '127.0.0.1' },
  notApplicable: Object.fromEntries(CONFIG_CASES.map((id) => [`config/${id}`, READ_ON_FIRST_REQUEST])),
});

describe('nitro-workers with a bad JWT_* value', () => {
  it('answers 500 server_error on a protected route and logs one line naming the variable', async () => {
    const { url, server } = await startTarget(TARGETS.workers, {
      JWT_ISSUER: 'https://x.example',
      JWT_ALGORITHMS: 'RS256,HS256',
    });
    try {
      const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
      const response = await fetch(`${url}/protected`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'server_error', message: expect.any(String) });
      await vi.waitFor(() => expect(server.output()).toContain('JWT_ALGORITHMS'));
      expect(server.output()).not.toContain(token);
    } finally {
      await server.stop();
    }
  });
});

describe('the workerd launcher (scripts/start-workers.mjs)', () => {
  it('takes workerd down with it when killed outright (SIGKILL: no signal to forward)', async () => {
    const { url, server } = await startTarget(TARGETS.workers, { JWT_ISSUER: 'https://x.example' });
    try {
      process.kill(server.child.pid as number, 'SIGKILL'); // the launcher alone, not its process group
      const health = () =>
        fetch(`${url}/health`).then(
          () => 'up',
          () => 'down',
        );
      await expect.poll(health, { timeout: 5000 }).toBe('down');
    } finally {
      await server.stop();
    }
  });
});
