#!/bin/sh
# attachments-bench.sh - attachments per second by type through extraction
# and the pupil-data detector, beside a baseline that copies and sums the
# same bytes, both measured in this run. Fixtures come from the recipes in
# tests/pupil_data/. Usage: tests/bench/attachments-bench.sh [SECONDS_PER_FILE]
# (run from the build directory after make check; top_srcdir defaults to the
# directory this script lives in, two levels up).
set -eu
SECS=${1:-1}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
BIN=$top_builddir/tests/bench/attachments_bench
[ -x "$BIN" ] || { echo "attachments-bench.sh: $BIN not built (make check builds it)" >&2; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 "$top_srcdir/tests/pupil_data/mkfixtures.py" "$DIR"
sh "$top_srcdir/tests/pupil_data/mkencrypted.sh" "$DIR" >/dev/null
cd "$DIR"
"$BIN" "$top_srcdir/rules/pupil_data/headers.txt" "$SECS" \
	pupils_200.csv pupils_200.xlsx pupils_200.ods pupils_200.docx pupils_200.pdf pupils_200.rtf \
	ctf_200.xml pupils_5_nested.zip plain.7z winmail.dat photo.png \
	enc_aes.zip enc_mhe.7z enc.pdf enc_office.xlsx enc_smime.p7m bomb_flat.zip
