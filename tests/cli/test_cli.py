#!/usr/bin/env python3
"""Tests of the goleak command: exit statuses, the four output formats (SARIF
validated against the official 2.1.0 schema), directory walking, exclusions,
the file list on stdin, Go versions from go.mod and --go-version, rule
selection and options, suppression comments, unreadable and broken files,
stable output with parallel jobs, and the rules/explain/tokens/dump commands.

usage: test_cli.py GOLEAK SARIF_SCHEMA"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

GOLEAK = None
SCHEMA = None

TICKER = """\
package p

import "time"

func poll() {
	t := time.NewTicker(time.Second)
	for range t.C {
		return
	}
}
"""

AFTER = """\
package p

import "time"

func wait(c chan int) {
	for {
		select {
		case <-c:
		case <-time.After(time.Second):
			return
		}
	}
}
"""

CLEAN = """\
package p

func add(a, b int) int { return a + b }
"""

BROKEN = """\
package p

func f() {
	x := 
}
"""


def run(*args, stdin=None, cwd=None):
    p = subprocess.run([GOLEAK, *args], input=stdin, capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


class Tree:
    """A temporary directory of files: Tree({"a/b.go": "..."})."""

    def __init__(self, files):
        self.root = tempfile.mkdtemp(prefix="goleak_cli_")
        for name, text in files.items():
            path = os.path.join(self.root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)

    def path(self, name=""):
        return os.path.join(self.root, name)

    def close(self):
        shutil.rmtree(self.root)


def jsonl(out):
    return [json.loads(line) for line in out.splitlines()]


class ScanTest(unittest.TestCase):
    def setUp(self):
        self.tree = Tree({
            "ticker.go": TICKER,
            "after.go": AFTER,
            "clean.go": CLEAN,
            "sub/more.go": TICKER,
            "vendor/v.go": TICKER,
            "testdata/t.go": TICKER,
            "_hidden/h.go": TICKER,
            ".dot/d.go": TICKER,
            "notgo.txt": TICKER,
        })

    def tearDown(self):
        self.tree.close()

    def test_exit_status(self):
        self.assertEqual(run("scan", self.tree.path("clean.go"))[0], 0)
        self.assertEqual(run("scan", self.tree.path("ticker.go"))[0], 1)
        self.assertEqual(run(self.tree.path("ticker.go"))[0], 1)  # scan is the default
        code, _, err = run("scan", "--format", "yaml", self.tree.path("clean.go"))
        self.assertEqual(code, 2)
        self.assertIn("unknown format", err)
        self.assertEqual(run("scan", "--bogus", self.tree.path("clean.go"))[0], 2)
        self.assertEqual(run("scan")[0], 2)
        self.assertEqual(run("scan", "--rules", "GL999", self.tree.path("clean.go"))[0], 2)
        self.assertEqual(run("scan", "--go-version", "banana", self.tree.path("clean.go"))[0], 2)
        self.assertEqual(run("scan", "--jobs", "0", self.tree.path("clean.go"))[0], 2)

    def test_text_format(self):
        code, out, _ = run("scan", self.tree.path("ticker.go"))
        self.assertEqual(code, 1)
        lines = out.splitlines()
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith(self.tree.path("ticker.go") + ":6:7: GL015 ticker-not-stopped: "),
                        lines[0])
        self.assertIn("`t`", lines[0])
        self.assertIn("defer t.Stop()", lines[0])

    def test_jsonl_format(self):
        code, out, _ = run("scan", "--format", "jsonl", self.tree.path("ticker.go"))
        self.assertEqual(code, 1)
        [f] = jsonl(out)
        for key in ("file", "line", "column", "end_line", "end_column", "rule", "name", "severity", "message"):
            self.assertIn(key, f)
        self.assertEqual((f["line"], f["column"], f["end_line"], f["end_column"]), (6, 7, 6, 34))
        self.assertEqual((f["rule"], f["name"], f["severity"]), ("GL015", "ticker-not-stopped", "warning"))

    def test_json_format(self):
        broken = Tree({"a.go": TICKER, "b.go": BROKEN})
        try:
            code, out, err = run("scan", "--format", "json", broken.root)
            doc = json.loads(out)
            self.assertEqual(code, 1)
            self.assertEqual(doc["files"], 2)
            self.assertEqual([f["rule"] for f in doc["findings"]], ["GL015"])
            # the parser's errors, as go/parser reports them
            self.assertEqual([(e["line"], e["column"]) for e in doc["errors"]], [(5, 1), (6, 1)])
            self.assertTrue(all(e["file"].endswith("b.go") for e in doc["errors"]))
            self.assertIn("b.go:5:1: ", err)  # also on stderr
        finally:
            broken.close()

    def test_sarif_is_valid(self):
        import jsonschema

        with open(SCHEMA, encoding="utf-8") as fh:
            schema = json.load(fh)
        broken = Tree({"a.go": TICKER, "b.go": BROKEN, "c.go": "package p\n// é\nvar s = `x`\n"})
        try:
            code, out, _ = run("scan", "--format", "sarif", broken.root)
            self.assertEqual(code, 1)
            log = json.loads(out)
            jsonschema.validate(log, schema)
            run0 = log["runs"][0]
            self.assertEqual(log["version"], "2.1.0")
            rules = run0["tool"]["driver"]["rules"]
            ids = [r["id"] for r in rules]
            self.assertIn("GL015", ids)
            gl015 = rules[ids.index("GL015")]
            self.assertIn("Leaking:", gl015["help"]["text"])
            [res] = run0["results"]
            self.assertEqual(res["ruleId"], "GL015")
            self.assertEqual(ids[res["ruleIndex"]], "GL015")
            region = res["locations"][0]["physicalLocation"]["region"]
            self.assertEqual((region["startLine"], region["startColumn"]), (6, 7))
            notes = run0["invocations"][0]["toolExecutionNotifications"]
            self.assertEqual(len(notes), 2)
            self.assertTrue(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("b.go"))
        finally:
            broken.close()

    def test_sarif_columns_are_code_points(self):
        t = Tree({"u.go": "package p\n\nimport \"time\"\n\nfunc f() {\n\tvar π = 1; t := time.NewTicker(1)\n\t_, _ = π, t\n}\n"})
        try:
            _, out, _ = run("scan", "--format", "sarif", "--go-version", "1.22", t.root)
            region = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
            _, out2, _ = run("scan", "--format", "jsonl", "--go-version", "1.22", t.root)
            [f] = jsonl(out2)
            self.assertEqual(f["column"] - region["startColumn"], 1)  # π is two bytes, one code point
        finally:
            t.close()

    def test_walk_skips_like_the_go_command(self):
        code, out, _ = run("scan", "--format", "jsonl", self.tree.root)
        files = sorted(os.path.relpath(f["file"], self.tree.root) for f in jsonl(out))
        self.assertEqual(files, ["after.go", "sub/more.go", "ticker.go"])
        _, out, _ = run("scan", "--format", "jsonl", "--include-vendor", "--include-testdata", self.tree.root)
        files = sorted(os.path.relpath(f["file"], self.tree.root) for f in jsonl(out))
        self.assertEqual(files, ["after.go", "sub/more.go", "testdata/t.go", "ticker.go", "vendor/v.go"])

    def test_exclude(self):
        _, out, _ = run("scan", "--format", "jsonl", "--exclude", "after.go", "--exclude", "*/sub",
                        self.tree.root)
        files = sorted(os.path.relpath(f["file"], self.tree.root) for f in jsonl(out))
        self.assertEqual(files, ["ticker.go"])

    def test_file_list_on_stdin(self):
        listing = self.tree.path("ticker.go") + "\n\n" + self.tree.path("clean.go") + "\n"
        code, out, _ = run("scan", "--format", "jsonl", "-", stdin=listing)
        self.assertEqual(code, 1)
        self.assertEqual([os.path.basename(f["file"]) for f in jsonl(out)], ["ticker.go"])

    def test_output_order_is_stable_across_jobs(self):
        # runtime/ and net/ have more files than the workers' window (64 per
        # job), so results go round its ring while the walk still adds files
        roots = [self.tree.root, "/usr/lib/go-1.19/src/time", "/usr/lib/go-1.19/src/runtime",
                 "/usr/lib/go-1.19/src/net"]
        outs = {run("scan", "--jobs", str(j), *roots)[1] for j in (1, 2, 3, 8)}
        self.assertEqual(len(outs), 1)
        files = [line.split(":")[0] for line in outs.pop().splitlines()]
        self.assertTrue(files)
        # in argument order; within each, depth first in name order, a
        # directory's files (a package's, checked together) before its
        # subdirectories
        def key(f):
            i = [f.startswith(r + "/") for r in roots].index(True)
            parts = os.path.relpath(f, roots[i]).split("/")
            return (i, [(0 if k == len(parts) - 1 else 1, p) for k, p in enumerate(parts)])
        self.assertEqual(files, sorted(files, key=key))

    def test_rules_disable_and_options(self):
        code, out, _ = run("scan", "--rules", "GL016", self.tree.path("ticker.go"), self.tree.path("after.go"))
        self.assertEqual([l.split()[1] for l in out.splitlines()], ["GL016"])
        code, out, _ = run("scan", "--disable", "GL015,time-after-in-loop", self.tree.root)
        self.assertEqual(code, 0)
        self.assertEqual(out, "")
        big = Tree({"a.go": "package p\nfunc f(b [4096]byte) {}\n"})
        try:
            self.assertEqual(run("scan", big.root)[0], 0)
            code, out, _ = run("scan", "--option", "GL004.threshold=4096", big.root)
            self.assertEqual(code, 1)
            self.assertIn("GL004", out)
            self.assertEqual(run("scan", "--option", "GL004.threshold=x", big.root)[0], 2)
            self.assertEqual(run("scan", "--option", "nodot", big.root)[0], 2)
        finally:
            big.close()

    def test_go_version_from_go_mod(self):
        mod = Tree({
            "old/go.mod": "module example.com/old\n\ngo 1.22\n",
            "old/a.go": AFTER,
            "new/go.mod": "module example.com/new\n\ngo 1.23\n",
            "new/a.go": AFTER,
            "new/inner/b.go": TICKER,
            "new/inner/old/go.mod": "module example.com/nested\n\ngo 1.22\n",
            "new/inner/old/deeper/c.go": AFTER,
            "none/a.go": AFTER,
        })
        try:
            _, out, _ = run("scan", "--format", "jsonl", mod.root)
            got = sorted((os.path.relpath(f["file"], mod.root), f["rule"], "unknown" in f["message"])
                         for f in jsonl(out))
            # 1.22: reported; 1.23: not (time.After and an unreferenced ticker are
            # collected); no go.mod: reported, the message saying the version is
            # unknown; a directory without go.mod has the nearest one above (a
            # module nested in another has its own)
            self.assertEqual(got, [("new/inner/old/deeper/c.go", "GL016", False),
                                   ("none/a.go", "GL016", True), ("old/a.go", "GL016", False)])
            _, out, _ = run("scan", "--format", "jsonl", "--go-version", "1.21", mod.root)
            self.assertEqual(len(jsonl(out)), 5)
        finally:
            mod.close()

    def test_suppression_and_unused_ignores(self):
        t = Tree({"s.go": TICKER.replace("time.Second)", "time.Second) //goleak:ignore GL015 stopped by the caller")
                            + "\n//goleak:ignore GL005 nothing here\nfunc g() {}\n"})
        try:
            self.assertEqual(run("scan", t.root)[0], 0)
            code, out, _ = run("scan", "--report-unused-ignores", t.root)
            self.assertEqual(code, 1)
            self.assertEqual([l.split()[1] for l in out.splitlines()], ["GL000"])
            self.assertIn(":12:1:", out)
        finally:
            t.close()

    def test_unreadable_and_broken_files_do_not_stop_the_scan(self):
        t = Tree({"a.go": TICKER, "b.go": BROKEN, "c.go": TICKER})
        try:
            os.mkfifo(t.path("d.go"))  # named: reported without blocking; walked: skipped
            code, out, err = run("scan", "--format", "jsonl", t.root, t.path("missing.go"), t.path("d.go"))
            self.assertEqual(code, 2)  # an I/O error wins over findings
            self.assertEqual([os.path.basename(f["file"]) for f in jsonl(out)], ["a.go", "c.go"])
            self.assertIn("missing.go", err)
            self.assertIn("d.go: not a regular file", err)
            self.assertIn("b.go:5:1: expected operand", err)
            # a syntax error alone is reported but is no I/O error
            code, _, err = run("scan", t.path("b.go"))
            self.assertEqual(code, 0)
            self.assertIn("b.go:5:1:", err)
        finally:
            t.close()

# A test whose goroutine blocks only once the test has failed (its timeout
# case calls t.Fatal): reported with severity info.
AFTER_FAILURE_TEST = """package p

import (
	"testing"
	"time"
)

func TestAnswer(t *testing.T) {
	got := make(chan int)
	go func() {
		got <- 42
	}()
	select {
	case v := <-got:
		if v != 42 {
			t.Errorf("got %d", v)
		}
	case <-time.After(time.Second):
		t.Fatal("no answer")
	}
}
"""

# A heap whose Pop does not clear the popped slot.
HEAP_POP = """package p

type item struct{ v []byte }

type heapq []*item

func (h *heapq) Push(x any) { *h = append(*h, x.(*item)) }

func (h *heapq) Pop() any {
	old := *h
	n := len(old)
	it := old[n-1]
	*h = old[:n-1]
	return it
}
"""


class TestsAndSummaryTest(unittest.TestCase):
    def setUp(self):
        self.tree = Tree({"ticker.go": TICKER, "answer_test.go": AFTER_FAILURE_TEST, "heap.go": HEAP_POP})

    def tearDown(self):
        self.tree.close()

    def test_after_failure_is_info(self):
        code, out, _ = run("scan", "--format", "jsonl", self.tree.path("answer_test.go"))
        self.assertEqual(code, 1)
        [f] = jsonl(out)
        self.assertEqual((f["rule"], f["line"], f["severity"]), ("GL020", 11, "info"))
        self.assertIn("only after the test has failed", f["message"])

    def test_tests_false_skips_test_files(self):
        code, out, _ = run("scan", "--format", "jsonl", "--tests=false", "--rules", "GL015,GL020",
                           self.tree.root)
        self.assertEqual(code, 1)
        self.assertEqual({os.path.basename(f["file"]) for f in jsonl(out)}, {"ticker.go"})
        code, out, _ = run("scan", "--format", "jsonl", "--tests=false",
                           self.tree.path("answer_test.go"))
        self.assertEqual((code, out), (0, ""))
        code, out, _ = run("scan", "--format", "jsonl", "--tests", "--rules", "GL015,GL020",
                           self.tree.root)
        self.assertEqual({os.path.basename(f["file"]) for f in jsonl(out)},
                         {"ticker.go", "answer_test.go"})
        self.assertEqual(run("scan", "--tests=maybe", self.tree.root)[0], 2)

    def test_summary_separates_test_files(self):
        code, out, _ = run("scan", "--format", "json", "--rules", "GL015,GL020", self.tree.root)
        summary = json.loads(out)["summary"]
        self.assertEqual(summary["findings"], 2)
        self.assertEqual(summary["non_test"], {"findings": 1, "error": 0, "warning": 1, "info": 0})
        self.assertEqual(summary["test"], {"findings": 1, "error": 0, "warning": 0, "info": 1})
        code, out, err = run("scan", "--rules", "GL015,GL020", self.tree.root)
        self.assertEqual(len(out.splitlines()), 2)
        self.assertIn("goleak: 2 findings: 1 in non-test files (1 warning), 1 in test files (1 info)",
                      err)
        code, out, err = run("scan", self.tree.path("heap.go"), "--rules", "GL015")
        self.assertEqual((code, out, err), (0, "", ""))  # no findings: no summary

    def test_gl003_pops_option(self):
        code, out, _ = run("scan", "--format", "jsonl", self.tree.path("heap.go"))
        self.assertEqual([(f["rule"], f["line"]) for f in jsonl(out)], [("GL003", 13)])
        code, out, _ = run("scan", "--format", "jsonl", "--option", "GL003.pops=false",
                           self.tree.path("heap.go"))
        self.assertEqual((code, out), (0, ""))


class CommandsTest(unittest.TestCase):
    def test_version_and_help(self):
        code, out, _ = run("--version")
        self.assertEqual(code, 0)
        self.assertRegex(out, r"^goleak \d+\.\d+\.\d+\n$")
        code, out, _ = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("goleak explain ID", out)
        code, out, _ = run("scan", "--help")
        self.assertEqual(code, 0)
        self.assertIn("--go-version", out)
        self.assertEqual(run()[0], 2)

    def test_rules(self):
        code, out, _ = run("rules")
        self.assertEqual(code, 0)
        ids = [l.split()[0] for l in out.splitlines()]
        builtin = ["GL000", "GL001", "GL002", "GL003", "GL004", "GL005", "GL010", "GL011", "GL012",
                   "GL013", "GL014", "GL015", "GL016", "GL017", "GL018", "GL019", "GL020",
                   "GL021", "GL022", "GL023", "GL024", "GL025"]
        shipped = ["GL030", "GL031", "GL032", "GL033", "GL034", "GL035", "GL036", "GL037",
                   "GL038", "GL039"]
        self.assertEqual(ids, builtin + shipped)
        code, out, _ = run("rules", "--json")
        rules = json.loads(out)
        self.assertEqual([r["id"] for r in rules], builtin + shipped)
        self.assertEqual({r["origin"] for r in rules if r["id"] in builtin}, {"builtin"})
        self.assertTrue(all(r["origin"] == "pack" and r["pack"].endswith("resources.yml")
                            for r in rules if r["id"] in shipped))
        code, out, _ = run("rules", "--no-default-packs")
        self.assertEqual([l.split()[0] for l in out.splitlines()], builtin)

    def test_explain(self):
        for rule in ("GL015", "ticker-not-stopped"):
            code, out, _ = run("explain", rule)
            self.assertEqual(code, 0)
            self.assertIn("GL015 ticker-not-stopped", out)
            self.assertIn("Leaking:", out)
            self.assertIn("Fixed:", out)
        self.assertEqual(run("explain", "GL999")[0], 2)
        self.assertEqual(run("explain")[0], 2)

    def test_tokens_and_dump(self):
        t = Tree({"a.go": CLEAN})
        try:
            code, out, _ = run("tokens", t.path("a.go"))
            self.assertEqual(code, 0)
            self.assertTrue(out.startswith(f"== {t.path('a.go')}\n1:1 package package\n"))
            self.assertTrue(out.endswith(" EOF\n"))
            code, out, _ = run("dump", "--skeleton", t.path("a.go"))
            self.assertEqual(out.splitlines()[1:], ["3:1 func add", "3:26 return"])
            code, out, _ = run("dump", t.path("a.go"))
            self.assertIn("func 3:1-3:40 key=add", out)
            self.assertEqual(run("tokens")[0], 2)
            self.assertEqual(run("dump", t.path("missing.go"))[0], 2)
        finally:
            t.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    GOLEAK, SCHEMA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"])
