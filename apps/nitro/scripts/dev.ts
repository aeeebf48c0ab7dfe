/**
 * `pnpm dev`: Nitro's dev server (rebuilds on change) on PORT (default 3003). Inside the
 * monorepo, runDev starts or joins the mock issuer when JWT_ISSUER is unset and prints a curl.
 */
import { spawn } from 'node:child_process';

const DEFAULT_PORT = 3003;
const port = process.env.PORT ?? String(DEFAULT_PORT);
// `nitro dev` takes its port from --port (listhen), not from the PORT our config reads.
const command = ['nitro', 'dev', '--port', port, '--host', '127.0.0.1'];

type RunDev = (options: { name: string; port: number; command: string[] }) => Promise<void>;

let runDev: RunDev | undefined;
try {
  ({ runDev } = (await import('@repo/test-fixtures/dev')) as { runDev: RunDev });
} catch {
  // Copied out of the monorepo: no mock issuer, the real one is needed.
}

if (runDev) {
  await runDev({ name: 'nitro', port: DEFAULT_PORT, command });
} else if (!process.env.JWT_ISSUER) {
  console.error(
    "Set JWT_ISSUER to your gateway's issuer URL (https://<deployment>.zuplo.app/__zuplo/issuer) and run again.",
  );
  process.exit(1);
} else {
  const [bin = 'nitro', ...args] = command;
  const child = spawn(bin, args, { stdio: 'inherit', env: { ...process.env, PORT: port } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
