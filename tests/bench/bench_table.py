#!/usr/bin/env python3
"""bench_table.py - the tables of a tests/bench/peers.sh results folder (Markdown).

usage: bench_table.py OUTDIR
Reads OUTDIR/ml-NAME-cC.json and OUTDIR/ml100k-NAME-c8.json (milterload.py --json)."""
import glob
import json
import os
import re
import sys

ORDER = ["esafety-all", "esafety-language", "esafety-personal_data", "esafety-pupil_data",
         "esafety-virus", "clamav", "rspamd", "mimedefang", "null"]
PEERS = ["clamav", "rspamd", "null"]


def load(out, prefix):
    """load - {(name, C): result} for the JSON files named PREFIX-NAME-cC.json"""
    res = {}
    for f in glob.glob(os.path.join(out, prefix + "-*.json")):
        m = re.match(re.escape(prefix) + r"-(.+)-c(\d+)\.json$", os.path.basename(f))
        if m:
            res[(m.group(1), int(m.group(2)))] = json.load(open(f))
    return res


def rank(name):
    """rank - table order of a row name"""
    return ORDER.index(name) if name in ORDER else len(ORDER)


def cells(r):
    """cells - the common columns for one milterload result"""
    lat = r["latency_ms"]
    peer = r.get("peer") or {}
    acts = ",".join("%s=%d" % kv for kv in sorted(r["actions"].items()))
    return ["%.1f" % (r["msgs_per_s"] or 0), "%.1f" % lat["p50"], "%.1f" % lat["p95"],
            "%.1f" % lat["p99"], "%s" % (peer.get("cpu_ms_per_msg") or "-"),
            "%.0f" % (peer.get("rss_kb", 0) / 1024.0), str(r["error_count"]), acts]


def table(res, with_ratios):
    """table - Markdown rows, one per (milter, C), with throughput ratios to each peer"""
    peers = [p for p in PEERS if any(k[0] == p for k in res)] if with_ratios else []
    head = ["milter", "C", "msgs/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/msg", "RSS MB",
            "errors", "actions"] + ["x %s" % p for p in peers]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, c in sorted(res, key=lambda k: (rank(k[0]), k[0], k[1])):
        r = res[(name, c)]
        row = [name, str(c)] + cells(r)
        for p in peers:
            base = res.get((p, c))
            ok = base and base["msgs_per_s"] and r["msgs_per_s"]
            row.append("%.2f" % (r["msgs_per_s"] / base["msgs_per_s"]) if ok else "-")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main():
    """main - print the meta data and both tables"""
    out = sys.argv[1]
    meta = os.path.join(out, "meta.txt")
    if os.path.exists(meta):
        print("```\n" + open(meta).read().rstrip() + "\n```\n")
    notes = glob.glob(os.path.join(out, "es-*", "note"))
    for n in notes:
        print("note (%s): %s" % (os.path.basename(os.path.dirname(n)), open(n).read().strip()))
    print("\n## Mixed corpus (x PEER = msgs/s divided by that peer's msgs/s at the same C)\n")
    print(table(load(out, "ml"), True))
    print("\n## ~100 KB messages with an attachment, C=8 (target: esafety-all p99 < 50 ms)\n")
    print(table(load(out, "ml100k"), True))


if __name__ == "__main__":
    main()
