#!/usr/bin/env bash
# compare_depth.sh GOLEAK: the parser's nesting limit against go/parser's.
# depth/ finds, for each shape of nesting (parentheses, calls, chains,
# types, blocks, else-if chains, labels...), the largest repetition Go's
# parser accepts; goleak must accept the file at that size and report
# "exceeded max nesting depth" one repetition later. Shapes Go does not
# count (nested untyped composite literals) must not crash goleak, which
# counts them apart with the same limit.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: compare_depth.sh GOLEAK" >&2; exit 2; }
goleak=$1
here=$(cd "$(dirname "$0")" && pwd)
bin=${TMPDIR:-/tmp}/goleak-oracles
mkdir -p "$bin"
if [ ! -x "$bin/depth" ] || [ "$here/depth/main.go" -nt "$bin/depth" ]; then
  (cd "$here/depth" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$bin/depth" .)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$bin/depth" "$work" >"$work/limits"
same=0 differ=0
for f in "$work"/*.go; do
  set +e
  "$goleak" dump --skeleton "$f" >/dev/null 2>"$work/err"
  rc=$?
  set -e
  deep=0
  grep -q "exceeded max nesting depth" "$work/err" && deep=1
  case $f in
    *.ok.go) want=0 ;;
    *.over.go) want=1 ;;
    *) want=$deep ;; # Go has no limit there: either is right, a crash is not
  esac
  if [ $rc -ge 128 ] || [ $deep -ne $want ]; then
    echo "differs (exit $rc, nesting error $deep, want $want): $(basename "$f")"
    head -c 300 "$work/err"
    differ=$((differ + 1))
  else
    same=$((same + 1))
  fi
done
echo "$(wc -l <"$work/limits") shapes; $same files agree with go/parser, $differ differ"
[ "$differ" -eq 0 ] && [ "$same" -gt 60 ]
