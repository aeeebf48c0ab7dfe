-- Every refusal as data ({ status, code, message, headers }), and the one place that answers it.
-- Messages are fixed sentences: never a library's, never the token (RFC 6750 §3).
local cjson = require "cjson.safe"

local M = {}

-- RFC 6750 §3: `Bearer realm="api"` plus auth-params as quoted-strings (RFC 9110 §5.6.4).
-- The only place a WWW-Authenticate value is built.
local function challenge(params)
  local parts = { 'Bearer realm="api"' }
  for _, pair in ipairs(params or {}) do
    parts[#parts + 1] = pair[1] .. '="' .. pair[2]:gsub('[\\"]', "\\%0") .. '"'
  end
  return table.concat(parts, ", ")
end

-- RFC 6750 §3.1: no credentials at all, so no error attribute.
function M.missing()
  return { status = 401, code = "missing_token", message = "A bearer token is required.",
    headers = { ["WWW-Authenticate"] = challenge() } }
end

function M.invalid(message)
  return { status = 401, code = "invalid_token", message = message,
    headers = { ["WWW-Authenticate"] = challenge { { "error", "invalid_token" }, { "error_description", message } } } }
end

function M.scope(scope)
  return { status = 403, code = "insufficient_scope", message = 'The token lacks the "' .. scope .. '" scope.',
    headers = { ["WWW-Authenticate"] = challenge { { "error", "insufficient_scope" }, { "scope", scope } } } }
end

-- The key is needed and cannot be fetched: the token may be fine, so no challenge.
function M.unavailable()
  return { status = 503, code = "temporarily_unavailable",
    message = "The signing keys cannot be fetched right now; try again shortly.",
    headers = { ["Retry-After"] = "5" } }
end

function M.server()
  return { status = 500, code = "server_error", message = "Something went wrong on our side.", headers = {} }
end

-- Ends the request with the error's JSON answer.
function M.send(err)
  ngx.status = err.status
  ngx.header["Content-Type"] = "application/json"
  ngx.header["Cache-Control"] = "no-store"
  for name, value in pairs(err.headers) do ngx.header[name] = value end
  ngx.print(cjson.encode { error = err.code, message = err.message })
  return ngx.exit(err.status)
end

return M
