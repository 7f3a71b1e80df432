#!/usr/bin/env bash
# scripts/test.sh: installs what is missing, then builds and runs every test
# twice: a release build (with the oracle comparisons, valgrind, the
# installed-library consumer), and an AddressSanitizer + UndefinedBehavior-
# Sanitizer build, which also runs the lexer's byte-at-a-time loops instead of
# its SSE2 ones (-DGOLEAK_SIMD=OFF), so that both are tested.
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
echo "test.sh: all tests passed (release and ASan+UBSan builds)"
