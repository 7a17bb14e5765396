-- Shared by every wrk run of bench/throughput.py: prints one JSON line with the figures.
local body = os.getenv("WRK_BODY")
local counter = 0
if body then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

request = function()
  if body then
    counter = counter + 1
    -- A different description each time, as real tickets have.
    local text = string.format(body, counter * 7919 + math.random(1, 1000000))
    return wrk.format(nil, nil, nil, text)
  end
  return wrk.format()
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, '
      .. '"p99_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
