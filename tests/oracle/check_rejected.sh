#!/usr/bin/env bash
# check_rejected.sh GOLEAK DIR...: for every .go file below the DIRs that Go's
# parser rejects (the goskel oracle prints ERROR), goleak must report an
# error with a position (path:line:col: on stderr) and must not crash.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: check_rejected.sh GOLEAK DIR..." >&2; exit 2; }
goleak=$1; shift
oracles=$(cd "$(dirname "$0")/../../../shared/oracles" && pwd)
bin=${TMPDIR:-/tmp}/goleak-oracles
mkdir -p "$bin"
if [ ! -x "$bin/goskel" ] || [ "$oracles/goskel/main.go" -nt "$bin/goskel" ]; then
  (cd "$oracles/goskel" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$bin/goskel" .)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
find -L "$@" -type f -name '*.go' -print0 | sort -z |
  xargs -0 -n 500 "$bin/goskel" 2>/dev/null | awk '/^== /{f=substr($0,4)} /^ERROR$/{print f}' >"$work/rejected" || true
n=0 bad=0
while IFS= read -r f; do
  n=$((n + 1))
  set +e
  "$goleak" dump --skeleton "$f" >/dev/null 2>"$work/err"
  rc=$?
  set -e
  if [ $rc -ge 128 ] || [ $rc -eq 0 ] || ! grep -qE "^$(printf '%s' "$f" | sed 's/[][\.*^$]/\\&/g'):[0-9]+:[0-9]+: " "$work/err"; then
    echo "no positioned error (exit $rc): $f"
    bad=$((bad + 1))
  fi
done <"$work/rejected"
echo "$n files rejected by Go, $bad without a positioned error from goleak"
[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
