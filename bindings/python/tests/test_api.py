"""The Python binding's surface: units, tokens, nodes, engines, findings,
rules written in Python, threads and the error paths.

Environment: PYTHONPATH holds the built package; GOLEAK_CLI is the goleak
command; GOLEAK_SOURCE_DIR the repository."""
import gc
import json
import os
import subprocess
import tempfile
import threading
import unittest
import weakref

import goleak

SRC = os.environ.get("GOLEAK_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../../.."))
CLI = os.environ.get("GOLEAK_CLI", "goleak")
FIXTURES = os.path.join(SRC, "bindings", "tests", "fixtures")
EXAMPLES = os.path.join(SRC, "examples")

TICKER = """package main

import "time"

// poll never stops its ticker
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


def http_body_rule(check):
    """A rule written in Python with the library's queries: the body of an
    http.Get response not closed on some path (a return of err hands off)."""
    for call in check.unit.root.walk():
        if call.kind != "call" or not check.call_is(call, "net/http", "Get"):
            continue
        stmt = call.ancestor("assign")
        if stmt is None:
            continue
        result, at = check.release_path(
            stmt,
            release=lambda c: c.text.endswith(".Body.Close()"),
            hands_off=lambda ret: any(x.text in ("err", "resp") for x in ret.children))
        if result != "released":
            check.report(call, f"response body not closed ({result} at line {at.line})")


class Units(unittest.TestCase):
    def test_tokens(self):
        u = goleak.parse(TICKER, "t.go")
        toks = u.tokens
        self.assertEqual((u.package_name, goleak.parse("// no clause\n").package_name), ("main", None))
        self.assertEqual(toks[0].kind, "package")
        self.assertEqual((toks[0].line, toks[0].column, toks[0].offset), (1, 1, 0))
        self.assertEqual(toks[1].text, "main")
        self.assertEqual(toks[1].kind, "IDENT")
        self.assertEqual(toks[-1].kind, "EOF")
        self.assertEqual(len(list(toks)), len(toks))
        self.assertTrue(toks[2].automatic)  # the semicolon after main
        self.assertIn("IDENT", repr(toks[1]))
        self.assertEqual(toks[0:2][1], toks[1])
        self.assertEqual(u.token_at(8).text, "main")
        self.assertEqual(u.token(1), toks[1])
        self.assertEqual(u.path, "t.go")
        self.assertEqual(u.source, TICKER)
        self.assertEqual(u.line_count, TICKER.count("\n") + 1)

    def test_comments_and_diagnostics(self):
        u = goleak.parse(TICKER)
        self.assertEqual([c.text for c in u.comments], ["// poll never stops its ticker"])
        self.assertEqual(u.comments[0].line, 5)
        self.assertEqual(len(u.diagnostics), 0)
        bad = goleak.parse("package p\nfunc f() { x := # }\n")
        d = list(bad.diagnostics)
        self.assertTrue(d and d[0].lexical and d[0].line == 2, d)
        self.assertIn("illegal character", d[0].message)

    def test_bytes_and_invalid_utf8(self):
        u = goleak.parse(b"package p\nvar s = \"\xff\"\n")
        self.assertEqual(u.tokens[6].text, '"\udcff"')  # surrogate escape, no exception

    def test_nodes(self):
        u = goleak.parse(TICKER)
        root = u.root
        self.assertEqual(root.kind, "file")
        self.assertIsNone(root.parent)
        kinds = [c.kind for c in root.children]
        self.assertEqual(kinds, ["package", "gendecl", "func"])
        fn = root.children[2]
        self.assertEqual(fn.key_token.text, "poll")
        self.assertEqual((fn.line, fn.column, fn.end_line), (6, 1, 15))
        self.assertEqual(fn.child("body").kind, "block")
        self.assertEqual(fn.child("body").role, "body")
        walked = list(root.walk())
        self.assertEqual(len(walked), u.node_count)
        self.assertEqual(walked[0], root)
        call = next(n for n in walked if n.kind == "call")
        self.assertEqual(call.text, "time.NewTicker(time.Second)")
        self.assertEqual(call.parent.parent.kind, "assign")
        self.assertEqual(call.ancestor("func"), fn)
        self.assertIsNone(call.ancestor("for"))
        self.assertEqual(u.node(call.id), call)
        self.assertEqual(hash(u.node(call.id)), hash(call))
        self.assertEqual(u.node_at(call.key_token), call)
        self.assertEqual(call.tokens[0].text, "time")
        self.assertEqual(call.pos[1:], (7, 22))  # go/ast: the call's (
        self.assertIn("call", repr(call))
        self.assertEqual(len(list(fn.walk())), 1 + sum(len(list(c.walk())) for c in fn.children))
        sel = next(n for n in walked if n.kind == "select")
        self.assertEqual([c.kind for c in sel.children], ["comm", "comm"])
        self.assertEqual(goleak.parse("package p\nfunc (T) m() {}\n").root.children[1].flags,
                         {"method"})

    def test_nodes_keep_their_unit(self):
        u = goleak.parse(TICKER)
        ref = weakref.ref(u)
        node = u.root.children[2]
        tok = u.tokens[3]
        del u
        gc.collect()
        self.assertIsNotNone(ref())  # the node holds it
        self.assertEqual(node.key_token.text, "poll")
        self.assertEqual(tok.text, "import")
        del node, tok
        gc.collect()
        self.assertIsNone(ref())  # freed once nothing holds it

    def test_truncated(self):
        self.assertFalse(goleak.parse(TICKER).truncated)
        deep = "package p\nvar x = " + "(" * 100100 + "1" + ")" * 100100 + "\n"
        u = goleak.parse(deep)
        self.assertTrue(u.truncated)
        self.assertTrue(any("depth" in d.message for d in u.diagnostics))

    def test_tokens_only(self):
        u = goleak.parse(TICKER, tokens_only=True)
        self.assertIsNone(u.root)
        self.assertGreater(len(u.tokens), 10)
        with self.assertRaises(goleak.Error) as cm:
            goleak.Engine().check(u)
        self.assertEqual(cm.exception.code, -2)

    def test_out_of_range(self):
        u = goleak.parse(TICKER)
        with self.assertRaises(IndexError):
            u.tokens[10 ** 6]
        with self.assertRaises(IndexError):
            u.comments[1]
        with self.assertRaises(IndexError):
            u.diagnostics[0]
        self.assertIsNone(u.node(10 ** 9))
        self.assertIsNone(u.token_at(10 ** 6))
        with self.assertRaises(ValueError):
            u.root.child("nosuchrole")
        with self.assertRaises(ValueError):
            u.root.ancestor("nosuchkind")
        with self.assertRaises(TypeError):
            goleak.parse(42)


class Engines(unittest.TestCase):
    def test_version(self):
        out = subprocess.run([CLI, "--version"], capture_output=True, text=True).stdout
        self.assertIn(goleak.__version__, out)
        self.assertEqual(goleak.Error.__module__ + "." + goleak.Error.__name__, "goleak.Error")

    def test_rules(self):
        e = goleak.Engine()
        ids = [r.id for r in e.rules]
        self.assertIn("GL015", ids)
        r = e["GL015"]
        self.assertEqual((r.name, r.severity, r.origin, r.language),
                         ("ticker-not-stopped", "warning", "builtin", None))
        self.assertTrue(r.summary and r.doc and r.enabled)
        self.assertEqual(e["ticker-not-stopped"].id, "GL015")
        opt = e["GL004"].options[0]
        self.assertEqual((opt.key, opt.type, opt.default), ("threshold", "int", "65536"))
        self.assertNotIn("GL999", e)
        with self.assertRaises(KeyError):
            e["GL999"]
        self.assertEqual(goleak.Engine(builtin=False, default_packs=False).rules, [])

    def test_check_source(self):
        e = goleak.Engine()
        found = e.check_source(TICKER, "t.go")
        self.assertEqual(len(found), 1)
        f = found[0]
        self.assertEqual((f.rule, f.name, f.severity, f.path), ("GL015", "ticker-not-stopped",
                                                               "warning", "t.go"))
        self.assertEqual((f.line, f.column, f.end_line, f.end_column), (7, 8, 7, 35))
        self.assertIn("never stopped", f.message)
        self.assertIn("Go version is unknown", f.message)
        self.assertEqual(f.to_dict()["file"], "t.go")
        self.assertEqual(set(f.to_dict()), {"file", "line", "column", "end_line", "end_column",
                                            "offset", "rule", "name", "severity", "message",
                                            "symbol", "fingerprint"})
        self.assertRegex(f.fingerprint, r"^[0-9a-f]{16}$")
        self.assertIn("GL015", repr(f))
        self.assertTrue(str(f).startswith("t.go:7:8: GL015 ticker-not-stopped: "))
        self.assertEqual(e.check_source(TICKER, "t.go", go_version="1.23"), [])

    def test_check_file_reads_go_mod(self):
        e = goleak.Engine()
        path = os.path.join(FIXTURES, "mod", "ticker.go")
        found = e.check_file(path)
        self.assertEqual(len(found), 1)
        self.assertNotIn("unknown", found[0].message)  # go.mod says 1.22
        self.assertEqual(goleak.go_version_for_path(os.path.join(FIXTURES, "mod")), "1.22")
        self.assertIsNone(goleak.go_version_for_path("/"))
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "go.mod"), "w") as fh:
                fh.write("module m\n\ngo banana\n")
            with self.assertRaises(goleak.FormatError) as cm:
                goleak.go_version_for_path(d)
            err = cm.exception
            self.assertEqual((err.code, err.path, err.line), (-4, os.path.join(d, "go.mod"), 3))
            with open(os.path.join(d, "t.go"), "w") as fh:
                fh.write(TICKER)
            # a check, as goleak scan, takes the version as unknown, with a warning
            with self.assertWarns(goleak.ScanWarning) as cm:
                found = e.check_file(os.path.join(d, "t.go"))
            self.assertIn("unknown", found[0].message)
            self.assertEqual(str(cm.warning), err.message)
            self.assertEqual(cm.filename, __file__)

    def test_enable_disable_options(self):
        e = goleak.Engine()
        e.disable("GL015")
        self.assertFalse(e["GL015"].enabled)
        self.assertEqual(e.check_source(TICKER), [])
        e.enable(["GL015"])
        self.assertEqual(len(e.check_source(TICKER)), 1)
        e.disable("all")
        e.enable("GL004,GL015")
        self.assertEqual([r.id for r in e.rules if r.enabled], ["GL004", "GL015"])
        big = "package p\ntype Big [100000]byte\nfunc f(b Big) {}\n"
        self.assertEqual(len(e.check_source(big)), 1)
        e.set_option("GL004.threshold", 131072)
        self.assertEqual(e.check_source(big), [])
        e.set_option("GL004", "threshold", "65536")
        self.assertEqual(len(e.check_source(big)), 1)

    def test_errors(self):
        e = goleak.Engine()
        with self.assertRaises(goleak.NotFoundError) as cm:
            e.enable("GL999")
        self.assertEqual(cm.exception.code, -8)
        self.assertIn("GL999", str(cm.exception))
        with self.assertRaises(goleak.Error) as cm:
            e.set_option("GL004.threshold", "many")
        self.assertEqual(cm.exception.code, -2)
        with self.assertRaises(goleak.Error):
            e.set_option("GL004.nosuchkey", 1)
        with self.assertRaises(ValueError):
            e.set_option("threshold", 1)
        with self.assertRaises(goleak.Error) as cm:
            e.check_source(TICKER, go_version="2.x")
        self.assertEqual(cm.exception.code, -2)
        with self.assertRaises(goleak.Error) as cm:
            goleak.parse_file("/nonexistent/x.go")
        err = cm.exception
        self.assertEqual((err.code, err.path, err.line, err.column), (-3, "/nonexistent/x.go", 0, 0))
        with self.assertRaises(goleak.Error) as cm:
            e.check_file("/nonexistent/x.go")
        self.assertEqual(cm.exception.code, -3)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "locked.go")
            with open(p, "w") as fh:
                fh.write(TICKER)
            os.chmod(p, 0)
            if os.geteuid() != 0:  # root reads anything
                with self.assertRaises(goleak.Error):
                    e.check_file(p)



PACK_DIR = os.path.join(FIXTURES, "pack")
TEAM = os.path.join(PACK_DIR, "team.yml")
# Bad packs, with where the library must point: (name, text, line, column).
BAD_PACKS = [
    # YAML syntax: a flow sequence never closed; libyaml sees it at the end
    ("syntax.yml", "format: 1\nname: bad\nrules:\n  - id: BD001\n    name: [unclosed\n", 6, 1),
    # an unknown key, at the key
    ("key.yml", "format: 1\nname: bad-key\nrules:\n  - id: BD002\n    name: sleep\n"
     "    summary: s\n    message: m\n    colour: red\n    match: time.Sleep($D)\n", 8, 5),
    # a regex that does not compile, at the offset PCRE2 names inside it
    ("regex.yml", "format: 1\nname: bad-regex\nrules:\n  - id: BD003\n    name: sleep-regex\n"
     "    summary: s\n    message: m\n    match:\n      pattern: time.Sleep($D)\n"
     "      where:\n        - metavariable: $D\n          regex: \"(unclosed\"\n", 12, 28),
]


def rules_json(*args):
    p = subprocess.run([CLI, "rules", "--json", "--no-config", *args], capture_output=True,
                       text=True)
    return p.returncode, json.loads(p.stdout) if p.returncode == 0 else p.stderr


class Packs(unittest.TestCase):
    def test_default_packs_are_the_commands(self):
        rc, want = rules_json()
        self.assertEqual(rc, 0)
        e = goleak.Engine()
        self.assertEqual([(r.id, r.name, r.origin, r.origin_path) for r in e.rules],
                         [(r["id"], r["name"], r["origin"], r.get("pack")) for r in want])
        self.assertEqual({r.id for r in e.rules if r.origin == "pack"},
                         {"GL030", "GL031", "GL032", "GL033", "GL034", "GL035", "GL036", "GL037",
                          "GL038", "GL039"})
        self.assertTrue(e["GL030"].origin_path.endswith("/resources.yml"))
        self.assertTrue(e["GL030"].doc)
        self.assertIsNone(e["GL015"].origin_path)
        rc, want = rules_json("--no-default-packs")
        self.assertEqual([(r.id, r.origin) for r in goleak.Engine(default_packs=False).rules],
                         [(r["id"], r["origin"]) for r in want])
        self.assertEqual([r.id for r in goleak.Engine(builtin=False).rules],
                         ["GL030", "GL031", "GL032", "GL033", "GL034", "GL035", "GL036", "GL037",
                          "GL038", "GL039"])

    def test_default_packs_missing_or_elsewhere(self):
        saved = os.environ.get("GOLEAK_RULES_DIR")
        try:
            os.environ["GOLEAK_RULES_DIR"] = "/nonexistent/rules"
            with self.assertRaises(goleak.PackError) as cm:
                goleak.Engine()
            err = cm.exception
            self.assertEqual((err.code, err.path), (-8, "/nonexistent/rules"))
            # the command stops the same way, with the same message
            rc, stderr = rules_json()
            self.assertEqual((rc, stderr), (2, f"goleak: {err}\n"))
            e = goleak.Engine(default_packs=False)  # what does without them
            self.assertTrue("GL015" in e and "GL030" not in e)
            os.environ["GOLEAK_RULES_DIR"] = PACK_DIR  # a directory of one's own
            e = goleak.Engine()
            self.assertEqual(e["TM001"].origin_path, os.path.join(PACK_DIR, "team.yml"))
            self.assertNotIn("GL030", e)
        finally:
            if saved is None:
                del os.environ["GOLEAK_RULES_DIR"]
            else:
                os.environ["GOLEAK_RULES_DIR"] = saved

    def test_load_pack_file_dir_and_string(self):
        handlers = os.path.join(PACK_DIR, "team.go")
        e = goleak.Engine()
        n = len(e.rules)
        added = e.load_pack(TEAM)
        self.assertEqual([(r.id, r.origin, r.origin_path, r.enabled, r.severity, r.language)
                          for r in added], [("TM001", "pack", TEAM, True, "info", None)])
        self.assertEqual(e.rules[n:], added)
        found = e.check_file(handlers)
        self.assertEqual([(f.rule, f.line, f.column) for f in found], [("TM001", 11, 2)])
        self.assertIn("in handler slow", found[0].message)
        # the command with --pack finds the same
        p = subprocess.run([CLI, "scan", "--no-config", "--format", "jsonl", "--pack", TEAM,
                            handlers], capture_output=True, text=True)
        self.assertEqual([f.to_dict() for f in found],
                         [json.loads(line) for line in p.stdout.splitlines()])
        # a directory: every pack of it
        self.assertEqual([r.id for r in goleak.Engine(builtin=False, default_packs=False)
                          .load_pack(PACK_DIR)], ["TM001"])
        # a string: name labels it
        with open(TEAM) as fh:
            text = fh.read()
        e2 = goleak.Engine(builtin=False, default_packs=False)
        self.assertEqual(e2.check_file(handlers), [])
        (rule,) = e2.load_pack_string(text, "team-string.yml")
        self.assertEqual((rule.id, rule.origin, rule.origin_path), ("TM001", "pack",
                                                                    "team-string.yml"))
        self.assertEqual([f.to_dict() for f in e2.check_file(handlers)],
                         [f.to_dict() for f in found])
        e3 = goleak.Engine(builtin=False, default_packs=False)
        self.assertEqual([r.id for r in e3.load_pack_string(text.encode())], ["TM001"])  # bytes
        self.assertEqual(e3["TM001"].origin_path, "<string>")
        e2.disable("TM001")
        self.assertEqual(e2.check_file(handlers), [])

    def test_bad_packs_raise_with_their_position(self):
        e = goleak.Engine()
        before = [r.id for r in e.rules]
        with tempfile.TemporaryDirectory() as d:
            for name, text, line, column in BAD_PACKS:
                path = os.path.join(d, name)
                with open(path, "w") as fh:
                    fh.write(text)
                # the command points at the same place
                p = subprocess.run([CLI, "validate", path], capture_output=True, text=True)
                self.assertNotEqual(p.returncode, 0)
                self.assertTrue(p.stdout.startswith(f"{path}:{line}:{column}: ") or
                                p.stderr.startswith(f"{path}:{line}:{column}: "), p)
                for load, where in ((lambda: e.load_pack(path), path),
                                    (lambda: e.load_pack_string(text, name), name)):
                    with self.assertRaises(goleak.PackError) as cm:
                        load()
                    err = cm.exception
                    self.assertIsInstance(err, goleak.Error)
                    self.assertEqual((err.code, err.path, err.line, err.column),
                                     (-4, where, line, column), name)
                    self.assertTrue(str(err).startswith(f"{where}:{line}:{column}: "), str(err))
                    self.assertEqual(err.message, str(err))
            # a directory is all or nothing: team.yml beside a bad pack adds nothing
            with open(TEAM) as src, open(os.path.join(d, "a_team.yml"), "w") as dst:
                dst.write(src.read())
            with self.assertRaises(goleak.PackError) as cm:
                e.load_pack(d)
            self.assertEqual(cm.exception.path, os.path.join(d, "key.yml"))
        self.assertEqual([r.id for r in e.rules], before)  # nothing registered
        e.load_pack(TEAM)
        with self.assertRaises(goleak.PackError) as cm:  # TM001 again
            e.load_pack(TEAM)
        self.assertEqual((cm.exception.code, cm.exception.path), (-10, TEAM))
        self.assertGreater(cm.exception.line, 0)
        with self.assertRaises(goleak.PackError) as cm:
            e.load_pack("/nonexistent/team.yml")
        self.assertEqual((cm.exception.code, cm.exception.path), (-3, "/nonexistent/team.yml"))
        with self.assertRaises(TypeError):
            e.load_pack_string(42, "x.yml")


class Writers(unittest.TestCase):
    def test_formats_files_and_failures(self):
        e = goleak.Engine()
        handlers = os.path.join(FIXTURES, "pack", "team.go")
        ticker = os.path.join(FIXTURES, "mod", "ticker.go")
        # jsonl: a line per finding, as the command's, to a text file as it comes
        with tempfile.TemporaryFile("w+") as fh:
            w = goleak.Writer("jsonl", file=fh)
            found = e.check_file(ticker, writer=w)
            w.finish()
            self.assertEqual(w.output(), "")
            fh.seek(0)
            self.assertEqual([json.loads(line) for line in fh], [f.to_dict() for f in found])
        p = subprocess.run([CLI, "scan", "--no-config", "--format", "jsonl", ticker],
                           capture_output=True, text=True)
        self.assertEqual([json.loads(line) for line in p.stdout.splitlines()],
                         [f.to_dict() for f in found])
        # SARIF in memory, the engine's rules listed, Python and pack rules included
        e.load_pack(TEAM)
        e.add_rule("PY010", "nothing", lambda check: None, summary="finds nothing")
        w = goleak.Writer("sarif", e)
        e.check_file(handlers, writer=w)
        e.check_source(TICKER, "t.go", writer=w)
        w.add_error("gone.go", "gone.go: no such file")
        w.add_error("t.go", "expected ';'", line=3, column=2)
        w.add_error("go.mod", "go.mod:3:4: invalid go version", level="warning")
        w.finish(successful=False)
        run = json.loads(w.output())["runs"][0]
        ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        self.assertEqual(ids, [r.id for r in e.rules])
        self.assertEqual([(r["ruleId"], ids[r["ruleIndex"]]) for r in run["results"]],
                         [("TM001", "TM001"), ("GL015", "GL015")])
        inv = run["invocations"][0]
        self.assertFalse(inv["executionSuccessful"])
        self.assertEqual([(n["level"], n["message"]["text"]) for n in inv["toolExecutionNotifications"]],
                         [("error", "gone.go: no such file"), ("error", "expected ';'"),
                          ("warning", "go.mod:3:4: invalid go version")])
        # json: the files counted
        w = goleak.Writer("json")
        e.check_source(TICKER, "t.go", writer=w)
        w.finish()
        doc = json.loads(w.output())
        self.assertEqual((doc["files"], len(doc["findings"]), doc["errors"]), (1, 1, []))
        # a binary file
        with tempfile.TemporaryFile("w+b") as fh:
            w = goleak.Writer("text", file=fh)
            e.check_source(TICKER, "t.go", writer=w)
            w.flush()
            fh.seek(0)
            self.assertTrue(fh.read().startswith(b"t.go:7:8: GL015 ticker-not-stopped: "))

        class Broken:
            def write(self, data):
                raise OSError(28, "No space left on device")

        w = goleak.Writer("jsonl", file=Broken())
        with self.assertRaises(OSError) as cm:
            e.check_source(TICKER, "t.go", writer=w)
            w.finish()
        self.assertEqual(cm.exception.errno, 28)
        with self.assertRaises(goleak.Error):  # a writer that failed keeps failing
            w.finish()
        with self.assertRaises(ValueError):
            goleak.Writer("xml")
        with self.assertRaises(ValueError):
            goleak.Writer("json").add_error("x.go", "m", level="fatal")


class PythonRules(unittest.TestCase):
    def test_rule_finds_a_leak_in_a_fixture(self):
        e = goleak.Engine(builtin=False, default_packs=False)
        rule = e.add_rule("PY100", "http-body-not-closed", http_body_rule, severity="error",
                          summary="an HTTP response body not closed",
                          triggers="import:net/http")
        self.assertEqual((rule.origin, rule.language, rule.origin_path, rule.severity,
                          rule.triggers), ("api", "python", None, "error", "import:net/http"))
        found = e.check_file(os.path.join(FIXTURES, "body_leak.go"))
        self.assertEqual([(f.rule, f.line, f.severity) for f in found], [("PY100", 11, "error")])
        self.assertIn("return at line 15", found[0].message)
        self.assertEqual(e.check_source(TICKER), [])  # not triggered: no net/http

    def test_decorator_queries_and_options(self):
        e = goleak.Engine(builtin=False, default_packs=False)
        seen = {}

        @e.rule("PY001", "go-in-init", summary="a goroutine started from init()", triggers="go",
                options=[goleak.RuleOption("max", "int", 0, 0, 10, "goroutines allowed")])
        def go_in_init(check):
            seen["unit"] = check.unit
            seen["max"] = check.option_int("max")
            seen["minor"] = check.go_minor
            for fn in check.unit.root.children:
                if fn.kind == "func" and fn.key_token.text == "init":
                    for n in fn.walk():
                        if n.kind == "go":
                            check.report(n, "a goroutine started from init()")
                            lit = n.children[0].children[0]
                            seen["goroutine"] = check.is_goroutine_body(lit)
                            seen["func"] = check.enclosing_func(lit)
            body = check.unit.root.children[-1]
            seen["body"] = body
            decl = next(t for t in body.tokens if t.text == "n")
            seen["kind"] = check.var_kind(decl)
            seen["uses"] = [(u.kind, u.token.line) for u in check.uses(decl)]
            seen["decl"] = check.declaration(check.uses(decl)[0].token)
            call = next(x for x in body.walk() if x.kind == "call")
            seen["call"] = (check.call_name(call).text, check.call_receiver(call),
                            check.callee(call), check.never_returns(call))
            seen["target"] = check.value_target(call.parent)
            seen["loop"] = check.enclosing_loop(call)

        src = ("package p\nfunc init() {\n\tgo func() {}()\n}\n"
               "func use(x int) int { return x }\n"
               "func g() int {\n\tn := 1\n\tfor i := 0; i < 2; i++ {\n\t\tn = use(n)\n\t}\n"
               "\treturn n\n}\n")
        found = e.check_source(src, "i.go", go_version="1.22")
        self.assertEqual([(f.rule, f.line) for f in found], [("PY001", 3)])
        self.assertEqual(seen["max"], 0)
        self.assertEqual(seen["minor"], 22)
        self.assertTrue(seen["goroutine"])
        self.assertEqual(seen["func"].kind, "func")
        self.assertEqual(seen["kind"], "local")
        self.assertEqual(seen["uses"], [("assign", 9), ("arg", 9), ("return", 11)])
        self.assertEqual(seen["decl"].line, 7)
        name, receiver, callee, never = seen["call"]
        self.assertEqual((name, receiver, never), ("use", None, False))
        self.assertEqual(callee.key_token.text, "use")
        self.assertEqual((seen["target"].kind, seen["target"].first.text), ("var", "n"))
        self.assertEqual(seen["loop"].kind, "for")
        self.assertEqual(e["PY001"].options[0].key, "max")
        e.set_option("PY001.max", 3)
        e.check_source(src)
        self.assertEqual(seen["max"], 3)
        with self.assertRaises(goleak.Error):
            e.set_option("PY001.max", 11)  # out of the declared range
        # the check is over: a kept Check (through its unit's node) raises
        with self.assertRaises(goleak.Error):
            e.add_rule("PY002", "keeps", lambda c: seen.update(check=c))
            e.check_source(src)
            seen["check"].report(seen["body"], "too late")

    def test_exception_surfaces_from_the_check(self):
        e = goleak.Engine()

        class Boom(Exception):
            pass

        def boom(check):
            raise Boom("exploded on " + check.unit.path)

        e.add_rule("PY003", "boom", boom)
        with self.assertRaises(goleak.RuleError) as cm:
            e.check_source(TICKER, "b.go")
        err = cm.exception
        self.assertIsInstance(err, goleak.Error)
        self.assertIsInstance(err.__cause__, Boom)
        self.assertEqual(err.code, -6)
        self.assertIn("PY003", str(err))
        self.assertIn("exploded on b.go", str(err))
        self.assertEqual(err.path, "b.go")
        # the engine still works, and the exception was not kept
        e.disable("PY003")
        self.assertEqual(len(e.check_source(TICKER)), 1)

        def interrupt(check):
            raise KeyboardInterrupt

        e.add_rule("PY004", "interrupt", interrupt)
        with self.assertRaises(KeyboardInterrupt):
            e.check_source(TICKER)

    def test_exception_in_a_path_callback(self):
        e = goleak.Engine(builtin=False, default_packs=False)

        def rule(check):
            stmt = next(n for n in check.unit.root.walk() if n.kind == "assign")
            check.release_path(stmt, release=lambda c: 1 / 0, hands_off=lambda ret: True)

        e.add_rule("PY005", "path-boom", rule)
        with self.assertRaises(goleak.RuleError) as cm:
            e.check_file(os.path.join(FIXTURES, "body_leak.go"))
        self.assertIsInstance(cm.exception.__cause__, ZeroDivisionError)

    def test_check_fail(self):
        e = goleak.Engine(builtin=False, default_packs=False)
        e.add_rule("PY006", "fails", lambda c: c.fail("cannot decide"))
        with self.assertRaises(goleak.RuleError) as cm:
            e.check_source(TICKER, "f.go")
        self.assertIn("cannot decide", str(cm.exception))

    def test_registration_errors(self):
        e = goleak.Engine()
        with self.assertRaises(goleak.Error) as cm:
            e.add_rule("GL015", "again", lambda c: None)
        self.assertEqual(cm.exception.code, -10)
        with self.assertRaises(goleak.Error):
            e.add_rule("bad id!", "x", lambda c: None)
        with self.assertRaises(ValueError):
            e.add_rule("PY007", "x", lambda c: None, severity="fatal")
        with self.assertRaises(TypeError):
            e.add_rule("PY008", "x", 42)
        self.assertNotIn("PY008", e)

    def test_engine_frees_its_rules(self):
        class Fn:
            def __call__(self, check):
                pass

        fn = Fn()
        ref = weakref.ref(fn)
        e = goleak.Engine()
        e.add_rule("PY009", "kept", fn)
        del fn
        gc.collect()
        self.assertIsNotNone(ref())  # the engine holds the callable
        del e
        gc.collect()
        self.assertIsNone(ref())  # and releases it with the engine

    def test_rules_on_worker_threads(self):
        """Python rules called from threads that check in parallel (the GIL
        released by the check, taken again by the trampoline)."""
        e = goleak.Engine()
        calls = []
        lock = threading.Lock()

        def count(check):
            with lock:
                calls.append(threading.get_ident())

        e.add_rule("PY010", "count", count)
        e.add_rule("PY011", "serial", count, thread_safe=False)
        self.assertTrue(e["PY011"].serialized)
        files = [f for _, _, names in os.walk(EXAMPLES) for f in names if f.endswith(".go")]
        found = list(e.scan(EXAMPLES, jobs=4))
        self.assertEqual(len(calls), 2 * len(files))
        self.assertTrue(found)
        errors = []

        def worker():
            try:
                for _ in range(20):
                    e.check_source(TICKER)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertFalse(any(t.is_alive() for t in threads), "deadlock")
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
