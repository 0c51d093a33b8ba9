#!/bin/bash
# run-tests.sh - the whole test suite from a fresh clone on Debian 12, as root:
# install what is needed, build with -Werror, run `make check` (unit, milter
# protocol, end to end through a private Postfix, Redis, ClamAV, browser),
# then `make distcheck`. Prints "N passed, N failed" last; exits non-zero if
# anything failed or could not run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)

if [ "${SKIP_DEPS:-}" != 1 ]; then
	"$top/contrib/install-deps.sh"
fi
autoreconf -fi
rm -rf build && mkdir build && cd build
../configure --enable-werror
make -j"$jobs"
status=0
make -j"$jobs" check || status=$?

# Every TAP result counts, not just every script.
summary() {
	local pass fail
	pass=$(cat $(find . -name '*.trs') /dev/null | grep -c '^:test-result: PASS' || true)
	fail=$(cat $(find . -name '*.trs') /dev/null | grep -cE '^:test-result: (FAIL|ERROR|XPASS|SKIP)' || true)
	echo "$pass passed, $fail failed"
}
if [ "$status" -ne 0 ]; then
	grep -h -B2 -A20 '^not ok\|^Bail out\|^ERROR' $(find . -name '*.log' ! -name 'config.log' ! -name 'test-suite.log') 2>/dev/null | head -200 || true
	summary
	exit 1
fi
# clang must build it warning-free too
( rm -rf ../build-clang && mkdir ../build-clang && cd ../build-clang &&
  CC=clang ../configure -q --enable-werror && make -j"$jobs" > /dev/null ) || { echo "clang build failed"; summary; exit 1; }
if [ "${SKIP_DISTCHECK:-}" != 1 ]; then
	make -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
fi
summary
