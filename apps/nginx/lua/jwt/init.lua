-- The access-phase verifier: `access_by_lua_block { require("jwt").protect() }` in a location,
-- `require("jwt").protect("admin")` where a scope is needed; `require("jwt").init()` once, in
-- init_by_lua*.
local errors = require "jwt.errors"
local token_rules = require "jwt.token"
local crypto = require "jwt.crypto"
local jwks = require "jwt.jwks"
local lrucache = require "resty.lrucache"
local ffi = require "ffi"

local M = {}
local config, header_var
local verified = ngx.shared.jwt_tokens -- SHA-256 of the token -> payload segment, flags = key set version
local MAX_CACHE_SECONDS = 60
-- This worker's copies of the entries it has used, decoded: token -> { claims, payload, version },
-- for no longer than the shared entry lives. A repeated token then costs no shared-dict lookup
-- and no JSON decode; the key-set version is still checked on every request. Bounded in bytes
-- too: at most HOT_ENTRIES tokens of at most HOT_TOKEN_BYTES (a gateway's are under 1 KiB; the
-- 8 KiB a token may have would make 10,000 entries 200 MB a worker), so a few MB a worker.
-- Longer tokens are still cached, in the shared dict only.
local HOT_ENTRIES, HOT_TOKEN_BYTES = 1000, 2048
local hot = assert(lrucache.new(HOT_ENTRIES))
-- Cached from its second verification on, as in the Node core (its doorkeeper.ts): a gateway
-- may sign a token per request, and storing each costs a shared-dict write, and evicts tokens in
-- use, for nothing. This worker's sightings: one byte per 16-bit slot of the token's SHA-256 (the
-- shared key, computed anyway), all forgotten every SIGHTINGS, so the table never fills up. A
-- collision only caches a token one verification early.
local SLOTS, SIGHTINGS = 65536, 10000
local seen, marked = ffi.new("uint8_t[?]", SLOTS), 0
local function seen_before(key)
  local slot = key:byte(1) * 256 + key:byte(2)
  if seen[slot] == 1 then return true end
  marked = marked + 1
  if marked > SIGHTINGS then
    ffi.fill(seen, SLOTS)
    marked = 1
  end
  seen[slot] = 1
  return false
end

-- Once, in init_by_lua*: the settings from the environment (lua/jwt/config.lua).
function M.init()
  local ok, settings = pcall(require "jwt.config")
  if not ok then
    -- One line, then stop: error() would add a Lua traceback to nginx's own message.
    io.stderr:write("configuration error: ", settings, "\n")
    os.exit(1)
  end
  config = settings
  header_var = "http_" .. config.header:gsub("-", "_")
  jwks.init(config)
  -- Flushed now: the workers are forked with whatever is still buffered.
  io.stdout:write("verifying the tokens of ", table.concat(config.issuers, ", "), "\n")
  io.stdout:flush()
end

-- A token verified before, while the key set that verified it is still the issuer's current one;
-- on a miss, nil and the token's shared key when it was computed.
local function cached(token)
  local entry = hot:get(token)
  if not entry then
    local key = crypto.sha256(token)
    local payload, version = verified:get(key)
    local claims = payload and token_rules.payload(payload)
    if not claims then return nil, key end
    entry = { claims = claims, payload = payload, version = version }
    local left = verified:ttl(key)
    if left and left > 0 and #token <= HOT_TOKEN_BYTES then hot:set(token, entry, left) end
  end
  local keyset = jwks.of(entry.claims.iss)
  local set = keyset and keyset:current()
  if not set or set.version ~= entry.version then return nil end
  keyset:refresh_if_old()
  local ok, err = token_rules.claims(entry.claims, keyset.issuer, config)
  return ok and entry.claims or false, ok and entry.payload or err
end

-- The verified claims of the token and its payload segment, or nil and the error.
local function verify(token)
  local claims, found = cached(token)
  if claims ~= nil then return claims, found end
  local key = found or crypto.sha256(token) -- on a miss, cached() hands over the key it computed
  local jws, err = token_rules.parse(token)
  if not jws then return nil, err end
  -- `iss`, read unverified, only chooses the key set; an unlisted one costs no fetch.
  local keyset = jwks.of(jws.claims.iss)
  if not keyset then return nil, errors.invalid("The token issuer is not accepted.") end
  keyset:refresh_if_old()
  local ok, header_err = token_rules.check_header(jws.header, config.allowed)
  if not ok then return nil, header_err end
  local verifier, version = keyset:verifier(jws.header)
  if not verifier then return nil, version end
  if not crypto.verify(jws.header.alg, verifier, jws.input, jws.signature) then
    return nil, errors.invalid("The token signature is invalid.")
  end
  claims, err = token_rules.claims(jws.claims, keyset.issuer, config)
  if not claims then return nil, err end
  -- Tagged with the version that verified it: if a refetch retired that key meanwhile (another
  -- worker), the entry is dead on arrival.
  local ttl = math.min(claims.exp - ngx.now(), MAX_CACHE_SECONDS)
  if ttl > 0 and seen_before(key) then
    verified:set(key, jws.payload, ttl, version)
    if #token <= HOT_TOKEN_BYTES then
      hot:set(token, { claims = claims, payload = jws.payload, version = version }, ttl)
    end
  end
  return claims, jws.payload
end

-- The upstream trusts X-JWT-Claims (the verified payload, base64url JSON) and X-JWT-Sub; a
-- client's own X-JWT-* headers, and the token itself, never reach it.
local function forward(claims, payload)
  for name in pairs(ngx.req.get_headers(0)) do
    if name:sub(1, 6) == "x-jwt-" then ngx.req.clear_header(name) end
  end
  ngx.req.clear_header(config.header) -- another header: Authorization stays the application's
  ngx.req.set_header("X-JWT-Claims", payload)
  -- Printable ASCII only: a sub holding CR LF must not start a header line of its own.
  if type(claims.sub) == "string" and not claims.sub:find("[^\32-\126]") then
    ngx.req.set_header("X-JWT-Sub", claims.sub)
  end
end

local function check(scope)
  local token, err = token_rules.bearer(ngx.var[header_var], config.token_prefix)
  if not token then return nil, err end
  local claims, payload = verify(token)
  if not claims then return nil, payload end
  if scope and (type(claims.scope) ~= "string" or not (" " .. claims.scope .. " "):find(" " .. scope .. " ", 1, true)) then
    return nil, errors.scope(scope)
  end
  forward(claims, payload)
  return true
end

-- Answers the request with the RFC 6750 error, or lets it through to the upstream.
function M.protect(scope)
  local ran, ok, err = pcall(check, scope)
  if not ran then
    errors.log("JWT verification failed unexpectedly: " .. tostring(ok))
    return errors.send(errors.server())
  end
  if not ok then return errors.send(err) end
end

return M
