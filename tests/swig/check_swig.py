#!/usr/bin/env python3
"""The public header stays wrappable: SWIG (Python and Lua) reads
tests/swig/header.i with every warning an error, and every function the
header declares (GOLEAK_API ... goleak_x(...)) has a wrapper in the
generated code: SWIG drops a function silently when, for one, it shares its
name with an enum tag.

usage: check_swig.py SWIG INCLUDE_DIR BUILD_INCLUDE_DIR OUT_DIR"""
import os
import re
import subprocess
import sys
import unittest

SWIG, INC, BUILD_INC, OUT = (None,) * 4
HERE = os.path.dirname(os.path.abspath(__file__))


def header_functions():
    with open(os.path.join(INC, "goleak.h"), encoding="utf-8") as fh:
        text = fh.read()
    return sorted(set(re.findall(r"GOLEAK_API\b[^;(]*?\b(goleak_\w+)\s*\(", text)))


class Swig(unittest.TestCase):
    def wrap(self, lang):
        out = os.path.join(OUT, f"goleak_header_{lang}.c")
        cmd = [SWIG, f"-{lang}", "-Wall", "-Werror", "-I" + INC, "-I" + BUILD_INC, "-o", out,
               os.path.join(HERE, "header.i")]
        p = subprocess.run(cmd, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, f"{' '.join(cmd)}:\n{p.stdout}{p.stderr}")
        with open(out, encoding="utf-8") as fh:
            code = fh.read()
        funcs = header_functions()
        self.assertGreater(len(funcs), 100)
        missing = [f for f in funcs if not re.search(r"_wrap_" + f + r"\b", code)]
        self.assertFalse(missing, f"{lang}: functions SWIG did not wrap: {missing}")

    def test_python(self):
        self.wrap("python")

    def test_lua(self):
        self.wrap("lua")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    SWIG, INC, BUILD_INC, OUT = sys.argv[1:]
    unittest.main(argv=[sys.argv[0], "-v"])
