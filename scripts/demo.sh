#!/usr/bin/env bash
# scripts/demo.sh: installs what is missing, builds goleak and runs it on the
# bundled examples (one small program per rule).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
set +e
build/goleak scan examples/
status=$?
set -e
# 1 means findings: what the examples are for
[ "$status" -le 1 ] || exit "$status"
