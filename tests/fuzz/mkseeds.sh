#!/bin/sh
# mkseeds.sh - generate the seed corpus of every fuzz target into OUT/<target>/:
# hand-made samples (mkseeds.py), the pupil-data fixtures made from their
# recipes (tests/pupil_data/mkfixtures.py) sorted by format, and the test
# messages in the source tree. Nothing binary is committed: all is generated.
#   mkseeds.sh SRCDIR OUT
set -eu
src=$1
out=$2
mkdir -p "$out/fixtures"
python3 "$src/tests/fuzz/mkseeds.py" "$out"
python3 "$src/tests/pupil_data/mkfixtures.py" "$out/fixtures" > /dev/null
cd "$out/fixtures"
# the bombs are kept out: each run would spend its time in the limits
for f in *; do
	case "$f" in
	bomb*) continue ;;
	*.zip) t=zip ;; *.xlsx) t=xlsx ;; *.docx) t=docx ;; *.ods) t=ods ;;
	*.pdf) t=pdf ;; *.rtf) t=rtf ;; *.dat) t=tnef ;; *.xls|*.doc|*.msg) t=cfb ;;
	*.csv|*.ctf|*.txt) mkdir -p "$out/fuzz_pd_scan"; cp "$f" "$out/fuzz_pd_scan/"; continue ;;
	*) continue ;;
	esac
	mkdir -p "$out/fuzz_extract_$t"
	cp "$f" "$out/fuzz_extract_$t/"
done
cd "$out"
rm -rf fixtures
find "$src/tests" -name '*.eml' -exec cp {} "$out/fuzz_scan/" \;
