-- One GET (discovery document or JWKS) over a cosocket, bounded as the contract says: 5 s for the
-- WHOLE fetch (a server that trickles bytes after its headers is cut off then too), no redirect followed
-- (anything but 200 fails), at most 512 KiB of body, TLS verified against
-- lua_ssl_trusted_certificate. HTTP/1.0, so the body ends where the connection does.
local M = { TIMEOUT = 5, MAX_BYTES = 512 * 1024 }
local HEADER_ROOM = 16 * 1024

-- { tls, host, port, path, authority }, or nil: not http(s), a port past 65535, or a user name or
-- password in it (it would be sent in the clear and logged with every failure).
function M.parse_url(url)
  local m = ngx.re.match(url, [=[^(https?)://(\[[^\]/]+\]|[^/?#:@\[\]]+)(?::(\d{1,5}))?([/?][^#]*)?(?:#.*)?$]=], "jo")
  if not m or (m[3] and tonumber(m[3]) > 65535) then return nil end
  local tls = m[1] == "https"
  local port = tonumber(m[3]) or (tls and 443 or 80)
  local host = m[2]:gsub("^%[(.*)%]$", "%1")
  return { tls = tls, host = host, port = port, path = m[4] or "/",
    authority = m[3] and (m[2] .. ":" .. m[3]) or m[2] }
end

-- The body, or nil, why (for the log: never a secret) and the HTTP status when there was one.
-- `deadline` (ngx.now() based): discovery and the key set share one bound.
function M.get(url, deadline)
  local target = M.parse_url(url)
  if not target then return nil, "not an http(s) URL without credentials" end
  local sock = ngx.socket.tcp()
  local function left()
    ngx.update_time()
    local ms = math.floor((deadline - ngx.now()) * 1000)
    if ms <= 0 then return nil end
    sock:settimeout(ms)
    return true
  end
  -- nginx's resolver does not read /etc/hosts.
  local address = target.host == "localhost" and "127.0.0.1" or target.host
  if not left() then return nil, "timed out (5 s)" end
  local ok, err = sock:connect(address, target.port)
  if not ok then return nil, "connect: " .. err end
  if target.tls and left() then
    ok, err = sock:sslhandshake(nil, target.host, true)
    if not ok then sock:close() return nil, "TLS: " .. err end
  end
  local request = "GET " .. target.path .. " HTTP/1.0\r\nHost: " .. target.authority ..
    "\r\nAccept: application/jwk-set+json, application/json\r\nConnection: close\r\n\r\n"
  if not left() or not sock:send(request) then sock:close() return nil, "timed out" end
  local head, body, size, length = "", {}, 0, nil
  while true do
    if not left() then sock:close() return nil, "timed out (5 s)" end
    local data, why = sock:receiveany(65536)
    if not data then
      if why == "closed" then break end
      sock:close()
      return nil, why == "timeout" and "timed out (5 s)" or why
    end
    if length ~= nil then
      body[#body + 1], size = data, size + #data
    else -- still in the status line and headers
      head = head .. data
      local at = head:find("\r\n\r\n", 1, true)
      if not at and #head > HEADER_ROOM then sock:close() return nil, "headers too long" end
      if at then
        body[1], size = head:sub(at + 4), #head - at - 3
        head = head:sub(1, at):lower()
        length = tonumber(head:match("\ncontent%-length:%s*(%d+)")) or false
      end
    end
    if size > M.MAX_BYTES or (length and length > M.MAX_BYTES) then
      sock:close()
      return nil, "more than 524288 bytes"
    end
    if length and size >= length then break end -- a server that keeps the connection open
  end
  sock:close()
  if length == nil then return nil, "no complete HTTP answer" end
  local status = tonumber(head:match("^http/1%.[01] (%d%d%d)"))
  if status ~= 200 then return nil, "HTTP " .. tostring(status), status end
  if head:find("\ntransfer%-encoding:") then return nil, "a chunked answer to HTTP/1.0" end
  body = table.concat(body)
  if length and length ~= #body then return nil, "a truncated body" end
  return body
end

return M
