#!/bin/bash
# run.sh - run one miltertest script against a freshly started esafety-milter.
# Lines in the script's header comments set it up:
#   -- config: SECTION|key = value     a config line for this test (@DIR@ = its temp dir)
#   -- expect-log: REGEX               the milter's log must match (grep -E)
# The Lua script prints "ok - ..." / "not ok - ..." lines (tests/milter/lib.lua);
# this wrapper adds its own checks and the TAP plan.
set -u
script="$1"
. "$top_srcdir/tests/lib/milter.sh"
command -v miltertest > /dev/null || { echo "not ok - miltertest is missing (Debian package miltertest)"; echo "1..1"; exit 1; }

mapfile -t configs < <(sed -n 's/^-- config: //p' "$script")
mapfile -t logs < <(sed -n 's/^-- expect-log: //p' "$script")
ms_setup "unix:@DIR@/milter.sock" "${configs[@]}"
trap ms_cleanup EXIT
out="$MS_DIR/miltertest.out"
if ! ms_start; then
	echo "not ok - esafety-milter started"
	echo "1..1"
	exit 1
fi
miltertest -D "sock=unix:$MS_DIR/milter.sock" -D "top_srcdir=$top_srcdir" -D "dir=$MS_DIR" -s "$script" > "$out" 2>&1
status=$?
grep -E '^(not )?ok ' "$out"
n=$(grep -cE '^(not )?ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
if [ "$status" -ne 0 ]; then
	echo "not ok - miltertest exited $status"
	sed 's/^/#   /' "$out"
	failed=$((failed + 1))
fi
n=$((n + 1))
# the daemon must end cleanly too: status 0, and no sanitizer report (a leak
# is reported only at exit, after every answer was right)
ms_stop
problem=$(ms_exit_problem)
n=$((n + 1))
if [ -z "$problem" ]; then echo "ok - esafety-milter ended cleanly on SIGTERM"; else
	echo "not ok - esafety-milter ended cleanly on SIGTERM"; printf '%s\n' "$problem" | sed 's/^/#   /'
	failed=$((failed + 1)); fi
for re in "${logs[@]}"; do
	n=$((n + 1))
	if grep -qE "$re" "$MS_DIR/milter.log"; then echo "ok - log matches /$re/"; else
		echo "not ok - log matches /$re/"; failed=$((failed + 1)); sed 's/^/#   /' "$MS_DIR/milter.log"; fi
done
[ "$status" -eq 0 ] && echo "ok - miltertest finished"
echo "1..$n"
[ "$failed" -eq 0 ]
