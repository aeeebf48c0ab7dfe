// `pnpm start`: validate the settings, start the upstream, render nginx.conf into a private
// prefix and run nginx in the foreground as a child; SIGTERM/SIGINT become nginx's graceful stop
// (SIGQUIT), SIGHUP a reload, and this process exits when nginx does.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, loadConfig } from './config.js';
import { findLuaModules, findNginx, findSetpriv, INSTALL_HINT } from './nginx.js';
import { renderConf } from './render.js';
import { startUpstream } from './upstream.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** How long a graceful stop may take before nginx is stopped at once (worker_shutdown_timeout is 10 s). */
const GRACE_MS = 12_000;

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function readResolvConf(): string | undefined {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return undefined;
  }
}

/** nginx opens log files by name; /dev/stdout cannot be opened when stdout is a socket. */
function stdoutOpens(): boolean {
  try {
    closeSync(openSync('/dev/stdout', 'a'));
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function privatePrefix(): string {
  const base = /^[A-Za-z0-9._/-]+$/.test(tmpdir()) ? tmpdir() : '/tmp';
  const prefix = mkdtempSync(join(base, 'nginx-jwt-'));
  // Workers run as an unprivileged user when nginx starts as root: they must reach temp/
  // (traverse only: the folder's random name is not listed to anyone else).
  chmodSync(prefix, 0o711);
  return prefix;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }
  const nginx = findNginx();
  const modules = findLuaModules();
  if (!nginx) fail(`nginx was not found on PATH or in /usr/sbin; install it: ${INSTALL_HINT}`);
  if (!modules) fail(`the Lua module for nginx (and its NDK) was not found; install them: ${INSTALL_HINT}`);

  // nginx cannot listen on port 0: take a free port now and say which.
  if (config.port === 0) config = { ...config, port: await freePort() };
  const upstream = await startUpstream();
  const prefix = privatePrefix();
  const cleanup = () => {
    upstream.server.close();
    rmSync(prefix, { recursive: true, force: true });
  };
  const workers = Math.max(2, Math.min(4, availableParallelism()));
  const options = { config, appDir, prefix, modules, upstreamPort: upstream.port, workers };
  const render = () => renderConf({ ...options, resolvConf: readResolvConf(), stdoutLog: stdoutOpens() });
  let conf: string;
  try {
    conf = render();
  } catch (error) {
    cleanup();
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }

  const nginxArgs = ['-p', prefix, '-c', conf, '-g', 'daemon off;'];
  // nginx runs in its own process group, so a SIGTERM sent to ours (by a supervisor or a test
  // harness) reaches only this script, which turns it into a graceful stop. setpriv makes the
  // kernel stop nginx if this script dies without a word (SIGKILL): nothing is left behind.
  const setpriv = findSetpriv();
  const [bin, args] = setpriv
    ? [setpriv, ['--pdeathsig', 'TERM', '--', nginx, ...nginxArgs]]
    : [nginx, nginxArgs];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  let stopping = false;
  // nginx stops gracefully on SIGQUIT (requests in flight finish, bounded by worker_shutdown_timeout
  // in nginx.conf); on SIGTERM it stops at once. SIGTERM/SIGINT here mean "graceful", a second
  // one means "now"; if nginx is still there after the grace period, it is stopped at once.
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return void child.kill('SIGTERM');
    stopping = true;
    process.stdout.write(`${signal}: stopping gracefully (requests in flight finish)\n`);
    child.kill('SIGQUIT');
    setTimeout(() => child.kill('SIGTERM'), GRACE_MS).unref();
    setTimeout(() => child.kill('SIGKILL'), GRACE_MS + 5000).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(signal, () => stop(signal));
  // If this script fails, nginx goes with it.
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  // SIGHUP: render the templates again, then nginx reloads them and the Lua files.
  process.on('SIGHUP', () => {
    try {
      render();
      child.kill('SIGHUP');
    } catch (error) {
      process.stderr.write(`reload skipped: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  });
  child.on('error', (error) => {
    cleanup();
    fail(`could not run ${nginx}: ${error.message}`);
  });
  child.on('exit', (code, signal) => {
    cleanup();
    process.exit(code ?? (signal ? 1 : 0));
  });
  process.stdout.write(`starting ${nginx} on http://127.0.0.1:${config.port} (JWKS ${config.jwksUri})\n`);
}

main().catch((error: unknown) =>
  fail(`start-up failed: ${error instanceof Error ? error.message : String(error)}`),
);
