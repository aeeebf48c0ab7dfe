// `pnpm start`: validate the settings, start the upstream, render nginx.conf into a private
// prefix and run nginx in the foreground as a child; SIGTERM/SIGINT become nginx's graceful stop
// (SIGQUIT), SIGHUP a reload, and this process exits when nginx does.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
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

/** `read()`, or the configuration error's one line and exit 1 (after `before`). */
function orFail<T>(read: () => T, before?: () => void): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    before?.();
    return fail(`configuration error: ${error.message}`);
  }
}

const attempt = <T>(read: () => T): T | undefined => {
  try {
    return read();
  } catch {
    return undefined;
  }
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

async function main(): Promise<void> {
  const config = orFail(() => loadConfig(process.env));
  const nginx = findNginx() ?? fail(`nginx was not found on PATH or in /usr/sbin; install it: ${INSTALL_HINT}`);
  const modules = findLuaModules() ?? fail(`the Lua module for nginx was not found; install it: ${INSTALL_HINT}`);
  // nginx cannot listen on port 0: take a free port now and say which.
  if (config.port === 0) config.port = await freePort();
  const upstream = await startUpstream();
  const prefix = mkdtempSync(join(/^[\w./-]+$/.test(tmpdir()) ? tmpdir() : '/tmp', 'nginx-jwt-'));
  // Workers run as an unprivileged user when nginx starts as root: they must reach temp/.
  chmodSync(prefix, 0o711);
  const cleanup = () => {
    upstream.server.close();
    rmSync(prefix, { recursive: true, force: true });
  };
  const render = () =>
    renderConf({
      ...{ config, appDir, prefix, modules, upstreamPort: upstream.port },
      workers: Math.max(2, Math.min(4, availableParallelism())),
      resolvConf: attempt(() => readFileSync('/etc/resolv.conf', 'utf8')),
      // nginx opens log files by name; /dev/stdout cannot be opened when stdout is a socket.
      stdoutLog: attempt(() => closeSync(openSync('/dev/stdout', 'a'))) !== undefined || undefined,
      baseline: process.env.NGINX_BENCH_BASELINE === '1',
    });
  const conf = orFail(render, cleanup);

  const nginxArgs = ['-p', prefix, '-c', conf, '-g', 'daemon off;'];
  // nginx runs in its own process group, so a SIGTERM sent to ours reaches only this script,
  // which turns it into a graceful stop. setpriv makes the kernel stop nginx if this script
  // dies without a word (SIGKILL).
  const setpriv = findSetpriv();
  const [bin, args] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', nginx, ...nginxArgs]] : [nginx, nginxArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  let stopping = false;
  // SIGQUIT is nginx's graceful stop (requests in flight finish); a second signal, or the grace
  // period running out, stops it at once.
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return void child.kill('SIGTERM');
    stopping = true;
    process.stdout.write(`${signal}: stopping gracefully (requests in flight finish)\n`);
    child.kill('SIGQUIT');
    setTimeout(() => child.kill('SIGTERM'), GRACE_MS).unref();
    setTimeout(() => child.kill('SIGKILL'), GRACE_MS + 5000).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(signal, () => stop(signal));
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  // SIGHUP: render the templates again, then nginx reloads them and the Lua files.
  process.on('SIGHUP', () => (attempt(render) ? child.kill('SIGHUP') : process.stderr.write('reload skipped\n')));
  child.on('error', (error) => fail(`could not run ${nginx}: ${error.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  process.on('exit', cleanup);
  process.stdout.write(`starting ${nginx} on http://127.0.0.1:${config.port} (issuers: ${config.issuers.join(', ')})\n`);
}

main().catch((error: unknown) => fail(`start-up failed: ${error instanceof Error ? error.message : String(error)}`));
