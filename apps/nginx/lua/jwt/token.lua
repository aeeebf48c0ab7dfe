-- The compact JWS itself: bearer parsing, shape, header and claims rules (RFC 7515, RFC 7519),
-- with the Node core's answers. Signatures are crypto.lua's business.
local cjson = require("cjson.safe").new()
local b64 = require "ngx.base64"
local errors = require "jwt.errors"

cjson.decode_invalid_numbers(false) -- JSON numbers only: no NaN, Infinity or hex (RFC 8259 §6)

local M = { MAX_LENGTH = 8192 }
local B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

-- RFC 6750 §2.1: the prefix (`Bearer`) in any case, one space, the token; nothing else counts.
-- An empty prefix (the policy's tokenPrefix ""): the whole value is the token.
function M.bearer(value, prefix)
  local start = prefix == "" and 1 or #prefix + 2
  if type(value) ~= "string" or #value < start or (prefix ~= "" and
    (value:sub(start - 1, start - 1) ~= " " or value:sub(1, #prefix):lower() ~= prefix:lower())) then
    return nil, errors.missing()
  end
  if #value - start + 1 > M.MAX_LENGTH then return nil, errors.invalid("The token is too long.") end
  return value:sub(start)
end

-- A JSON object from a base64url segment: valid UTF-8 (the "u" flag makes PCRE check it).
local function json_object(segment)
  local text = b64.decode_base64url(segment)
  if not text or not ngx.re.find(text, "^", "uo") then return nil end
  local value = cjson.decode(text)
  return type(value) == "table" and value or nil
end

-- Built only on failure: the header builder (gsub) is one of LuaJIT's NYI, and on the path of
-- every valid token it would keep parse() out of the JIT.
local function malformed() return nil, errors.invalid("The token is not a compact JWS.") end

-- Three base64url segments, the signature canonical (RFC 4648 §3.5: no stray bits), so one
-- signature has one spelling; the header and the payload JSON objects.
function M.parse(token)
  local m = ngx.re.match(token, [[^([\w-]+)\.([\w-]+)\.([\w-]+)$]], "jo")
  if not m then return malformed() end
  local signature, rest = m[3], #m[3] % 4
  local bits = (B64URL:find(signature:sub(-1), 1, true) - 1) % (rest == 2 and 16 or 4)
  if rest == 1 or (rest > 1 and bits ~= 0) then return malformed() end
  local header, claims = json_object(m[1]), json_object(m[2])
  if not (header and claims) then return nil, errors.invalid("The token is malformed.") end
  return { header = header, claims = claims, input = m[1] .. "." .. m[2], payload = m[2],
    signature = b64.decode_base64url(signature) }
end

-- RFC 7515 §4.1.11: only `b64` (RFC 7797) is understood, and only as jose reads it.
local function crit_ok(header)
  local crit = header.crit
  if crit == nil then return true end
  if type(crit) ~= "table" or #crit == 0 then return false end
  for i, name in pairs(crit) do
    if type(i) ~= "number" or name ~= "b64" or header.b64 ~= true then return false end
  end
  return true
end

function M.check_header(header, allowed)
  if not crit_ok(header) then
    return nil, errors.invalid("The token uses an algorithm or a critical extension that is not supported.")
  end
  if type(header.alg) ~= "string" or header.alg == "" then return nil, errors.invalid("The token is malformed.") end
  if not allowed[header.alg] then return nil, errors.invalid("The token algorithm is not accepted.") end
  return true
end

local function finite(value) return type(value) == "number" and value == value and math.abs(value) ~= math.huge end

local function audience_ok(aud, audiences)
  local list = type(aud) == "table" and aud or { aud }
  for _, want in ipairs(audiences) do
    for _, have in ipairs(list) do if have == want then return true end end
  end
  return false
end

-- The decoded payload segment of a cached token (verified before, so well-formed).
function M.payload(segment) return json_object(segment) end

-- RFC 7519 §4.1, in jose's order: iss (the issuer whose key verified it), aud, iat, nbf, exp
-- (required; with the leeway). RFC 7519 §2: a NumericDate is a finite number (JSON's 1e400 is not).
local TIME_CLAIMS = { "iat", "nbf", "exp" }
function M.claims(claims, issuer, config)
  if claims.iss ~= issuer then return nil, errors.invalid("The token issuer is not accepted.") end
  if config.audiences and not audience_ok(claims.aud, config.audiences) then
    return nil, errors.invalid("The token audience is not accepted.")
  end
  -- Missing or not a number (null, a string) as the Node core says it; an infinite one below.
  if type(claims.exp) ~= "number" then return nil, errors.invalid("The token has no valid expiry.") end
  for _, name in ipairs(TIME_CLAIMS) do
    if claims[name] ~= nil and not finite(claims[name]) then
      return nil, errors.invalid("The token " .. name .. " is not a valid date.")
    end
  end
  local now = ngx.time()
  if claims.nbf ~= nil and claims.nbf > now + config.clock_tolerance then
    return nil, errors.invalid("The token is not valid yet.")
  end
  if claims.exp <= now - config.clock_tolerance then return nil, errors.invalid("The token has expired.") end
  return claims
end

return M
