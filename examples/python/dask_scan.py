#!/usr/bin/env python3
"""Scanning many repositories on a Dask cluster: each directory given is one
task, scanned by a worker with the goleak binding (engine.scan, as `goleak
scan` walks it, with the shipped rule packs) into a SARIF 2.1.0 log the
library writes; the logs come back as text and are merged, in the order of
the directories, into one run.

usage: dask_scan.py [--scheduler ADDRESS | --workers N] [--jobs J] [-o FILE] DIR...
    DIR may be "-": directories are read from stdin, one per line.
    --scheduler   an existing cluster's scheduler (tcp://host:8786)
    --workers     without a scheduler: a LocalCluster of N worker processes (2)
    --jobs        threads each task scans with (1)
Exit status as goleak scan's: 0 no findings, 1 findings, 2 a file could not
be checked.
"""
import argparse
import json
import sys
import warnings

import goleak


def scan_directory(path, jobs=1):
    """Runs on a worker: one tree's SARIF log (goleak's objects stay in the
    worker) and the scan's exit status."""
    engine = goleak.Engine()
    writer = goleak.Writer("sarif", engine)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", goleak.ScanWarning)  # they are the log's notifications
        scan = engine.scan(path, jobs=jobs, writer=writer)
        for _ in scan:
            pass
    writer.finish(scan.successful)
    return {"path": path, "sarif": writer.output(), "status": scan.exit_status}


def scan(client, directories, jobs=1):
    """The results of every directory, in the order given."""
    futures = client.map(scan_directory, directories, jobs=jobs, pure=False)
    return client.gather(futures)


def merge(logs):
    """One SARIF log of the shards' logs: their runs are one tool's, with the
    same rules in the same order, so one run holds their results and their
    notifications one shard after the other."""
    merged = json.loads(logs[0])
    run = merged["runs"][0]
    invocation = run["invocations"][0]
    for text in logs[1:]:
        other = json.loads(text)["runs"][0]
        if other["tool"] != run["tool"]:
            raise ValueError("the shards were scanned with different rules")
        run["results"].extend(other["results"])
        notes = other["invocations"][0].get("toolExecutionNotifications", [])
        if notes:
            invocation.setdefault("toolExecutionNotifications", []).extend(notes)
        invocation["executionSuccessful"] &= other["invocations"][0]["executionSuccessful"]
    return merged


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--scheduler")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("-o", "--output")
    args = ap.parse_args(argv)
    dirs = []
    for d in args.dirs:
        if d == "-":
            dirs.extend(line.strip() for line in sys.stdin if line.strip())
        else:
            dirs.append(d)

    from dask.distributed import Client, LocalCluster

    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        results = scan(client, dirs, args.jobs)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    text = json.dumps(merge([r["sarif"] for r in results]), indent=1) + "\n"
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return max(r["status"] for r in results)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
