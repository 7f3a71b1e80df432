"""engine.scan() finds what `goleak scan --format jsonl` finds, finding for
finding and in the same order: on the rule fixtures, on the examples, and on
a tree built to exercise the walk (vendor/, testdata/, hidden and _ names,
nested go.mod files, links).

Environment: PYTHONPATH holds the built package; GOLEAK_CLI is the goleak
command; GOLEAK_SOURCE_DIR the repository."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import goleak

SRC = os.environ.get("GOLEAK_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
CLI = os.environ.get("GOLEAK_CLI", "goleak")

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


def command(*args):
    p = subprocess.run([CLI, "scan", "--format", "jsonl", *args], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise AssertionError(f"goleak scan {args}: exit {p.returncode}: {p.stderr}")
    return [json.loads(line) for line in p.stdout.splitlines()]


class Scan(unittest.TestCase):
    def compare(self, paths, **kwargs):
        engine = goleak.Engine()
        want = command("--jobs", "2", *paths)
        for jobs in (1, 2):
            got = [f.to_dict() for f in engine.scan(paths, jobs=jobs, **kwargs)]
            self.assertEqual(got, want, f"jobs={jobs}")
        return want

    def test_rule_fixtures(self):
        found = self.compare([os.path.join(SRC, "tests", "fixtures")])
        self.assertGreater(len(found), 50)
        # go.mod versions per directory: GL015 is silent under go1.23/
        self.assertTrue(any("/go1.22/" in f["file"] for f in found))

    def test_examples(self):
        found = self.compare([os.path.join(SRC, "examples")])
        self.assertEqual(len({f["rule"] for f in found}), 15)

    def test_relative_paths_and_files(self):
        cwd = os.getcwd()
        os.chdir(SRC)
        try:
            self.compare(["examples/gl015_ticker_not_stopped.go", "examples/c", "tests/fixtures/GL015"])
        finally:
            os.chdir(cwd)

    def test_walk_rules(self):
        with tempfile.TemporaryDirectory() as d:
            def put(rel, text=LEAK):
                p = os.path.join(d, rel)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "w") as fh:
                    fh.write(text)

            for rel in ["a.go", "b/c.go", "vendor/v.go", "testdata/t.go", ".hidden/h.go",
                        "_skip/s.go", "b/_x.go", "b/.y.go", "Z.go", "b/notgo.txt",
                        "m/go.mod", "m/m.go", "m/sub/s.go", "m/sub/vendor/v.go",
                        "n/go.mod", "n/n.go", "m/sub/testdata/t.go", "bad/go.mod", "bad/b.go"]:
                put(rel)
            put("m/go.mod", "module m\n\ngo 1.22\n")
            put("n/go.mod", "module n\n\ngo 1.23\n")
            put("bad/go.mod", "module bad\n\ngo banana\n")  # unknown version, as the command
            os.symlink(os.path.join(d, "b"), os.path.join(d, "linkdir"))
            os.symlink(os.path.join(d, "a.go"), os.path.join(d, "link.go"))
            os.symlink(os.path.join(d, "missing.go"), os.path.join(d, "dangling.go"))
            found = self.compare([d])
            files = sorted({os.path.relpath(f["file"], d) for f in found})
            self.assertEqual(files, ["Z.go", "a.go", "b/c.go", "bad/b.go", "link.go", "m/m.go",
                                     "m/sub/s.go"])
            self.assertTrue(all("unknown" not in f["message"] for f in found if "/m/" in f["file"]))
            # vendor/ and testdata/ on request
            engine = goleak.Engine()
            with_vendor = list(engine.scan(d, include_vendor=True, include_testdata=True))
            self.assertEqual(with_vendor, [goleak.Finding(**{("path" if k == "file" else k): v
                                                             for k, v in f.items()})
                                           for f in command("--include-vendor",
                                                            "--include-testdata", d)])
            self.assertEqual(list(engine.scan(d, go_version="1.23")),
                             [])  # GL015 at 1.23 only reports tickers kept alive

    def test_errors(self):
        engine = goleak.Engine()
        with self.assertRaises(goleak.Error):
            list(engine.scan("/nonexistent/dir"))


if __name__ == "__main__":
    unittest.main()
