-- Each issuer's JWK Set (RFC 7517 §5), shared by every worker through lua_shared_dict jwt_jwks
-- under its own prefix (the key source and the issuer: the dict outlives a reload that changes
-- either, and must never hand one issuer's keys to another): set (the body, flags = version),
-- version, ok_at (last good fetch), backoff (present for 5 s after a failed fetch), lock (the one
-- fetch in flight), seq and last_ok (its outcome). Versions come from one counter: unique across
-- issuers. One fetch at a time per issuer across workers; a failed fetch never touches the cached
-- set; unknown kids refetch at most once per 30 s; past the max age, one background refetch.
local cjson = require "cjson.safe"
local fetch = require "jwt.fetch"

local M = { BACKOFF = 5, COOLDOWN = 30, LOCK_TTL = fetch.TIMEOUT + 2 }
local dict = ngx.shared.jwt_jwks
local KeySet = {}
KeySet.__index = KeySet
local sets = {} -- issuer -> KeySet

function M.init(config)
  for _, issuer in ipairs(config.issuers) do
    local url = fetch.parse_url(issuer) or {}
    sets[issuer] = setmetatable({ issuer = issuer, uri = config.jwks_uri, max_age = config.jwks_max_age,
      ns = (config.jwks_uri or "discovery") .. " " .. issuer .. " ", parsed = { version = false },
      -- http keys only for an issuer on this machine (local work), as the Node core.
      local_http = url.tls == false and (ngx.re.find(url.host, [[^(127(\.\d+){3}|::1|localhost)$]], "jo") ~= nil),
    }, KeySet)
  end
end

-- The key set of a listed issuer, or nil (the token is refused without any fetch).
function M.of(issuer) return sets[issuer] end

function KeySet:get(name) return dict:get(self.ns .. name) end

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

-- OpenID Connect Discovery 1.0 §4: the jwks_uri of the issuer's document, fetched again with
-- every key fetch (a changed one is followed); a 404 means the gateway's layout, jwks.json.
function KeySet:jwks_uri(deadline)
  if self.uri then return self.uri end
  local base = self.issuer:gsub("/$", "")
  local body, why, status = fetch.get(base .. "/.well-known/openid-configuration", deadline)
  if status == 404 then return base .. "/.well-known/jwks.json" end
  if not body then return nil, "discovery: " .. why end
  local doc = cjson.decode(body)
  -- §4.3: the document names exactly the issuer it was fetched for.
  if type(doc) ~= "table" or doc.issuer ~= self.issuer then
    return nil, "the discovery document is not this issuer's"
  end
  local target = type(doc.jwks_uri) == "string" and fetch.parse_url(doc.jwks_uri)
  if not (target and (target.tls or self.local_http)) then
    return nil, "the discovery document has no usable jwks_uri"
  end
  return doc.jwks_uri
end

-- Runs holding the lock: discover, fetch, validate, store, tell the waiters.
function KeySet:attempt()
  ngx.update_time()
  local deadline = ngx.now() + fetch.TIMEOUT -- one bound for discovery and the keys together
  local uri, why = self:jwks_uri(deadline)
  local body
  if uri then body, why = fetch.get(uri, deadline) end
  local ok, ns = body and jwk_set(body) ~= nil, self.ns
  if ok then
    if dict:get(ns .. "set") ~= body then -- replaced whole, never merged: retired keys go
      local version = dict:incr("version", 1, 0)
      dict:set(ns .. "set", body, 0, version)
      dict:set(ns .. "version", version)
    end
    dict:set(ns .. "ok_at", ngx.now())
  else
    dict:set(ns .. "backoff", true, M.BACKOFF)
    local state = self:get("version") and "cached keys stay in use" or "no keys yet: tokens get 503 until one succeeds"
    log(("JWKS fetch from %s failed (%s); %s."):format(self.uri or "issuer " .. self.issuer, why or "not a JWK Set", state))
  end
  dict:set(ns .. "last_ok", ok and true or false)
  dict:incr(ns .. "seq", 1, 0)
  dict:delete(ns .. "lock")
  return ok
end

-- Fetches the set, or waits for the fetch in flight; false after a failure or during the backoff.
function KeySet:refresh()
  if self:get("backoff") then return false end
  local seq = self:get("seq") or 0
  if dict:add(self.ns .. "lock", true, M.LOCK_TTL) then return self:attempt() end
  local deadline = ngx.now() + M.LOCK_TTL
  while (self:get("seq") or 0) == seq and ngx.now() < deadline do ngx.sleep(0.01) end
  return (self:get("seq") or 0) ~= seq and self:get("last_ok") == true
end

-- Past the max age: one background refetch; this request goes on with the cached set.
function KeySet:refresh_if_old()
  local ok_at = self:get("ok_at")
  if not ok_at or ngx.now() - ok_at < self.max_age or self:get("lock") or self:get("backoff") then return end
  ngx.timer.at(0, function(premature)
    if not premature and dict:add(self.ns .. "lock", true, M.LOCK_TTL) then self:attempt() end
  end)
end

-- This worker's decoded current set ({ version, keys, kids }), or nil before the first fetch.
function KeySet:current()
  local version = self:get("version")
  if not version then return nil end
  if version ~= self.parsed.version then
    local body, flags = self:get("set")
    local kids = {}
    local set = jwk_set(body)
    for _, jwk in ipairs(set.keys) do if jwk.kid ~= nil then kids[jwk.kid] = true end end
    self.parsed = { version = flags, keys = set.keys, kids = kids }
  end
  return self.parsed
end

-- No key fitted: true when a refetch may have brought it; nil plus "unavailable" when the
-- refetch was needed and failed.
function KeySet:refetch_for(kid)
  local set = self:current()
  if kid ~= nil and (type(kid) ~= "string" or (set and set.kids[kid])) then return false end
  if set and not self:get("lock") and ngx.now() - (self:get("ok_at") or 0) < M.COOLDOWN then return false end
  if not self:refresh() then return nil, "unavailable" end
  return true
end

return M
