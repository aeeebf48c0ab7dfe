// The BUILT server's start-up (`pnpm build` first): Nitro plugins run before it listens, so the
// configuration check must stop it there, and the contract's default port must replace Nitro's.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

/** Runs the built server until it exits or prints `until`; then stops it. */
function run(env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['.output/server/index.mjs'], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    const timer = setTimeout(() => child.kill(), 15_000);
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      if (until?.test(output)) child.kill();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the built server at start-up', () => {
  it.each([
    [{}, 'JWT_ISSUER'],
    [{ JWT_ISSUER: 'https://x.example', JWT_ALGORITHMS: 'RS256,HS256' }, 'JWT_ALGORITHMS'],
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
