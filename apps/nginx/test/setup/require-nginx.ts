// Every test here runs the real nginx: without it (and its njs module) the run fails at once
// with how to install them, under CI and elsewhere alike, instead of skipping anything.
import { findJsModule, findNginx, INSTALL_HINT } from '../../src/nginx.ts';

export default function requireNginx(): void {
  const missing = !findNginx() ? 'nginx' : !findJsModule() ? 'the njs module for nginx' : undefined;
  if (!missing) return;
  const ci = process.env.CI === 'true' ? ' (CI=true: a missing nginx is a failure, not a skip)' : '';
  throw new Error(`${missing} is not installed; these tests need it${ci}. Install it (Debian/Ubuntu, as root): ${INSTALL_HINT}`);
}
