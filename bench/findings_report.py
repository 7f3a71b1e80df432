#!/usr/bin/env python3
"""findings_report.py: findings per rule on a corpus, and the precision of a
hand-reviewed random sample of each rule's findings.

usage:
  findings_report.py GOLEAK CORPUS_DIR --samples          print the samples, with code
  findings_report.py GOLEAK CORPUS_DIR [--review TSV] [--out MD] [--notes MD]
                                                           write the report

The scan is `goleak scan --format jsonl CORPUS_DIR` (testdata/ and vendor/ are
skipped as by default; the shipped rule packs are loaded, as by default). Each
rule's sample is up to 20 findings (10 for the rules of packs) drawn with a
fixed seed from its findings sorted by position, so that the same code gives
the same sample. Judgments come from the review file (tab-separated: path
relative to the corpus, line, rule, verdict, note), verdict one of
  T  true leak       the code leaks as the message says
  P  plausible risk  it leaks under some input, or only until something else
                     happens (a timeout, a test's end)
  F  false positive  it does not leak
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

SAMPLE = 20
PACK_SAMPLE = 10  # rules from rule packs (goleak rules --json: origin "pack")
SEED = 20261127
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


def rules_of(goleak):
    p = subprocess.run([goleak, "rules", "--json"], capture_output=True, text=True, check=True)
    return {r["id"]: r for r in json.loads(p.stdout)}


def samples(findings, rules):
    by_rule = collections.defaultdict(list)
    for f in findings:
        by_rule[f["rule"]].append(f)
    out = {}
    for rule, fs in sorted(by_rule.items()):
        fs.sort(key=lambda f: (f["rel"], f["line"]))
        rnd = random.Random(f"{SEED}-{rule}")
        size = PACK_SAMPLE if rules.get(rule, {}).get("origin") == "pack" else SAMPLE
        out[rule] = sorted(rnd.sample(fs, min(size, len(fs))), key=lambda f: (f["rel"], f["line"]))
    return by_rule, out


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
    rules = rules_of(os.path.abspath(a.goleak))
    by_rule, sample = samples(findings, rules)

    if a.samples:
        only = set(a.rules.split(",")) if a.rules else None
        for rule, fs in sample.items():
            if only and rule not in only:
                continue
            for f in fs:
                print(f"=== {f['rel']}\t{f['line']}\t{rule}")
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
    out.append(f"- sample: up to {SAMPLE} findings per rule ({PACK_SAMPLE} for the rules of the shipped "
               f"pack, GL030–GL034), drawn with seed {SEED}; judged by hand, "
               "T true leak / P plausible risk / F false positive")
    out.append("- precision = (T + P) / judged; strict = T / judged\n")
    out.append("| rule | name | findings | per 1000 lines | sampled | T | P | F | precision | strict |")
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    missing = []
    details = []
    # every rule gets a row, also those silent on this corpus (GL000 reports
    # only on request)
    names = {r["id"]: r["name"] for r in rules.values() if r["id"] != "GL000"}
    for rule in sorted(set(names) | set(by_rule) | set(sample)):
        fs = by_rule[rule]
        name = names.get(rule, fs[0]["name"] if fs else "")
        if not fs:
            out.append(f"| {rule} | {name} | 0 | 0.000 | 0 | - | - | - | - | - |")
            details.append(f"\n## {rule} {name}\n")
            origin = rules.get(rule, {})
            if origin.get("origin") == "pack":
                pack = os.path.relpath(origin["pack"], os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
                details.append(f"No finding on this corpus; the fixtures of its pack (`goleak test {pack}`) are its test.")
            else:
                details.append("No finding on this corpus; its fixtures in tests/fixtures/ are its test.")
            continue
        counts = collections.Counter()
        rows = []
        for f in sample[rule]:
            key = (f["rel"], f["line"], rule)
            verdict, note = review.get(key, ("?", ""))
            if verdict == "?":
                missing.append(key)
            counts[verdict] += 1
            rows.append(f"| `{f['rel']}:{f['line']}` | {VERDICTS.get(verdict, 'not judged')} | {note} |")
        judged = counts["T"] + counts["P"] + counts["F"]
        prec = f"{100 * (counts['T'] + counts['P']) / judged:.0f}%" if judged else "-"
        strict = f"{100 * counts['T'] / judged:.0f}%" if judged else "-"
        out.append(f"| {rule} | {name} | {len(fs)} | {1000 * len(fs) / loc:.3f} | {len(sample[rule])} | "
                   f"{counts['T']} | {counts['P']} | {counts['F']} | {prec} | {strict} |")
        details.append(f"\n## {rule} {name}\n")
        details.append("| finding | verdict | why |")
        details.append("|---|---|---|")
        details.extend(rows)
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
