-- wrk helper loaded by feedback-post.lua and summary.lua.
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
