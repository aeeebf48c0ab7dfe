// Where Debian's packages put nginx and the njs module. Nothing of the system nginx service is
// used: start.ts runs the binary with its own prefix and configuration.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT = 'apt-get install -y nginx-light libnginx-mod-http-js';
const JS_MODULES = [
  '/usr/lib/nginx/modules/ngx_http_js_module.so',
  '/usr/share/nginx/modules/ngx_http_js_module.so',
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** nginx on PATH, else /usr/sbin/nginx (not on a normal user's PATH). */
export function findNginx(path = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, 'nginx')).find(executable);
}

export function findJsModule(): string | undefined {
  return JS_MODULES.find((path) => existsSync(path));
}

/** util-linux's setpriv (for --pdeathsig), or undefined where it is missing. */
export function findSetpriv(): string | undefined {
  return ['/usr/bin/setpriv', '/bin/setpriv'].find(executable);
}
