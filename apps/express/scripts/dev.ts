/**
 * `pnpm dev`: the server under `tsx watch`, pointed at the shared mock issuer when JWT_ISSUER
 * is unset. Outside the monorepo (a copied app) the mock issuer is not there: then JWT_ISSUER
 * must be set and the server runs as is.
 */
import { spawn } from 'node:child_process';

const name = 'express';
const port = 3006;
const command = ['tsx', 'watch', 'src/index.ts'];

let runDev: ((options: { name: string; port: number; command: string[] }) => Promise<void>) | undefined;
try {
  ({ runDev } = await import('@repo/test-fixtures/dev'));
} catch {
  runDev = undefined;
}

if (runDev) {
  await runDev({ name, port, command });
} else if (process.env.JWT_ISSUER) {
  const [bin = 'tsx', ...args] = command;
  const child = spawn(bin, args, { stdio: 'inherit', env: { PORT: String(port), ...process.env } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error(
    'Set JWT_ISSUER to your gateway issuer URL (e.g. https://<deployment>.zuplo.app/__zuplo/issuer) and run pnpm dev again.',
  );
  process.exit(1);
}
