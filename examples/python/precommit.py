#!/usr/bin/env python3
"""A pre-commit style leak check: scans the Go files a commit changes with
goleak's built-in rules and a rule written here in Python, and prints one
SARIF 2.1.0 log. Exit status: 0 no findings, 1 findings, 2 a file could not
be checked.

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
import json
import os
import subprocess
import sys

import goleak

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goleak_sarif import sarif_log  # noqa: E402


def http_body_not_closed(check):
    """PY100: the body of an http.Get/Post/Head response not closed on some
    path out of the function. A return of the response or of the error hands
    it to the caller; `defer resp.Body.Close()` releases it on every path."""
    for call in check.unit.root.walk():
        if call.kind != "call" or not any(check.call_is(call, "net/http", f)
                                          for f in ("Get", "Post", "Head")):
            continue
        stmt = call.ancestor("assign")
        target = check.value_target(call.parent) if call.parent.kind == "expr" else None
        if stmt is None or target is None or target.kind != "var":
            continue
        resp = target.first.text
        result, at = check.release_path(
            stmt,
            release=lambda c: c.text.startswith(resp + ".Body.Close("),
            hands_off=lambda ret: any(x.text in (resp, "err") for x in ret.children))
        if result != "released":
            where = f"the {result} at line {at.line}" if result != "end" else "the function's end"
            check.report(call, f"the body of `{resp}` is not closed before {where}; "
                               f"add `defer {resp}.Body.Close()` after checking the error")


def changed_go_files():
    out = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=ACM"],
                         capture_output=True, text=True, check=True).stdout
    return [p for p in out.splitlines() if p.endswith(".go")]


def main(argv):
    files = [p for p in argv if p.endswith(".go")] if argv else changed_go_files()
    engine = goleak.Engine()
    engine.add_rule("PY100", "http-body-not-closed", http_body_not_closed, severity="error",
                    summary="an HTTP response body not closed on every path",
                    triggers="import:net/http")
    findings, errors = [], []
    for path in files:
        try:
            findings.extend(engine.check_file(path))
        except goleak.Error as err:
            errors.append((path, str(err)))
    json.dump(sarif_log(engine, findings, errors), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 2 if errors else 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
