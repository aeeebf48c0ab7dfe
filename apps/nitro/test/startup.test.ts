// The BUILT node-server (test/global-setup.ts builds it): Nitro plugins run before it listens, so
// the configuration check stops it there, and the contract's default port replaces Nitro's.
import { launch } from '@repo/test-fixtures';
import { describe, expect, it } from 'vitest';
import { itDrainsOnSigterm } from './drain';
import { cwd, TARGETS } from './targets';

/** Runs the built server until it exits or prints `until`; then stops it. */
async function run(env: Record<string, string>, until?: RegExp) {
  const server = launch({ command: TARGETS.node.command, cwd, env });
  const timer = setTimeout(() => server.stop(), 15_000);
  const poll = setInterval(() => until?.test(server.output()) && server.stop(), 50);
  const { code } = await server.exited;
  clearTimeout(timer);
  clearInterval(poll);
  return { code, output: server.output() };
}

describe('the built server at start-up', () => {
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://x.example', JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
    [{ JWT_ISSUER: 'https://x.example', JWT_JWKS_MAX_AGE: 'ten' }, 'JWT_JWKS_MAX_AGE'],
    [{ JWT_ISSUER: 'https://x.example', PORT: '99999' }, 'PORT'],
  ])('exits 1 with one line naming the variable for %j', async (env, variable) => {
    const { code, output } = await run(env as Record<string, string>);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(variable);
  });

  it("listens on the contract's default port 3003 when PORT is unset, not Nitro's 3000", async () => {
    // Either "Listening on http://[::]:3003" or, if something already holds 3003, EADDRINUSE :::3003.
    const { output } = await run({ JWT_ISSUER: 'https://x.example' }, /:3003\b/);
    expect(output).toMatch(/:3003\b/);
  });
});

describe('the built server on SIGTERM', () => {
  itDrainsOnSigterm(TARGETS.node);
});
