"""engine.scan() finds what `goleak scan --format jsonl` finds, finding for
finding and in the same order, with the shipped rule packs loaded in both:
on the rule fixtures, on the examples, on the shipped pack's fixtures, and
on a tree built to exercise the walk (vendor/, testdata/, hidden and _ names,
nested and malformed go.mod files, links, a binary file, syntax errors). What
the command reports besides findings (stderr, and the "errors" of --format
json) are the scan's notices, and its exit status the scan's exit_status.

Environment: PYTHONPATH holds the built package; GOLEAK_CLI is the goleak
command; GOLEAK_SOURCE_DIR the repository."""
import json
import os
import re
import subprocess
import tempfile
import unittest
import warnings

import goleak

SRC = os.environ.get("GOLEAK_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
CLI = os.environ.get("GOLEAK_CLI", "goleak")
FIXTURES = os.path.join(SRC, "bindings", "tests", "fixtures")

LEAK = """package p

import "time"

func poll(done chan struct{}) {
\ttk := time.NewTicker(time.Second)
\tfor {
\t\tselect {
\t\tcase <-tk.C:
\t\tcase <-done:
\t\t\treturn
\t\t}
\t}
}
"""


def command(fmt, *args):
    # the binding reads no .goleak.yml: neither does the command here
    p = subprocess.run([CLI, "scan", "--no-config", "--format", fmt, *args], capture_output=True,
                       text=True)
    if p.returncode not in (0, 1, 2) or (p.returncode == 2 and not p.stdout):
        raise AssertionError(f"goleak scan {args}: exit {p.returncode}: {p.stderr}")
    return p


# What AddressSanitizer prints when the parser switches to its deep stack
ASAN_NOTE = re.compile(r"^==\d+==WARNING: ASan is ignoring requested __asan_handle_no_return|"
                       r"^False positive error reports may follow$|"
                       r"^For details see https://github.com/google/sanitizers/issues/189$")


def command_stderr(p):
    return [line for line in p.stderr.splitlines() if not ASAN_NOTE.match(line)]


def stderr_line(n):
    """The line the command prints on stderr for a notice."""
    if n.line:
        return str(n)
    return ("goleak: warning: " if n.level == "warning" else "goleak: ") + n.message


class Scan(unittest.TestCase):
    def compare(self, paths, args=(), **kwargs):
        """The scan of paths equals the command's (args are its options for
        kwargs), with jobs 1 and 2; returns the command's findings."""
        for jobs in (1, 2):  # the command checks up to 64 files a job at once
            jsonl = command("jsonl", "--jobs", str(jobs), *args, *paths)
            want = [json.loads(line) for line in jsonl.stdout.splitlines()]
            doc = json.loads(command("json", "--jobs", str(jobs), *args, *paths).stdout)
            self.assertEqual(doc["findings"], want)  # the two formats agree
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                scan = goleak.Engine().scan(paths, jobs=jobs, **kwargs)
                got = [f.to_dict() for f in scan]
            self.assertEqual(got, want, f"jobs={jobs}")
            self.assertEqual([n.to_dict() for n in scan.notices], doc["errors"], f"jobs={jobs}")
            self.assertEqual([stderr_line(n) for n in scan.notices], command_stderr(jsonl))
            self.assertEqual(scan.exit_status, jsonl.returncode, f"jobs={jobs}")
            self.assertEqual(scan.found, len(want))
            self.assertEqual([(w.category, str(w.message)) for w in caught],
                             [(goleak.ScanWarning, n.message) for n in scan.notices if not n.line])
            # the warnings name the caller's line, not the package's
            self.assertTrue(all(w.filename == __file__ for w in caught), caught)
        # the library's writer, given the scan, writes the command's bytes
        for fmt in ("text", "json", "sarif"):
            out = command(fmt, "--jobs", "2", *args, *paths).stdout
            engine = goleak.Engine()
            writer = goleak.Writer(fmt, engine)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", goleak.ScanWarning)
                scan = engine.scan(paths, jobs=2, writer=writer, **kwargs)
                self.assertEqual(sum(1 for _ in scan), len(want))
            writer.finish(scan.successful)
            self.assertEqual(writer.output(), out, fmt)
        return want

    def test_rule_fixtures(self):
        found = self.compare([os.path.join(SRC, "tests", "fixtures")])
        self.assertGreater(len(found), 50)
        # go.mod versions per directory: GL015 is silent under go1.23/
        self.assertTrue(any("/go1.22/" in f["file"] for f in found))

    def test_examples(self):
        found = self.compare([os.path.join(SRC, "examples")])
        examples = {n[:5].upper() for n in os.listdir(os.path.join(SRC, "examples"))
                    if n.endswith(".go")}
        self.assertEqual({f["rule"] for f in found}, examples)  # one program per rule

    def test_pack_fixtures(self):
        found = self.compare([os.path.join(SRC, "rules", "resources")])
        self.assertEqual({f["rule"] for f in found}, {"GL030", "GL031", "GL032", "GL033", "GL034",
                                                       "GL035", "GL036", "GL037", "GL038", "GL039"})
        self.assertEqual({f["rule"] for f in found if f["rule"] in goleak.Engine(default_packs=False)},
                         set())  # found by the shipped pack alone

    def test_relative_paths_and_files(self):
        cwd = os.getcwd()
        os.chdir(SRC)
        try:
            self.compare(["examples/gl015_ticker_not_stopped.go", "examples/c", "tests/fixtures/GL015",
                          "rules/resources/gl030_http_body.go"])
        finally:
            os.chdir(cwd)

    def test_walk_rules(self):
        with tempfile.TemporaryDirectory() as d:
            def put(rel, text=LEAK, mode="w"):
                p = os.path.join(d, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, mode) as fh:
                    fh.write(text)

            for rel in ["a.go", "b/c.go", "vendor/v.go", "testdata/t.go", ".hidden/h.go",
                        "_skip/s.go", "b/_x.go", "b/.y.go", "Z.go", "b/notgo.txt",
                        "m/go.mod", "m/m.go", "m/sub/s.go", "m/sub/vendor/v.go",
                        "n/go.mod", "n/n.go", "m/sub/testdata/t.go", "bad/go.mod", "bad/b.go",
                        "dir.go/inside.go", "bad/sub/go.mod", "bad/sub/s.go"]:
                put(rel)
            put("m/go.mod", "module m\n\ngo 1.22\n")
            put("n/go.mod", "module n\n\ngo 1.23\n")
            put("bad/go.mod", "module bad\n\ngo banana\n")  # unknown version, with a warning
            put("bad/sub/go.mod", "module sub\n\ngo one.two\n")
            with open(os.path.join(FIXTURES, "body_leak.go")) as fh:
                put("bad/http.go", fh.read())  # the shipped pack's GL030
            put("syntax.go", "package p\n\nfunc f( {\n\tgo func() {}()\n}\n")
            put("bin.go", b"package p\n\x00\x01\x02", mode="wb")
            put("deep.go", "package p\n\nvar x = " + "(" * 100100 + "1" + ")" * 100100 + "\n")
            os.symlink(os.path.join(d, "b"), os.path.join(d, "linkdir"))
            os.symlink(os.path.join(d, "a.go"), os.path.join(d, "link.go"))  # a.go again
            os.symlink(os.path.join(d, "missing.go"), os.path.join(d, "dangling.go"))
            os.symlink("loop.go", os.path.join(d, "loop.go"))
            os.mkfifo(os.path.join(d, "fifo.go"))
            found = self.compare([d])
            files = sorted({os.path.relpath(f["file"], d) for f in found})
            self.assertEqual(files, ["Z.go", "a.go", "b/c.go", "bad/b.go", "bad/http.go",
                                     "bad/sub/s.go", "dir.go/inside.go", "m/m.go", "m/sub/s.go"])
            self.assertTrue(all("unknown" not in f["message"] for f in found if "/m/" in f["file"]))
            self.assertIn("GL030", {f["rule"] for f in found})
            scan = goleak.Engine().scan(d)
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always")
                list(scan)
            self.assertEqual(scan.exit_status, 2)  # files skipped
            self.assertEqual(scan.skipped, 5)  # bin, dangling, fifo, loop, and deep in part
            self.assertEqual([os.path.relpath(n.path, d) for n in scan.warnings],
                             ["bad/go.mod", "bad/sub/go.mod", "dir.go"])
            self.assertEqual({os.path.relpath(n.path, d) for n in scan.errors},
                             {"bin.go", "dangling.go", "deep.go", "fifo.go", "loop.go", "syntax.go"})
            # vendor/ and testdata/ on request, a Go version given, a path named twice
            self.compare([d], ["--include-vendor", "--include-testdata"], include_vendor=True,
                         include_testdata=True)
            at_1_23 = self.compare([d, os.path.join(d, "a.go"), os.path.join(d, "b")],
                                   ["--go-version", "1.23"], go_version="1.23")
            # GL015 at 1.23 only reports tickers kept alive
            self.assertEqual({f["rule"] for f in at_1_23}, {"GL030"})
            self.compare([os.path.join(d, "m", "sub"), os.path.join(d, "bad", "b.go"),
                          os.path.join(d, "bad", "sub", "s.go")])

    def test_packages(self):
        """Each package of a directory is checked as one unit, as the command
        groups them: the consecutive files of a directory (a skipped path
        between them ends a group), at most 64 a job, one package clause."""
        def package_rule(check):
            names = " ".join(os.path.basename(u.path) for u in check.package)
            check.report(check.unit.root.children[0], f"{len(check.package)}: {names}")

        with tempfile.TemporaryDirectory() as d:
            def put(rel, package):
                p = os.path.join(d, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w") as fh:
                    fh.write(LEAK.replace("package p", "package " + package))

            for rel, package in [("a.go", "p"), ("b.go", "p"), ("c.go", "q"), ("d_test.go", "p_test"),
                                 ("e.go", "p"), ("sub/f.go", "p"), ("sub/g.go", "p")]:
                put(rel, package)
            os.symlink(os.path.join(d, "missing.go"), os.path.join(d, "dangling.go"))
            for k in range(70):
                put(f"many/m{k:02}.go", "m")
            found = self.compare([d])  # files before subdirectories, as the command
            self.assertEqual([os.path.relpath(f["file"], d) for f in found][:6],
                             ["a.go", "b.go", "c.go", "d_test.go", "e.go", "many/m00.go"])
            engine = goleak.Engine(builtin=False, default_packs=False)
            engine.add_rule("PY200", "package", package_rule)
            for jobs in (1, 2):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", goleak.ScanWarning)
                    got = {os.path.relpath(f.path, d): f.message for f in engine.scan(d, jobs=jobs)}
                self.assertEqual(got["a.go"], "2: a.go b.go")
                self.assertEqual(got["b.go"], "2: a.go b.go")
                self.assertEqual(got["c.go"], "1: c.go")
                self.assertEqual(got["d_test.go"], "1: d_test.go")
                self.assertEqual(got["e.go"], "1: e.go")  # after dangling.go: a group of its own
                self.assertEqual(got["sub/f.go"], "2: f.go g.go")
                window = 64 * jobs
                sizes = [int(got[f"many/m{k:02}.go"].split(":")[0]) for k in range(70)]
                self.assertEqual(sizes, [min(70, window)] * min(70, window) +
                                 [70 - window] * max(0, 70 - window), f"jobs={jobs}")
            # the same through check_package: findings per unit, in order
            units = [goleak.parse_file(os.path.join(d, n)) for n in ("a.go", "b.go")]
            per_unit = engine.check_package(units)
            self.assertEqual([[f.message for f in fs] for fs in per_unit],
                             [["2: a.go b.go"], ["2: a.go b.go"]])
            self.assertEqual(units[0].package_name, "p")

    def test_missing_paths(self):
        # as the command: a notice, the scan goes on, exit status 2
        self.compare(["/nonexistent/dir", os.path.join(SRC, "examples", "gl015_ticker_not_stopped.go")])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            scan = goleak.Engine().scan("/nonexistent/dir")
            self.assertEqual(list(scan), [])
        self.assertEqual(scan.exit_status, 2)
        self.assertEqual(str(scan.errors[0]), "/nonexistent/dir: No such file or directory")
        self.assertEqual([w.category for w in caught], [goleak.ScanWarning])
        with warnings.catch_warnings():
            warnings.simplefilter("error", goleak.ScanWarning)  # a stricter caller
            with self.assertRaises(goleak.ScanWarning):
                list(goleak.Engine().scan("/nonexistent/dir"))

    def test_python_rule_fails_the_scan(self):
        e = goleak.Engine(builtin=False, default_packs=False)

        def failing(check):
            raise RuntimeError("boom " + check.unit.path)

        e.add_rule("PY900", "fails", failing)
        with self.assertRaises(goleak.RuleError) as cm:
            list(e.scan(os.path.join(SRC, "examples"), jobs=2))
        self.assertIsInstance(cm.exception.__cause__, RuntimeError)


if __name__ == "__main__":
    unittest.main()
