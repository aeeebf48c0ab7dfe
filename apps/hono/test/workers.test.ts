import { fileURLToPath } from 'node:url';
import { freePort, startServer } from '@repo/test-fixtures';
import { expect, it } from 'vitest';

// `pnpm start:workers` runs workerd as a child of scripts/workers.mjs.
it('workerd stops when its launcher is killed outright (SIGKILL: no signal to forward)', async () => {
  const port = await freePort();
  const app = await startServer({
    command: [process.execPath, 'scripts/workers.mjs'],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PORT: String(port), JWT_ISSUER: 'http://127.0.0.1:1/' },
    health: `http://127.0.0.1:${port}/health`,
  });
  try {
    process.kill(app.child.pid as number, 'SIGKILL'); // the launcher alone, not its process group
    await expect
      .poll(
        () =>
          fetch(`http://127.0.0.1:${port}/health`).then(
            () => 'up',
            () => 'down',
          ),
        { timeout: 5000 },
      )
      .toBe('down');
  } finally {
    await app.stop();
  }
});
