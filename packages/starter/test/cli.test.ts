import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'starter-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const tsx = createRequire(import.meta.url).resolve('tsx');
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** `pnpm starter ...args`, as the root script runs it (INIT_CWD: where it was typed). */
function starter(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', tsx, cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: scratch },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('pnpm starter', () => {
  it('--help says which apps take --runtime, and with what', () => {
    const { code, stdout } = starter('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--runtime <name>  add that runtime next to Node');
    expect(stdout).toMatch(/^ {2}hono +--runtime bun \| deno \| workers$/m);
    expect(stdout).toMatch(/^ {2}nitro +--runtime bun \| deno \| workers$/m);
  });

  it('a Node starter: the next steps, then how to add a runtime', () => {
    const { code, stdout } = starter('hono', 'node-only');
    expect(code).toBe(0);
    expect(stdout).toContain('Made node-only from apps/hono, for Node. Next:');
    expect(stdout).toContain('To add bun, deno, workers: make the starter with --runtime <name>');
  });

  it('--runtime: its build and start scripts in the next steps, and the runtimes still left to add', () => {
    const { code, stdout } = starter('nitro', 'on-deno', '--runtime', 'deno');
    expect(code).toBe(0);
    expect(stdout).toContain('Made on-deno from apps/nitro, for Node, deno. Next:');
    expect(stdout).toContain('npm run build:deno && npm run start:deno');
    expect(stdout).toContain('To add bun, workers:');
  });

  it('an unknown runtime is a usage error (exit 2) naming the choices', () => {
    const { code, stderr } = starter('hono', 'x', '--runtime', 'node26');
    expect(code).toBe(2);
    expect(stderr).toContain('pnpm starter: hono has no runtime "node26"; choose one of: bun, deno, workers');
    expect(stderr).toContain('Usage: pnpm starter');
  });

  it('--runtime for a Node-only app is a usage error (exit 2)', () => {
    const { code, stderr } = starter('koa', 'x', '--runtime', 'bun');
    expect(code).toBe(2);
    expect(stderr).toContain('koa runs on Node only: it has no --runtime to choose');
  });

  it('--runtime without a name is a usage error (exit 2)', () => {
    const { code, stderr } = starter('hono', 'x', '--runtime');
    expect(code).toBe(2);
    expect(stderr).toContain("Option '--runtime <value>' argument missing");
  });
});
