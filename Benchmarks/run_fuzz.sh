#!/usr/bin/env bash
# Coverage-guided fuzzing of Finch's readers of untrusted files (issue 10):
#   FuzzSafetensors    the safetensors header parser and the tensor reads it allows
#   FuzzTokenizerJSON  tokenizer.json loading, then encoding with what loaded
#   FuzzCSV            the delimited-text readers: labelled texts (CSV/TSV/JSONL) and ratings files
# Builds the separate package in Benchmarks/Fuzz (libFuzzer and AddressSanitizer through
# the Swift toolchain's -sanitize=fuzzer,address; never part of `swift build` or CI) and
# runs each harness for a fixed number of inputs, seeded from Tests/Fixtures.
#
#   Benchmarks/run_fuzz.sh [RUNS] [TARGET...]     default: 200000 runs, all three targets
#
# A crash stops that target and leaves the input in .build/fuzz/artifacts/; turn it into a
# regression test, fix it, and rerun. The summary lines are what BENCHMARKS.md records.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-200000}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzSafetensors FuzzTokenizerJSON FuzzCSV)

cd "$root/Benchmarks/Fuzz"
# lld: the system's gold linker stops with an internal error on the sanitized objects.
flags=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
swift build -c release "${flags[@]}" 2>&1 | grep -E "error|warning:|Compiling|Build" | tail -5
bin="$(swift build -c release "${flags[@]}" --show-bin-path)"

work="$root/.build/fuzz"
mkdir -p "$work/artifacts"
seed() {  # seed TARGET FILES...: a fresh corpus folder holding the seed files
    local dir="$work/corpus/$1"
    shift
    mkdir -p "$dir"
    cp "$@" "$dir/"
}
seed FuzzSafetensors "$root"/Tests/Fixtures/safetensors/*.safetensors "$root"/Tests/Fixtures/tiny-bert/model.safetensors
seed FuzzTokenizerJSON "$root"/Tests/Fixtures/tokenizers/synthetic/*.json
seed FuzzCSV "$root"/Tests/Fixtures/tiny-sentiment.csv "$root"/Tests/Fixtures/data/*.csv "$root"/Tests/Fixtures/recommend/*.csv

# Longest input per target: a header, a tokenizer.json, a small data file.
declare -A max_len=([FuzzSafetensors]=16384 [FuzzTokenizerJSON]=32768 [FuzzCSV]=4096)

# The driver's copy of argv is still allocated at exit; LeakSanitizer would call that a crash.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
status=0
for target in "${targets[@]}"; do
    log="$work/$target.log"
    set +e
    "$bin/$target" "$work/corpus/$target" -runs="$runs" -max_len="${max_len[$target]}" -timeout=20 -rss_limit_mb=4096 \
        -artifact_prefix="$work/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    done_line="$(grep -E '^Done [0-9]+ runs' "$log" | tail -1)"
    cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -1)"
    crashes="$(ls "$work/artifacts" | grep -c "^$target-" || true)"
    echo "$target: ${done_line:-stopped early (see $log)}; ${cov:-cov: ?}; exit $rc; artifacts: $crashes"
    [ "$rc" -eq 0 ] || status=1
done
exit $status
