#!/bin/sh
# The libraries define no global symbol outside the goleak_ prefix: nm over
# the static archive and the shared library (the ABI version node of the
# linker script, GOLEAK_0, is not a symbol of ours to rename).
# usage: check_symbols.sh LIBGOLEAK.a LIBGOLEAK.so
set -eu
status=0
for lib in "$@"; do
  case $lib in
    *.a) syms=$(nm -g --defined-only "$lib" | awk 'NF == 3 { print $3 }') ;;
    *) syms=$(nm -D --defined-only "$lib" | awk 'NF == 3 && $2 != "A" { print $3 }') ;;
  esac
  total=$(printf '%s\n' "$syms" | grep -c . || true)
  bad=$(printf '%s\n' "$syms" | grep -v '^goleak_' | grep . || true)
  if [ -n "$bad" ]; then
    echo "$lib: global symbols without the goleak_ prefix:"
    printf '  %s\n' $bad
    status=1
  else
    echo "$lib: $total global symbols, all goleak_*"
  fi
  [ "$total" -gt 100 ] || { echo "$lib: only $total symbols: not the library?"; status=1; }
done
exit $status
