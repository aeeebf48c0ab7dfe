// `pnpm start`: validate the settings, start the upstream, render nginx.conf into a private
// prefix and run nginx in the foreground as a child; signals are passed on, and this process
// exits when nginx does.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, loadConfig } from './config.js';
import { findJsModule, findNginx, INSTALL_HINT } from './nginx.js';
import { renderConf } from './render.js';
import { startUpstream } from './upstream.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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
  // Workers run as an unprivileged user when nginx starts as root: they must reach the cache
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
  const jsModule = findJsModule();
  if (!nginx) fail(`nginx was not found on PATH or in /usr/sbin; install it: ${INSTALL_HINT}`);
  if (!jsModule) fail(`the njs module (ngx_http_js_module.so) was not found; install it: ${INSTALL_HINT}`);

  // nginx cannot listen on port 0: take a free port now and say which.
  if (config.port === 0) config = { ...config, port: await freePort() };
  const upstream = await startUpstream();
  const prefix = privatePrefix();
  const cleanup = () => {
    upstream.server.close();
    rmSync(prefix, { recursive: true, force: true });
  };
  const workers = Math.max(2, Math.min(4, availableParallelism()));
  const options = { config, appDir, prefix, jsModule, upstreamPort: upstream.port, workers };
  const render = () => renderConf({ ...options, resolvConf: readResolvConf(), stdoutLog: stdoutOpens() });
  let conf: string;
  try {
    conf = render();
  } catch (error) {
    cleanup();
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    throw error;
  }

  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // SIGTERM/SIGINT: nginx's fast shutdown; SIGQUIT: graceful.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  // SIGHUP: render the templates again, then nginx reloads them and the njs modules.
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
