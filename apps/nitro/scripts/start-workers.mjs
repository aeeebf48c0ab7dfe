/**
 * `pnpm start:workers`: the cloudflare-module build (`pnpm build:workers`) in workerd, the
 * runtime of Cloudflare Workers, locally. Like `pnpm start` it takes PORT (default 3003), HOST
 * and the JWT_* variables from its environment; they reach the Worker as text bindings (its
 * `env`, which Nitro exposes as `process.env` during a request). workerd itself comes from npm
 * and neither downloads nor reports anything.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const outputDir = fileURLToPath(new URL('../dist/workers/', import.meta.url));
const serverDir = join(outputDir, 'server');

/** A Cap'n Proto text string: quotes, backslashes and control characters as \xNN escapes. */
const hexEscape = (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const plain = (c) => c !== '"' && c !== '\\' && c >= ' ' && c !== '\x7f';
const text = (value) => `"${Array.from(value, (c) => (plain(c) ? c : hexEscape(c))).join('')}"`;

/** Every module of the build, named by its path from server/, so relative imports resolve. */
function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.mjs') ? [relative(serverDir, path)] : [];
  });
}

const port = process.env.PORT ?? '3003';
// The launcher's own setting, checked as the other targets check it (the JWT_* variables are the
// Worker's: it reads them on its first request).
if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
  console.error(`PORT must be a port number from 0 to 65535, got ${JSON.stringify(port.slice(0, 60))}.`);
  process.exit(1);
}
const host = process.env.HOST || '*';
const names = modules(serverDir).sort((a, b) => (a === 'index.mjs' ? -1 : b === 'index.mjs' ? 1 : 0));
const bindings = Object.entries(process.env)
  .filter(([name]) => name.startsWith('JWT_'))
  .map(([name, value]) => `(name = ${text(name)}, text = ${text(value ?? '')})`);

const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The JWKS may live on this machine (the mock issuer): allow loopback and private addresses too.
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  sockets = [(name = "http", address = ${text(`${host}:${port}`)}, http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [${names.map((name) => `(name = ${text(name)}, esModule = embed ${text(`server/${name}`)})`).join(', ')}],
  compatibilityDate = "2025-07-15",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [${bindings.join(', ')}],
  globalOutbound = "internet",
);
`;
// One file per launch: two servers started at once must not read each other's bindings.
const configPath = join(outputDir, `workerd-${process.pid}.capnp`);
writeFileSync(configPath, config);

// The binary itself, not node_modules/.bin's shell wrapper, so a signal reaches workerd.
const binary = createRequire(import.meta.url)('workerd').default;
// Should this launcher be killed outright (SIGKILL: no signal to forward), Linux still stops
// workerd: util-linux's setpriv sets its parent-death signal. Without setpriv, as before.
const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
const command = setpriv ? [setpriv, '--pdeathsig', 'TERM', '--', binary] : [binary];
const workerd = spawn(command[0], [...command.slice(1), 'serve', configPath], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => workerd.kill(signal));
workerd.on('exit', (code, signal) => {
  rmSync(configPath, { force: true });
  process.exit(code ?? (signal ? 0 : 1));
});
