#!/usr/bin/env bash
# postfix-e2e.sh - Postfix end to end with esafety-milter against the same Postfix with
# no milter, in the same run: pusher -> private Postfix (+ milter) -> smtp-sink.
#
# Uses bench-peers' postfix-e2e.sh (a private Postfix under /tmp/bench-pf.*, smtppush.py
# as the SMTP client, smtp-sink as the next hop). For each concurrency and round it
# measures, back to back: no milter, esafety-milter with every detector, and the null
# milter (libmilter doing nothing: the cost of the milter hop itself). Rounds alternate
# so drifting load on a shared machine hits every row alike; the table shows the median
# round and the ratio to the no-milter baseline (target: esafety >= 0.90 end to end).
#
# usage: tests/bench/postfix-e2e.sh [options]     (run from the build directory)
#   -b DIR     bench-peers folder (default: ../shared/bench-peers beside the source tree)
#   -d DIR     corpus (default OUT/corpus, made with corpus.py -n N)
#   -N N       corpus size when it is generated (default 300)
#   -n M       messages per measurement (default: corpus size)
#   -c "C..."  concurrencies (default "4 8")
#   -r R       rounds (default 3)
#   -S         push with smtp-source, one process per message (bench-peers -S)
#   -u         the milters listen on unix sockets, as the README ("Adding it to Postfix")
#              describes for a milter on the Postfix host, instead of TCP on loopback
#   -o DIR     results folder (default /tmp/esafety-bench/e2e-TIMESTAMP)
# Environment: ES_MILTER (default ./milter/esafety-milter).
# Ports: Postfix smtpd 127.0.0.1:10520, smtp-sink 10521, esafety-milter 10510;
# the null milter uses bench-peers' port (7390). With -u: OUT/es-all/milter.sock and
# bench-peers' /tmp/bench-peers-run/null/milter.sock, both mode 0666.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
BP="$top_srcdir/../shared/bench-peers"
CORPUS="" NCORP=300 M=0 CONCS="4 8" ROUNDS=3 SRC="" TRANSPORT=tcp
OUT="/tmp/esafety-bench/e2e-$(date +%Y%m%d-%H%M%S)"
while getopts "b:d:N:n:c:r:Suo:h" o; do
	case "$o" in
	b) BP=$OPTARG ;; d) CORPUS=$OPTARG ;; N) NCORP=$OPTARG ;; n) M=$OPTARG ;;
	c) CONCS=$OPTARG ;; r) ROUNDS=$OPTARG ;; S) SRC=-S ;; u) TRANSPORT=unix ;; o) OUT=$OPTARG ;;
	*) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;;
	esac
done
. "$here/bench-lib.sh"
bench_init postfix-e2e.sh postfix-e2e.sh
bench_corpus "$NCORP"
[ "$M" -gt 0 ] || M=$(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l)
echo "date: $(date -u -Is)  host: $(uname -srm), $(nproc) cores; corpus $CORPUS, M=$M, C=[$CONCS], rounds=$ROUNDS, milters over $TRANSPORT, loadavg $(cat /proc/loadavg)" > "$OUT/meta.txt"

ES_PID="" NULL_UP=0
# cleanup - stop what this script started
cleanup() {
	[ -z "$ES_PID" ] || bench_stop "$ES_PID"
	[ "$NULL_UP" = 0 ] || "$BP/peers/null.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "$TRANSPORT" = unix ]; then
	ES_SOCK="$OUT/es-all/milter.sock" ES_SPEC="unix:$OUT/es-all/milter.sock"
	ES_LOAD="unix:$OUT/es-all/milter.sock"
	chmod 755 "$OUT"	# smtpd, as postfix, walks to the socket
else
	ES_SOCK=10510 ES_SPEC="inet:127.0.0.1:10510" ES_LOAD="inet:10510@127.0.0.1"
fi
bench_es_config "$OUT/es-all" all "$ES_SOCK" || { cat "$OUT/es-all/check.out" >&2; exit 1; }
# Each esafety measurement starts the milter afresh and warms it on a corpus
# of another seed: libclamav's cache of clean files would otherwise skip the
# attachments of messages it saw in an earlier round (see peers.sh).
CWARM="$OUT/corpus-warm"
[ -f "$CWARM/manifest.json" ] || python3 "$BP/corpus.py" -n 30 -s 7 -o "$CWARM" >/dev/null
es_start() {
	"$MILTER" -f -c "$OUT/es-all/esafety.conf" >> "$OUT/es-all/milter.log" 2>&1 &
	ES_PID=$!
	if [ "$TRANSPORT" = unix ]; then
		bench_wait_unix "$ES_SOCK" 60 "$ES_PID"
	else
		bench_wait_tcp 10510 60 "$ES_PID"
	fi || { tail "$OUT/es-all/milter.log" >&2; exit 1; }
	python3 "$BP/milterload.py" -s "$ES_LOAD" -d "$CWARM" -c 4 -n 30 >/dev/null 2>&1 || true
}
es_stop() {
	bench_stop "$ES_PID"
	ES_PID=""
}
NULL_SOCK="" NULL_PIDS=""
if BP_TRANSPORT=$TRANSPORT "$BP/peers/null.sh" start >> "$OUT/run.log" 2>&1; then
	NULL_UP=1
	# shellcheck source=/dev/null
	NULL_SOCK=$(. "$BP_RUN/null/peer.env" && echo "$MILTER_SOCKET")
	# shellcheck source=/dev/null
	NULL_PIDS=$(. "$BP_RUN/null/peer.env" && echo "$PIDS")
else
	log "null milter did not start (see run.log): no null rows"
fi

# run NAME C ROUND [MILTER PIDS] - one bench-peers postfix-e2e.sh measurement
run() {
	local args=(-P 10520 -d "$CORPUS" -c "$2" -n "$M" ${SRC:+"$SRC"} -l "$1" -j "$OUT/e2e-$1-c$2-r$3.json")
	[ -z "${4:-}" ] || args+=(-m "$4" -p "$5")
	log "$1 C=$2 round $3"
	"$BP/postfix-e2e.sh" "${args[@]}" >> "$OUT/run.log" 2>&1 || log "$1 C=$2 round $3 failed (see run.log)"
}

for c in $CONCS; do
	for ((r = 1; r <= ROUNDS; r++)); do
		run none "$c" "$r"
		es_start
		run esafety-all "$c" "$r" "$ES_SPEC" "$ES_PID"
		es_stop
		[ "$NULL_UP" = 0 ] || run null "$c" "$r" "$NULL_SOCK" "$NULL_PIDS"
	done
done
echo "loadavg at end: $(cat /proc/loadavg)" >> "$OUT/meta.txt"

python3 - "$OUT" <<'PY' | tee "$OUT/results.md"
import glob, json, os, re, statistics, sys
out = sys.argv[1]
print("```\n" + open(os.path.join(out, "meta.txt")).read().rstrip() + "\n```\n")
runs = {}
for f in glob.glob(os.path.join(out, "e2e-*.json")):
    m = re.match(r"e2e-(.+)-c(\d+)-r(\d+)\.json$", os.path.basename(f))
    runs.setdefault((m.group(1), int(m.group(2))), []).append(json.load(open(f)))
def med(rs, k):
    v = [r[k] for r in rs if r.get(k)]
    return statistics.median(v) if v else None
order = {"none": 0, "esafety-all": 1, "null": 2}
print("| milter | C | rounds | e2e msgs/s | inject msgs/s | e2e ratio to none | inject ratio to none"
      " | SMTP p50/p99 ms | delivered | milter-reject | hold | deferred | milter warnings | milter CPU ms/msg |")
print("|" + "---|" * 14)
for (name, c) in sorted(runs, key=lambda k: (k[1], order.get(k[0], 9))):
    rs = runs[(name, c)]
    base = runs.get(("none", c), [])
    e2e, inj = med(rs, "e2e_msgs_per_s"), med(rs, "inject_msgs_per_s")
    be, bi = med(base, "e2e_msgs_per_s"), med(base, "inject_msgs_per_s")
    mid = sorted(rs, key=lambda r: r.get("e2e_msgs_per_s") or 0)[len(rs) // 2]
    lat = mid.get("smtp_latency_ms", {})
    cpu = mid.get("peer", {}).get("cpu_s")
    print("| %s | %d | %d | %s | %s | %s | %s | %s/%s | %d | %d | %d | %d | %d | %s |" % (
        name, c, len(rs), e2e, inj, "%.2f" % (e2e / be) if e2e and be else "-",
        "%.2f" % (inj / bi) if inj and bi else "-", lat.get("p50"), lat.get("p99"),
        mid["delivered"], mid["milter_reject"], mid["milter_hold"], mid["deferred"],
        mid["milter_warnings"], "%.2f" % (cpu * 1000.0 / mid["messages"]) if cpu is not None else "-"))
PY
echo "(results in $OUT)"
