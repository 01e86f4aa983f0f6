-- GET with a different API key on every request, rotating through the secrets in $BENCH_SECRETS (one per line).
-- Each wrk thread takes its own share of the lines (thread i of n: lines i, i + n, ...), so that together they
-- cycle through every key; the other -H headers are sent as given.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end

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
