-- wrk script for Benchmarks/run_serve.sh: POSTs one ~15-token sentence to PATH (embed or classify)
-- with a bearer key, and prints one JSON line with requests/s, latency percentiles and errors.
--   wrk -s Benchmarks/serve_load.lua URL -- PATH MODEL KEY LABEL
local path, model, key, label

function init(args)
  path = args[1] or "/v1/embed"
  model = args[2] or "minilm"
  key = args[3] or ""
  label = args[4] or "run"
  wrk.method = "POST"
  wrk.path = path
  wrk.headers["Content-Type"] = "application/json"
  if key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
  wrk.body = '{"model": "' .. model .. '", "inputs": ["The delivery arrived two days late and the box was badly damaged."]}'
end

function done(summary, latency, requests)
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
