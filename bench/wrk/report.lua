-- Shared by every bench script: done() writes wrk's summary as one JSON object to $BENCH_OUT.
-- Latencies are in microseconds. errors.status counts responses with a status >= 400.
-- "q" is the latency distribution as [percentile, latency] pairs (1 % steps up to 90, 0.1 % up to 99, then
-- 0.01 %), so that bench/run can merge several windows into one distribution and read its p50 and p99.
function bench_report(summary, latency, extra)
  local e = summary.errors
  local q = {}
  local function add(p) q[#q + 1] = string.format("[%g,%d]", p, latency:percentile(p)) end
  for i = 1, 89 do add(i) end
  for i = 900, 989 do add(i / 10) end
  for i = 9900, 9999 do add(i / 100) end
  q[#q + 1] = string.format("[100,%d]", latency.max)
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,"q":[%s]%s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    table.concat(q, ","), extra or ""))
  f:close()
end

function done(summary, latency, requests)
  bench_report(summary, latency)
end

-- Each thread's number, 0 to threads - 1, as the global "index" in its own Lua state (for scripts that share lines
-- out among the threads). A script that defines a setup of its own replaces this one (create-agent.lua).
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end
