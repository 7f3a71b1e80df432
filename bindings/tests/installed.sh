#!/usr/bin/env bash
# installed.sh BUILD_DIR PYTHON PY_INSTALL_DIR LUA54 LUAJIT: installs the build
# into a temporary prefix, then imports the installed bindings from there
# (not from the build tree) and checks a file with each; each must load the
# shipped rule packs installed in that prefix. With the default prefix, the
# Python package's directory must be the interpreter's platlib.
set -euo pipefail
build=$(cd "$1" && pwd); python=$2; pydir=$3; lua54=${4:-}; luajit=${5:-}
here=$(cd "$(dirname "$0")" && pwd); src=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
unset GOLEAK_RULES_DIR
cmake --install "$build" --prefix "$work/prefix" >/dev/null
datadir=$(sed -n 's/^CMAKE_INSTALL_DATADIR:PATH=//p' "$build/CMakeCache.txt")
packs=$work/prefix/${datadir:-share}/goleak/rules/resources.yml
[ -f "$packs" ] || { echo "FAIL: no $packs"; exit 1; }
sample=$src/examples/gl015_ticker_not_stopped.go
prefix_default=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
platlib=$("$python" -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
case $pydir in
  /*) echo "python install dir is absolute: $pydir"; pkgdir=$pydir ;;
  *) pkgdir=$work/prefix/$pydir
     if [ "$prefix_default" = /usr/local ] && [ "/usr/local/$pydir" != "$platlib" ]; then
       echo "FAIL: /usr/local/$pydir is not $python's platlib $platlib"; exit 1
     fi ;;
esac
passed=0
out=$(cd "$work" && PYTHONPATH=$pkgdir "$python" -c '
import sys, goleak
assert goleak.__file__.startswith(sys.argv[1]), goleak.__file__
e = goleak.Engine()
print(goleak.__version__, [f.rule for f in e.check_file(sys.argv[2])], e["GL030"].origin_path)' \
  "$pkgdir" "$sample")
echo "installed python ($pkgdir): $out"
[[ $out == *"['GL015'] $packs" ]] || { echo "FAIL: python"; exit 1; }; passed=$((passed + 1))
for pair in "$lua54:lua/5.4" "$luajit:lua/5.1"; do
  interp=${pair%%:*}; dir=$work/prefix/lib/${pair##*:}
  [ -n "$interp" ] || continue
  [ -f "$dir/goleak.so" ] || { echo "FAIL: no $dir/goleak.so"; exit 1; }
  out=$(cd "$work" && SAMPLE=$sample LUA_CPATH="$dir/?.so" "$interp" -e '
local g = require "goleak"
local e = g.engine()
local f = e:check_file(os.getenv("SAMPLE"))
print(g.version, f[1].rule, e:rule("GL030").origin_path)')
  echo "installed $interp ($dir): $out"
  [[ $out == *"GL015	$packs" ]] || { echo "FAIL: $interp"; exit 1; }; passed=$((passed + 1))
done
echo "installed bindings: $passed passed, 0 failed"
