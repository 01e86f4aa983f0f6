-- Shared by every bench script: done() writes wrk's summary as one JSON object to $BENCH_OUT.
-- Latencies are in microseconds. errors.status counts responses with a status >= 400.
function bench_report(summary, latency, extra)
  local e = summary.errors
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f%s}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    extra or ""))
  f:close()
end

function done(summary, latency, requests)
  bench_report(summary, latency)
end
