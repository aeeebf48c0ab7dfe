-- wrk -t1 -s distinct.lua URL -- FILE FIRST COUNT
-- Every request carries the next token of FILE (one per line) from line FIRST (0-based) on.
-- COUNT 0: the whole file round and round (the bench moves FIRST on from window to window).
-- COUNT > 0: only lines FIRST .. FIRST+COUNT-1; once COUNT answers are in, "pool-done" on stderr:
-- wrk itself stops only on time or SIGINT, so the bench sends SIGINT (the few requests sent
-- meanwhile repeat the first tokens).
local tokens, at, count, threads = {}, 0, 0, {}
-- Globals: done() reads them with thread:get. wrk calls request() once before the run to check
-- it (a request never sent), hence -1 and the step back below.
sent, answered, fivexx = -1, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local first, n = tonumber(args[2]), 0
  count = tonumber(args[3])
  for line in io.lines(args[1]) do
    if count == 0 or n >= first then tokens[#tokens + 1] = line end
    n = n + 1
    if count > 0 and n >= first + count then break end
  end
  at = ((count == 0 and first % #tokens or 0) - 1) % #tokens
end

function request()
  sent = sent + 1
  at = at % #tokens + 1
  return wrk.format(nil, nil, { Authorization = "Bearer " .. tokens[at] })
end

function response(status)
  answered = answered + 1
  if status >= 500 then fivexx = fivexx + 1 end
  if answered == count then io.stderr:write("pool-done\n") end
end

function done()
  local s, f = 0, 0
  for _, t in ipairs(threads) do
    s, f = s + t:get("sent"), f + t:get("fivexx")
  end
  io.write(string.format("sent %d\n5xx %d\n", s, f))
end
