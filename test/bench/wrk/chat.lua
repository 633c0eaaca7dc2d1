-- wrk script for `pnpm bench`: POST /v1/chat/completions with the body every target gets, closed loop or at a fixed
-- rate, ending with one JSON line of figures on stdout (wrk.ts reads the last line that starts with "{").
-- `wrk -s chat.lua URL -- KEY MODEL STREAM RATE THREADS`: STREAM is "true" or "false"; RATE 0 means closed loop
-- (every connection sends again as soon as its answer is in), otherwise the requests/s all THREADS send together.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local monotonic = 1
local ts = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(monotonic, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- wrk calls delay() before each request of a connection (the first one included) and waits that many ms before
-- writing it. The thread keeps one schedule, a slot every interval_ms, and each request takes the next slot: the rate
-- then holds whatever the latency, as long as some connection is free when a slot comes; one that falls behind
-- sends at once until it has caught up. Latency is timed from the write, not from the slot (see the README).
local function paced(interval_ms)
  local next_due = nil
  return function()
    local t = now_ms()
    next_due = (next_due or t) + interval_ms
    local wait = next_due - t
    return wait > 0 and math.floor(wait + 0.5) or 0
  end
end

function init(args)
  local key, model, stream, rate, threads = args[1], args[2], args[3], tonumber(args[4]), tonumber(args[5])
  wrk.method = "POST"
  wrk.headers["authorization"] = "Bearer " .. key
  wrk.headers["content-type"] = "application/json"
  -- The body the benchmark has always sent, built by hand: wrk has no JSON encoder.
  wrk.body = '{"model":"' .. model .. '","messages":['
    .. '{"role":"system","content":"You are a concise assistant for a B2B SaaS product."},'
    .. '{"role":"user","content":"Summarise the status of ticket 4711 in one sentence, please."}],'
    .. '"max_tokens":64,"stream":' .. stream .. '}'
  -- wrk checks for delay() after init(): closed loop goes without one, as a timer per request costs wrk CPU.
  if rate > 0 then delay = paced(threads * 1000 / rate) end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
