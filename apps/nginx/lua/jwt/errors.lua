-- Every refusal as data ({ status, code, message, headers }), and the one place that answers it.
-- Messages are fixed sentences: never a library's, never the token (RFC 6750 §3).
local cjson = require "cjson.safe"

local M = {}

-- RFC 6750 §3: `Bearer realm="api"` plus auth-params as quoted-strings (RFC 9110 §5.6.4).
-- The only place a WWW-Authenticate value is built.
local function challenge(...)
  local parts, params = { 'Bearer realm="api"' }, { ... }
  for i = 1, #params, 2 do
    parts[#parts + 1] = params[i] .. '="' .. params[i + 1]:gsub('[\\"]', "\\%0") .. '"'
  end
  return { ["WWW-Authenticate"] = table.concat(parts, ", ") }
end

local function answer(status, code, message, headers)
  return { status = status, code = code, message = message, headers = headers or {} }
end

-- RFC 6750 §3.1: no credentials at all, so no error attribute.
function M.missing() return answer(401, "missing_token", "A bearer token is required.", challenge()) end

function M.invalid(message)
  return answer(401, "invalid_token", message, challenge("error", "invalid_token", "error_description", message))
end

function M.scope(scope)
  return answer(403, "insufficient_scope", 'The token lacks the "' .. scope .. '" scope.',
    challenge("error", "insufficient_scope", "scope", scope))
end

-- The key is needed and cannot be fetched: the token may be fine, so no challenge.
function M.unavailable()
  return answer(503, "temporarily_unavailable", "The signing keys cannot be fetched right now; try again shortly.",
    { ["Retry-After"] = "5" })
end

function M.server() return answer(500, "server_error", "Something went wrong on our side.") end

-- A failure line for nginx's error log, written from a timer: a request's log context would
-- add its request line, query string included.
function M.log(line)
  ngx.timer.at(0, function() ngx.log(ngx.ERR, line) end)
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
