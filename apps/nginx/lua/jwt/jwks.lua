-- Each issuer's JWK Set (RFC 7517 §5), shared by every worker through lua_shared_dict jwt_jwks
-- under its own prefix (the key source and the issuer: the dict outlives a reload that changes
-- either, and must never hand one issuer's keys to another): set (the body, flags = version),
-- version, ok_at (last good fetch), backoff (present for 5 s after a failed fetch), lock (the one
-- fetch in flight). Versions come from one counter: unique across issuers. One fetch at a time
-- per issuer across workers; a failed fetch never touches the cached set; unknown kids refetch at
-- most once per 30 s; past the max age, one background refetch.
local cjson = require "cjson.safe"
local errors = require "jwt.errors"
local fetch = require "jwt.fetch"
local keys = require "jwt.keys"

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

-- Runs holding the lock: discover, fetch, validate, store; a failure starts the backoff.
function KeySet:attempt()
  ngx.update_time()
  local deadline = ngx.now() + fetch.TIMEOUT -- one bound for discovery and the keys together
  local uri, why = self:jwks_uri(deadline)
  local body
  if uri then body, why = fetch.get(uri, deadline) end
  local ns = self.ns
  if body and jwk_set(body) then
    if dict:get(ns .. "set") ~= body then -- replaced whole, never merged: retired keys go
      local version = dict:incr("version", 1, 0)
      dict:set(ns .. "set", body, 0, version)
      dict:set(ns .. "version", version)
    end
    dict:set(ns .. "ok_at", ngx.now())
  else
    dict:set(ns .. "backoff", true, M.BACKOFF)
    local state = self:get("version") and "cached keys stay in use" or "no keys yet: tokens get 503 until one succeeds"
    errors.log(("JWKS fetch from %s failed (%s); %s."):format(self.uri or "issuer " .. self.issuer, why or "not a JWK Set", state))
  end
  dict:delete(ns .. "lock")
end

-- Fetches the set, or waits for the fetch in flight; false when it failed (the backoff is on:
-- during it, no fetch) or no set came. `seen`: the ok_at the caller decided on; a fetch another
-- worker ended between that look and this lock is not made again.
function KeySet:refresh(seen)
  if self:get("backoff") then return false end
  if dict:add(self.ns .. "lock", true, M.LOCK_TTL) then
    if self:get("ok_at") == seen then self:attempt() else dict:delete(self.ns .. "lock") end
  else
    local deadline = ngx.now() + M.LOCK_TTL
    while self:get("lock") and ngx.now() < deadline do ngx.sleep(0.01) end
  end
  return not self:get("backoff") and self:get("version") ~= nil
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

local KEY_ERRORS = {
  none = "No key of the issuer fits the token.",
  several = "Several keys of the issuer fit the token; it needs a kid.",
  unusable = "The token could not be verified.",
}

-- The verifier for a token's header (keys.select) and the version of the set it came from, or
-- nil and the error. A cold set is fetched first. A kid missing from the set (or none, when no
-- key fits) refetches it, at most once per 30 s unless a fetch is in flight; failed: 503.
function KeySet:verifier(header)
  if not self:current() and not self:refresh(nil) then return nil, errors.unavailable() end
  local set, kid, ok_at = self:current(), header.kid, self:get("ok_at")
  local key, why = keys.select(set, header)
  local unknown = kid == nil or (type(kid) == "string" and not set.kids[kid])
  local due = self:get("lock") or ngx.now() - (ok_at or 0) >= M.COOLDOWN
  if why == "none" and unknown and due then
    if not self:refresh(ok_at) then return nil, errors.unavailable() end
    set = self:current()
    key, why = keys.select(set, header)
  end
  if not key then return nil, errors.invalid(KEY_ERRORS[why]) end
  return key, set.version
end

return M
