#!/usr/bin/env bash
# run.sh BUILD_DIR: installs the build into a temporary prefix, then builds
# count_funcs.c against the installed library twice, with pkg-config and with
# CMake's find_package (shared and static), and runs each on sample.go.
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name libgoleak.pc | head -1)
[ -n "$pc" ] || { echo "libgoleak.pc not installed"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
want="3 functions"

# pkg-config, as the README shows it
export PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$here/count_funcs.c" -o "$work/count_pc" \
  $(pkg-config --cflags --libs libgoleak) -Wl,-rpath,"$libdir"
out=$("$work/count_pc" "$here/sample.go")
echo "pkg-config consumer: $out"
[[ $out == "$want"* ]]

# CMake find_package, shared and static
cmake -S "$here/cmake" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
for exe in count_shared count_static; do
  out=$("$work/cmake/$exe" "$here/sample.go")
  echo "find_package consumer ($exe): $out"
  [[ $out == "$want"* ]]
done
# the static one must not need the shared library at run time
! ldd "$work/cmake/count_static" | grep -q libgoleak

# the command, its manual page and its bash completion
"$prefix/bin/goleak" --version | grep -q '^goleak '
man -l "$prefix/share/man/man1/goleak.1" 2>&1 | grep -q -- '--new-from-rev'
echo "installed: bin/goleak, share/man/man1/goleak.1, share/bash-completion/completions/goleak"
bash -c "source '$prefix/share/bash-completion/completions/goleak'
  COMP_WORDS=(goleak scan --format ''); COMP_CWORD=3; _goleak; echo \"\${COMPREPLY[*]}\"" |
  grep -q 'rdjsonl checkstyle github gcc html'
