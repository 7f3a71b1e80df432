#!/usr/bin/env python3
"""Robustness tests of the goleak command: nothing crashes, hangs or is lost.
Deep directory chains and too long paths, long call chains (dump output
bounded), an else-if chain longer than the old nesting limit, files cut
short by the nesting limit (exit status), bad and long go.mod files, every
skipped path named once (stderr, json, sarif), --rules '', long and
overflowing --option values, a file named twice, SARIF URIs, control
characters in paths and messages, the size of json output's memory with
many bad files, the bounds' flags, and a tree in which good files sit
beside every kind of bad entry.

usage: test_robust.py GOLEAK SARIF_SCHEMA"""
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
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


def run(*args, stdin=None, cwd=None, timeout=300):
    p = subprocess.run([GOLEAK, *args], input=stdin, capture_output=True, cwd=cwd, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), p.stderr.decode("utf-8", "surrogateescape")


def jsonl(out):
    return [json.loads(line) for line in out.splitlines()]


class TempDir:
    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="goleak_robust_")

    def path(self, *names):
        return os.path.join(self.root, *names)

    def write(self, name, text, mode="w"):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as fh:
            fh.write(text)
        return path

    def close(self):
        # a chain deeper than PATH_MAX is removed from the bottom up
        subprocess.run(["rm", "-rf", self.root], check=False)


def make_chain(parent, depth, leaf_name=None, leaf_text=None):
    """depth nested one-letter directories under parent, created through
    directory descriptors (the whole path may exceed PATH_MAX); a file at
    the bottom. Returns the path of the bottom directory."""
    fd = os.open(parent, os.O_RDONLY)
    try:
        for _ in range(depth):
            try:
                os.mkdir("d", dir_fd=fd)
            except FileExistsError:
                pass
            nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
        if leaf_name:
            wfd = os.open(leaf_name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
            os.write(wfd, leaf_text.encode())
            os.close(wfd)
    finally:
        os.close(fd)
    return parent + "/d" * depth


def peak_rss_kb(args):
    """Runs goleak in a child of a fresh Python, so that the children's peak
    resident size is goleak's alone."""
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    # under AddressSanitizer freed blocks wait in a quarantine of 256 MB: the
    # peak would measure it, not goleak (ignored by a build without ASan)
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"), "quarantine_size_mb=0"]))
    out = subprocess.run([sys.executable, "-c", code, GOLEAK, *args], capture_output=True,
                         text=True, check=True, env=env).stdout
    return int(out)


class WalkTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()

    def tearDown(self):
        self.t.close()

    def test_deep_directory_chain(self):
        # 1,900 nested one-letter directories: a legal 3.8 KB path
        bottom = make_chain(self.t.root, 1900, "leak.go", TICKER)
        self.assertLess(len(bottom), 4096)
        code, out, err = run("scan", "--jobs", "2", self.t.root)
        self.assertEqual(code, 1, err)
        self.assertEqual(len(out.splitlines()), 1)
        self.assertIn("/d/d/leak.go:6:7: GL015", out)

    def test_path_too_long_is_named(self):
        make_chain(self.t.root, 2100, "leak.go", TICKER)
        self.t.write("good.go", TICKER)
        code, out, err = run("scan", "--format", "jsonl", self.t.root)
        self.assertEqual(code, 2)  # a directory could not be walked
        self.assertEqual([os.path.basename(f["file"]) for f in jsonl(out)], ["good.go"])
        lines = [l for l in err.splitlines() if "File name too long" in l]
        self.assertEqual(len(lines), 1, err[:2000])

    def test_skipped_paths_named_once(self):
        self.t.write("good.go", TICKER)
        os.symlink("missing.go", self.t.path("dangling.go"))
        os.symlink("loop2.go", self.t.path("loop1.go"))
        os.symlink("loop1.go", self.t.path("loop2.go"))
        os.mkfifo(self.t.path("fifo.go"))
        os.mkfifo(self.t.path("fifo_target"))
        os.symlink("fifo_target", self.t.path("to_fifo.go"))
        os.symlink("/dev/null", self.t.path("device.go"))
        bad = ["dangling.go", "device.go", "fifo.go", "loop1.go", "loop2.go", "to_fifo.go"]
        # named twice on the command line: still named once
        code, out, err = run("scan", "--format", "jsonl", self.t.root, self.t.path("fifo.go"))
        self.assertEqual(code, 2)
        self.assertEqual([os.path.basename(f["file"]) for f in jsonl(out)], ["good.go"])
        for name in bad:
            self.assertEqual(err.count(self.t.path(name) + ":"), 1, f"{name} in\n{err}")
        self.assertIn("dangling.go: dangling symbolic link", err)
        self.assertIn("loop1.go: symbolic link loop", err)
        self.assertIn("fifo.go: not a regular file", err)
        # and in the json document and the SARIF log
        code, out, _ = run("scan", "--format", "json", self.t.root)
        doc = json.loads(out)
        self.assertEqual(sorted(os.path.basename(e["file"]) for e in doc["errors"]), bad)
        self.assertTrue(all(e["level"] == "error" for e in doc["errors"]))
        code, out, _ = run("scan", "--format", "sarif", self.t.root)
        log = json.loads(out)
        self.validate_sarif(log)
        inv = log["runs"][0]["invocations"][0]
        self.assertFalse(inv["executionSuccessful"])
        uris = sorted(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[1]
                      for n in inv["toolExecutionNotifications"])
        self.assertEqual(uris, bad)

    def validate_sarif(self, log):
        import jsonschema

        with open(SCHEMA, encoding="utf-8") as fh:
            jsonschema.validate(log, json.load(fh))

    def test_file_named_twice_is_checked_once(self):
        a = self.t.write("a.go", TICKER)
        os.symlink("a.go", self.t.path("link_to_a.go"))
        listing = a + "\n" + a + "\n"
        code, out, _ = run("scan", "--format", "jsonl", a, a, self.t.root, "./" + os.path.relpath(a),
                           "-", stdin=listing.encode())
        self.assertEqual(code, 1)
        self.assertEqual(len(jsonl(out)), 1)
        # a directory named twice, too
        code, out, _ = run("scan", "--format", "jsonl", self.t.root, self.t.root + "/")
        self.assertEqual(len(jsonl(out)), 1)

    def test_stdin_lines_of_any_length(self):
        # a path of 5,000 bytes on stdin (not a file) is one path, named once
        long = self.t.path("x" * 200, *["y" * 200] * 24) + ".go"
        good = self.t.write("good.go", TICKER)
        code, out, err = run("scan", "--format", "jsonl", "-", stdin=(long + "\n" + good + "\n").encode())
        self.assertEqual(code, 2)
        self.assertEqual(len(jsonl(out)), 1)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(long + ": File name too long", err)


class DeepInputTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()

    def tearDown(self):
        self.t.close()

    def read_capped(self, args, cap):
        """Runs goleak and counts its output, killing it past cap bytes."""
        with subprocess.Popen([GOLEAK, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as p:
            n = 0
            while True:
                chunk = p.stdout.read(1 << 20)
                if not chunk:
                    break
                n += len(chunk)
                if n > cap:
                    p.kill()
                    break
            p.wait()
        return n

    def test_dump_of_a_long_call_chain_is_bounded(self):
        for links in (99000, 200000):
            path = self.t.write(f"chain{links}.go", "package p\n\nfunc g() {\n\tx := f" + "()" * links + "\n\t_ = x\n}\n")
            n = self.read_capped(["dump", path], 200 << 20)
            # the output grows with the nodes, not with their depth
            self.assertLess(n, 40 << 20, f"{links} links: {n} bytes")

    def test_dump_keeps_indentation_of_normal_depths(self):
        path = self.t.write("a.go", "package p\n\nfunc f() {\n\tif true {\n\t\tg()\n\t}\n}\n")
        code, out, _ = run("dump", path)
        self.assertIn("\n        block.body 4:10-6:3 key={\n          exprstmt 5:3-5:6\n", out)

    def test_else_if_chain_keeps_later_findings(self):
        src = "package p\n\nfunc g(x int) {\n\tif x == 0 {\n\t}"
        src += "".join(f" else if x == {i} {{\n\t}}" for i in range(1, 1500))
        src += "\n}\n\n" + TICKER.split("\n", 3)[3]
        src = src.replace("package p\n", "package p\n\nimport \"time\"\n", 1)
        path = self.t.write("elseif.go", src)
        code, out, err = run("scan", "--quiet", path)
        self.assertEqual(code, 1, err)
        self.assertIn("GL015 ticker-not-stopped", out)
        self.assertEqual(err, "")

    def test_file_cut_short_by_the_nesting_limit(self):
        depth = 100002
        src = TICKER + "\nvar deep = " + "(" * depth + "1" + ")" * depth + "\n"
        path = self.t.write("deep.go", src)
        code, out, err = run("scan", path)
        # the finding before the cut is reported; the exit status says the
        # file was checked only in part
        self.assertEqual(code, 2)
        self.assertIn("GL015", out)
        self.assertIn("deep.go:12:", err)
        self.assertIn("exceeded max nesting depth", err)
        # within a larger --max-depth the file is whole
        code, _, err = run("scan", "--max-depth", "200000", path)
        self.assertEqual(code, 1, err)
        code, _, err = run("scan", "--max-depth", "10", path)
        self.assertEqual(code, 2)

    def test_bounds_flags(self):
        big = self.t.write("big.go", TICKER + "// " + "x" * 70000 + "\n")
        code, out, err = run("scan", "--max-file-size", "64K", big)
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        size = os.path.getsize(big)
        self.assertIn(f"{big}: file of {size} bytes is over the maximum file size of 65536 bytes", err)
        self.assertEqual(run("scan", "--max-file-size", "1M", big)[0], 1)
        code, _, err = run("scan", "--max-tokens", "20", big)
        self.assertEqual(code, 2)
        self.assertIn(f"{big}: more than 20 tokens (the maximum per file)", err)
        self.assertEqual(run("scan", "--max-tokens", "100", big)[0], 1)
        for bad in ("0", "-1", "1X", "", "99999999999999999999", "5G"):
            self.assertEqual(run("scan", "--max-file-size", bad, big)[0], 2, bad)
        for flag in ("--max-tokens", "--max-depth"):
            for bad in ("0", "x", "1K", "99999999999999999999"):
                self.assertEqual(run("scan", flag, bad, big)[0], 2, (flag, bad))


class NoPackageClauseTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()

    def tearDown(self):
        self.t.close()

    def test_field_name_as_first_token(self):
        # a file whose first token is an identifier that also names a
        # registered callback field: the callback lookup must not read the
        # token before the first one
        src = (
            "observers = 1\n"
            "type H struct{ mu sync.Mutex; observers []func() }\n"
            "func (h *H) Add(o func()) { h.observers = append(h.observers, o) }\n"
            "func (h *H) Fire() { h.mu.Lock(); defer h.mu.Unlock(); for _, o := range h.observers { o() } }\n"
        )
        path = self.t.write("nopkg.go", src)
        code, _, err = run("scan", path)
        self.assertIn(code, (0, 1, 2), err)
        self.assertIn("nopkg.go:1:1: expected 'package'", err)


class GoModTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()

    def tearDown(self):
        self.t.close()

    def test_bad_go_line_is_one_warning(self):
        gomod = self.t.write("m/go.mod", "module example.com/m\n\ngo banana\n")
        self.t.write("m/a.go", AFTER)
        self.t.write("m/sub/b.go", AFTER)
        code, out, err = run("scan", "--format", "jsonl", self.t.root)
        # the version is unknown, as without a go.mod: the findings stay
        self.assertEqual(code, 1, err)
        found = jsonl(out)
        self.assertEqual(len(found), 2)
        self.assertTrue(all("unknown" in f["message"] for f in found))
        self.assertEqual(err.count("go.mod"), 1, err)
        self.assertIn(f"goleak: warning: {gomod}:3:4: invalid go version \"banana\"", err)
        code, out, _ = run("scan", "--format", "json", self.t.root)
        [e] = json.loads(out)["errors"]
        self.assertEqual((e["file"], e["level"]), (gomod, "warning"))

    def test_long_line_is_not_a_go_line(self):
        # before: a line was read 511 bytes at a time, so this line's tail
        # was taken for a go line
        self.t.write("go.mod", "module m\n// " + "x" * 508 + "go 1.30\ngo 1.22\n")
        self.t.write("a.go", AFTER)
        code, out, err = run("scan", "--format", "jsonl", self.t.root)
        self.assertEqual(code, 1, err)
        [f] = jsonl(out)
        self.assertEqual(f["rule"], "GL016")
        self.assertNotIn("unknown", f["message"])


class OptionsTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()
        self.big = self.t.write("a.go", "package p\nfunc f(b [4096]byte) {}\n")

    def tearDown(self):
        self.t.close()

    def test_empty_rule_list_is_a_usage_error(self):
        for empty in ("", " ", ",", " , "):
            code, out, err = run("scan", "--rules", empty, self.big)
            self.assertEqual(code, 2, repr(empty))
            self.assertIn("--rules names no rule", err)
        self.assertEqual(run("scan", "--rules", "all", "--option", "GL004.threshold=4096", self.big)[0], 1)

    def test_long_option_value_is_whole(self):
        value = "0" * 300 + "4096"
        code, out, err = run("scan", "--option", "GL004.threshold=" + value, self.big)
        self.assertEqual(code, 1, err)
        self.assertIn("GL004", out)

    def test_overflowing_threshold_is_refused(self):
        code, _, _ = run("scan", "--option", "GL004.threshold=99999999999999999999", self.big)
        self.assertEqual(code, 2)


class OutputTest(unittest.TestCase):
    def setUp(self):
        self.t = TempDir()

    def tearDown(self):
        self.t.close()

    def test_sarif_uris_are_percent_encoded(self):
        import jsonschema

        names = ["a b.go", "a%20b.go", "c#d.go", "e?f.go", "g:h.go", "é.go"]
        for name in names:
            self.t.write(name, TICKER)
        code, out, _ = run("scan", "--format", "sarif", self.t.root)
        log = json.loads(out)
        with open(SCHEMA, encoding="utf-8") as fh:
            jsonschema.validate(log, json.load(fh))
        uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[1]
                      for r in log["runs"][0]["results"])
        self.assertEqual(uris, ["%C3%A9.go", "a%20b.go", "a%2520b.go", "c%23d.go", "e%3Ff.go", "g%3Ah.go"])

    def test_control_characters_cannot_forge_lines(self):
        name = "x.go\n/etc/passwd:1:1: GL015 ticker-not-stopped: forged\n.go"
        self.t.write(name, TICKER)
        self.t.write("bad\x1b[31m.go", "package p\n#\n")
        code, out, err = run("scan", self.t.root)
        self.assertEqual(code, 1)
        self.assertEqual(len(out.splitlines()), 1, out)
        self.assertIn("x.go\\x0a/etc/passwd:1:1: GL015 ticker-not-stopped: forged\\x0a.go:6:7: GL015", out)
        self.assertNotIn("\x1b", err)
        self.assertIn("bad\\x1b[31m.go:2:1: illegal character", err)
        # json keeps the real name
        code, out, _ = run("scan", "--format", "jsonl", self.t.root)
        self.assertEqual(jsonl(out)[0]["file"], self.t.path(name))

    def test_json_memory_does_not_grow_with_errors(self):
        # 3,000 files of 300 lexical errors each: 900,000 errors in the
        # json document and the SARIF log, none of them kept in memory
        # (before: 110 MB at the peak, against 5 MB in text mode)
        for k in range(3000):
            self.t.write(f"g/bad{k:04d}.go", "package p\n" + "#" * 300 + "\n")
        # (compared with text mode's: sanitizers keep freed memory a while)
        text = peak_rss_kb(["scan", "--format", "text", "--jobs", "2", self.t.path("g")])
        for fmt in ("json", "sarif"):
            kb = peak_rss_kb(["scan", "--format", fmt, "--jobs", "2", self.t.path("g")])
            self.assertLess(kb, text + 16 * 1024, f"{fmt}: peak {kb} KB, text {text} KB")
        p = subprocess.run([GOLEAK, "scan", "--format", "json", "--jobs", "2", self.t.path("g")],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.assertEqual(p.returncode, 0)
        self.assertGreaterEqual(p.stdout.count(b'"level":"error"'), 3000 * 300)
        self.assertTrue(p.stdout.endswith(b',"files":3000}\n'))


class NothingLostTest(unittest.TestCase):
    """Good files beside every kind of bad entry: the good files' findings
    are exactly those of a clean tree, and each bad entry is named once."""

    GOOD = {"a.go": TICKER, "sub/b.go": AFTER, "sub/deeper/c.go": TICKER, "clean.go": "package p\n"}

    def test_nothing_lost(self):
        clean, mixed = TempDir(), TempDir()
        try:
            for t in (clean, mixed):
                for name, text in self.GOOD.items():
                    t.write(name, text)
            m = mixed
            bad = {}
            if os.getuid() == 0:
                # root reads any file: this one fails to read (EIO) instead
                os.symlink("/proc/self/mem", m.path("unreadable.go"))
            else:
                m.write("unreadable.go", TICKER)
                os.chmod(m.path("unreadable.go"), 0)
            bad["unreadable.go"] = "unreadable.go: "
            os.makedirs(m.path("dir.go"))
            bad["dir.go"] = "dir.go: a directory named like a Go file"
            os.mkfifo(m.path("fifo.go"))
            bad["fifo.go"] = "fifo.go: not a regular file"
            os.symlink("nowhere.go", m.path("dangling.go"))
            bad["dangling.go"] = "dangling.go: dangling symbolic link"
            m.write("binary.go", "package p\n\x00\x01\x02" + "\x00" * 5000)
            bad["binary.go"] = "binary.go: binary file"
            m.write("oversize.go", TICKER + "// " + "x" * 70000 + "\n")
            size = os.path.getsize(m.path("oversize.go"))
            bad["oversize.go"] = f"oversize.go: file of {size} bytes is over the maximum file size"
            m.write("sub/go.mod", "module m\n\ngo banana\n")
            bad["sub/go.mod"] = "sub/go.mod:3:4: invalid go version"
            make_chain(m.root, 2100, "deep.go", TICKER)
            bad["d/d/d/d"] = "File name too long"
            args = ["scan", "--format", "jsonl", "--max-file-size", "64K", "--jobs", "2"]
            _, want, _ = run(*args, clean.root)
            code, got, err = run(*args, mixed.root)
            self.assertEqual(code, 2)
            rel = lambda out, root: sorted((os.path.relpath(f["file"], root), f["line"], f["rule"], f["message"])
                                           for f in jsonl(out))
            self.assertEqual(rel(got, mixed.root), rel(want, clean.root))
            self.assertEqual(len(jsonl(want)), 3)
            for name, says in bad.items():
                lines = [l for l in err.splitlines() if m.path(name) in l]
                if name == "d/d/d/d":
                    lines = [l for l in err.splitlines() if says in l]
                self.assertEqual(len(lines), 1, f"{name}:\n{err[:3000]}")
                self.assertIn(says, lines[0])
            self.assertEqual(len(err.splitlines()), len(bad), err[:3000])
        finally:
            clean.close()
            mixed.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    GOLEAK, SCHEMA = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v", *sys.argv[3:]])
