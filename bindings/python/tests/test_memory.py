"""Ownership across the boundary: 10,000 distinct sources parsed, walked
(tokens, comments, nodes, cursors), checked by the built-in rules, the
shipped packs, a pack loaded from a string and a rule written in Python,
with findings read and written (SARIF, by the library's writer), errors
raised (failing rules, missing files, packs that do not load) and engines
created and freed, while resident memory must stop growing: after a warm-up
of 2,000 sources, the last 8,000 may add at most LIMIT_KIB.

usage: test_memory.py [COUNT]   (PYTHONPATH holds the built package)"""
import ctypes
import gc
import os
import sys
import unittest

import goleak

COUNT = 10000
WARMUP = 2000
LIMIT_KIB = 2048  # a unit not freed costs several KiB: 8,000 of them, tens of MiB

TEMPLATE = """package p{i}

import (
\t"sync"
\t"time"
)

// worker{i} leaks a ticker and a lock
func worker{i}(mu *sync.Mutex, done chan struct{{}}) int {{
\ttk := time.NewTicker({i} * time.Millisecond)
\tmu.Lock()
\tif len(done) > {i} {{
\t\treturn {i}
\t}}
\tmu.Unlock()
\tgo func() {{ <-tk.C }}()
\ts := "{text}"
\treturn len(s)
}}
"""


_LIBC = ctypes.CDLL(None)


def rss_kib():
    # Free heap pages glibc keeps for reuse are not memory anyone holds: give
    # them back first, so that what is measured is what stays allocated (the
    # SARIF documents written here, 150 KB each, otherwise leave holes whose
    # size depends on the order of allocations, not on a leak).
    _LIBC.malloc_trim(0)
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def go_statements(check):
    for n in check.unit.root.walk():
        if n.kind == "go":
            check.report(n, f"go statement in {check.unit.path}")


def failing(check):
    raise RuntimeError("rule failure " + check.unit.path)


PACK = """format: 1
name: memory
rules:
  - id: MEM001
    name: lock-call
    summary: a Lock call
    message: "$M.Lock() called"
    match: $M.Lock()
"""
BAD_PACK = PACK.replace("MEM001", "BAD001").replace("lock-call", "bad-regex").replace(
    "match: $M.Lock()", "match:\n      pattern: $M.Lock()\n      where:\n"
    "        - metavariable: $M\n          regex: \"(unclosed\"")


def new_engine():
    e = goleak.Engine()  # the shipped packs too
    e.add_rule("PY001", "go-statement", go_statements, triggers="go")
    e.load_pack_string(PACK, "memory.yml")
    return e


class Memory(unittest.TestCase):
    def test_rss_stops_growing(self):
        engine = new_engine()
        bad = goleak.Engine(builtin=False)
        bad.add_rule("PY002", "fails", failing)
        totals = {"tokens": 0, "nodes": 0, "findings": 0, "errors": 0, "written": 0}
        base = None
        for i in range(COUNT):
            src = TEMPLATE.format(i=i, text="x" * (i % 97))
            unit = goleak.parse(src, f"m{i}.go")
            totals["tokens"] += sum(1 for t in unit.tokens if t.text)
            totals["nodes"] += sum(1 for n in unit.root.walk() if n.kind)
            _ = [c.text for c in unit.comments], list(unit.diagnostics)
            found = engine.check(unit, go_version="1.22")
            totals["findings"] += len(found)
            _ = [f.to_dict() for f in found], [repr(f) for f in found]
            if i % 10 == 0:
                try:
                    bad.check(unit)
                except goleak.RuleError as err:
                    totals["errors"] += isinstance(err.__cause__, RuntimeError)
                try:
                    goleak.parse_file(f"/nonexistent/{i}.go")
                except goleak.Error:
                    totals["errors"] += 1
                try:
                    engine.load_pack_string(BAD_PACK, f"bad{i}.yml")
                except goleak.PackError as err:
                    totals["errors"] += err.line == 12
                writer = goleak.Writer("sarif", engine)
                engine.check(unit, go_version="1.22", writer=writer)
                writer.add_error(unit.path, "a notice", 1, 1)
                writer.finish()
                totals["written"] += writer.output().count('"ruleId"')
            if i % 100 == 0:
                engine = new_engine()  # the old one, and its Python rule, freed
            if i + 1 == WARMUP:
                gc.collect()
                base = rss_kib()
        gc.collect()
        end = rss_kib()
        growth = end - base
        print(f"python memory: {COUNT} sources, {totals['tokens']} tokens, {totals['nodes']} nodes, "
              f"{totals['findings']} findings, {totals['errors']} errors, {totals['written']} "
              f"findings written; RSS {base} KiB after "
              f"{WARMUP}, {end} KiB after {COUNT}: {growth:+d} KiB (limit {LIMIT_KIB})",
              file=sys.stderr)
        self.assertEqual(totals["findings"], COUNT * 4)  # GL010, GL015, PY001, MEM001
        self.assertEqual(totals["errors"], 3 * COUNT // 10)
        self.assertEqual(totals["written"], 4 * COUNT // 10)
        self.assertLess(growth, LIMIT_KIB)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        COUNT = int(sys.argv.pop(1))
    unittest.main()
