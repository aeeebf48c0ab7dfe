import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from './support.ts';

const scratch = mkdtempSync(join(tmpdir(), 'conformance-pack-'));
const user = join(scratch, 'user'); // a folder with nothing but Node in reach
const quiet = { NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_AUDIT: 'false' };
// Not the settings pnpm passes to the scripts it runs: a user's shell has none of them.
const shell = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
const sh = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...shell, ...quiet }, stdio: 'pipe' });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// What a user outside the repository gets: `npm pack`, installed into an empty folder, run by npx.
describe('the packed tarball', { timeout: 180_000 }, () => {
  it('builds, packs with the CLI and the vectors, and installs into an empty folder without a registry', () => {
    sh('node', ['build.mjs'], PACKAGE_DIR);
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', scratch], PACKAGE_DIR)) as {
      files: { path: string }[];
    }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/cli.js',
        'vectors/json_web_signature_test.json',
        'vectors/LICENSE',
        'README.md',
      ]),
    );
    expect(
      files.filter((f) => f.startsWith('src/') || f.startsWith('peers/') || f.startsWith('test/')),
    ).toEqual([]);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    sh('mkdir', ['-p', user], scratch);
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(scratch, tarball as string)], user);
  });

  it('answers --help, and a bad flag with exit code 2', () => {
    expect(sh('npx', ['--offline', 'jwt-conformance', '--help'], user)).toMatch(/^jwt-conformance: /);
    const bad = (() => {
      try {
        sh('npx', ['--offline', 'jwt-conformance', '--nope'], user);
        return { status: 0, stderr: '' };
      } catch (error) {
        return error as { status: number; stderr: string };
      }
    })();
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe("jwt-conformance: Unknown option '--nope'");
  });

  it('runs against a tiny backend described by conformance.config.json, with the bundled vectors', () => {
    copyFileSync(join(PACKAGE_DIR, 'test/fixtures/permissive-server.mjs'), join(user, 'server.mjs'));
    const config = { name: 'tiny', command: 'node server.mjs', routes: { scope: null }, profile: 'security' };
    writeFileSync(join(user, 'conformance.config.json'), JSON.stringify(config));
    const out = sh(
      'npx',
      ['--offline', 'jwt-conformance', '--filter', 'routes/', '--junit', 'junit.xml'],
      user,
    );
    expect(out).toMatch(/^ok {3}routes\/health$/m);
    expect(out).toMatch(/^n\/a {2}routes\/admin-granted: the backend has no scope route$/m);
    expect(out.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
    // The Wycheproof vectors ship inside the tarball: a vector case runs (and catches this backend).
    let code = 0;
    try {
      sh('npx', ['--offline', 'jwt-conformance', '--filter', 'wycheproof/rs256-structure'], user);
    } catch (error) {
      code = (error as { status: number }).status;
      expect((error as { stdout: string }).stdout).toMatch(/^FAIL wycheproof\/rs256-structure: tcId/m);
    }
    expect(code).toBe(1);
  });
});
