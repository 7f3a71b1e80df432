#!/usr/bin/env python3
"""The re-expressions of built-in rules as packs (rules/examples/): on each
built-in rule's fixtures, the pack rule reports the same lines as the
built-in one except exactly those that rules/README.md lists, table
"Re-expressions of built-in rules".

usage: test_reexpressions.py GOLEAK"""
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLEAK = None


def lines(*args):
    p = subprocess.run([GOLEAK, "scan", "--no-default-packs", "--no-config", *args],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode not in (0, 1):
        raise AssertionError(f"goleak {' '.join(args)}: {p.returncode} {p.stderr}")
    return {":".join(l.split(":")[:2]) for l in p.stdout.splitlines()}


def documented():
    with open(os.path.join(ROOT, "rules", "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    table = text.split("<!-- reexpression-differences: begin -->")[1].split(
        "<!-- reexpression-differences: end -->")[0]
    out = {}
    for row in table.splitlines():
        m = re.match(r"\| (GL\d{3}) \| `([^`]+)` \| (pack only|built-in only) \| .+ \|$", row)
        if m:
            out.setdefault(m.group(1), set()).add((m.group(2), m.group(3)))
    return out


class Reexpressions(unittest.TestCase):
    def check(self, rule):
        fixtures = os.path.join("tests", "fixtures", rule)
        pack = os.path.join("rules", "examples", rule.lower() + ".yml")
        builtin = lines("--rules", rule, fixtures)
        packed = lines("--pack", pack, "--rules", "X-" + rule, fixtures)
        self.assertTrue(builtin, f"{rule}: the built-in rule finds nothing on its fixtures")
        got = {(l, "built-in only") for l in builtin - packed} | {(l, "pack only") for l in packed - builtin}
        self.assertEqual(sorted(got), sorted(documented().get(rule, set())),
                         f"{rule}: the differences are not those rules/README.md lists")
        # most lines agree
        self.assertGreater(len(builtin & packed), len(got))

    def test_gl005(self):
        self.check("GL005")

    def test_gl015(self):
        self.check("GL015")

    def test_gl018(self):
        self.check("GL018")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    GOLEAK = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], "-v"], verbosity=2)
