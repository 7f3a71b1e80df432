#!/usr/bin/env python3
"""findings_report.py: findings per rule on a corpus, and the precision of a
hand-reviewed random sample of each rule's findings, test and non-test code
apart.

usage:
  findings_report.py GOLEAK CORPUS_DIR --samples          print the samples, with code
  findings_report.py GOLEAK CORPUS_DIR [--review TSV] [--out MD] [--notes MD]
                                                           write the report

The scan is `goleak scan --format jsonl CORPUS_DIR` (testdata/ and vendor/ are
skipped as by default; the shipped rule packs are loaded, as by default). Each rule's sample is up to 10 of its warning and
error findings, drawn with a fixed seed from its findings sorted by
position, half from non-test files and half from _test.go files (the other
half fills in when one has fewer), so that the same code gives the same
sample. Findings of severity info (a leak that happens only after a test
has failed or timed out, and says so) are counted apart, with a sample of up
to 3 per rule judged on whether the message is right.
Judgments come from the review file (tab-separated: path relative to the
corpus, line, rule, verdict, note), verdict one of
  T  true leak       the code leaks as the message says
  P  plausible risk  it leaks under some input, or only until something else
                     happens (a timeout, a test's end)
  F  false positive  it does not leak (for info: the message is wrong)
Precision is (T + P) / judged; the strict figure T / judged is shown beside it.
The report fails (exit 1) when a sampled finding has no judgment."""
import argparse
import collections
import datetime
import json
import os
import random
import subprocess
import sys

SAMPLE = 10
INFO_SAMPLE = 3
SEED = 20261209
VERDICTS = {"T": "true leak", "P": "plausible risk", "F": "false positive"}


def go_files(root):
    """The files goleak scan walks by default."""
    for base, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and d not in ("vendor", "testdata"))
        for f in sorted(files):
            if f.endswith(".go") and not f.startswith((".", "_")):
                yield os.path.join(base, f)


def scan(goleak, corpus):
    p = subprocess.run([goleak, "scan", "--format", "jsonl", corpus], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"goleak scan failed ({p.returncode}): {p.stderr[-2000:]}")
    findings = [json.loads(line) for line in p.stdout.splitlines()]
    for f in findings:
        f["rel"] = os.path.relpath(f["file"], corpus)
    return findings, p.stderr


def is_test(f):
    return f["rel"].endswith("_test.go")


def draw(fs, n, tag):
    """n findings of fs, drawn with the fixed seed (per rule and tag)."""
    fs = sorted(fs, key=lambda f: (f["rel"], f["line"]))
    rnd = random.Random(f"{SEED}-{tag}")
    return rnd.sample(fs, min(n, len(fs)))


def samples(findings):
    """Per rule: its findings, and the sample (warning/error findings, test
    and non-test halves) and the info sample."""
    by_rule = collections.defaultdict(list)
    for f in findings:
        by_rule[f["rule"]].append(f)
    out, info = {}, {}
    for rule, fs in sorted(by_rule.items()):
        main = [f for f in fs if f["severity"] != "info"]
        non = [f for f in main if not is_test(f)]
        tst = [f for f in main if is_test(f)]
        half = SAMPLE // 2
        a, b = min(half, len(non)), min(half, len(tst))
        a = min(len(non), SAMPLE - b)
        b = min(len(tst), SAMPLE - a)
        picked = draw(non, a, f"{rule}-non") + draw(tst, b, f"{rule}-test")
        out[rule] = sorted(picked, key=lambda f: (f["rel"], f["line"]))
        info[rule] = sorted(draw([f for f in fs if f["severity"] == "info"], INFO_SAMPLE, f"{rule}-info"),
                            key=lambda f: (f["rel"], f["line"]))
    return by_rule, out, info


def excerpt(path, line, before=8, after=8):
    with open(path, encoding="utf-8", errors="replace") as fh:
        lines = fh.read().split("\n")
    lo, hi = max(1, line - before), min(len(lines), line + after)
    return "\n".join(f"{'>' if n == line else ' '}{n:5d}  {lines[n - 1]}" for n in range(lo, hi + 1))


def read_review(path):
    review = {}
    if not path or not os.path.exists(path):
        return review
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            raw = raw.rstrip("\n")
            if not raw or raw.startswith("#"):
                continue
            parts = raw.split("\t")
            if len(parts) < 4 or parts[3] not in VERDICTS:
                sys.exit(f"{path}:{n}: want PATH<TAB>LINE<TAB>RULE<TAB>T|P|F<TAB>NOTE")
            review[(parts[0], int(parts[1]), parts[2])] = (parts[3], parts[4] if len(parts) > 4 else "")
    return review


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("goleak")
    ap.add_argument("corpus")
    ap.add_argument("--samples", action="store_true", help="print the samples with code to review")
    ap.add_argument("--rules", default="", help="only these rules (comma-separated) with --samples")
    ap.add_argument("--review", default=os.path.join(os.path.dirname(__file__), "findings-review.tsv"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "findings-report.md"))
    ap.add_argument("--notes", default=os.path.join(os.path.dirname(__file__), "findings-notes.md"),
                    help="text appended to the report as is (what a sample cannot show)")
    a = ap.parse_args()
    corpus = os.path.abspath(a.corpus)
    findings, _ = scan(os.path.abspath(a.goleak), corpus)
    by_rule, sample, info = samples(findings)

    if a.samples:
        only = set(a.rules.split(",")) if a.rules else None
        for rule in sample:
            if only and rule not in only:
                continue
            for f in sample[rule] + info[rule]:
                print(f"=== {f['rel']}\t{f['line']}\t{rule}\t{f['severity']}")
                print(f"    {f['message']}")
                print(excerpt(f["file"], f["line"]))
                print()
        return 0

    files = list(go_files(corpus))
    loc = 0
    for path in files:
        with open(path, "rb") as fh:
            loc += fh.read().count(b"\n")
    review = read_review(a.review)
    out = []
    out.append("# Findings per rule on the corpus, and their sampled precision\n")
    out.append(f"- generated: {datetime.date.today().isoformat()} by `bench/findings_report.py {a.goleak} {a.corpus}`")
    out.append(f"- corpus: {len(files)} files, {loc} lines scanned (`goleak scan` defaults: testdata/ and vendor/ skipped)")
    out.append(f"- sample: up to {SAMPLE} warning/error findings per rule (half from non-test files, half from "
               f"`_test.go` files), drawn with seed {SEED}; judged by hand, T true leak / P plausible risk / "
               "F false positive")
    out.append(f"- findings of severity info (a leak only after a test has failed or timed out, said so in the "
               f"message) are counted apart; up to {INFO_SAMPLE} per rule are judged on whether the message is right")
    out.append("- precision = (T + P) / judged; strict = T / judged; non-test and test are the same figures for "
               "the sampled findings of each kind of file\n")
    out.append("| rule | name | findings | non-test | test | info | sampled | T | P | F | precision | strict | "
               "non-test prec. (strict) | test prec. (strict) | info right |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    missing = []
    details = []
    # every rule gets a row, also those silent on this corpus (GL000 reports
    # only on request)
    p = subprocess.run([os.path.abspath(a.goleak), "rules", "--json"], capture_output=True, text=True, check=True)
    names = {r["id"]: r["name"] for r in json.loads(p.stdout) if r["id"] != "GL000"}

    def pct(c):
        judged = c["T"] + c["P"] + c["F"]
        if not judged:
            return "-", "-"
        return f"{100 * (c['T'] + c['P']) / judged:.0f}%", f"{100 * c['T'] / judged:.0f}%"

    for rule in sorted(set(names) | set(by_rule) | set(sample)):
        fs = by_rule[rule]
        name = names.get(rule, fs[0]["name"] if fs else "")
        if not fs:
            out.append(f"| {rule} | {name} | 0 | 0 | 0 | 0 | 0 | - | - | - | - | - | - | - | - |")
            details.append(f"\n## {rule} {name}\n")
            details.append("No finding on this corpus; its fixtures in tests/fixtures/ are its test.")
            continue
        counts, kinds = collections.Counter(), {False: collections.Counter(), True: collections.Counter()}
        rows = []
        for f in sample[rule]:
            key = (f["rel"], f["line"], rule)
            verdict, note = review.get(key, ("?", ""))
            if verdict == "?":
                missing.append(key)
            counts[verdict] += 1
            kinds[is_test(f)][verdict] += 1
            where = "test" if is_test(f) else "non-test"
            rows.append(f"| `{f['rel']}:{f['line']}` | {where} | {VERDICTS.get(verdict, 'not judged')} | {note} |")
        info_rows, info_right = [], collections.Counter()
        for f in info[rule]:
            key = (f["rel"], f["line"], rule)
            verdict, note = review.get(key, ("?", ""))
            if verdict == "?":
                missing.append(key)
            info_right[verdict] += 1
            info_rows.append(f"| `{f['rel']}:{f['line']}` | info | {VERDICTS.get(verdict, 'not judged')} | {note} |")
        prec, strict = pct(counts)
        np_, ns = pct(kinds[False])
        tp, ts = pct(kinds[True])
        n_info = sum(1 for f in fs if f["severity"] == "info")
        n_test = sum(1 for f in fs if is_test(f) and f["severity"] != "info")
        n_non = len(fs) - n_info - n_test
        ij = info_right["T"] + info_right["P"] + info_right["F"]
        iright = f"{info_right['T'] + info_right['P']}/{ij}" if ij else "-"
        out.append(f"| {rule} | {name} | {len(fs)} | {n_non} | {n_test} | {n_info} | {len(sample[rule])} | "
                   f"{counts['T']} | {counts['P']} | {counts['F']} | {prec} | {strict} | "
                   f"{np_} ({ns}) | {tp} ({ts}) | {iright} |")
        details.append(f"\n## {rule} {name}\n")
        details.append("| finding | code | verdict | why |")
        details.append("|---|---|---|---|")
        details.extend(rows + info_rows)
    out.extend(details)
    if a.notes and os.path.exists(a.notes):
        with open(a.notes, encoding="utf-8") as fh:
            out.append("")
            out.append(fh.read().rstrip("\n"))
    with open(a.out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    print(f"wrote {a.out}: {len(findings)} findings in {len(files)} files")
    if missing:
        print(f"{len(missing)} sampled findings are not judged in {a.review}, e.g. {missing[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
