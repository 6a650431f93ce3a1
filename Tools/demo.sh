#!/usr/bin/env bash
# Builds Finch (release) and runs its main job; for now a demo that trains a small network
# end to end and prints its loss falling. Installs OpenBLAS first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/bootstrap.sh
swift build -c release --product finch >&2
exec .build/release/finch demo "$@"
