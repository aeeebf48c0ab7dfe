import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  listApps,
  listRuntimes,
  makeStarter,
  REPO_ROOT,
  type Runtime,
  StarterError,
} from '../src/starter.ts';

const scratch = mkdtempSync(join(tmpdir(), 'starter-runtimes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let made = 0;

/** A starter of `app` with `runtimes`, read back: which of each runtime's parts it has. */
async function starter(app: string, runtimes: string[], root = REPO_ROOT) {
  const dest = join(scratch, `${app}-${made++}`);
  await makeStarter(app, dest, { runtimes, root });
  const manifest = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8'));
  const has = (r: Runtime) => ({
    files: r.files.filter((f) => existsSync(join(dest, f))),
    scripts: r.scripts.filter((s) => manifest.scripts[s] !== undefined),
    devDependencies: r.devDependencies.filter((d) => manifest.devDependencies[d] !== undefined),
  });
  return { dest, manifest, has };
}
const none = { files: [], scripts: [], devDependencies: [] };
const all = (r: Runtime) => ({ files: r.files, scripts: r.scripts, devDependencies: r.devDependencies });

const multiRuntime = listApps().filter((app) => Object.keys(listRuntimes(app)).length > 0);

describe('runtimes', () => {
  it('hono and nitro say what their other runtimes are: bun, deno, workers', () => {
    expect(multiRuntime).toEqual(expect.arrayContaining(['hono', 'nitro']));
    for (const app of ['hono', 'nitro'])
      expect(Object.keys(listRuntimes(app))).toEqual(['bun', 'deno', 'workers']);
    expect(listRuntimes('koa')).toEqual({});
  });

  for (const app of multiRuntime) {
    const runtimes = listRuntimes(app);

    it(`a ${app} starter runs on Node alone: no other runtime's files, scripts or devDependencies`, async () => {
      const { dest, manifest, has } = await starter(app, []);
      for (const runtime of Object.values(runtimes)) expect(has(runtime)).toEqual(none);
      expect(existsSync(join(dest, 'runtimes.json'))).toBe(false);
      expect(Object.keys(manifest.scripts)).toEqual(
        expect.arrayContaining(['dev', 'build', 'start', 'test', 'check-types', 'lint']),
      );
      for (const name of ['bun', 'deno', 'workerd']) expect(manifest.devDependencies[name]).toBeUndefined();
      // npm 12's install-script approvals stay whole: one for a package not installed does
      // nothing, and tsx's esbuild needs its own even where workers (which lists esbuild) is left out.
      expect(manifest.allowScripts).toEqual(
        JSON.parse(readFileSync(join(REPO_ROOT, 'apps', app, 'package.json'), 'utf8')).allowScripts,
      );
    });

    for (const [name, runtime] of Object.entries(runtimes)) {
      it(`${app} --runtime ${name} adds exactly ${name}'s files, scripts and devDependencies`, async () => {
        const { has } = await starter(app, [name]);
        expect(has(runtime)).toEqual(all(runtime));
        // What another runtime shares with this one (nitro's Bun/Deno shutdown plugin) stays.
        const only = (r: Runtime): Runtime => ({
          ...r,
          files: r.files.filter((f) => !runtime.files.includes(f)),
          scripts: r.scripts.filter((s) => !runtime.scripts.includes(s)),
          devDependencies: r.devDependencies.filter((d) => !runtime.devDependencies.includes(d)),
        });
        for (const [other, r] of Object.entries(runtimes))
          if (other !== name) expect(has(only(r))).toEqual(none);
        expect(has(runtime).scripts).toEqual(expect.arrayContaining([runtime.start]));
      });
    }
  }

  it('keeps every runtime asked for', async () => {
    const runtimes = listRuntimes('hono');
    const { has } = await starter('hono', ['bun', 'deno']);
    expect([has(runtimes.bun as Runtime), has(runtimes.deno as Runtime)]).toEqual([
      all(runtimes.bun as Runtime),
      all(runtimes.deno as Runtime),
    ]);
    expect(has(runtimes.workers as Runtime)).toEqual(none);
  });

  it('refuses a runtime the app does not have, naming the choices, and writes nothing', async () => {
    const dest = join(scratch, 'never');
    const made = makeStarter('hono', dest, { runtimes: ['node20'] });
    await expect(made).rejects.toThrow(StarterError);
    await expect(made).rejects.toThrow('hono has no runtime "node20"; choose one of: bun, deno, workers');
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses --runtime for an app that runs on Node only', async () => {
    await expect(makeStarter('koa', join(scratch, 'never'), { runtimes: ['bun'] })).rejects.toThrow(
      'koa runs on Node only: it has no --runtime to choose',
    );
  });
});

describe('an app whose runtimes file does not match it', () => {
  /** A made-up repository with one app, `demo`, and the given runtimes file and scripts. */
  function repo(runtimes: Record<string, Partial<Runtime>>, scripts: Record<string, string>): string {
    const root = join(scratch, `repo-${made++}`);
    mkdirSync(join(root, 'apps', 'demo', 'src'), { recursive: true });
    cpSync(join(REPO_ROOT, 'LICENSE'), join(root, 'LICENSE'));
    writeFileSync(join(root, 'apps', 'demo', 'src', 'bun.ts'), '');
    const manifest = { name: 'demo', scripts, devDependencies: { bun: '1.4.4' } };
    writeFileSync(join(root, 'apps', 'demo', 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(root, 'apps', 'demo', 'runtimes.json'), JSON.stringify({ runtimes }));
    return root;
  }
  const bun = {
    files: ['src/bun.ts'],
    scripts: ['start:bun'],
    devDependencies: ['bun'],
    build: 'build',
    start: 'start:bun',
  };
  const scripts = { build: 'tsc', start: 'node dist/index.js', 'start:bun': 'bun dist/bun.js' };

  it("is the repository's bug, not the user's: each mismatch is named", async () => {
    const root = repo(
      { bun: { ...bun, files: ['src/bun.ts', 'bunfig.toml'], devDependencies: ['bun', 'x'] } },
      scripts,
    );
    const made = makeStarter('demo', join(scratch, 'never'), { root });
    await expect(made).rejects.not.toThrow(StarterError);
    await expect(made).rejects.toThrow(/bun: no file bunfig\.toml\nbun: no devDependency x/);
  });

  it('refuses a kept script that runs what a starter leaves out', async () => {
    const root = repo({ bun }, { ...scripts, test: 'npm run start:bun' });
    await expect(makeStarter('demo', join(scratch, 'never'), { root })).rejects.toThrow(
      /node: script test uses start:bun, left out/,
    );
  });

  it('makes the starter when it matches', async () => {
    const { has, manifest } = await starter('demo', [], repo({ bun }, scripts));
    expect(has(bun)).toEqual(none);
    expect(manifest.scripts).toEqual({ build: 'tsc', start: 'node dist/index.js' });
  });
});
