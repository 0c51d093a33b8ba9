#!/usr/bin/env python3
"""bench_table.py - the tables of a tests/bench/peers.sh results folder (Markdown).

usage: bench_table.py OUTDIR
Reads OUTDIR/ml-NAME-cC-rR.json and OUTDIR/ml100k-NAME-c8-rR.json (milterload.py --json,
round R; files without -rR count as one round). With several rounds each figure is the
median of the runs, and msgs/s also shows the lowest and highest run."""
import glob
import json
import os
import re
import sys

ORDER = ["esafety-all", "esafety-language", "esafety-personal_data", "esafety-pupil_data",
         "esafety-virus", "clamav", "rspamd", "mimedefang", "null"]
PEERS = ["clamav", "rspamd", "null"]


def median(values):
    """median - the middle value (the mean of the middle two for an even count)"""
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def combine(runs):
    """combine - one result from the runs of a row: the median of each figure"""
    if len(runs) == 1:
        return dict(runs[0], runs=1)
    rates = [r["msgs_per_s"] or 0 for r in runs]
    peers = [r.get("peer") or {} for r in runs]
    cpu = [p["cpu_ms_per_msg"] for p in peers if p.get("cpu_ms_per_msg") is not None]
    acts = {}
    for r in runs:
        for k, n in r["actions"].items():
            acts[k] = acts.get(k, 0) + n
    return {
        "msgs_per_s": median(rates), "runs": len(runs), "range": (min(rates), max(rates)),
        "latency_ms": {k: median([r["latency_ms"][k] for r in runs]) for k in ("p50", "p95", "p99")},
        "peer": {"cpu_ms_per_msg": round(median(cpu), 2) if cpu else None,
                 "rss_kb": median([p.get("rss_kb", 0) for p in peers])},
        "error_count": sum(r["error_count"] for r in runs),
        "actions": acts,
    }


def load(out, prefix):
    """load - {(name, C): result} for the JSON files named PREFIX-NAME-cC[-rR].json"""
    runs = {}
    for f in glob.glob(os.path.join(out, prefix + "-*.json")):
        m = re.match(re.escape(prefix) + r"-(.+)-c(\d+)(?:-r\d+)?\.json$", os.path.basename(f))
        if m:
            runs.setdefault((m.group(1), int(m.group(2))), []).append(json.load(open(f)))
    return {k: combine(v) for k, v in runs.items()}


def rank(name):
    """rank - table order of a row name"""
    return ORDER.index(name) if name in ORDER else len(ORDER)


def cells(r):
    """cells - the common columns for one milterload result"""
    lat = r["latency_ms"]
    peer = r.get("peer") or {}
    acts = ",".join("%s=%d" % kv for kv in sorted(r["actions"].items()))
    rate = "%.1f" % (r["msgs_per_s"] or 0)
    if r.get("range"):
        rate += " (%.0f-%.0f)" % r["range"]
    return [rate, "%.1f" % lat["p50"], "%.1f" % lat["p95"],
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
    mixed = load(out, "ml")
    if any(r["runs"] > 1 for r in mixed.values()):
        print("\nEach figure is the median of the rounds' runs; msgs/s shows the slowest and "
              "fastest run in brackets; errors and actions are totals over the runs.")
    print("\n## Mixed corpus (x PEER = msgs/s divided by that peer's msgs/s at the same C)\n")
    print(table(mixed, True))
    print("\n## ~100 KB messages with an attachment, C=8 (target: esafety-all p99 < 50 ms)\n")
    print(table(load(out, "ml100k"), True))


if __name__ == "__main__":
    main()
