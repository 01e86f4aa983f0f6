-- GET with a different API key on every request, rotating through the secrets in $BENCH_SECRETS (one per line).
-- Each wrk thread takes its own share of the lines (thread i of n: lines i, i + n, ...), so that together they
-- cycle through every key; the other -H headers are sent as given. Each run starts at a random place in its
-- share, so that a run of windows goes on through the whole rotation rather than replaying its start; with
-- BENCH_ONE_PASS=1, each thread starts at its first key and stops after one pass over its share.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local secrets = {}
local next_secret = 1
local prefix

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  local line_no = 0
  for line in io.lines(os.getenv("BENCH_SECRETS")) do
    if line_no % n == index then secrets[#secrets + 1] = line end
    line_no = line_no + 1
  end
  assert(#secrets > 0, "no secrets for thread " .. index)
  if os.getenv("BENCH_ONE_PASS") ~= "1" then
    math.randomseed(os.time() * 64 + index)
    next_secret = math.random(#secrets)
  end
  local headers = ""
  for name, value in pairs(wrk.headers) do headers = headers .. name .. ": " .. value .. "\r\n" end
  prefix = wrk.method .. " " .. wrk.path .. " HTTP/1.1\r\n" .. headers .. "Authorization: Bearer "
end

function request()
  local secret = secrets[next_secret]
  next_secret = next_secret + 1
  if next_secret > #secrets then next_secret = 1 end
  return prefix .. secret .. "\r\n\r\n"
end

if os.getenv("BENCH_ONE_PASS") == "1" then
  -- wrk itself runs for its -d duration: after its pass, a thread stops and leaves a file BENCH_OUT.pass.<index>,
  -- and bench/run ends wrk (SIGINT) once every thread has left one.
  local answered = 0
  function response(status, headers, body)
    answered = answered + 1
    if answered == #secrets then
      local f = assert(io.open(os.getenv("BENCH_OUT") .. ".pass." .. index, "w"))
      f:close()
      wrk.thread:stop()
    end
  end
end
