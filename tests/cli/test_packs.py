#!/usr/bin/env python3
"""Tests of the rule pack commands and options: goleak test and validate
(passing, failing and broken packs), --pack, --no-default-packs, pack errors
as FILE:LINE:COL with exit status 2, --time, the project configuration
(.goleak.yml found from the scanned path, --config, --no-config, goleak
config), native packs (the example loads and finds its fixture; a pack of
another ABI and a shared object without the entry point are refused), and
explain on a pack rule.

usage: test_packs.py GOLEAK NATIVE_PACK NATIVE_PACK_BAD_ABI LIBGOLEAK_SO"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLEAK = NATIVE = NATIVE_BAD = LIBSO = None
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "goleak.h")


def abi_range():
    """GOLEAK_ABI_MIN_COMPATIBLE and GOLEAK_ABI_VERSION, as the header defines them."""
    text = open(HEADER).read()
    get = lambda name: int(re.search(r"#define %s\s+(\d+)" % name, text).group(1))
    return get("GOLEAK_ABI_MIN_COMPATIBLE"), get("GOLEAK_ABI_VERSION")

PACK = """\
format: 1
name: demo
rules:
  - id: DM001
    name: sleep-in-loop
    severity: info
    summary: time.Sleep in a loop
    message: "time.Sleep($D) inside a loop"
    imports: [time]
    match:
      all:
        - time.Sleep($D)
        - inside: {context: loop}
    doc:
      description: Sleeping in a loop delays everything after it.
      leaking: |
        for { time.Sleep(d) }
      fixed: |
        t := time.NewTicker(d)
"""

FIXTURE = """\
package demo

import "time"

func poll(n int) {
	for i := 0; i < n; i++ {
		// ruleid: DM001
		time.Sleep(time.Second)
	}
	// ok: DM001
	time.Sleep(time.Second) // time.Sleep in a comment
}
"""

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

FILE_LEAK = """\
package p

import "os"

func read(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	if p == "" {
		return nil
	}
	return f.Close()
}
"""


def run(*args, cwd=None, env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([GOLEAK, *args], capture_output=True, text=True, cwd=cwd, env=e)
    return p.returncode, p.stdout, p.stderr


class Tree:
    def __init__(self, files):
        self.root = tempfile.mkdtemp(prefix="goleak_packs_")
        for name, text in files.items():
            path = os.path.join(self.root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)

    def path(self, *p):
        return os.path.join(self.root, *p)

    def close(self):
        shutil.rmtree(self.root)


class PackCommandsTest(unittest.TestCase):
    def setUp(self):
        self.t = Tree({"demo.yml": PACK, "demo/poll.go": FIXTURE})

    def tearDown(self):
        self.t.close()

    def test_test_passes(self):
        code, out, err = run("test", self.t.path("demo.yml"))
        self.assertEqual(code, 0, out + err)
        self.assertIn("1 rules, 1 fixture files, 1 expected findings, 1 ok lines: 1 found, "
                      "0 missed, 0 unexpected: PASS", out)
        # a directory of packs
        code, out, _ = run("test", self.t.root)
        self.assertEqual(code, 0, out)

    def test_test_fails_on_missed_unexpected_and_no_fixture(self):
        with open(self.t.path("demo", "poll.go"), "w") as fh:
            fh.write(FIXTURE.replace("// ruleid: DM001", "// ok: DM001").replace(
                "\t// ok: DM001\n\ttime.Sleep(time.Second) //", "\t// ruleid: DM001\n\ttime.Sleep(time.Second) //"))
        code, out, _ = run("test", self.t.path("demo.yml"))
        self.assertEqual(code, 1)
        self.assertIn("poll.go:8: unexpected DM001 (marked ok): time.Sleep(time.Second) inside a loop", out)
        self.assertIn("poll.go:11: missed DM001", out)
        self.assertIn("FAIL", out)
        os.remove(self.t.path("demo", "poll.go"))
        code, out, _ = run("test", self.t.path("demo.yml"))
        self.assertEqual(code, 1)
        self.assertIn("rule DM001 has no fixture", out)

    def test_validate(self):
        code, out, _ = run("validate", self.t.path("demo.yml"))
        self.assertEqual((code, out.strip()), (0, self.t.path("demo.yml") + ": ok, 1 rule"))
        with open(self.t.path("bad.yml"), "w") as fh:
            fh.write(PACK.replace("    summary: time.Sleep in a loop\n", ""))
        code, out, err = run("validate", self.t.path("bad.yml"))
        self.assertEqual(code, 2)
        self.assertEqual(err.strip(), self.t.path("bad.yml") + ':4:5: missing "summary" in rule DM001')
        # the shipped pack and the examples
        code, out, err = run("validate", os.path.join(ROOT, "rules", "resources.yml"),
                             os.path.join(ROOT, "rules", "examples"))
        self.assertEqual(code, 0, err)
        self.assertIn("resources.yml: ok, 10 rules", out)

    def test_scan_with_pack(self):
        code, out, _ = run("scan", "--pack", self.t.path("demo.yml"), self.t.path("demo"))
        self.assertEqual(code, 1)
        self.assertIn("poll.go:8:3: DM001 sleep-in-loop: time.Sleep(time.Second) inside a loop", out)
        self.assertNotIn("poll.go:11", out)
        code, out, _ = run("scan", "--pack", self.t.path("demo.yml"), "--disable", "DM001", self.t.path("demo"))
        self.assertEqual(code, 0)
        # a pack with an error: FILE:LINE:COL on stderr, exit 2, nothing scanned
        with open(self.t.path("bad.yml"), "w") as fh:
            fh.write(PACK.replace("time.Sleep($D)\n", "time.Sleep($D\n"))
        code, out, err = run("scan", "--pack", self.t.path("bad.yml"), self.t.path("demo"))
        self.assertEqual((code, out), (2, ""))
        self.assertRegex(err, r"^" + self.t.path("bad.yml").replace("/", r"\/") +
                         r":12:\d+: invalid pattern: ")
        # explain shows a pack rule's examples and where it comes from
        code, out, _ = run("explain", "--pack", self.t.path("demo.yml"), "DM001")
        self.assertEqual(code, 0)
        self.assertIn("Leaking:", out)
        self.assertIn("From the rule pack " + self.t.path("demo.yml"), out)

    def test_follow_variable(self):
        """A resource rule reports the variable given a new value while it holds
        the resource, with message-replaced; with follow-variable: false only the
        value is followed."""
        pack = """\
format: 1
name: fv
rules:
  - id: FV001
    name: conn-not-closed
    summary: a connection not closed
    message: "$C from $CALL is not closed on $EXIT"
    message-replaced: "$C from $CALL is replaced $EXIT"
    resource:
      acquire: net.Dial(...)
      as: $C
      error: result 1
      release: [$C.Close()]
"""
        src = """\
package p

import "net"

func twice(a, b string) error {
\tc, err := net.Dial("tcp", a)
\tif err != nil {
\t\treturn err
\t}
\tc.Write([]byte("x"))
\tc, err = net.Dial("tcp", b)
\tif err != nil {
\t\treturn err
\t}
\treturn c.Close()
}
"""
        with open(self.t.path("fv.yml"), "w") as fh:
            fh.write(pack)
        with open(self.t.path("twice.go"), "w") as fh:
            fh.write(src)
        code, out, _ = run("scan", "--no-config", "--no-default-packs", "--pack",
                           self.t.path("fv.yml"), "--rules", "FV001", self.t.path("twice.go"))
        self.assertEqual(code, 1, out)
        self.assertEqual([l.split(": ", 1)[1] for l in out.splitlines()],
                         ['FV001 conn-not-closed: c from net.Dial("tcp", a) is replaced at line 11'])
        with open(self.t.path("fv.yml"), "w") as fh:
            fh.write(pack.replace("      release:", "      follow-variable: false\n      release:"))
        code, out, _ = run("scan", "--no-config", "--no-default-packs", "--pack",
                           self.t.path("fv.yml"), "--rules", "FV001", self.t.path("twice.go"))
        # the value alone: the later c.Close() counts as its release, and only
        # the second Dial's error path is left
        self.assertEqual(code, 1, out)
        self.assertEqual([l.split(": ", 1)[1] for l in out.splitlines()],
                         ['FV001 conn-not-closed: c from net.Dial("tcp", a) is not closed on the '
                          'path that returns at line 13'])

    def test_default_packs(self):
        self.t2 = Tree({"leak.go": FILE_LEAK})
        try:
            code, out, _ = run("scan", self.t2.path("leak.go"))
            self.assertEqual(code, 1)
            self.assertIn("GL032 file-not-closed: `f` from `os.Open(p)` is not closed on the path "
                          "that returns at line 11", out)
            code, out, _ = run("scan", "--no-default-packs", self.t2.path("leak.go"))
            self.assertEqual((code, out), (0, ""))
            # GOLEAK_RULES_DIR moves them
            code, _, err = run("scan", self.t2.path("leak.go"), env={"GOLEAK_RULES_DIR": "/nonexistent"})
            self.assertEqual(code, 2)
            self.assertIn("GOLEAK_RULES_DIR=/nonexistent: no such directory", err)
        finally:
            self.t2.close()

    def test_time(self):
        self.t2 = Tree({"leak.go": FILE_LEAK, "ticker.go": TICKER})
        try:
            code, out, err = run("scan", "--time", "--jobs", "2", self.t2.root)
            self.assertEqual(code, 1)
            lines = err.splitlines()
            lines = lines[lines.index("rule times (one thread's time per file, summed):"):]
            names = [l.split()[3] for l in lines[1:-1]]
            for rule in ("GL015", "GL032", "GL001"):
                self.assertIn(rule, names)
            self.assertTrue(any("shared indexes" in l for l in lines))
            self.assertRegex(lines[-1], r"^\s+[0-9.]+ ms total$")
        finally:
            self.t2.close()


class ReadmeExampleTest(unittest.TestCase):
    def test_first_pack_of_rules_readme(self):
        import re
        with open(os.path.join(ROOT, "rules", "README.md"), encoding="utf-8") as fh:
            text = fh.read()
        pack = re.search(r"```yaml\n(format: 1\nname: team\n.*?)```", text, re.S).group(1)
        go = re.search(r"```go\n(package handlers\n.*?)```", text, re.S).group(1)
        t = Tree({"team.yml": pack, "team/handlers.go": go})
        try:
            code, out, _ = run("validate", t.path("team.yml"))
            self.assertEqual((code, out.strip()), (0, t.path("team.yml") + ": ok, 1 rule"))
            code, out, _ = run("test", t.path("team.yml"))
            self.assertEqual(code, 0, out)
            self.assertIn("1 found, 0 missed, 0 unexpected: PASS", out)
        finally:
            t.close()


    def test_worked_example_of_readme(self):
        import re
        with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
            text = fh.read()
        pack = re.search(r"```yaml\n(format: 1\nname: resources\n.*?)```", text, re.S).group(1)
        t = Tree({"gl030.yml": pack})
        try:
            fixture = os.path.join(ROOT, "rules", "resources", "gl030_http_body.go")
            code, out, err = run("scan", "--no-default-packs", "--pack", t.path("gl030.yml"), fixture)
            self.assertEqual(code, 1, err)
            self.assertIn(fixture + ":22:15: GL030 http-body-not-closed: the body of `resp` from "
                          "`http.Get(base + \"/status\")` is not closed on the path that returns at line 27", out)
            # the shipped rule reports the README's line as it says
            code, out, _ = run("scan", "--rules", "GL030", fixture)
            line = [l for l in text.splitlines() if l.startswith("rules/resources/gl030_http_body.go:22:15")][0]
            self.assertIn(line, [l.replace(ROOT + "/", "") for l in out.splitlines()])
        finally:
            t.close()


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.t = Tree({
            "proj/.goleak.yml": "packs: [team/demo.yml]\n"
                                "rules: [all, -GL015]\n"
                                "exclude: [\"gen\"]\n"
                                "overrides:\n  - paths: [\"legacy/*\"]\n    rules: [-GL032]\n",
            "proj/team/demo.yml": PACK,
            "proj/svc/poll.go": FIXTURE,
            "proj/svc/ticker.go": TICKER,
            "proj/svc/leak.go": FILE_LEAK,
            "proj/legacy/leak.go": FILE_LEAK,
            "proj/gen/leak.go": FILE_LEAK,
        })

    def tearDown(self):
        self.t.close()

    def findings(self, *args, cwd=None):
        code, out, err = run("scan", "--format", "jsonl", *args, cwd=cwd)
        self.assertIn(code, (0, 1), err)
        base = cwd or os.getcwd()
        return sorted((os.path.relpath(os.path.join(base, json.loads(l)["file"]), self.t.path("proj")),
                       json.loads(l)["rule"]) for l in out.splitlines())

    def test_found_from_the_scanned_path(self):
        got = self.findings(self.t.path("proj"))
        self.assertEqual(got, [("svc/leak.go", "GL032"), ("svc/poll.go", "DM001")])
        # from a subdirectory too, and a relative path from inside
        self.assertEqual(self.findings(self.t.path("proj", "svc")),
                         [("svc/leak.go", "GL032"), ("svc/poll.go", "DM001")])
        self.assertEqual(self.findings(".", cwd=self.t.path("proj")),
                         [("svc/leak.go", "GL032"), ("svc/poll.go", "DM001")])

    def test_no_config_and_config(self):
        got = self.findings("--no-config", self.t.path("proj"))
        self.assertIn(("svc/ticker.go", "GL015"), got)
        self.assertIn(("gen/leak.go", "GL032"), got)
        self.assertNotIn(("svc/poll.go", "DM001"), got)
        with open(self.t.path("other.yml"), "w") as fh:
            fh.write("rules: [-all, GL015]\n")
        self.assertEqual(self.findings("--config", self.t.path("other.yml"), self.t.path("proj")),
                         [("svc/ticker.go", "GL015")])

    def test_config_errors(self):
        with open(self.t.path("proj", ".goleak.yml"), "a") as fh:
            fh.write("rulez: []\n")
        code, out, err = run("scan", self.t.path("proj"))
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(err.strip(), self.t.path("proj", ".goleak.yml") +
                         ":7:1: unknown key \"rulez\" in the configuration (expected one of: packs, "
                         "default-packs, rules, options, exclude, overrides)")

    def test_config_command(self):
        code, out, err = run("config", self.t.path("proj", "svc"))
        self.assertEqual(code, 0, err)
        self.assertIn("config: " + os.path.realpath(self.t.path("proj", ".goleak.yml")), out)
        self.assertIn("default packs: on", out)
        self.assertIn("  - " + os.path.realpath(self.t.path("proj")) + "/team/demo.yml", out)
        self.assertIn("rules:\n  - all\n  - -GL015\n", out)
        self.assertIn("exclude:\n  - gen\n", out)
        self.assertIn("overrides:\n  - legacy/*: -GL032\n", out)
        enabled = [l for l in out.splitlines() if l.startswith("enabled rules:")][0].split()[2:]
        self.assertIn("DM001", enabled)
        self.assertIn("GL032", enabled)
        self.assertNotIn("GL015", enabled)
        code, out, _ = run("config", "--no-config", self.t.path("proj"))
        self.assertIn("config: none (--no-config)", out)


class NativePackTest(unittest.TestCase):
    def test_example_pack(self):
        fixture = os.path.join(ROOT, "rules", "native", "testdata")
        code, out, err = run("scan", "--native-pack", NATIVE, "--rules", "NX001", fixture)
        self.assertEqual(code, 1, err)
        self.assertEqual(out.strip(), os.path.join(fixture, "store.go") +
                         ":12:3: NX001 exit-outside-main: os.Exit outside package main: the callers' "
                         "deferred calls never run; return an error instead")
        code, out, _ = run("rules", "--json", "--native-pack", NATIVE)
        nx = [r for r in json.loads(out) if r["id"] == "NX001"][0]
        self.assertEqual((nx["origin"], nx["pack"]), ("native", NATIVE))

    def test_refused(self):
        code, out, err = run("scan", "--native-pack", NATIVE_BAD, ".")
        self.assertEqual((code, out), (2, ""))
        self.assertEqual(err.strip(), "goleak: " + NATIVE_BAD + ": native pack built for ABI version 999; "
                         "this libgoleak loads versions %d to %d" % abi_range())
        code, out, err = run("scan", "--native-pack", LIBSO, ".")
        self.assertEqual(code, 2)
        self.assertIn("not a native pack: it does not export goleak_native_pack_entry()", err)
        code, out, err = run("scan", "--native-pack", "/nonexistent/pack.so", ".")
        self.assertEqual(code, 2)
        self.assertIn("cannot load the native pack", err)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    GOLEAK, NATIVE, NATIVE_BAD, LIBSO = (os.path.abspath(a) for a in sys.argv[1:])
    unittest.main(argv=[sys.argv[0], "-v"], verbosity=2)
