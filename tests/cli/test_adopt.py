#!/usr/bin/env python3
"""Adopting goleak on a codebase: fingerprints that survive edits, baselines
(--write-baseline, --baseline: moved findings stay suppressed, new ones are
reported, removed ones are stale), changed code only (--new-from-rev on a
git repository the test builds, --new-from-patch), the formats CI and
editors read, each parsed by a real parser (json, xml.etree, the SARIF
schema, VS Code's $gcc problem matcher, GitHub's workflow-command
escaping, reviewdog's documented fields), --stdin-filename, --exit-zero,
the progress line on a pseudo-terminal, and the pre-commit hook file.

usage: test_adopt.py GOLEAK SARIF_SCHEMA SOURCE_DIR"""
import json
import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET

GOLEAK = SCHEMA = SRC = None

LEAKY = """\
package p

import (
	"context"
	"time"
)

func helper(a int) int { return a * 2 }

func poll(ctx context.Context) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

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


def run(*args, stdin=None, cwd=None, env=None):
    p = subprocess.run([GOLEAK, *args], input=stdin, capture_output=True, text=True, cwd=cwd,
                       env=env)
    return p.returncode, p.stdout, p.stderr


def jsonl(out):
    return [json.loads(line) for line in out.splitlines()]


class Dir:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="goleak_adopt_")

    def write(self, name, text):
        path = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return path

    def path(self, name=""):
        return os.path.join(self.root, name)

    def close(self):
        shutil.rmtree(self.root)


class Fingerprints(unittest.TestCase):
    def setUp(self):
        self.d = Dir()

    def tearDown(self):
        self.d.close()

    def scan(self, text):
        self.d.write("p/f.go", text)
        code, out, err = run("scan", "--format", "jsonl", "p/f.go", cwd=self.d.root)
        self.assertIn(code, (0, 1), err)
        return {(f["rule"], f["symbol"]): f["fingerprint"] for f in jsonl(out)}

    def test_unchanged_findings_keep_their_fingerprints(self):
        base = self.scan(LEAKY)
        self.assertEqual(set(base), {("GL015", "poll"), ("GL016", "wait")})
        for fp in base.values():
            self.assertRegex(fp, r"^[0-9a-f]{16}$")
        edits = {
            "50 lines inserted above": LEAKY.replace("import (", "\n" * 50 + "import ("),
            "an unrelated function renamed": LEAKY.replace("func helper(", "func twice("),
            "another function reformatted": LEAKY.replace(
                "func helper(a int) int { return a * 2 }",
                "func helper(\n\ta int,\n) int {\n\treturn a *\n\t\t2\n}"),
            "the reported statement reindented": LEAKY.replace(
                "\tt := time.NewTicker(time.Second)", "    t := time.NewTicker( time.Second ) // x"),
        }
        for what, text in edits.items():
            with self.subTest(what):
                self.assertEqual(self.scan(text), base)
        # the reported statement itself changed: that fingerprint only
        changed = self.scan(LEAKY.replace("NewTicker(time.Second)", "NewTicker(2 * time.Second)"))
        self.assertNotEqual(changed[("GL015", "poll")], base[("GL015", "poll")])
        self.assertEqual(changed[("GL016", "wait")], base[("GL016", "wait")])

    def test_fixtures_keep_their_fingerprints(self):
        # every positive fixture of every rule, edited where its findings are not
        unrelated = "\nfunc goleakUnrelated(a int) int { return a + 1 }\n"
        renamed = "\nfunc goleakRenamed(\n\ta int,\n) int {\n\treturn a +\n\t\t1\n}\n"
        root = os.path.join(SRC, "tests", "fixtures")
        checked = 0
        for rule in sorted(os.listdir(root)):
            d = os.path.join(root, rule)
            if not os.path.isdir(d):
                continue
            for name in sorted(n for n in os.listdir(d) if n.startswith("pos_")):
                with open(os.path.join(d, name), encoding="utf-8") as fh:
                    text = fh.read()
                head, sep, rest = text.partition("\npackage ")
                if not sep:
                    head, rest = "", text[len("package "):]
                pkg_line, _, body = rest.partition("\n")
                before = f"{head}{sep or 'package '}{pkg_line}\n{body}{unrelated}"
                after = f"{head}{sep or 'package '}{pkg_line}\n" + "\n" * 50 + f"{body}{renamed}"
                with self.subTest(f"{rule}/{name}"):
                    a, b = self.scan_text(before), self.scan_text(after)
                    self.assertTrue(a)
                    self.assertEqual([f["line"] + 50 for f in a], [f["line"] for f in b])
                    self.assertEqual([f["fingerprint"] for f in a], [f["fingerprint"] for f in b])
                    checked += len(a)
        self.assertGreater(checked, 100)

    def scan_text(self, text):
        self.d.write("fx/f.go", text)
        code, out, err = run("scan", "--format", "jsonl", "--go-version", "1.22", "fx/f.go",
                             cwd=self.d.root)
        self.assertIn(code, (0, 1), err)
        return jsonl(out)

    def test_every_format_carries_the_same_fingerprint(self):
        path = self.d.write("f.go", LEAKY)
        _, out, _ = run("scan", "--format", "jsonl", path)
        want = [f["fingerprint"] for f in jsonl(out)]
        _, out, _ = run("scan", "--format", "json", path)
        self.assertEqual([f["fingerprint"] for f in json.loads(out)["findings"]], want)
        _, out, _ = run("scan", "--format", "sarif", path)
        results = json.loads(out)["runs"][0]["results"]
        self.assertEqual([r["partialFingerprints"]["goleak/v1"] for r in results], want)


class Baselines(unittest.TestCase):
    def setUp(self):
        self.d = Dir()
        self.d.write("p/f.go", LEAKY)
        self.d.write("p/clean.go", "package p\n\nfunc ok() {}\n")

    def tearDown(self):
        self.d.close()

    def scan(self, *args):
        return run("scan", "--format", "jsonl", *args, "p", cwd=self.d.root)

    def write_baseline(self):
        code, out, err = self.scan("--write-baseline", "base.json")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertIn("2 findings recorded in base.json", err)

    def test_baseline_file_is_sorted_json_one_finding_a_line(self):
        self.d.write("a/z.go", LEAKY)
        run("scan", "--write-baseline", "base.json", "p", "a", cwd=self.d.root)
        with open(self.d.path("base.json"), encoding="utf-8") as fh:
            text = fh.read()
        doc = json.loads(text)
        self.assertEqual(doc["goleak_baseline"], 1)
        entries = doc["findings"]
        self.assertEqual(len(entries), 4)
        keys = [(e["file"], e["rule"], e["symbol"], e["fingerprint"]) for e in entries]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual([e["file"] for e in entries], ["a/z.go", "a/z.go", "p/f.go", "p/f.go"])
        lines = text.splitlines()
        self.assertEqual(len(lines), 4 + 5)  # one entry a line, between the fixed lines
        for line in lines[3:7]:
            self.assertTrue(line.strip().startswith('{"file": '), line)
        # the same scan writes the same bytes
        run("scan", "--write-baseline", "again.json", "p", "a", cwd=self.d.root)
        with open(self.d.path("again.json"), encoding="utf-8") as fh:
            self.assertEqual(fh.read(), text)

    def test_moved_findings_stay_suppressed(self):
        self.write_baseline()
        code, out, err = self.scan("--baseline", "base.json")
        self.assertEqual((code, out), (0, ""), err)
        self.assertIn("2 findings suppressed, 0 entries stale", err)
        # 50 lines inserted above the findings
        self.d.write("p/f.go", LEAKY.replace("import (", "\n" * 50 + "import ("))
        _, out, _ = self.scan()
        self.assertEqual([f["line"] for f in jsonl(out)], [61, 75])
        code, out, err = self.scan("--baseline", "base.json")
        self.assertEqual((code, out), (0, ""), err)
        self.assertIn("2 findings suppressed, 0 entries stale", err)

    def test_new_finding_in_the_same_function_is_reported(self):
        self.write_baseline()
        self.d.write("p/f.go", LEAKY.replace(
            "\tt := time.NewTicker(time.Second)\n",
            "\tt := time.NewTicker(time.Second)\n\tu := time.NewTicker(time.Minute)\n\t<-u.C\n"))
        code, out, err = self.scan("--baseline", "base.json")
        self.assertEqual(code, 1, err)
        found = jsonl(out)
        self.assertEqual([(f["rule"], f["symbol"], f["line"]) for f in found],
                         [("GL015", "poll", 12)])
        self.assertIn("`u`", found[0]["message"])
        self.assertIn("2 findings suppressed, 0 entries stale", err)

    def test_removed_finding_is_stale(self):
        self.write_baseline()
        with open(self.d.path("base.json"), encoding="utf-8") as fh:
            gone = [e for e in json.load(fh)["findings"] if e["rule"] == "GL016"][0]
        self.d.write("p/f.go", LEAKY.replace("case <-time.After(time.Second):", "default:"))
        code, out, err = self.scan("--baseline", "base.json")
        self.assertEqual((code, out), (0, ""), err)
        self.assertIn("1 finding suppressed, 1 entry stale", err)
        self.assertIn(f"goleak: stale: p/f.go: GL016 in wait ({gone['fingerprint']})", err)
        # an entry of a file not scanned is not stale
        code, _, err = run("scan", "--baseline", "base.json", "p/clean.go", cwd=self.d.root)
        self.assertIn("0 findings suppressed, 0 entries stale", err)
        # --quiet: nothing on stderr
        code, _, err = self.scan("--baseline", "base.json", "--quiet")
        self.assertEqual(err, "")
        # the entries of a file that is gone are stale, scanned or not
        os.remove(self.d.path("p/f.go"))
        code, _, err = run("scan", "--baseline", "base.json", "p/clean.go", cwd=self.d.root)
        self.assertIn("0 findings suppressed, 2 entries stale", err)
        self.assertIn(f"goleak: stale: p/f.go: GL016 in wait ({gone['fingerprint']})", err)

    def test_baseline_in_every_format_and_exit_zero(self):
        self.write_baseline()
        self.d.write("p/new.go", LEAKY)
        code, out, _ = run("scan", "--format", "json", "--baseline", "base.json", "p",
                           cwd=self.d.root)
        self.assertEqual(code, 1)
        doc = json.loads(out)
        self.assertEqual({f["file"] for f in doc["findings"]}, {"p/new.go"})
        self.assertEqual(doc["files"], 3)
        code, out, _ = run("scan", "--exit-zero", "--baseline", "base.json", "p", cwd=self.d.root)
        self.assertEqual(code, 0)
        self.assertEqual(len(out.splitlines()), 2)
        # --exit-zero keeps status 2 for errors
        code, _, _ = run("scan", "--exit-zero", "p", "missing.go", cwd=self.d.root)
        self.assertEqual(code, 2)

    def test_bad_baselines(self):
        for text, want in [("", "base.json:1:1: expected '{'"),
                           ('{"findings": []}', "not a goleak baseline"),
                           ('{"goleak_baseline": 2, "findings": []}', "not a version 1 baseline"),
                           ('{"goleak_baseline": 1,\n "findings": [{"file": "a.go"}]}',
                            "base.json:2:15: an entry needs"),
                           ('{"goleak_baseline": 1, "findings": [}', "base.json:1:37: expected '{'")]:
            with self.subTest(text):
                self.d.write("base.json", text)
                code, out, err = self.scan("--baseline", "base.json")
                self.assertEqual(code, 2)
                self.assertIn(want, err)
        code, _, err = self.scan("--baseline", "nope.json")
        self.assertEqual(code, 2)
        self.assertIn("nope.json: No such file", err)
        # keys it does not know are skipped: a baseline may carry notes
        self.write_baseline()
        with open(self.d.path("base.json"), encoding="utf-8") as fh:
            doc = json.load(fh)
        doc["note"] = {"why": ["legacy", 1, True, None]}
        for e in doc["findings"]:
            e["reviewed"] = "yes \u00e9\ud83d\ude00"
        self.d.write("base.json", json.dumps(doc))
        code, out, err = self.scan("--baseline", "base.json")
        self.assertEqual((code, out), (0, ""), err)


def git(cwd, *args):
    subprocess.run(["git", "-C", cwd, "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


class ChangedCode(unittest.TestCase):
    def setUp(self):
        self.d = Dir()
        git(self.d.root, "init", "-q")
        self.d.write("f.go", LEAKY)
        self.d.write("sub/g.go", LEAKY)
        git(self.d.root, "add", ".")
        git(self.d.root, "commit", "-q", "-m", "one")

    def tearDown(self):
        self.d.close()

    def test_new_from_rev(self):
        # nothing changed: nothing reported
        code, out, err = run("scan", "--new-from-rev", "HEAD", ".", cwd=self.d.root)
        self.assertEqual((code, out), (0, ""), err)
        # a line changed in wait(): its finding only; lines added above poll move it, and
        # poll's finding is not reported (poll was not touched)
        self.d.write("f.go", LEAKY.replace("import (", "// header\n\nimport (").replace(
            "case <-c:", "case v := <-c:\n\t\t\t_ = v"))
        code, out, err = run("scan", "--format", "jsonl", "--new-from-rev", "HEAD", ".",
                             cwd=self.d.root)
        self.assertEqual(code, 1, err)
        self.assertEqual([(f["file"], f["rule"], f["symbol"]) for f in jsonl(out)],
                         [("./f.go", "GL016", "wait")])
        # a line deleted inside poll() touches it too
        self.d.write("sub/g.go", LEAKY.replace("\t\tcase <-t.C:\n", ""))
        code, out, err = run("scan", "--format", "jsonl", "--new-from-rev", "HEAD", "sub",
                             cwd=self.d.root)
        self.assertEqual([(f["rule"], f["symbol"]) for f in jsonl(out)], [("GL015", "poll")])
        # from a subdirectory, with an absolute path, and a file git does not track yet
        self.d.write("sub/new.go", LEAKY)
        code, out, err = run("scan", "--format", "jsonl", "--new-from-rev", "HEAD", ".",
                             cwd=self.d.path("sub"))
        self.assertEqual(sorted((f["file"], f["rule"]) for f in jsonl(out)),
                         [("./g.go", "GL015"), ("./new.go", "GL015"), ("./new.go", "GL016")])
        code, out, err = run("scan", "--format", "jsonl", "--new-from-rev", "HEAD~0",
                             self.d.path("sub/new.go"))
        self.assertEqual(len(jsonl(out)), 2, err)
        # a committed change is new against the commit before it
        git(self.d.root, "add", ".")
        git(self.d.root, "commit", "-q", "-m", "two")
        code, out, _ = run("scan", "--new-from-rev", "HEAD", ".", cwd=self.d.root)
        self.assertEqual(out, "")
        code, out, _ = run("scan", "--format", "jsonl", "--new-from-rev", "HEAD~1", ".",
                           cwd=self.d.root)
        self.assertEqual(len(jsonl(out)), 4)

    def test_errors(self):
        outside = tempfile.mkdtemp(prefix="goleak_nogit_")
        try:
            with open(os.path.join(outside, "f.go"), "w") as fh:
                fh.write(LEAKY)
            env = dict(os.environ, GIT_CEILING_DIRECTORIES=os.path.dirname(outside))
            code, out, err = run("scan", "--new-from-rev", "HEAD", outside, env=env)
            self.assertEqual((code, out), (2, ""))
            self.assertIn("is not in a git repository", err)
            env = dict(os.environ, PATH="/nonexistent")
            code, _, err = run("scan", "--new-from-rev", "HEAD", outside, env=env)
            self.assertEqual(code, 2)
            self.assertIn("the git command is needed", err)
        finally:
            shutil.rmtree(outside)
        code, _, err = run("scan", "--new-from-rev", "no-such-rev", ".", cwd=self.d.root)
        self.assertEqual(code, 2)
        self.assertIn("git diff no-such-rev failed", err)
        code, _, err = run("scan", "--new-from-rev", "HEAD", "--new-from-patch", "x", ".",
                           cwd=self.d.root)
        self.assertEqual(code, 2)

    def test_new_from_patch(self):
        self.d.write("f.go", LEAKY.replace("case <-c:", "case v := <-c:\n\t\t\t_ = v"))
        diff = subprocess.run(["git", "-C", self.d.root, "diff"], capture_output=True,
                              text=True, check=True).stdout
        self.d.write("change.patch", diff)
        code, out, err = run("scan", "--format", "jsonl", "--new-from-patch", "change.patch", ".",
                             cwd=self.d.root)
        self.assertEqual(code, 1, err)
        self.assertEqual([(f["rule"], f["symbol"]) for f in jsonl(out)], [("GL016", "wait")])
        # diff -u output (no a/ b/ prefixes, a date after a tab)
        self.d.write("plain.patch", "--- f.go\t2024-01-01\n+++ f.go\t2024-01-02\n"
                                    "@@ -12,0 +12,1 @@\n+\t// touched\n")
        code, out, err = run("scan", "--format", "jsonl", "--new-from-patch", "plain.patch", ".",
                             cwd=self.d.root)
        self.assertEqual([(f["rule"], f["symbol"]) for f in jsonl(out)], [("GL015", "poll")])
        code, _, err = run("scan", "--new-from-patch", "missing.patch", ".", cwd=self.d.root)
        self.assertEqual(code, 2)
        self.assertIn("missing.patch", err)


# VS Code's $gcc problem matcher (the C/C++ extension's), as its package.json writes it
VSCODE_GCC = re.compile(r"^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$")


def github_unescape(s, prop=False):
    """What the Actions runner decodes."""
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


class Formats(unittest.TestCase):
    def setUp(self):
        self.d = Dir()
        self.path = self.d.write("dir/leak,y:1.go", LEAKY.replace("func wait", "// 100%\nfunc wait"))
        self.d.write("dir/broken.go", "package p\n\nfunc f() {\n\tx :=\n}\n")
        _, out, _ = run("scan", "--format", "jsonl", self.d.path("dir"))
        self.want = jsonl(out)
        self.assertEqual(len(self.want), 2)

    def tearDown(self):
        self.d.close()

    def out(self, fmt):
        code, out, err = run("scan", "--format", fmt, self.d.path("dir"))
        self.assertEqual(code, 1, err)  # findings (a syntax error is reported, not fatal)
        self.assertIn("broken.go:5:1: expected operand", err)
        return out

    def test_rdjsonl(self):
        lines = [json.loads(line) for line in self.out("rdjsonl").splitlines()]
        self.assertEqual(len(lines), len(self.want))
        for d, f in zip(lines, self.want):
            # reviewdog's Diagnostic: message, location {path, range {start, end}}, severity,
            # source {name, url}, code {value}; columns in UTF-8 bytes, end exclusive
            self.assertEqual(set(d), {"message", "location", "severity", "source", "code"})
            self.assertEqual(d["message"], f["message"])
            self.assertEqual(d["location"]["path"], f["file"])
            self.assertEqual(d["location"]["range"], {
                "start": {"line": f["line"], "column": f["column"]},
                "end": {"line": f["end_line"], "column": f["end_column"]}})
            self.assertIn(d["severity"], ("ERROR", "WARNING", "INFO"))
            self.assertEqual(d["severity"], f["severity"].upper())
            self.assertEqual(d["source"]["name"], "goleak")
            self.assertEqual(d["code"], {"value": f["rule"]})

    def test_checkstyle(self):
        root = ET.fromstring(self.out("checkstyle"))
        self.assertEqual(root.tag, "checkstyle")
        errors = [(fl.get("name"), e.attrib) for fl in root.findall("file")
                  for e in fl.findall("error")]
        found = [(n, a) for n, a in errors if a["source"].startswith("goleak.GL")]
        self.assertEqual([(n, int(a["line"]), int(a["column"]), a["severity"], a["message"],
                           a["source"]) for n, a in found],
                         [(f["file"], f["line"], f["column"], f["severity"], f["message"],
                           "goleak." + f["rule"]) for f in self.want])
        syntax = [(n, a) for n, a in errors if a["source"] == "goleak"]
        self.assertEqual(len(syntax), 2)
        self.assertTrue(syntax[0][0].endswith("broken.go"))
        self.assertEqual(syntax[0][1]["severity"], "error")

    def test_github(self):
        lines = self.out("github").splitlines()
        cmd = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")
        annotations = []
        for line in lines:
            m = cmd.match(line)
            self.assertIsNotNone(m, line)
            props = dict(p.split("=", 1) for p in m.group(2).split(","))
            props = {k: github_unescape(v, True) for k, v in props.items()}
            annotations.append((m.group(1), props, github_unescape(m.group(3))))
        found = [a for a in annotations if a[1]["title"].startswith("GL")]
        self.assertEqual(len(found), len(self.want))
        for (level, props, message), f in zip(found, self.want):
            self.assertEqual(level, f["severity"] if f["severity"] != "info" else "notice")
            self.assertEqual(props["file"], f["file"])  # the ',' and ':' of the name survive
            self.assertEqual(int(props["line"]), f["line"])
            self.assertEqual(int(props["col"]), f["column"])  # ASCII: code points are bytes
            self.assertEqual(props["title"], f"{f['rule']} {f['name']}")
            self.assertEqual(message, f["message"])
        errors = [a for a in annotations if a[1]["title"] == "goleak"]
        self.assertEqual(len(errors), 2)
        self.assertEqual((errors[0][1]["line"], errors[0][1]["col"]), ("5", "1"))
        self.assertEqual(errors[0][0], "error")

    def test_gcc_reads_as_vscode_and_vim_read_it(self):
        lines = self.out("gcc").splitlines()
        self.assertEqual(len(lines), len(self.want))
        for line, f in zip(lines, self.want):
            m = VSCODE_GCC.match(line)
            self.assertIsNotNone(m, line)
            self.assertEqual(m.group(1), f["file"])
            self.assertEqual((int(m.group(2)), int(m.group(3))), (f["line"], f["column"]))
            self.assertEqual(m.group(4), f["severity"])
            self.assertEqual(m.group(5), f"{f['message']} [{f['rule']}]")
            # Vim's errorformat "%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m": the type
            # letter is the first of "warning"/"error" after the column
            m = re.match(r"^(.+):(\d+):(\d+): ([we])(?:rror|arning): (.*)$", line)
            self.assertIsNotNone(m, line)

    def test_sarif_fingerprints_validate(self):
        import jsonschema
        with open(SCHEMA, encoding="utf-8") as fh:
            schema = json.load(fh)
        log = json.loads(self.out("sarif"))
        jsonschema.validate(log, schema)
        results = log["runs"][0]["results"]
        self.assertEqual([r["partialFingerprints"]["goleak/v1"] for r in results],
                         [f["fingerprint"] for f in self.want])


class Editors(unittest.TestCase):
    def setUp(self):
        self.d = Dir()

    def tearDown(self):
        self.d.close()

    def test_stdin_filename_matches_the_file(self):
        fixtures = os.path.join(SRC, "tests", "fixtures")
        files = []
        for rule in ("GL005", "GL010", "GL015", "GL020"):
            d = os.path.join(fixtures, rule)
            files += [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.startswith("pos_")][:2]
        self.assertEqual(len(files), 8)
        for path in files:
            with self.subTest(path):
                code, want, _ = run("scan", "--format", "jsonl", path)
                self.assertEqual(code, 1)
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                for extra in ([], ["-"]):
                    code, got, err = run("scan", "--format", "jsonl", "--stdin-filename", path,
                                         *extra, stdin=text)
                    self.assertEqual(code, 1, err)
                    self.assertEqual(got, want)
        # the buffer, not the file on disk: an editor's unsaved text
        path = self.d.write("f.go", "package p\n")
        code, out, _ = run("scan", "--format", "gcc", "--stdin-filename", path, stdin=LEAKY)
        self.assertEqual(code, 1)
        self.assertEqual(len(out.splitlines()), 2)
        self.assertTrue(out.startswith(path + ":11:7: warning: "))
        # the go.mod of NAME's directory applies (GL016 is silent from Go 1.23)
        self.d.write("m/go.mod", "module m\n\ngo 1.23\n")
        code, out, _ = run("scan", "--format", "jsonl", "--stdin-filename",
                           self.d.path("m/f.go"), stdin=LEAKY)
        self.assertNotIn("GL016", out)
        # syntax errors and misuse
        code, _, err = run("scan", "--stdin-filename", "x.go", stdin="package p\nfunc f() {\n")
        self.assertEqual(code, 0)
        self.assertIn("x.go:3:1:", err)
        code, _, err = run("scan", "--stdin-filename", "x.go", "other.go", stdin="")
        self.assertEqual(code, 2)
        self.assertIn("give no PATH", err)
        code, _, err = run("scan", "--stdin-filename", "x.go", "--max-file-size", "10",
                           stdin=LEAKY)
        self.assertEqual(code, 2)
        self.assertIn("--max-file-size", err)
        # an excluded name: nothing to say
        code, out, _ = run("scan", "--stdin-filename", "gen/x.go", "--exclude", "gen/*",
                           stdin=LEAKY)
        self.assertEqual((code, out), (0, ""))

    def test_pre_commit_hook(self):
        import yaml
        with open(os.path.join(SRC, ".pre-commit-hooks.yaml"), encoding="utf-8") as fh:
            hooks = yaml.safe_load(fh)
        self.assertIsInstance(hooks, list)
        hook = [h for h in hooks if h["id"] == "goleak"][0]
        self.assertEqual(hook["types"], ["go"])
        self.assertEqual(hook["language"], "system")
        for key in ("name", "entry"):
            self.assertIsInstance(hook[key], str)
        # pre-commit runs the entry with the staged files appended; the installed command is
        # found on PATH
        entry = shlex.split(hook["entry"]) + hook.get("args", [])
        self.assertEqual(entry[0], "goleak")
        bindir = self.d.path("bin")
        os.makedirs(bindir)
        os.symlink(GOLEAK, os.path.join(bindir, "goleak"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
        leak = self.d.write("a.go", LEAKY)
        clean = self.d.write("b.go", "package p\n")
        p = subprocess.run(entry + [leak, clean], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(len(p.stdout.splitlines()), 2)
        p = subprocess.run(entry + [clean], capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)


class Progress(unittest.TestCase):
    """The progress line, on a pseudo-terminal: the scan is made to last more
    than a second by handing it its file list slowly."""

    def setUp(self):
        self.d = Dir()
        # one directory each: a directory's files are checked together, once the walk
        # (here, the list) has moved on to another
        self.files = [self.d.write(f"d{k}/f.go", LEAKY) for k in range(4)]

    def tearDown(self):
        self.d.close()

    def scan(self, *args, tty=True):
        master, slave = pty.openpty() if tty else os.pipe()
        p = subprocess.Popen([GOLEAK, "scan", "--jobs", "1", *args, "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        for k, f in enumerate(self.files):
            p.stdin.write((f + "\n").encode())
            p.stdin.flush()
            if k < 2:
                time.sleep(0.7)
        p.stdin.close()
        err = b""
        while True:
            r, _, _ = select.select([master], [], [], 10)
            if not r:
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal's other side is closed
                break
            if not chunk:
                break
            err += chunk
        out = p.stdout.read().decode()
        p.wait()
        os.close(master)
        return p.returncode, out, err.decode()

    def test_progress_on_a_terminal_only(self):
        code, out, err = self.scan()
        self.assertEqual(code, 1)
        self.assertEqual(len(out.splitlines()), 8)  # stdout is not the terminal: untouched
        shown = re.findall(r"\r\x1b\[Kgoleak: (\d+) files, ([\d.]+) MB, (\d+) findings?", err)
        self.assertTrue(shown, repr(err))
        files, mb, findings = shown[-1]
        self.assertGreaterEqual(int(files), 2)
        self.assertEqual(int(findings), 2 * int(files))
        self.assertTrue(err.endswith("\r\x1b[K"), repr(err))  # erased at the end
        code, out, err = self.scan("--quiet")
        self.assertEqual((code, err), (1, ""))
        code, out, err = self.scan(tty=False)
        self.assertEqual((code, err), (1, ""))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    GOLEAK, SCHEMA, SRC = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    unittest.main(argv=[sys.argv[0], "-v"])
