-- GET the paths in $BENCH_PATHS (one per line, with their query strings) in turn, each wrk thread starting at a line
-- of its own; the -H headers go with every request. A warm-up of several request shapes at once, as a server that
-- has seen them all would have compiled them (one shape at a time, each new one deoptimizes code the others made).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local requests = {}
local next_request = 1

function init(args)
  local file = assert(os.getenv("BENCH_PATHS"), "BENCH_PATHS is not set")
  for line in io.lines(file) do
    if line ~= "" then requests[#requests + 1] = wrk.format("GET", line) end
  end
  assert(#requests > 0, "no paths in " .. file)
  next_request = 1 + index % #requests
end

function request()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end
