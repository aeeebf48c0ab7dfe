import { spawn } from 'node:child_process';

/**
 * `pnpm dev`: the server under `tsx watch`. Inside the monorepo, runDev also starts (or joins)
 * the mock issuer when JWT_ISSUER is unset and prints a ready-to-paste curl.
 */
const command = ['tsx', 'watch', 'src/index.ts'];
type RunDev = (options: { name: string; port: number; command: string[] }) => Promise<void>;

// A variable specifier: a copied-out app has no @repo packages, and must still type-check.
const fixtures = '@repo/test-fixtures/dev';
const runDev = await import(fixtures).then(
  (mod: { runDev: RunDev }) => mod.runDev,
  () => undefined,
);

if (runDev) {
  await runDev({ name: 'hono', port: 3002, command });
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
