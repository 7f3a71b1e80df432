"""The Python examples, run as users run them: examples/python/precommit.py
(SARIF validated against the 2.1.0 schema, on files given and on the files
staged in a git repository) and examples/python/dask_scan.py on a 2-worker
LocalCluster (Debian's python3-distributed), whose findings must be those of
`goleak scan`.

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
BODY_LEAK = os.path.join(SRC, "bindings", "tests", "fixtures", "body_leak.go")


def validate(log):
    import jsonschema

    with open(SCHEMA, encoding="utf-8") as fh:
        jsonschema.validate(log, json.load(fh))


def run(args, cwd=None, timeout=300):
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout)


def cli_sarif(*paths):
    p = subprocess.run([CLI, "scan", "--format", "sarif", "--jobs", "2", *paths],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise AssertionError(p.stderr)
    return json.loads(p.stdout)


def builtin_results(log):
    return [r for r in log["runs"][0]["results"] if r["ruleId"].startswith("GL")]


class Precommit(unittest.TestCase):
    def test_files_given(self):
        files = [BODY_LEAK, os.path.join(EXAMPLES, "gl015_ticker_not_stopped.go"),
                 os.path.join(EXAMPLES, "gl020_blocked_sender.go")]
        p = run([PRECOMMIT, *files])
        self.assertEqual(p.returncode, 1, p.stderr)
        log = json.loads(p.stdout)
        validate(log)
        results = log["runs"][0]["results"]
        mine = [r for r in results if r["ruleId"] == "PY100"]
        self.assertEqual(len(mine), 1)
        region = mine[0]["locations"][0]["physicalLocation"]["region"]
        self.assertEqual((region["startLine"], region["startColumn"]), (11, 15))
        self.assertEqual(mine[0]["level"], "error")
        self.assertIn("line 15", mine[0]["message"]["text"])
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        self.assertEqual(rules[mine[0]["ruleIndex"]]["id"], "PY100")
        # the built-in rules' results are the command's, field for field
        self.assertEqual([{k: v for k, v in r.items() if k != "ruleIndex"}
                          for r in builtin_results(log)],
                         [{k: v for k, v in r.items() if k != "ruleIndex"}
                          for r in builtin_results(cli_sarif(*files))])

    def test_staged_files_and_errors(self):
        with tempfile.TemporaryDirectory() as d:
            git = lambda *a: subprocess.run(["git", "-C", d, *a], check=True,  # noqa: E731
                                            capture_output=True)
            git("init", "-q")
            shutil.copy(BODY_LEAK, os.path.join(d, "fetch.go"))
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
        shards += [os.path.join(EXAMPLES, "c"), os.path.join(SRC, "tests", "fixtures", "GL015")]
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "scan.sarif")
            p = run([DASK_SCAN, "--workers", "2", "-o", out, *shards], cwd=d, timeout=600)
            self.assertEqual(p.returncode, 1, p.stderr[-3000:])
            with open(out) as fh:
                log = json.load(fh)
        validate(log)
        got = log["runs"][0]["results"]
        want = cli_sarif(*shards)["runs"][0]["results"]
        self.assertGreater(len(want), 16)
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
