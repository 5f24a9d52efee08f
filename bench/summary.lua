-- wrk script that only reports: the same summary lines as feedback-post.lua, for plain GETs
-- (pass the token with -H "Authorization: Bearer ...").
-- Offered load when PACE_MS is set (pace.lua, beside this script).
dofile((debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./") .. "pace.lua")

done = function(summary, latency, requests)
  io.write(string.format("requests=%d duration_s=%.1f rps=%.0f non2xx=%d errors_connect=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s_ms=%.2f\n", p, latency:percentile(p) / 1000))
  end
end
