#!/bin/sh
# seed-extra.sh - by hand, not in make check: fuzz the whole pipeline
# (fuzz_scan) seeded with a corpus of real messages, e.g. the shared MIME
# corpus: tests/fuzz/seed-extra.sh BUILDDIR MIME_DIR [SECONDS]
# Needs a --enable-fuzzing build. Crashes are written to ./crash-* and the
# grown corpus is left in the printed directory.
set -eu
build=$1
mime=$2
secs=${3:-300}
src=$(cd "$(dirname "$0")/../.." && pwd)
bin="$build/tests/fuzz/fuzz_scan"
grep -qa LLVMFuzzerRunDriver "$bin" || { echo "$bin is not a libFuzzer build (configure CC=clang --enable-fuzzing)" >&2; exit 2; }
corpus=$(mktemp -d /tmp/esafety-fuzz-extra.XXXXXX)
find "$mime" -type f -size -1M | while read -r f; do cp "$f" "$corpus/"; done
echo "corpus: $corpus ($(ls "$corpus" | wc -l) files)"
export top_srcdir="$src"
export LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp"
exec "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=1048576 "$corpus"
