// `pnpm start`: start the upstream, render nginx.conf into a private prefix and run nginx in the
// foreground as a child. nginx reads and checks the JWT_* settings itself (lua/jwt/config.lua):
// a bad one stops it with one line naming the variable, and this script exits with it.
// SIGTERM/SIGINT become nginx's graceful stop (SIGQUIT), SIGHUP a reload.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INSTALL_HINT, LUA_MODULE, NGINX } from './nginx.js';
import { renderConf } from './render.js';
import { startUpstream } from './upstream.js';

const SETPRIV = '/usr/bin/setpriv'; // util-linux: --pdeathsig

/** nginx opens log files by name; /dev/stdout cannot be opened when stdout is a socket. */
function canOpenStdout(): boolean {
  try {
    closeSync(openSync('/dev/stdout', 'a'));
    return true;
  } catch {
    return false;
  }
}

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

/** PORT, the launcher's one setting: nginx cannot listen on port 0, so a free port is taken then. */
async function port(value = process.env.PORT || '3005'): Promise<number> {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    fail(`configuration error: PORT must be a port number from 0 to 65535 (got "${value}")`);
  if (Number(value) !== 0) return Number(value);
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port: free } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return free;
}

async function main(): Promise<void> {
  const listen = await port();
  if (!existsSync(NGINX)) fail(`nginx was not found at ${NGINX}; install it: ${INSTALL_HINT}`);
  if (!existsSync(LUA_MODULE)) fail(`the Lua module for nginx was not found; install it: ${INSTALL_HINT}`);
  const upstream = await startUpstream();
  const prefix = mkdtempSync(join(tmpdir(), 'nginx-jwt-'));
  // Workers run as an unprivileged user when nginx starts as root: they must reach temp/.
  chmodSync(prefix, 0o711);
  process.on('exit', () => rmSync(prefix, { recursive: true, force: true }));
  const render = () =>
    renderConf(prefix, {
      port: listen,
      upstreamPort: upstream.port,
      stdoutLog: canOpenStdout(),
      resolvConf: existsSync('/etc/resolv.conf') ? readFileSync('/etc/resolv.conf', 'utf8') : '',
      include: process.env.NGINX_INCLUDE ? resolve(process.env.NGINX_INCLUDE) : undefined,
    });
  const nginxArgs = ['-p', prefix, '-c', render(), '-g', 'daemon off;'];
  // nginx runs in its own process group, so a SIGTERM sent to ours reaches only this script,
  // which turns it into a graceful stop. setpriv makes the kernel stop nginx if this script
  // dies without a word (SIGKILL).
  const [bin, args] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'TERM', '--', NGINX, ...nginxArgs]]
    : [NGINX, nginxArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  let stopping = false;
  // SIGQUIT is nginx's graceful stop: requests in flight finish (worker_shutdown_timeout bounds
  // it); a second signal stops it at once.
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return void child.kill('SIGTERM');
    stopping = true;
    process.stdout.write(`${signal}: stopping gracefully (requests in flight finish)\n`);
    child.kill('SIGQUIT');
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) process.on(signal, () => stop(signal));
  process.on('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  // SIGHUP: render the templates again, then nginx reloads them and the Lua files.
  process.on('SIGHUP', () => {
    render();
    child.kill('SIGHUP');
  });
  child.on('error', (error) => fail(`could not run ${NGINX}: ${error.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  process.stdout.write(`starting ${NGINX} on http://127.0.0.1:${listen}\n`);
}

main().catch((error: unknown) => fail(`start-up failed: ${error instanceof Error ? error.message : String(error)}`));
