import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { saveRun } from '../src/results.ts';
import { PACKAGE_DIR } from './support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  const options = { cwd: PACKAGE_DIR, env: { ...process.env, INIT_CWD: PACKAGE_DIR, ...env } };
  return promisify(execFile)('node', ['--import', 'tsx', 'src/cli.ts', ...args], options).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('the command line', { timeout: 60_000 }, () => {
  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['--cmd', 'x', '--profile', 'lax'], '--profile: "lax" is not security or contract'],
    [['--cmd', 'x', '--algorithms', 'RS256,HS256'], '--algorithms: HS256 not among'],
    [[], 'give --cmd, --url or --config'],
    [['--config', 'missing.json'], '--config: no file at'],
  ])('%j: one line, the usage, exit code 2', async (args, line) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toContain(line);
    expect(stderr).toContain('\nusage:\n');
  });

  it('refuses a config file naming a case that does not exist (a typo would silently apply it)', async () => {
    const file = join(scratch, 'typo.json');
    writeFileSync(file, JSON.stringify({ command: 'x', notApplicable: { 'config/missing-isuer': 'why' } }));
    const { code, stderr } = await cli(['--config', file]);
    expect([code, stderr.split('\n')[0]]).toEqual([
      2,
      'jwt-conformance: config: notApplicable "config/missing-isuer" names no group or case (see --list)',
    ]);
  });

  it('--matrix reads CONFORMANCE_RESULTS_DIR and closes with the line CI prints, for the runs found there', async () => {
    const dir = join(scratch, 'node26');
    const failure = [{ profile: 'contract' as const, kind: 'wrong-wording' as const, message: 'body' }];
    const result = (id: string, failures = [] as typeof failure) => ({
      group: 'routes',
      id,
      title: id,
      theme: 'errors' as const,
      failures,
      ms: 1,
    });
    process.env.CONFORMANCE_RESULTS_DIR = dir;
    try {
      saveRun({
        target: 'a',
        profile: 'contract',
        startedAt: '',
        seconds: 1,
        results: [result('health'), result('x', failure)],
      });
      saveRun({
        target: 'b',
        profile: 'contract',
        startedAt: '',
        seconds: 1,
        results: [result('health'), result('x')],
      });
    } finally {
      delete process.env.CONFORMANCE_RESULTS_DIR;
    }
    const contract = await cli(['--matrix'], { CONFORMANCE_RESULTS_DIR: dir });
    expect([contract.code, contract.stdout.trimEnd().split('\n').at(-1)]).toEqual([1, '3 passed, 1 failed']);
    const security = await cli(['--matrix', '--profile', 'security'], { CONFORMANCE_RESULTS_DIR: dir });
    expect([security.code, security.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, '4 passed, 0 failed']);
    const empty = await cli(['--matrix'], { CONFORMANCE_RESULTS_DIR: join(scratch, 'none') });
    expect(empty.code).toBe(2);
  });

  it('writes --json and --junit, and the report reads one line per case with a summary by theme', async () => {
    const json = join(scratch, 'run.json');
    const junit = join(scratch, 'run.xml');
    const args = [
      '--cmd',
      'node test/fixtures/permissive-server.mjs',
      '--filter',
      'forgeries/alg-none',
      '--json',
      json,
      '--junit',
      junit,
    ];
    const { code, stdout } = await cli(args);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^FAIL forgeries\/alg-none: none unsigned: an invalid token got 200 .*\(\+\d+ more\)$/m,
    );
    expect(stdout).toMatch(/^forgeries and algorithms\s+0\/1 ok\s+0\/1 ok$/m);
    const run = JSON.parse(readFileSync(json, 'utf8'));
    expect(run.results[0].failures.filter((f: { profile: string }) => f.profile === 'security')).toHaveLength(
      12,
    );
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<testcase classname="backend.forgeries" name="alg-none"[^>]*>\s*<failure message="none unsigned: an invalid token got 200/,
    );
  });
});
