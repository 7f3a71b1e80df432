#!/usr/bin/env python3
"""The command's documentation stays true: every option of `goleak scan
--help` is in the README's options table, the manual page and the bash
completion, and so is every output format; the manual page renders without
a groff warning; the completion completes; and the README's snippets for
CI and editors (marked <!-- test: NAME -->) work: the baseline commands,
the reviewdog command's rdjsonl, the GitHub workflow's SARIF step and its
upload, the pre-commit configuration against the hook file, the VS Code
task's command and problem matcher, and the Neovim linter's command and
parser (run by LuaJIT, with nvim-lint's and Neovim's tables stubbed).

usage: test_docs.py GOLEAK SOURCE_DIR SARIF_SCHEMA"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

GOLEAK = SRC = SCHEMA = None

LEAKY = """\
package p

import (
	"context"
	"time"
)

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


def read(*parts):
    with open(os.path.join(SRC, *parts), encoding="utf-8") as fh:
        return fh.read()


def snippet(name):
    m = re.search(r"<!-- test: " + re.escape(name) + r" -->\n```\w*\n(.*?)```", read("README.md"),
                  re.S)
    assert m, f"README snippet {name} not found"
    return m.group(1)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def scan_help_options():
    out = run([GOLEAK, "scan", "--help"]).stdout
    return sorted(set(re.findall(r"^\s+(--[a-z-]+)", out, re.M)))


def formats():
    err = run([GOLEAK, "scan", "--format", "?", "x.go"]).stderr
    return re.search(r"\((.*)\)", err).group(1).split(", ")


class Reference(unittest.TestCase):
    def test_options_and_formats_everywhere(self):
        opts = scan_help_options()
        self.assertIn("--new-from-rev", opts)
        self.assertEqual(len(formats()), 9)
        readme = read("README.md")
        table = readme[readme.index("`scan` options:"):readme.index("`rules`, `explain` and")]
        man = read("docs", "man", "goleak.1").replace("\\-", "-")
        completion = read("cli", "completion", "goleak.bash")
        for opt in opts:
            with self.subTest(opt):
                self.assertIn(f"`{opt}", table)
                self.assertRegex(man, r"\.(?:B|BI|BR) " + re.escape(opt) + r"\b")
                if opt != "--help":
                    self.assertRegex(completion, re.escape(opt) + r"\b")
        for fmt in formats():
            with self.subTest(fmt):
                self.assertIn(f"`{fmt}`", table)
                self.assertRegex(man, r"\.B " + fmt + r"\b")
                self.assertRegex(completion, r"formats=\"[^\"]*\b" + fmt + r"\b")

    def test_manual_page_renders(self):
        p = run(["groff", "-man", "-ww", "-z", "-Tutf8", os.path.join(SRC, "docs", "man",
                                                                      "goleak.1")])
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        p = run(["man", "-l", os.path.join(SRC, "docs", "man", "goleak.1")],
                env=dict(os.environ, MANWIDTH="80"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("--stdin-filename NAME", p.stdout)
        self.assertIn("EXIT STATUS", p.stdout)

    def test_bash_completion(self):
        script = os.path.join(SRC, "cli", "completion", "goleak.bash")

        def complete(*words):
            cmd = (f"source {shlex.quote(script)}; COMP_WORDS=({' '.join(map(shlex.quote, words))});"
                   f" COMP_CWORD={len(words) - 1}; _goleak; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
            p = run(["bash", "-c", cmd])
            self.assertEqual(p.returncode, 0, p.stderr)
            return p.stdout.split()

        self.assertEqual(complete(GOLEAK, "scan", "--format", ""), formats())
        self.assertEqual(complete(GOLEAK, "scan", "--new-from"),
                         ["--new-from-rev", "--new-from-patch"])
        self.assertIn("scan", complete(GOLEAK, "sc"))
        self.assertEqual(complete(GOLEAK, "explain", "GL01"),
                         [f"GL01{k}" for k in range(10)])
        self.assertEqual(complete(GOLEAK, "scan", "--rules", "GL005,GL02"),
                         [f"GL005,GL02{k}" for k in range(6)])


class Snippets(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp(prefix="goleak_docs_")
        self.bin = os.path.join(self.d, "bin")
        os.makedirs(self.bin)
        os.symlink(GOLEAK, os.path.join(self.bin, "goleak"))
        self.env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"])
        self.repo = os.path.join(self.d, "repo")
        os.makedirs(os.path.join(self.repo, "p"))
        self.write("p/a.go", LEAKY)

    def tearDown(self):
        shutil.rmtree(self.d)

    def write(self, name, text):
        path = os.path.join(self.repo, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return path

    def shell(self, line):
        return run(["bash", "-c", line], cwd=self.repo, env=self.env)

    def git(self, *args):
        subprocess.run(["git", "-C", self.repo, "-c", "user.name=t", "-c", "user.email=t@t",
                        *args], check=True, capture_output=True)

    def test_baseline(self):
        write, check = snippet("baseline").strip().splitlines()
        p = self.shell(write)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = self.shell(check)
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        self.write("p/b.go", LEAKY)
        p = self.shell(check)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(len(p.stdout.splitlines()), 2)

    def test_reviewdog(self):
        goleak_part = snippet("reviewdog").split("|")[0].strip()
        self.assertIn("-f=rdjsonl", snippet("reviewdog"))
        self.git("init", "-q", "-b", "main")
        self.git("add", ".")
        self.git("commit", "-q", "-m", "one")
        self.git("update-ref", "refs/remotes/origin/main", "HEAD")
        p = self.shell(goleak_part)
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        self.write("p/b.go", LEAKY)
        p = self.shell(goleak_part)
        self.assertEqual(p.returncode, 1, p.stderr)
        diags = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual(len(diags), 2)
        for d in diags:
            self.assertEqual(d["location"]["path"], "./p/b.go")
            self.assertIn(d["severity"], ("ERROR", "WARNING", "INFO"))
            self.assertGreater(d["location"]["range"]["start"]["line"], 0)

    def test_github_workflow(self):
        import jsonschema
        import yaml
        wf = yaml.safe_load(snippet("github-workflow"))
        self.assertEqual(wf["permissions"]["security-events"], "write")
        steps = wf["jobs"]["goleak"]["steps"]
        upload = [s for s in steps if s.get("uses", "").startswith(
            "github/codeql-action/upload-sarif@")]
        self.assertEqual(len(upload), 1)
        scan = [s for s in steps if s.get("name") == "Scan"][0]["run"]
        m = re.fullmatch(r"(goleak scan .*) > (\S+)\n?", scan)
        self.assertIsNotNone(m, scan)
        self.assertEqual(m.group(2), upload[0]["with"]["sarif_file"])
        p = self.shell(scan)
        self.assertEqual(p.returncode, 0, p.stderr)  # --exit-zero: the upload step runs
        with open(os.path.join(self.repo, m.group(2)), encoding="utf-8") as fh:
            log = json.load(fh)
        with open(SCHEMA, encoding="utf-8") as fh:
            jsonschema.validate(log, json.load(fh))
        results = log["runs"][0]["results"]
        self.assertEqual(len(results), 2)
        self.assertTrue(all(r["partialFingerprints"]["goleak/v1"] for r in results))

    def test_pre_commit(self):
        import yaml
        config = yaml.safe_load(snippet("pre-commit"))
        hook = config["repos"][0]["hooks"][0]
        hooks = {h["id"]: h for h in yaml.safe_load(read(".pre-commit-hooks.yaml"))}
        self.assertIn(hook["id"], hooks)
        entry = shlex.split(hooks[hook["id"]]["entry"]) + hook.get("args", [])
        self.assertEqual(self.shell("goleak scan --write-baseline .goleak-baseline.json .")
                         .returncode, 0)
        files = ["p/a.go"]
        p = run(entry + files, cwd=self.repo, env=self.env)
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        files.append(os.path.relpath(self.write("p/b.go", LEAKY), self.repo))
        p = run(entry + files, cwd=self.repo, env=self.env)
        self.assertEqual(p.returncode, 1, p.stderr)

    def test_vscode_task(self):
        tasks = json.loads(snippet("vscode"))
        task = tasks["tasks"][0]
        args = [a.replace("${workspaceFolder}", self.repo) for a in task["args"]]
        p = run([task["command"], *args], env=self.env)
        self.assertEqual(p.returncode, 0, p.stderr)  # --exit-zero
        pattern = task["problemMatcher"]["pattern"]
        rx = re.compile(pattern["regexp"])
        jl = run([GOLEAK, "scan", "--format", "jsonl", self.repo]).stdout.splitlines()
        want = [json.loads(line) for line in jl]
        lines = p.stdout.splitlines()
        self.assertEqual(len(lines), len(want))
        for line, f in zip(lines, want):
            m = rx.match(line)
            self.assertIsNotNone(m, line)
            self.assertEqual(m.group(pattern["file"]), f["file"])
            self.assertEqual(int(m.group(pattern["line"])), f["line"])
            self.assertEqual(int(m.group(pattern["column"])), f["column"])
            self.assertEqual(m.group(pattern["severity"]), f["severity"])
            self.assertTrue(m.group(pattern["message"]).startswith(f["message"]))

    def test_neovim_linter(self):
        luajit = shutil.which("luajit")
        if not luajit:
            self.skipTest("luajit is missing")
        lua = os.path.join(self.d, "linter.lua")
        with open(lua, "w", encoding="utf-8") as fh:
            fh.write(snippet("neovim"))
        path = os.path.join(self.repo, "p", "a.go")
        harness = r"""
local buffer, mode, out_file = arg[1], arg[2], arg[3]
local lint = { linters = {}, linters_by_ft = {} }
package.preload["lint"] = function() return lint end
vim = { diagnostic = { severity = { ERROR = 1, WARN = 2, INFO = 3, HINT = 4 } },
        api = { nvim_buf_get_name = function() return buffer end } }
dofile(arg[4])
local l = lint.linters.goleak
assert(lint.linters_by_ft.go[1] == "goleak")
if mode == "cmd" then
  assert(l.stdin == true and l.stream == "stdout" and l.ignore_exitcode == true)
  print(l.cmd)
  for _, a in ipairs(l.args) do print(type(a) == "function" and a() or a) end
else
  local fh = assert(io.open(out_file)); local output = fh:read("*a"); fh:close()
  for _, d in ipairs(l.parser(output, 0)) do
    print(table.concat({ d.lnum, d.col, d.severity, d.code, d.source, d.message }, "\t"))
  end
end
"""
        h = os.path.join(self.d, "harness.lua")
        with open(h, "w", encoding="utf-8") as fh:
            fh.write(harness)
        p = run([luajit, h, path, "cmd", "", lua])
        self.assertEqual(p.returncode, 0, p.stderr)
        cmd = p.stdout.splitlines()
        self.assertIn("--stdin-filename", cmd)
        self.assertEqual(cmd[cmd.index("--stdin-filename") + 1], path)
        # nvim-lint runs the command with the buffer on stdin: unsaved text, not the file
        self.write("p/a.go", "package p\n")
        p = run(cmd, input=LEAKY, env=self.env)
        self.assertEqual(p.returncode, 1, p.stderr)
        out = os.path.join(self.d, "out.txt")
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(p.stdout)
        p = run([luajit, h, path, "parse", out, lua])
        self.assertEqual(p.returncode, 0, p.stderr)
        got = [line.split("\t") for line in p.stdout.splitlines()]
        jl = run([GOLEAK, "scan", "--format", "jsonl", "--stdin-filename", path], input=LEAKY)
        want = [json.loads(line) for line in jl.stdout.splitlines()]
        self.assertEqual(len(got), 2)
        self.assertEqual(got, [[str(f["line"] - 1), str(f["column"] - 1), "2", f["rule"], "goleak",
                                f["message"]] for f in want])


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    GOLEAK, SRC, SCHEMA = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    unittest.main(argv=[sys.argv[0], "-v"])
