#!/usr/bin/env bash
# compare_comments.sh GOLEAK DIR...: compares `goleak tokens --comments` with
# Go's go/scanner in ScanComments mode (the gotokens oracle's -comments flag)
# on every .go file below the DIRs. compare.sh covers the default mode; this
# covers COMMENT tokens and how they interleave with automatic semicolons.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: compare_comments.sh GOLEAK DIR..." >&2; exit 2; }
goleak=$1; shift
oracles=$(cd "$(dirname "$0")/../../../shared/oracles" && pwd)
bin=${TMPDIR:-/tmp}/goleak-oracles
mkdir -p "$bin"
if [ ! -x "$bin/gotokens" ] || [ "$oracles/gotokens/main.go" -nt "$bin/gotokens" ]; then
  (cd "$oracles/gotokens" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$bin/gotokens" .)
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
find -L "$@" -type f -name '*.go' -print0 | sort -z >"$work/files"
n=$(tr -cd '\0' <"$work/files" | wc -c)
xargs -0 -n 500 "$bin/gotokens" -comments <"$work/files" >"$work/want" 2>/dev/null || true
xargs -0 -n 500 "$goleak" tokens --comments <"$work/files" >"$work/got" 2>/dev/null || true
if cmp -s "$work/want" "$work/got"; then
  echo "$n files, comment token streams identical"
  exit 0
fi
echo "comment token streams differ:"
diff "$work/want" "$work/got" | head -20
exit 1
