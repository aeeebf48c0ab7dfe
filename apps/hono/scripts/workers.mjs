// `pnpm start:workers` (and `pnpm dev:workers` with --watch): runs the bundled Worker in workerd,
// Cloudflare's open-source Workers runtime, from the npm registry. Like `pnpm start`, it takes
// PORT and the JWT_* variables from the environment: workerd.capnp binds each JWT_* variable
// from workerd's environment, and PORT becomes the socket address (127.0.0.1 only).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = process.env.PORT ?? '3002';
if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
  console.error(`PORT must be a port number from 0 to 65535, got ${JSON.stringify(port)}.`);
  process.exit(1);
}
const watch = process.argv.includes('--watch');

if (watch) {
  // Rebuild the bundle on every change; workerd --watch restarts when it changes.
  const esbuild = await import('esbuild');
  const context = await esbuild.context({ ...(await import('./bundle.mjs')).options, logLevel: 'info' });
  await context.rebuild(); // the first bundle exists before workerd starts
  await context.watch();
}

const workerd = createRequire(import.meta.url).resolve('workerd/bin/workerd');
const args = [
  'serve',
  'workerd.capnp',
  '--socket-addr',
  `http=127.0.0.1:${port}`,
  ...(watch ? ['--watch'] : []),
];
// Should this launcher be killed outright (SIGKILL: no signal to forward), Linux still stops
// workerd: util-linux's setpriv sets its parent-death signal. Without setpriv, as before.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const [bin, ...argv] = setpriv ? [setpriv, '--pdeathsig', 'TERM', '--', workerd, ...args] : [workerd, ...args];
const child = spawn(bin, argv, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
