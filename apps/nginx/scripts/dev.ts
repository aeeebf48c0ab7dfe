/**
 * `pnpm dev`: the start script under `tsx watch`, restarted (nginx included) when src/, lua/ or
 * the nginx/ templates change. With JWT_ISSUER unset, runDev also starts (or joins) the mock
 * issuer and prints ready-to-paste curls. `pnpm starter` bundles runDev into a starter's
 * scripts/dev.mjs, so `npm run dev` there does the same.
 */
import { runDev } from '@repo/test-fixtures/dev';

await runDev({
  name: 'nginx',
  port: 3005,
  command: ['tsx', 'watch', '--clear-screen=false', '--include', 'lua/**', '--include', 'nginx/**', 'src/start.ts'],
});
