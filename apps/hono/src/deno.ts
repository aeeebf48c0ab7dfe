import { createApp } from './app.js';
import { createVerifier } from './jwt/index.js';
import { listening, readSettings } from './settings.js';

// Deno entry (`pnpm start:deno`). Settings come from Deno.env (needs --allow-env).
// The Deno APIs used here, declared so the app type-checks without Deno's types.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  exit(code: number): never;
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  serve(
    options: { port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
};

const settings = readSettings(Deno.env.toObject());
if ('error' in settings) {
  console.error(settings.error);
  Deno.exit(1);
}
const { config, port } = settings;
const app = createApp(createVerifier(config)); // ONE verifier per process

let server: ReturnType<typeof Deno.serve>;
try {
  server = Deno.serve(
    { port, onListen: (address) => console.log(listening('deno', address.port, config)) },
    app.fetch,
  );
} catch (error) {
  console.error(`PORT ${port} cannot be used: ${(error as Error).name}.`);
  Deno.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  Deno.addSignalListener(signal, () => {
    // shutdown() stops accepting and waits for the requests in flight; bounded.
    server.shutdown().then(() => Deno.exit(0));
    setTimeout(() => Deno.exit(0), 10_000);
  });
}
