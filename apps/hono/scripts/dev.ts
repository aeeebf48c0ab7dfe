import { spawn } from 'node:child_process';

/**
 * `pnpm dev` (Node) and `pnpm dev:<runtime>`: the server from src/, restarted on change. Inside
 * the monorepo, runDev also starts (or joins) the mock issuer when JWT_ISSUER is unset and prints
 * a ready-to-paste curl.
 */
const COMMANDS: Record<string, string[]> = {
  node: ['tsx', 'watch', 'src/index.ts'],
  bun: ['bun', '--watch', 'src/bun.ts'],
  // Deno resolves the `./x.js` imports of the TypeScript sources only with sloppy imports.
  deno: [
    'deno',
    'run',
    '--watch',
    '--unstable-sloppy-imports',
    '--allow-env',
    '--allow-net',
    '--allow-read=.',
    'src/deno.ts',
  ],
  workers: ['node', 'scripts/workers.mjs', '--watch'],
};
const runtime = process.argv[2] ?? 'node';
const command = COMMANDS[runtime];
if (!command) {
  console.error(`Unknown runtime ${runtime}: one of ${Object.keys(COMMANDS).join(', ')}.`);
  process.exit(1);
}
// No telemetry, no update checks: nothing but the JWKS leaves this machine.
Object.assign(process.env, { DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' });
// The mock issuer's dev runner; `pnpm starter` bundles it into a starter's scripts/dev.mjs.
let runDev: ((options: { name: string; port: number; command: string[] }) => Promise<void>) | undefined;
try {
  ({ runDev } = await import('@repo/test-fixtures/dev'));
} catch {
  runDev = undefined;
}

if (runDev) {
  await runDev({ name: runtime === 'node' ? 'hono' : `hono on ${runtime}`, port: 3002, command });
} else if (!process.env.JWT_ISSUER) {
  console.error(
    'Set JWT_ISSUER to your gateway issuer URL (https://<deployment>.zuplo.app/__zuplo/issuer) and run again.',
  );
  process.exit(1);
} else {
  const [bin = 'tsx', ...args] = command;
  const child = spawn(bin, args, {
    stdio: 'inherit',
    env: { ...process.env, PORT: process.env.PORT ?? '3002' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
