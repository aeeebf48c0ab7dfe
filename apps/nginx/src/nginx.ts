// Where Debian's packages put nginx (nginx.conf names the module files). Nothing of the system
// nginx service is used: start.ts runs the binary with its own prefix and configuration.
export const NGINX = '/usr/sbin/nginx';
export const INSTALL_HINT =
  'apt-get install -y nginx-light libnginx-mod-http-lua lua-resty-core lua-resty-lrucache lua-cjson ca-certificates';
export const LUA_MODULE = '/usr/lib/nginx/modules/ngx_http_lua_module.so';
