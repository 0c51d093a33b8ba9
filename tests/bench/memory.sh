#!/usr/bin/env bash
# memory.sh - esafety-milter's memory: RSS at idle, under load and over a long run,
# with every detector on and the test signature database (tests/fixtures/clamav).
#
# Starts the milter, samples RSS (VmRSS), PSS and open file descriptors of its process
# every I seconds while bench-peers' milterload.py replays the corpus at concurrency C
# for T seconds, then again after the load stops. Prints: RSS at idle (after start-up),
# after warm-up, peak, at the end of the load and idle afterwards; the growth from the
# first to the last quarter of the run (mean RSS of each; the quarters' centres are 3/4
# of the messages apart, hence KB per 1000 messages), which a leak shows and a warm
# cache does not; and the fd count at start and end.
#
# usage: tests/bench/memory.sh [options]     (run from the build directory)
#   -b DIR   bench-peers folder (default: ../shared/bench-peers beside the source tree)
#   -d DIR   corpus (default OUT/corpus, made with corpus.py -n 300)
#   -t T     seconds of load (default 300)
#   -c C     concurrency (default 8)
#   -i I     sampling interval, seconds (default 2)
#   -o DIR   results folder (default /tmp/esafety-bench/memory-TIMESTAMP)
# Environment: ES_MILTER (default ./milter/esafety-milter). Port: 127.0.0.1:10530.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
BP="$top_srcdir/../shared/bench-peers"
CORPUS="" T=300 C=8 I=2
OUT="/tmp/esafety-bench/memory-$(date +%Y%m%d-%H%M%S)"
while getopts "b:d:t:c:i:o:h" o; do
	case "$o" in
	b) BP=$OPTARG ;; d) CORPUS=$OPTARG ;; t) T=$OPTARG ;; c) C=$OPTARG ;; i) I=$OPTARG ;;
	o) OUT=$OPTARG ;; *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;;
	esac
done
. "$here/bench-lib.sh"
bench_init memory.sh milterload.py
bench_corpus 300

PORT=10530 PID="" SAMPLER=""
# cleanup - stop the sampler and the milter
cleanup() {
	[ -z "$SAMPLER" ] || { kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null; } || true
	[ -z "$PID" ] || bench_stop "$PID"
}
trap cleanup EXIT

bench_es_config "$OUT/es" all "$PORT" || { cat "$OUT/es/check.out" >&2; exit 1; }
"$MILTER" -f -c "$OUT/es/esafety.conf" > "$OUT/es/milter.log" 2>&1 &
PID=$!
bench_wait_tcp "$PORT" 60 "$PID" || { tail "$OUT/es/milter.log" >&2; exit 1; }

# sample PHASE - one line: time phase rss_kb pss_kb fds
sample() {
	local rss pss fds
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")
	pss=$(awk '/^Pss:/ {print $2}' "/proc/$PID/smaps_rollup" 2>/dev/null || echo 0)
	fds=$(find "/proc/$PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
	echo "$(date +%s.%N) $1 $rss $pss $fds"
}
sleep 3
sample idle > "$OUT/samples.txt"
python3 "$BP/milterload.py" -s "inet:$PORT@127.0.0.1" -d "$CORPUS" -c "$C" -n 100 > /dev/null 2>&1
sample warm >> "$OUT/samples.txt"
( while kill -0 "$PID" 2>/dev/null; do sample load; sleep "$I"; done >> "$OUT/samples.txt" ) &
SAMPLER=$!
echo "[$(date -u +%H:%M:%S)] load: C=$C for ${T}s" >&2
python3 "$BP/milterload.py" -s "inet:$PORT@127.0.0.1" -d "$CORPUS" -c "$C" -t "$T" -n 100000000 \
	--pids "$PID" --json "$OUT/load.json" > "$OUT/load.out" 2>&1 || true
kill "$SAMPLER"; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
sample end >> "$OUT/samples.txt"
sleep 10
sample after >> "$OUT/samples.txt"

python3 - "$OUT" <<'PY' | tee "$OUT/results.md"
import json, os, sys
out = sys.argv[1]
rows = [l.split() for l in open(os.path.join(out, "samples.txt"))]
by = lambda ph: [(float(t), int(r), int(p), int(f)) for t, x, r, p, f in rows if x == ph]
idle, warm, load, end, after = (by(p) for p in ("idle", "warm", "load", "end", "after"))
res = json.load(open(os.path.join(out, "load.json")))
n = res["messages"]
mb = lambda kb: "%.1f" % (kb / 1024.0)
q = max(1, len(load) // 4)
first = sum(r for _, r, _, _ in load[:q]) / q
last = sum(r for _, r, _, _ in load[-q:]) / q
print("load: %d messages in %.0f s at C=%d (%.1f msgs/s, p99 %.1f ms, errors %d)" % (
    n, res["elapsed_s"], res["concurrency"], res["msgs_per_s"] or 0, res["latency_ms"]["p99"], res["error_count"]))
print("")
print("| RSS MB idle | after warm-up | peak under load | end of load | idle after | PSS MB end"
      " | growth 1st->last quarter MB | KB per 1000 msgs | fds start/end |")
print("|" + "---|" * 9)
print("| %s | %s | %s | %s | %s | %s | %+.1f | %+.1f | %d/%d |" % (
    mb(idle[0][1]), mb(warm[0][1]), mb(max(r for _, r, _, _ in load)), mb(end[0][1]), mb(after[0][1]),
    mb(end[0][2]), (last - first) / 1024.0, (last - first) / max(1.0, 0.75 * n) * 1000,
    idle[0][3], after[0][3]))
PY
echo "(samples in $OUT/samples.txt)"
