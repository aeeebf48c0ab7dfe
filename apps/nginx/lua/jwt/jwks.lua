-- The issuer's JWK Set (RFC 7517 §5), shared by every worker through lua_shared_dict jwt_jwks:
--   set (the body, flags = version), version, ok_at (last successful fetch), backoff (present for
--   5 s after a failed fetch), lock (the one fetch in flight), seq and last_ok (its outcome).
-- One fetch at a time across workers; a failed fetch never touches the cached set; unknown kids
-- refetch at most once per 30 s; past the max age, one refetch in the background (ngx.timer).
local cjson = require "cjson.safe"
local fetch = require "jwt.fetch"

local M = { BACKOFF = 5, COOLDOWN = 30, LOCK_TTL = fetch.TIMEOUT + 2 }
local dict = ngx.shared.jwt_jwks
local config
local parsed = { version = false } -- this worker's decoded copy of the current set

function M.init(settings) config = settings end

-- A failure line, logged from a timer: a request's log context would carry its query string.
local function log(line)
  ngx.timer.at(0, function() ngx.log(ngx.ERR, line) end)
end

-- RFC 7517 §5: an object whose `keys` is an array of objects.
local function jwk_set(body)
  local set = cjson.decode(body)
  if type(set) ~= "table" or type(set.keys) ~= "table" then return nil end
  local n = 0
  for _ in pairs(set.keys) do n = n + 1 end
  for i = 1, n do if type(set.keys[i]) ~= "table" then return nil end end
  return set
end

-- Runs holding the lock: fetch, validate, store, tell the waiters.
local function attempt()
  local body, why = fetch.get(config.jwks_uri)
  local ok = body and jwk_set(body) ~= nil
  if ok then
    if dict:get("set") ~= body then -- replaced whole, never merged: retired keys go
      local version = dict:incr("version", 1, 0)
      dict:set("set", body, 0, version)
    end
    dict:set("ok_at", ngx.now())
  else
    dict:set("backoff", true, M.BACKOFF)
    local state = dict:get("version") and "cached keys stay in use" or "no keys yet: tokens get 503 until one succeeds"
    log(("JWKS fetch from %s failed (%s); %s."):format(config.jwks_uri, why or "not a JWK Set", state))
  end
  dict:set("last_ok", ok and true or false)
  dict:incr("seq", 1, 0)
  dict:delete("lock")
  return ok
end

-- Fetches the set, or waits for the fetch in flight; false after a failure or during the backoff.
function M.refresh()
  if dict:get("backoff") then return false end
  local seq = dict:get("seq") or 0
  if dict:add("lock", true, M.LOCK_TTL) then return attempt() end
  local deadline = ngx.now() + M.LOCK_TTL
  while (dict:get("seq") or 0) == seq and ngx.now() < deadline do ngx.sleep(0.01) end
  return (dict:get("seq") or 0) ~= seq and dict:get("last_ok") == true
end

-- Past the max age: one background refetch; this request goes on with the cached set.
function M.refresh_if_old()
  local ok_at = dict:get("ok_at")
  if not ok_at or ngx.now() - ok_at < config.jwks_max_age or dict:get("lock") or dict:get("backoff") then return end
  ngx.timer.at(0, function(premature)
    if not premature and dict:add("lock", true, M.LOCK_TTL) then attempt() end
  end)
end

-- This worker's decoded current set ({ version, keys, kids }), or nil before the first fetch.
function M.current()
  local version = dict:get("version")
  if not version then return nil end
  if version ~= parsed.version then
    local body, flags = dict:get("set")
    local kids = {}
    local set = jwk_set(body)
    for _, jwk in ipairs(set.keys) do if jwk.kid ~= nil then kids[jwk.kid] = true end end
    parsed = { version = flags, keys = set.keys, kids = kids }
  end
  return parsed
end

-- No key fitted: true when a refetch may have brought it; nil plus "unavailable" when the
-- refetch was needed and failed.
function M.refetch_for(kid)
  local set = M.current()
  if kid ~= nil and (type(kid) ~= "string" or (set and set.kids[kid])) then return false end
  if set and not dict:get("lock") and ngx.now() - (dict:get("ok_at") or 0) < M.COOLDOWN then return false end
  if not M.refresh() then return nil, "unavailable" end
  return true
end

return M
