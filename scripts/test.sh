#!/usr/bin/env bash
# scripts/test.sh: installs what is missing, then builds and runs every test
# twice: a release build (with the oracle comparisons, valgrind, the
# installed-library consumer), and an AddressSanitizer + UndefinedBehavior-
# Sanitizer build, which also runs the lexer's byte-at-a-time loops instead of
# its SSE2 ones (-DGOLEAK_SIMD=OFF), so that both are tested. Then a
# ThreadSanitizer build runs the tests that use threads: one engine shared by
# four threads, the command's parallel scan, and the parser's own thread for
# deep input (moderately deep: ThreadSanitizer's shadow stack holds 65,536
# frames). The fuzzers' saved inputs replay in every build (they do not
# fuzz here: scripts/fuzz.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGOLEAK_SANITIZE=ON -DGOLEAK_SIMD=OFF
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure -j"$jobs"

cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGOLEAK_TSAN=ON
cmake --build build-tsan -j"$jobs" --target goleak_cli test_hosts test_small_stack
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j"$jobs" \
  -R '^(unit_hosts|cli|small_stack_parse_moderate)$'
echo "test.sh: all tests passed (release, ASan+UBSan and TSan builds)"
