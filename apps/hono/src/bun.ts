import { createApp } from './app.js';
import { createVerifier } from './jwt/index.js';
import { listening, readSettings } from './settings.js';

// Bun entry (`pnpm start:bun`). Settings come from the environment (Bun.env is process.env).
// The one Bun API used here, declared so the app type-checks without @types/bun.
declare const Bun: {
  serve(options: { port: number; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number;
    stop(closeActiveConnections?: boolean): Promise<void>;
  };
};

const settings = readSettings(process.env);
if ('error' in settings) {
  console.error(settings.error);
  process.exit(1);
}
const { config, port } = settings;
const app = createApp(createVerifier(config)); // ONE verifier per process

let server: ReturnType<typeof Bun.serve>;
try {
  server = Bun.serve({ port, fetch: app.fetch });
} catch (error) {
  console.error(`PORT ${port} cannot be used: ${(error as { code?: string }).code ?? 'listen failed'}.`);
  process.exit(1);
}
console.log(listening('bun', server.port, config));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // stop() without `true` stops accepting and waits for the requests in flight; bounded.
    server.stop().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
