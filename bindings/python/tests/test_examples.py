"""The Python examples, run as users run them: examples/python/precommit.py
(SARIF validated against the 2.1.0 schema, on files given and on the files
staged in a git repository) and examples/python/dask_scan.py on a 2-worker
LocalCluster (Debian's python3-distributed). Both load the shipped rule
packs: their results, notifications and exit status must be those of
`goleak scan --format sarif` on the same files (the pre-commit hook's own
Python rule aside).

Environment: PYTHONPATH holds the built package; GOLEAK_CLI is the goleak
command; GOLEAK_SOURCE_DIR the repository; GOLEAK_SARIF_SCHEMA the schema."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SRC = os.path.abspath(os.environ.get("GOLEAK_SOURCE_DIR",
                                     os.path.join(os.path.dirname(__file__), "../../..")))
CLI = os.environ.get("GOLEAK_CLI", "goleak")
SCHEMA = os.environ.get("GOLEAK_SARIF_SCHEMA",
                        os.path.join(SRC, "..", "shared", "data", "sarif-schema-2.1.0.json"))
EXAMPLES = os.path.join(SRC, "examples")
PRECOMMIT = os.path.join(EXAMPLES, "python", "precommit.py")
DASK_SCAN = os.path.join(EXAMPLES, "python", "dask_scan.py")
FIXTURES = os.path.join(SRC, "bindings", "tests", "fixtures")
CONN_LEAK = os.path.join(FIXTURES, "conn_leak.go")
HTTP_BODY = os.path.join(SRC, "rules", "resources", "gl030_http_body.go")


def validate(log):
    import jsonschema

    with open(SCHEMA, encoding="utf-8") as fh:
        jsonschema.validate(log, json.load(fh))


def run(args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def cli_sarif(*paths):
    """The command's SARIF log of paths, and its exit status."""
    p = subprocess.run([CLI, "scan", "--no-config", "--format", "sarif", "--jobs", "2", *paths],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1, 2) or not p.stdout:
        raise AssertionError(p.stderr)
    return json.loads(p.stdout), p.returncode


def goleak_results(log):
    """The results of the command's rules (the hook's own PY100 aside)."""
    return [r for r in log["runs"][0]["results"] if r["ruleId"] != "PY100"]


def notifications(log):
    inv = log["runs"][0]["invocations"][0]
    return inv["executionSuccessful"], inv["toolExecutionNotifications"]


class Precommit(unittest.TestCase):
    def test_files_given(self):
        files = [CONN_LEAK, os.path.join(EXAMPLES, "gl015_ticker_not_stopped.go"),
                 os.path.join(EXAMPLES, "gl020_blocked_sender.go"), HTTP_BODY]
        p = run([PRECOMMIT, *files])
        self.assertEqual(p.returncode, 1, p.stderr)
        log = json.loads(p.stdout)
        validate(log)
        results = log["runs"][0]["results"]
        mine = [r for r in results if r["ruleId"] == "PY100"]
        self.assertEqual(len(mine), 1)  # closed, handed back, handed to a goroutine: not leaks
        region = mine[0]["locations"][0]["physicalLocation"]["region"]
        self.assertEqual((region["startLine"], region["startColumn"]), (11, 15))
        self.assertEqual(mine[0]["level"], "error")
        self.assertIn("the return at line 16", mine[0]["message"]["text"])
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        self.assertEqual(rules[mine[0]["ruleIndex"]]["id"], "PY100")
        # the other results are the command's, field for field, the shipped
        # pack's GL030 among them; its rules come first, in its order
        want, status = cli_sarif(*files)
        self.assertEqual(status, 1)
        self.assertEqual(goleak_results(log), goleak_results(want))
        self.assertIn("GL030", {r["ruleId"] for r in goleak_results(log)})
        self.assertEqual(rules[:-1], want["runs"][0]["tool"]["driver"]["rules"])
        self.assertEqual(notifications(log), (True, []))

    def test_notices_as_the_command(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "go.mod"), "w") as fh:
                fh.write("module m\n\ngo banana\n")
            shutil.copy(os.path.join(EXAMPLES, "gl015_ticker_not_stopped.go"), d)
            with open(os.path.join(d, "bin.go"), "wb") as fh:
                fh.write(b"package p\n\x00")
            with open(os.path.join(d, "syntax.go"), "w") as fh:
                fh.write("package p\nfunc f( {\n")
            files = [os.path.join(d, n) for n in ("gl015_ticker_not_stopped.go", "bin.go",
                                                  "syntax.go", "missing.go")]
            p = run([PRECOMMIT, *files])
            log = json.loads(p.stdout)
            validate(log)
            want, status = cli_sarif(*files)
            self.assertEqual((p.returncode, status), (2, 2))
            self.assertEqual(goleak_results(log), goleak_results(want))
            self.assertEqual(notifications(log), notifications(want))
            self.assertEqual(len(notifications(log)[1]), 5)  # go.mod, bin, 2 syntax, missing

    def test_staged_files_and_errors(self):
        with tempfile.TemporaryDirectory() as d:
            git = lambda *a: subprocess.run(["git", "-C", d, *a], check=True,  # noqa: E731
                                            capture_output=True)
            git("init", "-q")
            shutil.copy(CONN_LEAK, os.path.join(d, "fetch.go"))
            with open(os.path.join(d, "clean.go"), "w") as fh:
                fh.write("package p\n\nfunc f() int { return 1 }\n")
            with open(os.path.join(d, "notes.txt"), "w") as fh:
                fh.write("not Go\n")
            git("add", "fetch.go", "notes.txt")
            p = run([PRECOMMIT], cwd=d)
            self.assertEqual(p.returncode, 1, p.stderr)
            log = json.loads(p.stdout)
            validate(log)
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in log["runs"][0]["results"]}
            self.assertEqual(uris, {"fetch.go"})  # clean.go is not staged
            p = run([PRECOMMIT, os.path.join(d, "clean.go")], cwd=d)
            self.assertEqual((p.returncode, json.loads(p.stdout)["runs"][0]["results"]), (0, []))
            p = run([PRECOMMIT, os.path.join(d, "missing.go")], cwd=d)
            self.assertEqual(p.returncode, 2)
            log = json.loads(p.stdout)
            validate(log)
            self.assertFalse(log["runs"][0]["invocations"][0]["executionSuccessful"])


class DaskScan(unittest.TestCase):
    def test_local_cluster_matches_goleak_scan(self):
        try:
            import distributed  # noqa: F401
        except ImportError:
            self.skipTest("python3-distributed is not installed")
        shards = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES)
                        if f.endswith(".go"))
        shards += [os.path.join(EXAMPLES, "c"), os.path.join(SRC, "tests", "fixtures", "GL015"),
                   os.path.join(SRC, "rules", "resources")]
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "scan.sarif")
            p = run([DASK_SCAN, "--workers", "2", "-o", out, *shards], cwd=d, timeout=600)
            self.assertEqual(p.returncode, 1, p.stderr[-3000:])
            with open(out) as fh:
                log = json.load(fh)
            validate(log)
            want, status = cli_sarif(*shards)
            self.assertEqual(status, 1)
            self.assertGreater(len(want["runs"][0]["results"]), 16)
            self.assertEqual(log["runs"][0]["results"], want["runs"][0]["results"])
            self.assertEqual(log["runs"][0]["tool"], want["runs"][0]["tool"])
            self.assertEqual(notifications(log), (True, []))
            self.assertIn("GL030", {r["ruleId"] for r in log["runs"][0]["results"]})
            # a shard with a bad go.mod and a binary file: the command's notifications
            bad = os.path.join(d, "bad")
            os.mkdir(bad)
            with open(os.path.join(bad, "go.mod"), "w") as fh:
                fh.write("module bad\n\ngo banana\n")
            with open(os.path.join(bad, "bin.go"), "wb") as fh:
                fh.write(b"package p\n\x00")
            shards = [os.path.join(EXAMPLES, "gl015_ticker_not_stopped.go"), bad,
                      os.path.join(EXAMPLES, "c")]
            p = run([DASK_SCAN, "--workers", "2", "-o", out, *shards], cwd=d, timeout=600)
            with open(out) as fh:
                log = json.load(fh)
            validate(log)
            want, status = cli_sarif(*shards)
            self.assertEqual((p.returncode, status), (2, 2), p.stderr[-3000:])
            self.assertEqual(log["runs"][0]["results"], want["runs"][0]["results"])
            self.assertEqual(notifications(log), notifications(want))
            self.assertEqual(len(notifications(log)[1]), 2)


if __name__ == "__main__":
    unittest.main()
