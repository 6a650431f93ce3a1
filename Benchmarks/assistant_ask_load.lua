-- wrk script for Benchmarks/run_assistant_serve.sh: POSTs questions to PATH (an /ask route) with a
-- bearer key, cycling through ten questions written as customers ask them, each connection its own
-- session; prints one JSON line with requests/s, latency percentiles and errors.
--   wrk -s Benchmarks/assistant_ask_load.lua URL -- PATH KEY LABEL
-- init() runs in each thread's Lua state, done() in the main one: done() reads the label back from a
-- thread (thread:get), so it is a global.
local path, key
label = nil
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end
local questions = {
  "my computer will not turn on",
  "how can I make my laptop faster",
  "what is artificial intelligence",
  "do you like football",
  "the screen stays black when I boot",
  "how do I get rid of a virus",
  "can you recommend a good book",
  "what does a CPU do",
  "where can I buy a cheap phone",
  "I forgot the password of my email",
}
local counter = 0

function init(args)
  path = args[1]
  key = args[2] or ""
  label = args[3] or "run"
end

function request()
  counter = counter + 1
  local q = questions[(counter % #questions) + 1]
  local headers = {["Content-Type"] = "application/json"}
  if key ~= "" then headers["Authorization"] = "Bearer " .. key end
  return wrk.format("POST", path, headers, '{"query": "' .. q .. '", "session": "bench-' .. tostring(counter % 64) .. '"}')
end

function done(summary, latency, requests)
  label = threads[1]:get("label") or "run"
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"label": "%s", "requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "errors_status": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_timeout": %d}\n',
    label, summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
