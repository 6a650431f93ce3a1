-- wrk script for Benchmarks/deploy/run.sh: sends METHOD PATH with a bearer key (POSTs carry one
-- ~15-token sentence for MODEL) and prints one JSON line with requests/s, latency percentiles and
-- errors (non-2xx answers and socket errors apart).
--   wrk -s Benchmarks/deploy/load.lua URL -- METHOD PATH MODEL KEY LABEL
local label

function init(args)
  local method, path, model, key = args[1] or "GET", args[2] or "/v1/models", args[3] or "minilm", args[4] or ""
  label = args[5] or "run"
  wrk.method = method
  wrk.path = path
  if key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
  if method == "POST" then
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = '{"model": "' .. model .. '", "inputs": ["The delivery arrived two days late and the box was badly damaged."]}'
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"label": "%s", "requests": %d, "seconds": %.3f, "requests_per_s": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "errors_status": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_timeout": %d}\n',
    label, summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
