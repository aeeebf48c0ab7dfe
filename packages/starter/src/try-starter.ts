import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

/** `npm <args>` in a starter, as a user runs it; a failure carries the output's last lines. */
export async function npm(dir: string, args: string[]): Promise<void> {
  try {
    await promisify(execFile)('npm', args, {
      cwd: dir,
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: 'true' },
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const tail = `${stdout}${stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`\`npm ${args.join(' ')}\` failed in the starter ${dir}:\n${tail}`);
  }
}

type LockEntry = Partial<
  Record<'dependencies' | 'optionalDependencies' | 'peerDependencies', Record<string, string>> & {
    hasInstallScript: boolean;
  }
>;

/** What npm installed in a starter (its node_modules/.package-lock.json), by install path. */
function lockedPackages(dir: string): Record<string, LockEntry> {
  const lock = join(dir, 'node_modules', '.package-lock.json');
  return (JSON.parse(readFileSync(lock, 'utf8')) as { packages: Record<string, LockEntry> }).packages;
}

/** A package's name from its install path (node_modules/a/node_modules/@b/c: @b/c). */
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * The packages npm installed in a starter, by name, each with the installed packages that depend
 * on it (empty: only the starter's package.json asked).
 */
export function installedPackages(dir: string): Map<string, string[]> {
  const packages = lockedPackages(dir);
  const installed = new Map(Object.keys(packages).map((path) => [nameOf(path), [] as string[]]));
  for (const [path, entry] of Object.entries(packages)) {
    const wants = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
    for (const dep of Object.keys(wants)) installed.get(dep)?.push(nameOf(path));
  }
  return installed;
}

/**
 * The packages npm installed in a starter with an install script that its package.json's
 * `allowScripts` does not approve: npm 12 skips those scripts, and Bun's binary, for one, then
 * refuses to run. Read from the install, so it holds whichever npm installed.
 */
export function unapprovedInstallScripts(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const approved = (manifest as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  const withScript = Object.entries(lockedPackages(dir))
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => nameOf(path));
  return [...new Set(withScript)].filter((name) => approved[name] !== true).sort();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Started {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Ends the script's whole process group (npm, sh, the runtime): SIGTERM, then SIGKILL after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  if (!(await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]))) {
    signal('SIGKILL');
    await exited;
  }
}

/**
 * `npm run <script>` in a starter on a free port of 127.0.0.1, with only PATH, HOME and `env`
 * from here; resolves once `GET /health` answers 200 (Bun, Deno and workerd start slower than
 * Node, more so on a busy machine: up to 90 s).
 */
export async function startScript(
  dir: string,
  script: string,
  env: Record<string, string>,
): Promise<Started> {
  const port = await freePort();
  const child = spawn('npm', ['run', '--silent', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() ends the runtime too, not only npm
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-16_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return { url, output: () => text, stop: () => stop(child) };
    await sleep(200);
  }
  await stop(child);
  throw new Error(
    `\`npm run ${script}\` in ${dir} did not answer GET /health with 200; it printed:\n${text}`,
  );
}
