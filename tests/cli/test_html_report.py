#!/usr/bin/env python3
"""The html report in a real browser: Debian's chromium, headless, loads the
page of a scan (--dump-dom gives the DOM after its script ran) with its
console logged to stderr (--enable-logging=stderr --v=0 prints every
console message as "CONSOLE"). The page must load without a console
message (an error, or a fetch the Content-Security-Policy blocked), its
script must have run to its end (body data-ready="1"), it must show as many
findings as the json output of the same scan, and its filters, preset from
the URL (?rule=, ?severity=, ?dir=), must show the findings they select.

usage: test_html_report.py GOLEAK CHROMIUM SOURCE_DIR"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

GOLEAK = CHROMIUM = SRC = None


class Page(html.parser.HTMLParser):
    """The findings of a dumped DOM: their attributes, and which are hidden."""

    def __init__(self, text):
        super().__init__()
        self.findings, self.body, self.links = [], {}, []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "finding" in a.get("class", "").split():
            self.findings.append(a)
        if tag == "body":
            self.body = a
        for k in ("src", "href"):
            if k in a:
                self.links.append(a[k])


def browse(path, query=""):
    """The DOM chromium builds from the page, and its console lines."""
    profile = tempfile.mkdtemp(prefix="goleak_chromium_")
    try:
        url = "file://" + urllib.parse.quote(os.path.abspath(path)) + query
        p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-first-run", "--user-data-dir=" + profile,
                            "--enable-logging=stderr", "--v=0", "--dump-dom", url],
                           capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    console = [line for line in p.stderr.splitlines() if "CONSOLE" in line]
    return p.returncode, p.stdout, console


class HtmlReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="goleak_html_")
        cls.paths = [os.path.join(SRC, "examples"), os.path.join(SRC, "tests", "fixtures", "GL015"),
                     os.path.join(SRC, "tests", "fixtures", "GL005")]
        p = subprocess.run([GOLEAK, "scan", "--format", "json", *cls.paths], capture_output=True,
                           text=True)
        cls.json = json.loads(p.stdout)
        cls.page = os.path.join(cls.dir, "report.html")
        with open(cls.page, "w") as fh:
            p = subprocess.run([GOLEAK, "scan", "--format", "html", *cls.paths], stdout=fh,
                               stderr=subprocess.PIPE, text=True)
        cls.status = p.returncode

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def test_page_loads_and_shows_every_finding(self):
        self.assertEqual(self.status, 1)
        want = self.json["findings"]
        self.assertGreater(len(want), 30)
        code, dom, console = browse(self.page)
        self.assertEqual(code, 0)
        self.assertEqual(console, [])
        page = Page(dom)
        self.assertEqual(page.body.get("data-ready"), "1")
        self.assertEqual(len(page.findings), len(want))
        self.assertEqual(page.body.get("data-shown"), str(len(want)))
        self.assertFalse([f for f in page.findings if "hidden" in f])
        self.assertEqual([f["data-rule"] for f in page.findings], [f["rule"] for f in want])
        self.assertIn(f"{len(want)} of {len(want)} findings shown", dom)
        # nothing leaves the page: links are anchors within it
        self.assertTrue(page.links)
        self.assertEqual([u for u in page.links if not u.startswith("#")], [])
        # each finding's rule links to its explanation, which the page holds
        for rule in {f["rule"] for f in want}:
            self.assertIn(f'<div class="doc" id="doc-{rule}">', dom)
        # excerpts with the reported line highlighted
        self.assertEqual(dom.count('<pre class="code">'), len(want))
        self.assertGreaterEqual(dom.count('<span class="l hl">'), len(want))

    def test_filters(self):
        want = self.json["findings"]
        by_rule = {}
        for f in want:
            by_rule.setdefault(f["rule"], []).append(f)
        rule = max(by_rule, key=lambda r: len(by_rule[r]))
        d = os.path.dirname(want[0]["file"])
        cases = {
            f"?rule={rule}": [f for f in want if f["rule"] == rule],
            "?severity=error": [f for f in want if f["severity"] == "error"],
            f"?severity=warning&rule={rule}": [f for f in by_rule[rule]
                                              if f["severity"] == "warning"],
            "?dir=" + urllib.parse.quote(d): [f for f in want if os.path.dirname(f["file"]) == d],
        }
        for query, selected in cases.items():
            with self.subTest(query):
                self.assertTrue(selected)
                code, dom, console = browse(self.page, query)
                self.assertEqual(console, [])
                page = Page(dom)
                self.assertEqual(page.body.get("data-shown"), str(len(selected)))
                shown = [f for f in page.findings if "hidden" not in f]
                self.assertEqual(len(shown), len(selected))
                self.assertEqual(len(page.findings), len(want))

    def test_errors_and_no_findings(self):
        d = tempfile.mkdtemp(prefix="goleak_html_empty_")
        try:
            with open(os.path.join(d, "broken.go"), "w") as fh:
                fh.write("package p\n\nfunc f() {\n\tx := <\n}\n")
            page = os.path.join(d, "r.html")
            with open(page, "w") as fh:
                subprocess.run([GOLEAK, "scan", "--format", "html", d], stdout=fh,
                               stderr=subprocess.DEVNULL)
            code, dom, console = browse(page)
            self.assertEqual(console, [])
            p = Page(dom)
            self.assertEqual(p.body.get("data-ready"), "1")
            self.assertEqual(p.findings, [])
            self.assertIn("No findings.", dom)
            self.assertRegex(dom, r"<li>[^<]*broken\.go:4:\d+: ")
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    GOLEAK, CHROMIUM, SRC = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    unittest.main(argv=[sys.argv[0], "-v"])
