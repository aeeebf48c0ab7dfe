# workerd's own configuration for `pnpm start:workers` / `pnpm dev:workers` (scripts/workers.mjs):
# the bundled Worker (dist/worker.js) with the contract's variables as bindings read from the
# environment workerd is started with. Deploying to Cloudflare uses wrangler.toml instead.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .hono),
    # The Worker's fetch(): the issuer may be any host, this machine's included (the mock issuer).
    (name = "internet", network = (allow = ["public", "private", "local"], tlsOptions = (trustBrowserCas = true))),
  ],
  # The launcher overrides the address with --socket-addr http=127.0.0.1:$PORT.
  sockets = [(name = "http", address = "127.0.0.1:3002", http = (), service = "main")],
);

const hono :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "dist/worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "internet",
  bindings = [
    (name = "JWT_ISSUER", fromEnvironment = "JWT_ISSUER"),
    (name = "JWT_JWKS_URI", fromEnvironment = "JWT_JWKS_URI"),
    (name = "JWT_AUDIENCE", fromEnvironment = "JWT_AUDIENCE"),
    (name = "JWT_ALGORITHMS", fromEnvironment = "JWT_ALGORITHMS"),
    (name = "JWT_CLOCK_TOLERANCE", fromEnvironment = "JWT_CLOCK_TOLERANCE"),
    (name = "JWT_JWKS_MAX_AGE", fromEnvironment = "JWT_JWKS_MAX_AGE"),
    (name = "JWT_HEADER", fromEnvironment = "JWT_HEADER"),
    (name = "JWT_TOKEN_PREFIX", fromEnvironment = "JWT_TOKEN_PREFIX"),
  ],
);
