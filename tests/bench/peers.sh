#!/usr/bin/env bash
# peers.sh - esafety-milter against peer milters on the same corpus, in one run:
# one table of messages/s and latency p50/p95/p99 per concurrency, with ratios.
#
# Rows: esafety-milter with every detector; with each detector alone (the
# others switched off in its config); clamav-milter + clamd loaded with our
# test signatures (tests/fixtures/clamav); rspamd in milter mode; the null
# milter (libmilter doing nothing: the ceiling of this harness). All speak to
# the same load driver (bench-peers' milterload.py) over TCP loopback.
# A second table replays only the ~100 KB messages with an attachment at C=8
# (the p99 < 50 ms target). Not a pass/fail test: it prints what it measures.
#
# usage: tests/bench/peers.sh [options]     (run from the build directory)
#   -b DIR     bench-peers folder (default: ../shared/bench-peers beside the source tree)
#   -d DIR     corpus (default OUT/corpus, made with corpus.py -n N)
#   -N N       corpus size when it is generated (default 300)
#   -n M       measured messages per run (default: corpus size)
#   -c "C..."  concurrencies (default "1 4 8")
#   -w W       warm-up messages per milter (default 30)
#   -p "P..."  peers (default "null clamav rspamd"); "" = ours only
#   -v "V..."  our variants (default "all language personal_data pupil_data virus")
#   -o DIR     results folder (default /tmp/esafety-bench/peers-TIMESTAMP)
# Environment: ES_MILTER (default ./milter/esafety-milter), BP_RUN (peer work
# dirs, default /tmp/esafety-bench/bp-run, kept so rspamd's regexp cache is reused).
# Ports: ours 127.0.0.1:10500-10509; peers use bench-peers' own ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
BP="$top_srcdir/../shared/bench-peers"
CORPUS="" NCORP=300 M=0 CONCS="1 4 8" WARM=30 PEERS="null clamav rspamd"
VARIANTS="all language personal_data pupil_data virus"
OUT="/tmp/esafety-bench/peers-$(date +%Y%m%d-%H%M%S)"
while getopts "b:d:N:n:c:w:p:v:o:h" o; do
	case "$o" in
	b) BP=$OPTARG ;; d) CORPUS=$OPTARG ;; N) NCORP=$OPTARG ;; n) M=$OPTARG ;;
	c) CONCS=$OPTARG ;; w) WARM=$OPTARG ;; p) PEERS=$OPTARG ;; v) VARIANTS=$OPTARG ;;
	o) OUT=$OPTARG ;; *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;;
	esac
done
. "$here/bench-lib.sh"
bench_init peers.sh milterload.py

# corpus: the mixed one, and its ~100 KB messages that carry an attachment
bench_corpus "$NCORP"
C100="$OUT/corpus-100k"
bench_select_100k "$CORPUS" "$C100"
[ "$M" -gt 0 ] || M=$(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l)
N100=$(find "$C100" -maxdepth 1 -name '*.eml' | wc -l)
{
	echo "date: $(date -u -Is)  host: $(uname -srm), $(nproc) cores"
	echo "corpus: $CORPUS ($(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l) msgs, $(du -sm "$CORPUS" | cut -f1) MB), M=$M, C=[$CONCS], warm-up=$WARM"
	echo "100k corpus: $N100 msgs of 80-130 KB with an attachment, no EICAR"
	echo "loadavg at start: $(cat /proc/loadavg)"
} > "$OUT/meta.txt"

# measure NAME SOCKET PIDS - milterload at every concurrency, then the 100 KB set at C=8
measure() {
	local name=$1 sock=$2 pids=$3 c
	python3 "$BP/milterload.py" -s "$sock" -d "$CORPUS" -c 4 -n "$WARM" >/dev/null 2>&1 || true
	for c in $CONCS; do
		log "$name C=$c"
		python3 "$BP/milterload.py" -s "$sock" -d "$CORPUS" -c "$c" -n "$M" --pids "$pids" \
			--label "$name" --json "$OUT/ml-$name-c$c.json" >> "$OUT/run.log" 2>&1 || true
	done
	log "$name 100k C=8"
	python3 "$BP/milterload.py" -s "$sock" -d "$C100" -c 8 -n $((N100 * 4)) --pids "$pids" \
		--label "$name" --json "$OUT/ml100k-$name-c8.json" >> "$OUT/run.log" 2>&1 || true
}

port=10500
for v in $VARIANTS; do
	d="$OUT/es-$v"
	bench_es_config "$d" "$v" "$port" || { log "esafety-$v: config refused (see $d/check.out)"; port=$((port + 1)); continue; }
	"$MILTER" -f -c "$d/esafety.conf" > "$d/milter.log" 2>&1 &
	pid=$!
	if bench_wait_tcp "$port" 60 "$pid"; then
		measure "esafety-$v" "inet:$port@127.0.0.1" "$pid"
	else
		log "esafety-$v: did not start"; tail -5 "$d/milter.log" >&2
	fi
	bench_stop "$pid"
	port=$((port + 1))
done

for p in $PEERS; do
	if [ "$p" = clamav ]; then
		bench_clamav_start "$OUT/clamav" "$top_srcdir/tests/fixtures/clamav" || { log "clamav: did not start"; continue; }
		# shellcheck source=/dev/null
		. "$OUT/clamav/peer.env"
		measure clamav "$MILTER_SOCKET" "$PIDS"	# both from peer.env
		bench_clamav_stop "$OUT/clamav"
		continue
	fi
	if ! BP_TRANSPORT=tcp "$BP/peers/$p.sh" start >> "$OUT/run.log" 2>&1; then
		log "$p: did not start (see $OUT/run.log)"; "$BP/peers/$p.sh" stop >/dev/null 2>&1 || true; continue
	fi
	# shellcheck source=/dev/null
	. "$BP_RUN/$p/peer.env"
	measure "$p" "$MILTER_SOCKET" "$PIDS"
	"$BP/peers/$p.sh" stop >> "$OUT/run.log" 2>&1 || true
done

echo "loadavg at end: $(cat /proc/loadavg)" >> "$OUT/meta.txt"
python3 "$here/bench_table.py" "$OUT" | tee "$OUT/results.md"
echo "(results in $OUT)"
