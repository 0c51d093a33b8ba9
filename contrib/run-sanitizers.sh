#!/bin/sh
# run-sanitizers.sh - the sanitizer CI run: configure --enable-sanitizers
# (ASan + UBSan, any UBSan report is fatal) in its own build directory, build,
# and run the unit tests, all the milter-protocol tests and the fuzz-target
# replay (seeds and regression inputs) under the sanitizers.
#   contrib/run-sanitizers.sh [BUILDDIR]     (default: ./build-sanitizers)
# Extra configure arguments in CONFIGURE_ARGS (e.g. CC=clang).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-sanitizers}
mkdir -p "$build"
build=$(cd "$build" && pwd)
cd "$build"
# shellcheck disable=SC2086
[ -f Makefile ] || "$src/configure" -q --enable-sanitizers ${CONFIGURE_ARGS:-}
make -j"${JOBS:-2}"
make -j"${JOBS:-2}" check TESTS=	# builds every check program, runs nothing
units=$(ls tests/unit/*_t | tr '\n' ' ')
# every milter-protocol test: the miltertest scripts and the shell ones
# (signals, release tokens, schools, negotiation, a failing smfi_delrcpt);
# each checks that the daemon ended cleanly, so a leak at exit fails it
milter=$(cd "$src" && ls tests/milter/*.lua tests/milter/*.sh | grep -v -e '/lib\.lua$' -e '/run\.sh$' |
	grep -v -- '-load\.lua$' | tr '\n' ' ')
# libclamav is built without frame pointers: LSan cannot follow its blocks (see tests/fuzz/lsan.supp)
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
start=$(date +%s)
status=0
make -j"${JOBS:-2}" check TESTS="$units $milter tests/fuzz/run-fuzzers.sh" || status=$?
echo "run-sanitizers.sh: tests took $(( $(date +%s) - start ))s, exit $status"
[ "$status" -eq 0 ] || grep -lE 'ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer' $(find tests -name '*.log') 2>/dev/null | sed 's/^/run-sanitizers.sh: sanitizer report in /'
exit "$status"
