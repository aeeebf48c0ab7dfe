// Every test here runs the real nginx: without it (and its Lua module) the run fails at once
// with how to install them, under CI and elsewhere alike, instead of skipping anything.
import { existsSync } from 'node:fs';
import { INSTALL_HINT, LUA_MODULE, NGINX } from '../../src/nginx.ts';

/** The one line to print when something is missing, or undefined when all is there. */
export function missingNginx(found: { nginx?: string; lua?: object }, ci: boolean): string | undefined {
  const missing = !found.nginx ? 'nginx' : !found.lua ? 'the Lua module for nginx' : undefined;
  if (!missing) return undefined;
  const why = ci ? ' (CI=true: a missing nginx is a failure, not a skip)' : '';
  return `${missing} is not installed, and these tests run it${why}. Install it (Debian/Ubuntu, as root): ${INSTALL_HINT}`;
}

export default function requireNginx(): void {
  const message = missingNginx(
    { nginx: existsSync(NGINX) ? NGINX : undefined, lua: existsSync(LUA_MODULE) ? {} : undefined },
    process.env.CI === 'true',
  );
  if (!message) return;
  console.error(`\n${message}\n`);
  throw new Error(message);
}
