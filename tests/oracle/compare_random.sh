#!/usr/bin/env bash
# compare_random.sh CLI COMPARE SEED COUNT: writes COUNT random files (a fixed
# seed, so a failure can be reproduced) made of pieces that stress the
# lexer's block scans and error recovery (runs around 16 bytes, NUL, invalid
# and cut UTF-8, quotes, backslashes, comment openers, keywords, end of input
# inside any of them), then compares goleak's tokens with go/scanner's.
set -euo pipefail
cli=$1 compare=$2 seed=$3 count=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" "$seed" "$count" <<'PY'
import os, random, sys
d, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
pieces = [b"a", b"_x9", b"Z", b"\xce\xb1", b"\xe6\x97\xa5", b"\xff", b"\xe2\x80", b"\xc3",
          b"\x00", b" ", b"\t", b"\r", b"\n", b'"', b"\\", b"'", b"`", b"/", b"*", b"//", b"/*",
          b"*/", b"0x1p-2", b"1e", b"1_0", b".5", b"..", b"...", b"continue", b"interface",
          b"fallthrough", b"go", b"func", b"\xef\xbb\xbf", b"x" * 15, b"y" * 16, b"z" * 17,
          b" " * 15, b"\t" * 16, b"{", b"}", b"(", b")", b"[", b"]", b";", b":=", b"<-", b"&^="]
for i in range(count):
    data = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
    with open(os.path.join(d, "r%05d.go" % i), "wb") as f:
        f.write(data)
PY
"$compare" tokens "$cli tokens" "$dir"
