// The Worker bundle (dist/worker.js) for workerd and for Cloudflare: one ES module, with the
// `workerd`/`worker` export conditions so jose and hono pick their Web-API builds.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const options = {
  absWorkingDir: root,
  entryPoints: ['src/worker.ts'],
  outfile: 'dist/worker.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker'],
  sourcemap: true,
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const esbuild = await import('esbuild');
  await esbuild.build(options);
}
