// Where Debian's packages put nginx and its Lua modules. Nothing of the system nginx service is
// used: start.ts runs the binary with its own prefix and configuration.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const INSTALL_HINT =
  'apt-get install -y nginx-light libnginx-mod-http-lua lua-resty-core lua-resty-lrucache lua-cjson';
const MODULE_DIRS = ['/usr/lib/nginx/modules', '/usr/share/nginx/modules'];

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

/** The Lua module and the NDK it needs loaded first, or undefined when either is missing. */
export function findLuaModules(): { ndk: string; lua: string } | undefined {
  const find = (name: string) => MODULE_DIRS.map((dir) => join(dir, name)).find((path) => existsSync(path));
  const ndk = find('ndk_http_module.so');
  const lua = find('ngx_http_lua_module.so');
  return ndk && lua ? { ndk, lua } : undefined;
}

/** util-linux's setpriv (for --pdeathsig), or undefined where it is missing. */
export function findSetpriv(): string | undefined {
  return ['/usr/bin/setpriv', '/bin/setpriv'].find(executable);
}
