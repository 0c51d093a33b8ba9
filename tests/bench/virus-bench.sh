#!/bin/sh
# virus-bench.sh - what in-process virus scanning costs: ms per message on a
# corpus with scanning on vs the same pipeline with scanning off (measured in
# the same run), and RSS of one engine and of old + new during a reload, with
# the project's test database and with a synthetic database big enough for
# the engine's memory to show.
#
# usage: tests/bench/virus-bench.sh CORPUS_DIR [SYNTHETIC_SIGNATURES] [ROUNDS]
#   CORPUS_DIR   a folder of *.eml, e.g. made with
#                python3 /work/shared/bench-peers/corpus.py -n 500 -o /tmp/corpus
#   SYNTHETIC_SIGNATURES  body signatures in the synthetic database (default 200000)
#   ROUNDS       passes over the corpus per measurement (default 3)
# parts_only_* lines: the cost if only the decoded MIME parts were scanned
# (no raw-message pass), to weigh against what the raw pass finds.
# Run from the build directory (needs tests/bench/virus-bench: make check builds it).
set -eu
corpus=${1:?usage: virus-bench.sh CORPUS_DIR [SYNTHETIC_SIGNATURES] [ROUNDS]}
nsigs=${2:-200000}
rounds=${3:-3}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
bench=${VIRUS_BENCH:-./tests/bench/virus-bench}
[ -x "$bench" ] || { echo "virus-bench.sh: $bench not built (make check)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/synth"
cp "$top_srcdir"/tests/fixtures/clamav/es-test.* "$work/synth/"
# Random 32-byte body signatures: the size of a real database's body
# signature part, without shipping or downloading one.
python3 - "$nsigs" > "$work/synth/synthetic.ndb" <<'PY'
import random, sys
r = random.Random(6)
for i in range(int(sys.argv[1])):
    print("Es.Bench.Synthetic%d:0:*:%s" % (i, "%064x" % r.getrandbits(256)))
PY

echo "== test database ($top_srcdir/tests/fixtures/clamav)"
"$bench" "$top_srcdir/tests/fixtures/clamav" "$corpus" "$rounds"
echo "== test database, libclamav temporary files on tmpfs (/dev/shm)"
"$bench" "$top_srcdir/tests/fixtures/clamav" "$corpus" "$rounds" /dev/shm
echo "== synthetic database ($nsigs body signatures + the test database)"
"$bench" "$work/synth" "$corpus" "$rounds"
