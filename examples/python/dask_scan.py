#!/usr/bin/env python3
"""Scanning many repositories on a Dask cluster: each directory given is one
task, scanned by a worker with the goleak binding (engine.scan, as `goleak
scan` walks it); the findings come back as plain dicts and are merged, in
the order of the directories, into one SARIF 2.1.0 log.

usage: dask_scan.py [--scheduler ADDRESS | --workers N] [--jobs J] [-o FILE] DIR...
    DIR may be "-": directories are read from stdin, one per line.
    --scheduler   an existing cluster's scheduler (tcp://host:8786)
    --workers     without a scheduler: a LocalCluster of N worker processes (2)
    --jobs        threads each task scans with (1)
Exit status: 0 no findings, 1 findings, 2 a directory could not be scanned.
"""
import argparse
import json
import os
import sys

import goleak

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goleak_sarif import sarif_log  # noqa: E402


def scan_directory(path, jobs=1):
    """Runs on a worker: the findings of one tree as dicts (goleak's objects
    stay in the worker), or the error that stopped it."""
    try:
        engine = goleak.Engine()
        return {"path": path, "findings": [f.to_dict() for f in engine.scan(path, jobs=jobs)]}
    except goleak.Error as err:
        return {"path": path, "error": str(err)}


def scan(client, directories, jobs=1):
    """The results of every directory, in the order given."""
    futures = client.map(scan_directory, directories, jobs=jobs, pure=False)
    return client.gather(futures)


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
    findings = [f for r in results for f in r.get("findings", [])]
    errors = [(r["path"], r["error"]) for r in results if "error" in r]
    log = sarif_log(goleak.Engine(), findings, errors)
    text = json.dumps(log, indent=1) + "\n"
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 2 if errors else 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
