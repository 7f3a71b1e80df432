#!/usr/bin/env bash
# scripts/fuzz.sh NAME SECONDS: runs one fuzzer (lexer, parser, check or
# gomod) for real with libFuzzer, built by clang with ASan and UBSan in
# build-fuzz/, at low priority. It starts from the saved corpus
# (tests/fuzz/corpus/NAME) and the seeds (examples and fixtures), writes any
# crash input into the saved corpus (crash-*), and at the end merges into it
# the new inputs that reach code the saved corpus does not. The replay
# tests (ctest -R fuzz_replay) then run them all in every build. One fuzzer
# at a time: each takes a core.
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,9p' "$0"; exit 2; }
name=$1 secs=$2
case $name in lexer | parser | check | gomod) ;; *) echo "fuzz.sh: no fuzzer \"$name\"" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."
scripts/setup.sh
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOLEAK_FUZZ=ON \
  -DGOLEAK_SANITIZE=ON >/dev/null
nice -n 15 cmake --build build-fuzz -j2 --target "fuzz_$name" >/dev/null
saved=tests/fuzz/corpus/$name
work=build-fuzz/corpus/$name
mkdir -p "$work" "$saved" build-fuzz/logs
seeds=()
if [ "$name" != gomod ]; then
  seeds=(examples tests/oracle/syntax tests/oracle/lexer tests/fixtures/GL*)
fi
log=build-fuzz/logs/$name-$(date +%Y%m%d-%H%M%S).log
set +e
nice -n 15 "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=20 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$saved/" \
  "$work" "$saved" "${seeds[@]}" 2>"$log"
rc=$?
set -e
# The saved corpus becomes the smallest set of inputs that reaches every
# edge the saved and the new inputs reach (-use_counters=0: edges, not hit
# counts), plus every input named by hand or by a crash (crash-*), which
# always stay. The whole work corpus stays in build-fuzz for the next run.
merged=build-fuzz/merge-$name
rm -rf "$merged"
mkdir -p "$merged"
nice -n 15 "build-fuzz/tests/fuzz/fuzz_$name" -merge=1 -use_counters=0 -artifact_prefix=build-fuzz/ \
  "$merged" "$saved" "$work" 2>>"$log" >/dev/null || true
if [ -n "$(ls "$merged")" ]; then
  find "$saved" -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' -delete
  cp -n "$merged"/* "$saved"/
fi
# (awk, not head: with pipefail, a grep cut short by head would end the script)
execs=$(awk '/stat::number_of_executed_units:/ {n = $2} END {print n}' "$log")
cov=$(awk '/^#[0-9]+.* cov: / && !over {last = $0} /^Done [0-9]+ runs/ {over = 1}
           END {match(last, /cov: [0-9]+ ft: [0-9]+/); print substr(last, RSTART, RLENGTH)}' "$log")
echo "fuzz.sh: $name: ${secs}s, ${execs:-?} executions, ${cov:-no coverage line}, exit $rc" \
     "(log $log; saved corpus: $(find "$saved" -type f ! -name '.*' | wc -l) inputs)"
exit $rc
