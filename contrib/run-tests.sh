#!/bin/bash
# run-tests.sh - the whole test suite from a fresh clone on Debian 12, as root:
# install what is needed, build with -Werror, run `make check` (unit, milter
# protocol, end to end through a private Postfix, Redis, ClamAV, browser,
# hardening), then the demo of contrib/quickstart.sh, a clang build that
# fuzzes every target, the unit and milter tests under ASan+UBSan, and
# `make distcheck`. Prints "N passed, N failed"
# last (every TAP result of every stage); exits non-zero if anything failed or
# could not run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${SKIP_DEPS:-}" != 1 ]; then
	"$top/contrib/install-deps.sh"
fi
autoreconf -fi
rm -rf build build-fuzz build-sanitizers && mkdir build && cd build
../configure --enable-werror
make -j"$jobs"
status=0
make -j"$jobs" check || status=$?

# Every TAP result counts, not just every script.
summary() {
	local pass fail
	local trs
	trs=$(find "$top/build" "$top/build-fuzz" "$top/build-sanitizers" -name '*.trs' 2>/dev/null)
	pass=$(cat $trs /dev/null | grep -c '^:test-result: PASS' || true)
	fail=$(cat $trs /dev/null | grep -cE '^:test-result: (FAIL|ERROR|XPASS|SKIP)' || true)
	echo "$pass passed, $fail failed"
}
if [ "$status" -ne 0 ]; then
	grep -h -B2 -A20 '^not ok\|^Bail out\|^ERROR' $(find . -name '*.log' ! -name 'config.log' ! -name 'test-suite.log') 2>/dev/null | head -200 || true
	summary
	exit 1
fi
# the stages after make check: any failure fails the run (the summary still prints)
stage() {
	echo "== $1"
	shift
	"$@" || { echo "run-tests.sh: stage failed: $*"; summary; exit 1; }
}
# the README's first command, contrib/quickstart.sh: its demo must still send
# each sample where the README says (packages are installed already)
demo() {
	local out="$top/build/demo.log" ok=0
	SKIP_DEPS=1 "$top/contrib/quickstart.sh" > "$out" 2>&1 || { tail -30 "$out"; return 1; }
	grep -q '^01-newsletter.eml .*: 250 ' "$out" &&
		grep -q '^04-class-list.eml .*: 550 5.7.1 Your message was NOT sent' "$out" &&
		grep -q '^06-eicar.eml .*: 550 5.7.1 Message refused: it contains malware' "$out" &&
		grep -q '^esafety@school.example  *2 message(s)' "$out" &&
		grep -q '^quarantine (school demo)  *4 message(s)' "$out" &&
		grep -q '^esafety-milter  *runs as esafety$' "$out" &&
		grep -q '^esafety-quarantine  *runs as esafety$' "$out" &&
		[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8025/login)" = 200 ] || ok=1
	"$top/contrib/quickstart.sh" stop > /dev/null
	[ "$ok" = 0 ] || { echo "the demo did not end as expected:"; cat "$out"; }
	return "$ok"
}
stage "demo (contrib/quickstart.sh)" demo
# clang builds it warning-free too, and with libFuzzer every fuzz target runs
# for FUZZ_SECONDS and replays its regression inputs (tests/fuzz/)
clang_fuzz() {
	rm -rf ../build-fuzz && mkdir ../build-fuzz && cd ../build-fuzz &&
	../configure -q CC=clang --enable-werror --enable-fuzzing && make -j"$jobs" > /dev/null &&
	FUZZ_SECONDS=${FUZZ_SECONDS:-10} make -j"$jobs" check TESTS=tests/fuzz/run-fuzzers.sh
}
stage "clang build with fuzzing" clang_fuzz
cd "$top/build"
# unit and milter-protocol tests again under AddressSanitizer and UBSan
stage "sanitizers" "$top/contrib/run-sanitizers.sh" "$top/build-sanitizers"
if [ "${SKIP_DISTCHECK:-}" != 1 ]; then
	stage "distcheck" make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
fi
summary
