#!/usr/bin/env bash
# scripts/setup.sh: installs the Debian packages libgoleak needs to build and
# test, when they are missing (apt-get update first). Needs root or sudo.
set -euo pipefail

PACKAGES=(
  gcc make cmake pkg-config clang-format  # build and style
  libutf8proc-dev                         # Unicode letters and digits (lexer)
  libcmocka-dev valgrind                  # tests
  python3 python3-jsonschema              # CLI and fixture tests, SARIF schema validation
  golang-go golang-1.19-src               # Go's own scanner and parser as test oracles
  libpcre2-dev libyaml-dev                # rule packs
  swig python3-dev liblua5.4-dev lua5.4   # bindings: Python and Lua 5.4
  luajit libluajit-5.1-dev                #   LuaJIT (Neovim's Lua)
  python3-distributed git                 #   the examples' tests (Dask cluster, staged files)
  chromium python3-yaml                   # the html report in a headless browser; YAML snippets
  man-db groff-base                       # the manual page rendered
  clang libclang-rt-14-dev                # fuzzers (libFuzzer, scripts/fuzz.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
