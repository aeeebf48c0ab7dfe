import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unapprovedInstallScripts } from '../src/try-starter.ts';

const dir = mkdtempSync(join(tmpdir(), 'starter-scripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unapprovedInstallScripts', () => {
  it('names each installed package with an install script that allowScripts does not approve', () => {
    mkdirSync(join(dir, 'node_modules'));
    const packages = {
      '': { name: 'starter' },
      'node_modules/esbuild': { hasInstallScript: true },
      'node_modules/bun': { hasInstallScript: true },
      'node_modules/deno': { hasInstallScript: true },
      'node_modules/x/node_modules/deno': { hasInstallScript: true },
      'node_modules/tsx/node_modules/esbuild': { hasInstallScript: true },
      'node_modules/jose': {},
    };
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), JSON.stringify({ packages }));
    // false is a denial; a package not installed (workerd) changes nothing; deno twice is named once.
    const allowScripts = { esbuild: true, bun: false, workerd: true };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ allowScripts }));
    expect(unapprovedInstallScripts(dir)).toEqual(['bun', 'deno']);
  });
});
