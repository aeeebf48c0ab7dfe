-- The access-phase verifier: `access_by_lua_block { require("jwt").protect() }` in a location,
-- `require("jwt").protect("admin")` where a scope is needed. Configure it once, in
-- init_by_lua*, with `require("jwt").init(settings)` (see README: the settings and their JSON).
local cjson = require "cjson.safe"
local errors = require "jwt.errors"
local token_rules = require "jwt.token"
local crypto = require "jwt.crypto"
local jwks = require "jwt.jwks"
local keys = require "jwt.keys"

local M = {}
local config
local verified = ngx.shared.jwt_tokens -- token -> payload segment, flags = key set version
local MAX_CACHE_SECONDS = 60

-- settings: issuer, jwks_uri, audiences (array or nil), algorithms,
-- clock_tolerance, jwks_max_age. A JSON file of them works: init(path).
function M.init(settings)
  if type(settings) == "string" then
    local file = assert(io.open(settings))
    settings = assert(cjson.decode(file:read("*a")), "the JWT settings are not JSON")
    file:close()
  end
  config = settings
  config.allowed = {}
  for _, alg in ipairs(config.algorithms) do
    config.allowed[assert(crypto.ALGS[alg] and alg, "unsupported algorithm")] = true
  end
  if type(config.audiences) ~= "table" then config.audiences = nil end
  jwks.init(config)
end

local key_errors = {
  none = "No key of the issuer fits the token.",
  several = "Several keys of the issuer fit the token; it needs a kid.",
  unusable = "The token could not be verified.",
}

-- The key for the header: fetches a cold set, refetches once (bounded) for an unknown kid.
local function find_key(header)
  local set = jwks.current()
  if not set and not jwks.refresh() then return nil, errors.unavailable() end
  local key, why = keys.select(jwks.current(), header)
  if why == "none" then
    local again, unavailable = jwks.refetch_for(header.kid)
    if unavailable then return nil, errors.unavailable() end
    if again then key, why = keys.select(jwks.current(), header) end
  end
  if not key then return nil, errors.invalid(key_errors[why]) end
  return key
end

-- The verified claims of the token, from the cache or checked now.
local function verify(token)
  local version = jwks.current() and jwks.current().version
  local payload, flags = verified:get(token)
  if payload and flags == version then
    local claims, err = token_rules.claims(payload, config)
    return claims, claims and payload or err
  end
  local jws, err = token_rules.parse(token)
  if not jws then return nil, err end
  local ok, header_err = token_rules.check_header(jws.header, config.allowed)
  if not ok then return nil, header_err end
  local key, key_err = find_key(jws.header)
  if not key then return nil, key_err end
  if not crypto.verify(jws.header.alg, key, jws.input, jws.signature) then
    return nil, errors.invalid("The token signature is invalid.")
  end
  local claims, claims_err = token_rules.claims(jws.payload, config)
  if not claims then return nil, claims_err end
  local ttl = math.min(claims.exp - ngx.now(), MAX_CACHE_SECONDS)
  if ttl > 0 then verified:set(token, jws.payload, ttl, jwks.current().version) end
  return claims, jws.payload
end

-- The upstream trusts X-JWT-Claims (the verified payload, base64url JSON) and X-JWT-Sub; a
-- client's own X-JWT-* headers, and the token itself, never reach it.
local function forward(claims, payload)
  for name in pairs(ngx.req.get_headers(0)) do
    if name:sub(1, 6) == "x-jwt-" then ngx.req.clear_header(name) end
  end
  ngx.req.clear_header("Authorization")
  ngx.req.set_header("X-JWT-Claims", payload)
  -- Printable ASCII only: a sub holding CR LF must not start a header line of its own.
  if type(claims.sub) == "string" and not claims.sub:find("[^\32-\126]") then
    ngx.req.set_header("X-JWT-Sub", claims.sub)
  end
end

local function check(scope)
  local token, err = token_rules.bearer(ngx.var.http_authorization)
  if not token then return nil, err end
  jwks.refresh_if_old()
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
    ngx.timer.at(0, function() ngx.log(ngx.ERR, "JWT verification failed unexpectedly: ", ok) end)
    return errors.send(errors.server())
  end
  if not ok then return errors.send(err) end
end

return M
