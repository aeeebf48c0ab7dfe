/**
 * `pnpm dev`: the start script under `tsx watch`, restarted (nginx included) when src/, njs/ or
 * the nginx/ templates change. Inside the monorepo runDev also starts (or joins) the mock issuer
 * when JWT_ISSUER is unset and prints a ready-to-paste curl; a copied-out app needs JWT_ISSUER.
 */
import { spawn } from 'node:child_process';

const PORT = 3005;
const command = [
  'tsx',
  'watch',
  '--clear-screen=false',
  '--include',
  'njs/**',
  '--include',
  'nginx/**',
  'src/start.ts',
];
type RunDev = (options: { name: string; port: number; command: string[] }) => Promise<void>;

// A variable specifier: a copied-out app has no @repo packages, and must still type-check.
const fixtures = '@repo/test-fixtures/dev';
const runDev = await import(fixtures).then(
  (mod: { runDev: RunDev }) => mod.runDev,
  () => undefined,
);

if (runDev) {
  await runDev({ name: 'nginx', port: PORT, command });
} else if (!process.env.JWT_ISSUER) {
  console.error(
    'Set JWT_ISSUER to your gateway issuer URL (https://<deployment>.zuplo.app/__zuplo/issuer) and run again.',
  );
  process.exit(1);
} else {
  const [bin = 'tsx', ...args] = command;
  const child = spawn(bin, args, {
    stdio: 'inherit',
    env: { ...process.env, PORT: process.env.PORT ?? String(PORT) },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
