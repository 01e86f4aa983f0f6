-- POST /api/agents with a Bearer key (from -H); the server generates the id. Counts 2xx answers per thread
-- so that the rows in the table can be compared with what the clients were told was written.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, other = 0, 0
  wrk.method = "POST"
  wrk.path = "/api/agents"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"name":"bench agent","description":"written by bench/run","model":"bench-1"}'
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_other = total_other + t:get("other")
  end
  bench_report(summary, latency, string.format(',"ok_2xx":%d,"not_2xx":%d', total_ok, total_other))
end
