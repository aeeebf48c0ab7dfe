import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { config } from '../src/cases/config.ts';
import { wycheproof } from '../src/cases/wycheproof.ts';
import { verdict } from '../src/results.ts';
import { runSuite } from '../src/runner.ts';
import { misbehaving, PACKAGE_DIR } from './support.ts';

const run = promisify(execFile);

// Each bug of issue 12, against a backend that misbehaves in exactly that way.
describe('the suite survives and judges misbehaving backends', () => {
  it('outage-timeout: a fast wrong answer is a failure of that case, not an unhandled rejection that ends the run', async () => {
    const cli = await run(
      'node',
      [
        '--import',
        'tsx',
        'src/cli.ts',
        '--cmd',
        'MODE=fast-wrong node test/fixtures/misbehaving.mjs',
        '--filter',
        'keys/outage-timeout',
      ],
      {
        cwd: PACKAGE_DIR,
        env: { ...process.env, INIT_CWD: PACKAGE_DIR },
      },
    ).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(/^FAIL keys\/outage-timeout: .*no answer/m);
    expect(cli.stdout).not.toMatch(/unhandled/i);
    expect(cli.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  }, 60_000);

  it('wycheproof: JWT_ALGORITHMS is what the target claims, and vectors of other algorithms are not applicable', async () => {
    const target = misbehaving('strict-algs', { algorithms: ['RS256'], env: { ALLOWED: 'RS256' } });
    const result = await runSuite(target, {}, [wycheproof]);
    for (const r of result.results) {
      expect(r.failures.map((f) => f.message).join('\n'), r.id).not.toMatch(/did not start/);
      if (r.group === 'wycheproof' && !r.id.startsWith('rs256'))
        expect(verdict(r, 'contract'), r.id).toBe('not applicable');
    }
    // It never verifies, so the RS256 forgeries are caught: the group really ran.
    const padding = result.results.find((r) => r.id === 'rs256-pkcs1-padding');
    expect(padding && verdict(padding, 'security')).toBe('failed');
  }, 60_000);

  it('a health route answering 502 is not "started": a backend that then refuses its settings passes', async () => {
    const result = await runSuite(misbehaving('slow-refusal'), { filter: 'config/missing-issuer' }, [config]);
    expect(result.results.map((r) => [r.id, verdict(r, 'contract'), r.failures])).toEqual([
      ['missing-issuer', 'ok', []],
    ]);
  }, 60_000);

  it('a backend that neither refuses nor becomes ready fails the refusal case', async () => {
    const target = misbehaving('never-exits', { startTimeout: 2 });
    const result = await runSuite(target, { filter: 'config/missing-issuer' }, [config]);
    expect(result.results[0]?.failures).toEqual([
      {
        profile: 'security',
        kind: 'started-with-bad-setting',
        message: 'it neither exited nor became ready with no settings',
      },
    ]);
  }, 60_000);

  it('the backend gets NODE_ENV=production (documented), renamed settings, and nothing else from the shell', async () => {
    process.env.CONFORMANCE_SHOULD_NOT_LEAK = 'x';
    const target = misbehaving('env', { settings: { JWT_ISSUER: 'ISSUER_BASE_URL', JWT_AUDIENCE: null } });
    const app = await startApp(target, { JWT_ISSUER: 'http://issuer.example', JWT_AUDIENCE: 'a' });
    try {
      const { env } = (await (await fetch(`${app.url}/health`)).json()) as { env: Record<string, string> };
      expect(env.NODE_ENV).toBe('production');
      expect(env.ISSUER_BASE_URL).toBe('http://issuer.example');
      expect(Object.keys(env).filter((k) => k.startsWith('JWT_') || k.startsWith('CONFORMANCE'))).toEqual([]);
      expect(Object.keys(env).sort()).toEqual([
        'HOME',
        'ISSUER_BASE_URL',
        'MODE',
        'NODE_ENV',
        'PATH',
        'PORT',
      ]);
    } finally {
      await app.stop();
      delete process.env.CONFORMANCE_SHOULD_NOT_LEAK;
    }
  }, 30_000);
});
