-- wrk script for Benchmarks/run_recommend_serve.sh. MODE "recommend": GET a random known user's top 10;
-- MODE "events": POST a batch of BATCH view events of random known users on random items.
-- Prints one JSON line: requests/s, events/s, latency percentiles and errors.
--   wrk -s Benchmarks/recommend_serve_load.lua URL -- MODE KEY LABEL USERS ITEMS BATCH
-- init() runs in each thread's Lua state, done() in the main one: done() reads the settings back from
-- a thread (thread:get), so they are globals.
mode, key, label, users, items, batch = nil, nil, nil, nil, nil, nil
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "recommend"
  key = args[2] or ""
  label = args[3] or "run"
  users = tonumber(args[4] or "100000")
  items = tonumber(args[5] or "10000")
  batch = tonumber(args[6] or "100")
  math.randomseed(os.time() + (wrk.thread and tonumber(tostring(wrk.thread):match("0x(%x+)") or "0", 16) or 0))
  if key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  if mode == "recommend" then
    return wrk.format("GET", "/v1/users/u" .. math.random(0, users - 1) .. "/recommendations?k=10")
  end
  local parts = {}
  for n = 1, batch do
    counter = counter + 1
    local user = "u" .. math.random(0, users - 1)
    parts[n] = '{"user": "' .. user .. '", "item": "i' .. math.random(0, items - 1) .. '", "type": "view"}'
  end
  return wrk.format("POST", "/v1/events", nil, '{"events": [' .. table.concat(parts, ", ") .. ']}')
end

function done(summary, latency, requests)
  mode = threads[1]:get("mode")
  label = threads[1]:get("label")
  batch = threads[1]:get("batch")
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  local per = (mode == "recommend") and 1 or batch
  io.write(string.format(
    '{"label": "%s", "mode": "%s", "requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "events_per_s": %.1f, ' ..
    '"p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, "errors_status": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_timeout": %d}\n',
    label, mode, summary.requests, seconds, summary.requests / seconds, per * summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.timeout))
end
