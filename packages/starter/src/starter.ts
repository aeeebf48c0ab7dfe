import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDevScript } from './bundle-dev.ts';
import { StarterError } from './error.ts';
import { checkRuntimes, type LeftOut, leaveOut, RUNTIMES_FILE, type Runtime, readRuntimes } from './runtimes.ts';

export { StarterError } from './error.ts';
export { unapprovedInstallScripts } from './try-starter.ts';
export type { Runtime } from './runtimes.ts';

/** The monorepo's root, found from this file (packages/starter/src). */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Build output, installs and caches: never part of a starter. */
const SKIP = new Set(['node_modules', 'dist', '.output', '.nitro', '.turbo', '.results', '.wrangler', 'coverage']);
/** Marks a file that only runs inside this repository: the workspace's own packages but the test issuer. */
const MONOREPO_ONLY = /['"]@repo\/(?!test-fixtures['"])/;
/** The test issuer (MockIssuer, the process helper): a starter's tests get a copy of its source. */
const FIXTURES = /(['"])@repo\/test-fixtures\1/;
const FIXTURES_DIR = join('test', 'test-fixtures');

/** The apps a starter can be made from: every folder of apps/ with a package.json. */
export function listApps(root = REPO_ROOT): string[] {
  const apps = join(root, 'apps');
  return readdirSync(apps, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(apps, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort();
}

/** An app's runtimes besides Node (`--runtime`), by name: none for a Node-only app. */
export function listRuntimes(app: string, root = REPO_ROOT): Record<string, Runtime> {
  return readRuntimes(join(root, 'apps', app));
}

export interface StarterOptions {
  /** Runtimes besides Node to keep (the app's runtimes file names them); none by default. */
  runtimes?: readonly string[];
  /** The repository to copy from (tests give a made-up one). */
  root?: string;
}

export interface StarterResult {
  dest: string;
  /** Files left out because they need the monorepo (relative to the app). */
  dropped: string[];
}

/**
 * Copies `apps/<app>` to `dest` as a project of its own: no installs or builds, no `@repo/*`
 * dependencies, no tests that need the monorepo, `pnpm dev`'s mock issuer bundled into
 * `scripts/dev.mjs`, and the licence. It runs on Node; of the app's other runtimes it keeps only
 * those asked for (their entry files, scripts and devDependencies). `npm install && npm test`
 * works there.
 */
export async function makeStarter(app: string, dest: string, options: StarterOptions = {}): Promise<StarterResult> {
  const { root = REPO_ROOT, runtimes: chosen = [] } = options;
  const apps = listApps(root);
  if (!apps.includes(app)) throw new StarterError(`unknown app "${app}"; choose one of: ${apps.join(', ')}`);
  const source = join(root, 'apps', app);
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as Manifest;
  const runtimes = readRuntimes(source);
  const out = leaveOut(app, runtimes, chosen);
  checkRuntimes(source, runtimes, manifest);
  const target = resolve(dest);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new StarterError(`${target} exists and is not empty; give a new folder`);
  }
  mkdirSync(target, { recursive: true });

  const dropped: string[] = [];
  const leaks: string[] = [];
  const usingFixtures: string[] = [];
  cpSync(source, target, {
    recursive: true,
    filter: (path) => {
      if (SKIP.has(basename(path))) return false;
      const file = relative(source, path);
      const posix = file.split(sep).join('/');
      if (posix === RUNTIMES_FILE || out.files.has(posix)) return false;
      const need = /\.[cm]?[jt]s$/.test(path) ? needs(readFileSync(path, 'utf8'), file) : 'nothing';
      if (need === 'fixtures') usingFixtures.push(file);
      if (need !== 'monorepo') return true;
      (isTestOrScript(source, path) ? dropped : leaks).push(file);
      return false;
    },
  });
  if (usingFixtures.length > 0) copyTestFixtures(root, target, usingFixtures);
  if (leaks.length > 0) {
    rmSync(target, { recursive: true, force: true });
    throw new StarterError(`apps/${app} imports the monorepo's packages at run time (${leaks.join(', ')})`);
  }

  const devScript = join(source, 'scripts', 'dev.ts');
  if (dropped.includes(join('scripts', 'dev.ts')) && existsSync(devScript)) {
    await bundleDevScript(source, devScript, join(target, 'scripts', 'dev.mjs'));
    for (const [name, command] of Object.entries(manifest.scripts ?? {})) {
      manifest.scripts[name] = command.replace(/\btsx scripts\/dev\.ts\b/, 'node scripts/dev.mjs');
    }
  }
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(standalone(manifest, out), null, 2)}\n`);
  cpSync(join(root, 'LICENSE'), join(target, 'LICENSE'));
  return { dest: target, dropped: dropped.sort() };
}

interface Manifest {
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  /**
   * npm's install-script approvals, kept whole: npm 12 runs no dependency's install script
   * without one (Bun's binary then refuses to start), and one for a runtime left out approves
   * nothing until that runtime is added.
   */
  allowScripts?: Record<string, boolean>;
  [field: string]: unknown;
}

/**
 * The manifest without workspace dependencies (plain npm cannot resolve `workspace:`) and without
 * the scripts and devDependencies of the runtimes left out.
 */
function standalone(manifest: Manifest, leftOut: LeftOut): Manifest {
  const out: Manifest = { ...manifest, license: 'MIT-0' };
  out.scripts = Object.fromEntries(
    Object.entries(manifest.scripts).filter(([name]) => !leftOut.scripts.has(name)),
  );
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const deps = manifest[field];
    if (!deps) continue;
    const keep = (name: string) => !name.startsWith('@repo/') && !leftOut.devDependencies.has(name);
    out[field] = Object.fromEntries(Object.entries(deps).filter(([name]) => keep(name)));
  }
  return out;
}

/** What a file needs of the monorepo: nothing, the test issuer (a test gets a copy), or more. */
function needs(code: string, file: string): 'nothing' | 'fixtures' | 'monorepo' {
  if (MONOREPO_ONLY.test(code)) return 'monorepo';
  if (!FIXTURES.test(code)) return 'nothing';
  return file.startsWith(`test${sep}`) ? 'fixtures' : 'monorepo';
}

/**
 * Copies @repo/test-fixtures' source (what its index reaches: node built-ins only) into
 * test/test-fixtures/, and points the tests that import the package at it: a starter's tests use
 * the same MockIssuer as the repository's.
 */
function copyTestFixtures(root: string, target: string, tests: string[]): void {
  const src = join(root, 'packages', 'test-fixtures', 'src');
  mkdirSync(join(target, FIXTURES_DIR), { recursive: true });
  const files = ['index.ts'];
  for (const file of files) {
    const text = readFileSync(join(src, file), 'utf8');
    writeFileSync(join(target, FIXTURES_DIR, file), text);
    for (const [, next] of text.matchAll(/from '\.\/([\w-]+\.ts)'/g))
      if (!files.includes(next as string)) files.push(next as string);
  }
  for (const test of tests) {
    const path = join(target, test);
    const index = relative(dirname(path), join(target, FIXTURES_DIR, 'index.ts'))
      .split(sep)
      .join('/');
    const spec = index.startsWith('.') ? index : `./${index}`;
    writeFileSync(path, readFileSync(path, 'utf8').replace(new RegExp(FIXTURES.source, 'g'), `$1${spec}$1`));
  }
}

/** Only tests, test helpers and scripts may be dropped; source that needs the monorepo is a bug. */
function isTestOrScript(appDir: string, path: string): boolean {
  const top = relative(appDir, path).split(/[\\/]/)[0];
  return top === 'test' || top === 'scripts';
}

/** Removes a starter made for a test, with the temporary folder around it. */
export function removeStarter(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
