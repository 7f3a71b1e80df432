#!/usr/bin/env python3
"""A pre-commit style leak check: scans the Go files a commit changes as
`goleak scan` does (the built-in rules and the shipped rule packs), plus a
rule written here in Python, and prints one SARIF 2.1.0 log written by the
library. Exit status as the command's: 0 no findings, 1 findings, 2 a file
could not be checked.

usage: precommit.py [FILE...]
With no FILE, the Go files staged in git (added, copied or modified) are
checked; pre-commit passes the changed files as arguments.

    # .pre-commit-config.yaml
    - repo: local
      hooks:
        - id: goleak
          name: goleak
          entry: python3 examples/python/precommit.py
          language: system
          types: [go]
"""
import subprocess
import sys
import warnings

import goleak

DIALS = (("net", "Dial"), ("net", "DialTimeout"), ("crypto/tls", "Dial"))


def conn_not_closed(check):
    """PY100: a connection from net.Dial (DialTimeout, tls.Dial) not closed
    on some path out of the function: its socket and buffers stay until the
    process exits. Closing it (or a defer that does), passing it to a call,
    or returning it or the error hands it on."""
    for call in check.unit.root.walk():
        if call.kind != "call" or not any(check.call_is(call, pkg, f) for pkg, f in DIALS):
            continue
        stmt = call.ancestor("assign")
        target = check.value_target(call.parent) if call.parent.kind == "expr" else None
        if stmt is None or target is None or target.kind != "var":
            continue
        conn = target.first.text

        def releases(c):
            return c.text.startswith(conn + ".Close(") or any(
                a.role == "arg" and a.text == conn for a in c.children)

        result, at = check.release_path(
            stmt, release=releases,
            hands_off=lambda ret: any(x.text in (conn, "err") for x in ret.children))
        if result != "released":
            where = f"the {result} at line {at.line}" if result != "end" else "the function's end"
            check.report(call, f"connection `{conn}` is not closed before {where}; "
                               f"add `defer {conn}.Close()` after checking the error")


def changed_go_files():
    out = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=ACM"],
                         capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if p.endswith(".go")]


def main(argv):
    files = [p for p in argv if p.endswith(".go")] if argv else changed_go_files()
    engine = goleak.Engine()  # the built-in rules and the shipped packs, as goleak scan
    engine.add_rule("PY100", "conn-not-closed", conn_not_closed, severity="error",
                    summary="a network connection not closed on every path",
                    triggers="import:net,import:crypto/tls")
    writer = goleak.Writer("sarif", engine, file=sys.stdout)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", goleak.ScanWarning)  # printed below, as goleak does
        scan = engine.scan(files, writer=writer)
        for _ in scan:
            pass
    writer.finish(scan.successful)
    for n in scan.notices:
        print(n if n.line else f"goleak: {n.message}", file=sys.stderr)
    return scan.exit_status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
