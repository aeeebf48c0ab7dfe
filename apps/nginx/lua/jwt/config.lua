-- The verifier's settings, read from the environment once, in init_by_lua (the contract's table).
-- A bad value raises one line naming the variable, never echoing a URL: it may hold a password.
local crypto = require "jwt.crypto"
local fetch = require "jwt.fetch"

local MAX_ISSUERS = 16 -- one per environment of the gateway; more is a typo or a pattern in disguise
local ALGORITHMS = { "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA" }

local function fail(variable, detail) error(variable .. " " .. detail, 0) end

-- The trimmed, non-empty entries of a comma-separated variable; nil when it is unset.
local function list(variable, what)
  local value = os.getenv(variable)
  if value == nil then return nil end
  local kept = {}
  for entry in value:gmatch("[^,]+") do
    entry = entry:match("^%s*(.-)%s*$")
    if entry ~= "" then kept[#kept + 1] = entry end
  end
  if #kept == 0 then fail(variable, "is set but lists no " .. what) end
  return kept
end

local function seconds(variable, fallback, min)
  local value = os.getenv(variable)
  if value == nil then return fallback end
  if not value:find("^%d+$") or #value > 9 or tonumber(value) < min then
    fail(variable, ('must be a whole number of seconds, at least %d (got "%s")'):format(min, value))
  end
  return tonumber(value)
end

local function issuers()
  local value = os.getenv("JWT_ISSUER") or ""
  if value:find("^%s*$") then fail("JWT_ISSUER", "is required (the exact iss of your tokens, comma-separated)") end
  if ("," .. value .. ","):find(",%s*,") then fail("JWT_ISSUER", "has an empty entry") end
  local accepted, seen = list("JWT_ISSUER", "issuer"), {}
  if #accepted > MAX_ISSUERS then fail("JWT_ISSUER", "lists more than " .. MAX_ISSUERS .. " issuers") end
  for _, issuer in ipairs(accepted) do
    if seen[issuer] then fail("JWT_ISSUER", "lists an issuer twice") end
    seen[issuer] = true
  end
  return accepted
end

-- JWT_JWKS_URI, or discovery from each issuer: either way http(s) without a user name or
-- password (fetch.parse_url), which would travel in the clear.
local function jwks_uri(accepted)
  local uri = os.getenv("JWT_JWKS_URI")
  if uri == nil then
    for _, issuer in ipairs(accepted) do
      if not fetch.parse_url(issuer) then
        fail("JWT_ISSUER", "must make each issuer an http(s) URL without a user name or password")
      end
    end
    return nil
  end
  if #accepted > 1 then fail("JWT_JWKS_URI", "needs a single JWT_ISSUER: with several, each is discovered") end
  if not fetch.parse_url(uri) then
    fail("JWT_JWKS_URI", "must be an http(s) URL without a user name or password")
  end
  -- The issuer is then only compared, never fetched, yet it is named in logs.
  if accepted[1]:find("^%a[%w+.-]*://[^/?#]*@") then fail("JWT_ISSUER", "must not carry a user name or password") end
  return uri
end

local function algorithms()
  local allowed = {}
  for _, alg in ipairs(list("JWT_ALGORITHMS", "algorithm") or ALGORITHMS) do
    if not crypto.ALGS[alg] then
      local allowed_list = table.concat(ALGORITHMS, ", ")
      fail("JWT_ALGORITHMS", ('lists "%s"; allowed: %s (never none or HS*)'):format(alg, allowed_list))
    end
    allowed[alg] = true
  end
  return allowed
end

return function()
  local accepted = issuers()
  local header = (os.getenv("JWT_HEADER") or "authorization"):lower()
  -- nginx drops header names with other characters (ignore_invalid_headers): it would never see the token.
  if not header:find("^[%w-]+$") then
    fail("JWT_HEADER", ('must be a header name of letters, digits and hyphens (got "%s")'):format(header:sub(1, 60)))
  end
  -- RFC 9110 §5.6.2: an auth-scheme is a token; empty: the whole value is the token.
  local prefix = os.getenv("JWT_TOKEN_PREFIX") or "Bearer"
  if not ngx.re.find(prefix, [[^[!#$%&'*+.^`|~\w-]*$]], "jo") then
    fail("JWT_TOKEN_PREFIX", ('must be a word like Bearer, or empty (got "%s")'):format(prefix:sub(1, 60)))
  end
  return { issuers = accepted, jwks_uri = jwks_uri(accepted), audiences = list("JWT_AUDIENCE", "audience"),
    allowed = algorithms(), clock_tolerance = seconds("JWT_CLOCK_TOLERANCE", 5, 0),
    jwks_max_age = seconds("JWT_JWKS_MAX_AGE", 600, 1), header = header, token_prefix = prefix }
end
