-- wrk -t1 -s distinct.lua URL -- FILE FIRST COUNT
-- Every request carries the next token of FILE (one per line, every line the same length: the
-- bench mints them so) from line FIRST (0-based) on, read as it goes: a window seeks to its first
-- token rather than load a pool of 100,000 (about 90 MB) before it starts.
-- COUNT 0: the whole file round and round (the bench moves FIRST on from window to window).
-- COUNT > 0: only lines FIRST .. FIRST+COUNT-1; once COUNT answers are in, "pool-done" on stderr:
-- wrk itself stops only on time or SIGINT, so the bench sends SIGINT (the few requests sent
-- meanwhile repeat the first tokens).
local file, width, lines, first, count, left, threads
-- Globals: done() reads them with thread:get. wrk calls request() once before the run to check
-- it (a request never sent), hence -1 and the step back below.
sent, answered, fivexx = -1, 0, 0
threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- From the top of the file (COUNT 0) or of the slice (COUNT > 0).
local function rewind()
  file:seek("set", first * width)
  left = count > 0 and count or lines - first
end

function init(args)
  file = assert(io.open(args[1], "rb"))
  width = #file:read("*l") + 1
  lines = file:seek("end") / width
  first, count = tonumber(args[2]), tonumber(args[3])
  if count == 0 then first = first % lines end
  rewind()
end

function request()
  sent = sent + 1
  if left == 0 then
    if count == 0 then first = 0 end
    rewind()
  end
  local token = file:read("*l")
  if sent == 0 then file:seek("cur", -width) else left = left - 1 end
  return wrk.format(nil, nil, { Authorization = "Bearer " .. token })
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
