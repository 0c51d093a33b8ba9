#!/bin/bash
# run-fuzzers.sh - every fuzz target on its generated seeds and its regression
# inputs (tests/fuzz/regressions/TARGET/*.hex); in a --enable-fuzzing build,
# then fuzzed for FUZZ_SECONDS (default 15) each. Fails on a crash, a leak, a
# sanitizer report or a timeout, and prints the input that did it as hex, ready
# to be added as a regression. FUZZ_ONLY="fuzz_ukid ..." runs only those (not
# FUZZ_TARGETS: make exports its own variable of that name, the list of programs).
set -u
. "$top_srcdir/tests/lib/tap.sh"
secs=${FUZZ_SECONDS:-15}
targets=${FUZZ_ONLY:-"fuzz_scan fuzz_textnorm fuzz_html fuzz_ukid fuzz_pd_scan fuzz_extract_zip fuzz_extract_xlsx
fuzz_extract_docx fuzz_extract_ods fuzz_extract_pdf fuzz_extract_rtf fuzz_extract_tnef fuzz_extract_cfb"}
work=$(mktemp -d /tmp/esafety-fuzz-run.XXXXXX)
cleanup() { if [ -n "${KEEP_TEST_DIRS:-}" ]; then echo "# kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
# the targets' scratch directories go here too: a crash skips their atexit clean-up
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"

sh "$top_srcdir/tests/fuzz/mkseeds.sh" "$top_srcdir" "$work/seeds" > "$work/mkseeds.log" 2>&1
st=$?
ok $st "seed corpus generated from recipes and test messages"
[ $st -eq 0 ] || sed 's/^/#   /' "$work/mkseeds.log"

# is_libfuzzer - the binary was linked with -fsanitize=fuzzer (not replay.c)
is_libfuzzer() { grep -qa "LLVMFuzzerRunDriver" "$1"; }

# show_failure - the log's sanitizer report and the input, in hex
show_failure() {
	grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x|Test unit written|timeout' "$1" | head -40 | sed 's/^/#   /'
	for a in "$work"/artifact-"$2"-*; do
		[ -f "$a" ] || continue
		cp "$a" "$top_builddir/" 2>/dev/null
		echo "#   input $(basename "$a") (copied to \$top_builddir) as hex for tests/fuzz/regressions/$2/:"
		od -An -v -tx1 "$a" | tr -d ' \n' | fold -w 76 | sed 's/^/#     /'
		echo
	done
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$top_srcdir/tests/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for t in $targets; do
	bin="$top_builddir/tests/fuzz/$t"
	# libgsf's own leak (lsan.supp) is known by its caller, which LSan sees
	# only with the slow unwinder: GLib's g_malloc has no frame pointer
	opts=$ASAN_OPTIONS
	[ "$t" = fuzz_extract_cfb ] && opts="$opts:fast_unwind_on_malloc=0"
	[ -x "$bin" ] || { ok 1 "$t is built"; continue; }
	corpus="$work/corpus/$t"
	mkdir -p "$corpus"
	cp "$work/seeds/$t"/* "$corpus/" 2>/dev/null
	n=$(ls "$corpus" | wc -l)
	ok $((n == 0)) "$t has seeds ($n)"
	shopt -s nullglob
	# regression inputs are kept as hex text: nothing binary in the repository;
	# a '#' starts a note, to the end of its line (one before the hex made
	# the whole input empty)
	for h in "$top_srcdir/tests/fuzz/regressions/$t"/*.hex; do
		[ -f "$h" ] || continue
		python3 -c 'import sys; open(sys.argv[2], "wb").write(bytes.fromhex("".join(l.split("#")[0] for l in open(sys.argv[1])).replace("\n", "").replace(" ", "")))' \
			"$h" "$work/regress-$t-$(basename "$h" .hex)"
	done
	inputs=("$corpus"/* "$work"/regress-"$t"-*)
	shopt -u nullglob
	ASAN_OPTIONS=$opts timeout 300 "$bin" "${inputs[@]}" > "$work/$t.replay.log" 2>&1
	st=$?
	ok $st "$t: ${#inputs[@]} seed and regression inputs replay cleanly"
	[ $st -eq 0 ] || show_failure "$work/$t.replay.log" "$t"
	is_libfuzzer "$bin" || continue
	ASAN_OPTIONS=$opts timeout $((secs + 120)) "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2560 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$work/artifact-$t-" "$corpus" > "$work/$t.fuzz.log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.fuzz.log" | head -1)
	ok $st "$t: fuzzed ${secs}s (${runs:-?} runs), no crash, leak or timeout"
	[ $st -eq 0 ] || show_failure "$work/$t.fuzz.log" "$t"
done
done_testing
