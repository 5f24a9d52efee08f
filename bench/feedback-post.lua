-- wrk script: POST /api/feedback with a bearer token from the TOKEN environment variable.
-- Each request carries a different text so nothing downstream can short-cut on duplicates.
-- Offered load when PACE_MS is set (pace.lua, beside this script).
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./") .. "pace.lua")

local token = os.getenv("TOKEN")
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local body = string.format('{"text":"Benchmark feedback %d: the pace of week %d was hard to follow","lectureId":"bench-%d"}',
    counter, counter % 12, counter % 40)
  return wrk.format(nil, nil, nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d duration_s=%.1f rps=%.0f non2xx=%d errors_connect=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s_ms=%.2f\n", p, latency:percentile(p) / 1000))
  end
end
