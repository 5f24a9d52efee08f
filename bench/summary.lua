-- wrk script that only reports: the same summary lines as feedback-post.lua, for plain GETs
-- (pass the token with -H "Authorization: Bearer ...").
-- Offered load: with PACE_MS set, each connection waits a random, exponentially distributed time with that
-- mean before each request, so C connections offer a Poisson stream of C * 1000 / PACE_MS requests per second
-- (open loop while answers are much faster than the pace). Unset: closed loop, as fast as answers come.
local pace = tonumber(os.getenv("PACE_MS") or "0")
if pace > 0 then
  -- Each wrk thread has its own Lua state: seed each differently (the address of a fresh table).
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000003)
  delay = function()
    return math.floor(-pace * math.log(1 - math.random()))
  end
end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d duration_s=%.1f rps=%.0f non2xx=%d errors_connect=%d errors_timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s_ms=%.2f\n", p, latency:percentile(p) / 1000))
  end
end
