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
# (the p99 < 50 ms target). Each run starts its milter afresh (see below).
# Not a pass/fail test: it prints what it measures.
#
# usage: tests/bench/peers.sh [options]     (run from the build directory)
#   -b DIR     bench-peers folder (default: ../shared/bench-peers beside the source tree)
#   -d DIR     corpus (default OUT/corpus, made with corpus.py -n N)
#   -N N       corpus size when it is generated (default 300)
#   -n M       measured messages per run (default: corpus size)
#   -c "C..."  concurrencies (default "1 4 8")
#   -w W       warm-up messages per run, from a corpus of their own (default 30)
#   -K N       size of the corpus the ~100 KB messages are picked from (default 4000: ~180)
#   -p "P..."  peers (default "null clamav rspamd"); "" = ours only
#   -v "V..."  our variants (default "all language personal_data pupil_data virus")
#   -r R       rounds (default 1): every row is measured R times, a round of all rows
#              after another, and the tables give the median of the R runs
#   -o DIR     results folder (default /tmp/esafety-bench/peers-TIMESTAMP)
# Environment: ES_MILTER (default ./milter/esafety-milter), BP_RUN (peer work
# dirs, default /tmp/esafety-bench/bp-run, kept so rspamd's regexp cache is reused).
# Ports: ours 127.0.0.1:10500-10509; peers use bench-peers' own ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
BP="$top_srcdir/../shared/bench-peers"
CORPUS="" NCORP=300 M=0 CONCS="1 4 8" WARM=30 PEERS="null clamav rspamd" N100K=4000 ROUNDS=1
VARIANTS="all language personal_data pupil_data virus"
OUT="/tmp/esafety-bench/peers-$(date +%Y%m%d-%H%M%S)"
while getopts "b:d:N:n:c:w:p:v:o:K:r:h" o; do
	case "$o" in
	b) BP=$OPTARG ;; d) CORPUS=$OPTARG ;; N) NCORP=$OPTARG ;; n) M=$OPTARG ;;
	c) CONCS=$OPTARG ;; w) WARM=$OPTARG ;; p) PEERS=$OPTARG ;; v) VARIANTS=$OPTARG ;;
	o) OUT=$OPTARG ;; K) N100K=$OPTARG ;; r) ROUNDS=$OPTARG ;; *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;;
	esac
done
. "$here/bench-lib.sh"
bench_init peers.sh milterload.py

# corpora: the mixed one; the warm-up one (another seed, so none of its
# attachments is one the milter will be measured on); and ~100 KB messages
# with an attachment, picked from a larger corpus of a third seed
bench_corpus "$NCORP"
CWARM="$OUT/corpus-warm"
[ -f "$CWARM/manifest.json" ] || python3 "$BP/corpus.py" -n "$WARM" -s 7 -o "$CWARM" >/dev/null
C100="$OUT/corpus-100k"
if [ ! -f "$C100/.done" ]; then
	[ -f "$OUT/corpus-big/manifest.json" ] || python3 "$BP/corpus.py" -n "$N100K" -s 3 -o "$OUT/corpus-big" >/dev/null
	bench_select_100k "$OUT/corpus-big" "$C100"
	touch "$C100/.done"
fi
[ "$M" -gt 0 ] || M=$(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l)
N100=$(find "$C100" -maxdepth 1 -name '*.eml' | wc -l)
{
	echo "date: $(date -u -Is)  host: $(uname -srm), $(nproc) cores"
	echo "corpus: $CORPUS ($(find "$CORPUS" -maxdepth 1 -name '*.eml' | wc -l) msgs, $(du -sm "$CORPUS" | cut -f1) MB), M=$M, C=[$CONCS], warm-up=$WARM"
	echo "100k corpus: $N100 msgs of 80-130 KB with an attachment, no EICAR, each sent once (from corpus.py -n $N100K -s 3)"
	echo "every run: a freshly started milter, warmed with $WARM messages of corpus.py -s 7"
	echo "rounds: $ROUNDS (each figure is the median of the rounds' runs)"
	echo "loadavg at start: $(cat /proc/loadavg)"
} > "$OUT/meta.txt"

# Every measured run starts its milter afresh and warms it on a corpus of its
# own (other seed): libclamav keeps a cache of files it found clean, so a
# milter that has seen the measured messages once (in the warm-up or at the
# previous concurrency) would skip their attachments, which live mail, with
# new attachments, never lets it do. For the same reason the ~100 KB set
# comes from a corpus of its own and each of its messages is sent once.

# row_start NAME - start the milter of row NAME (esafety-VARIANT or a peer);
# sets SOCK and PIDS; fails if it did not start
row_start() {
	local name=$1 d v
	case "$name" in
	esafety-*)
		v=${name#esafety-} d="$OUT/es-$v"
		"$MILTER" -f -c "$d/esafety.conf" >> "$d/milter.log" 2>&1 &
		PIDS=$! SOCK="inet:${PORT[$v]}@127.0.0.1"
		bench_wait_tcp "${PORT[$v]}" 60 "$PIDS" || { tail -5 "$d/milter.log" >&2; return 1; } ;;
	clamav)
		bench_clamav_start "$OUT/clamav" "$top_srcdir/tests/fixtures/clamav" || return 1
		# shellcheck source=/dev/null
		. "$OUT/clamav/peer.env"
		SOCK=$MILTER_SOCKET ;;
	*)
		BP_TRANSPORT=tcp "$BP/peers/$name.sh" start >> "$OUT/run.log" 2>&1 || return 1
		# shellcheck source=/dev/null
		. "$BP_RUN/$name/peer.env"
		SOCK=$MILTER_SOCKET ;;
	esac
}

# row_stop NAME - stop what row_start started
row_stop() {
	case "$1" in
	esafety-*) bench_stop "$PIDS" ;;
	clamav) bench_clamav_stop "$OUT/clamav" ;;
	*) "$BP/peers/$1.sh" stop >> "$OUT/run.log" 2>&1 || true ;;
	esac
}

# run NAME CORPUS C N JSON - a fresh milter, its warm-up, then N messages at C
run() {
	local name=$1
	if ! row_start "$name"; then
		log "$name: did not start (see $OUT/run.log)"; row_stop "$name"; return 0
	fi
	python3 "$BP/milterload.py" -s "$SOCK" -d "$CWARM" -c 4 -n "$WARM" >/dev/null 2>&1 || true
	python3 "$BP/milterload.py" -s "$SOCK" -d "$2" -c "$3" -n "$4" --pids "$PIDS" \
		--label "$name" --json "$5" >> "$OUT/run.log" 2>&1 || true
	row_stop "$name"
}

# measure NAME ROUND - every concurrency on the mixed corpus, then the 100 KB set at C=8
measure() {
	local name=$1 r="-r$2" c
	for c in $CONCS; do
		log "$name C=$c round $2"
		run "$name" "$CORPUS" "$c" "$M" "$OUT/ml-$name-c$c$r.json"
	done
	log "$name 100k C=8 round $2"
	run "$name" "$C100" 8 "$N100" "$OUT/ml100k-$name-c8$r.json"
}

declare -A PORT
port=10500
rows=()
for v in $VARIANTS; do
	PORT[$v]=$port
	port=$((port + 1))
	if ! bench_es_config "$OUT/es-$v" "$v" "${PORT[$v]}"; then
		log "esafety-$v: config refused (see $OUT/es-$v/check.out)"; continue
	fi
	rows+=("esafety-$v")
done
rows+=($PEERS)
# Round after round of every row, rather than each row R times in a row, so
# a slow spell of this machine falls on every row alike
for ((round = 1; round <= ROUNDS; round++)); do
	for row in "${rows[@]}"; do
		measure "$row" "$round"
	done
done

echo "loadavg at end: $(cat /proc/loadavg)" >> "$OUT/meta.txt"
python3 "$here/bench_table.py" "$OUT" | tee "$OUT/results.md"
echo "(results in $OUT)"
