import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listApps, makeStarter, REPO_ROOT, StarterError } from '../src/starter.ts';

const scratch = mkdtempSync(join(tmpdir(), 'starter-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file below `dir`, relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

describe('makeStarter', () => {
  it('knows every app', () => {
    expect(listApps()).toEqual(['express', 'fastify', 'hono', 'koa', 'loopback', 'nestjs', 'nginx', 'nitro']);
  });

  for (const app of listApps()) {
    it(`makes a standalone ${app}`, async () => {
      const dest = join(scratch, app);
      const { dropped } = await makeStarter(app, dest);
      const files = walk(dest);
      const manifest = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8'));

      expect(files.filter((f) => /(^|\/)(node_modules|dist|\.output|\.turbo)\//.test(f))).toEqual([]);
      expect(files).toContain('LICENSE');
      expect(readFileSync(join(dest, 'LICENSE'), 'utf8')).toMatch(/^MIT No Attribution/);
      expect(manifest.license).toBe('MIT-0');
      expect(JSON.stringify(manifest)).not.toMatch(/@repo\/|workspace:/);
      // No code left that imports the monorepo's packages.
      const code = files.filter((f) => /\.[cm]?[jt]s$/.test(f));
      const needing = code.filter((f) => /['"]@repo\//.test(readFileSync(join(dest, f), 'utf8')));
      expect(needing).toEqual([]);
      expect(dropped.every((f) => f.startsWith('test/') || f.startsWith('scripts/'))).toBe(true);
      // The app's own tests stay: `npm test` has something to run.
      expect(files.some((f) => /^test\/.+\.test\.ts$/.test(f))).toBe(true);
      // Those that use the test issuer get a byte-for-byte copy of it: the repository's MockIssuer.
      const issuerCopy = files.filter((f) => f.startsWith('test/test-fixtures/'));
      const users = code.filter((f) =>
        /['"]\.[./]*\/test-fixtures\/index\.ts['"]/.test(readFileSync(join(dest, f), 'utf8')),
      );
      expect(issuerCopy.length > 0).toBe(users.length > 0);
      for (const f of issuerCopy) {
        const original = join(REPO_ROOT, 'packages/test-fixtures/src', f.slice('test/test-fixtures/'.length));
        expect(readFileSync(join(dest, f), 'utf8'), f).toBe(readFileSync(original, 'utf8'));
      }
      if (app !== 'nginx') expect(users.length, 'tests using MockIssuer').toBeGreaterThan(0);
      if (existsSync(join(REPO_ROOT, 'apps', app, 'scripts', 'dev.ts'))) {
        expect(files).toContain('scripts/dev.mjs');
        expect(manifest.scripts.dev).toContain('node scripts/dev.mjs');
        expect(readFileSync(join(dest, 'scripts/dev.mjs'), 'utf8')).not.toMatch(/from ['"]@repo\//);
      }
    });
  }

  it('refuses an unknown app', async () => {
    await expect(makeStarter('django', join(scratch, 'x'))).rejects.toThrow(StarterError);
  });

  it('refuses a folder that is not empty', async () => {
    const dest = join(scratch, 'full');
    await makeStarter('koa', dest);
    writeFileSync(join(dest, 'mine.txt'), 'keep me');
    await expect(makeStarter('koa', dest)).rejects.toThrow(/not empty/);
    expect(readFileSync(join(dest, 'mine.txt'), 'utf8')).toBe('keep me');
  });
});
