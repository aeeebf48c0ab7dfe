-- Which key of the set verifies a token (RFC 7517 §4, with jose's rules, as the Node apps do),
-- and its verify context (crypto.verifier), kept per worker in an LRU cache (freed by ffi.gc when evicted).
local lrucache = require "resty.lrucache"
local crypto = require "jwt.crypto"

local M = {}
local parsed = assert(lrucache.new(256))

-- RFC 7517 §4.3: when present, an array of distinct strings that includes "verify".
local function key_ops_ok(ops)
  if ops == nil then return true end
  if type(ops) ~= "table" then return false end
  local seen, n, verify = {}, 0, false
  for _ in pairs(ops) do n = n + 1 end
  for i = 1, n do
    local op = ops[i]
    if type(op) ~= "string" or seen[op] then return false end
    seen[op], verify = true, verify or op == "verify"
  end
  return verify
end

-- A key fits only the algorithms its type and curve allow and, when it names one, its own
-- `alg`; `use` must be "sig" when present (RFC 7517 §4.2). A kid, when given, must match.
local function fits(jwk, alg, kid)
  local spec = crypto.ALGS[alg]
  return (jwk.ext == nil or type(jwk.ext) == "boolean") and key_ops_ok(jwk.key_ops)
    and jwk.kty == spec.kty and (kid == nil or (type(kid) == "string" and kid == jwk.kid))
    and (jwk.alg == nil or jwk.alg == alg) and (jwk.use == nil or jwk.use == "sig")
    and (spec.crv == nil or jwk.crv == spec.crv)
end

-- The verify context for the token's header, or nil and why: "none" (no key fits), "several",
-- "unusable" (the one key that fits cannot be imported).
function M.select(set, header)
  local alg, found, index = header.alg, nil, nil
  for i, jwk in ipairs(set.keys) do
    if fits(jwk, alg, header.kid) then
      if found then return nil, "several" end
      found, index = jwk, i
    end
  end
  if not found then return nil, "none" end
  local id = set.version .. ":" .. index .. ":" .. alg
  local key = parsed:get(id)
  if key == nil then
    key = crypto.verifier(found, alg) or false
    parsed:set(id, key)
  end
  if not key then return nil, "unusable" end
  return key
end

return M
