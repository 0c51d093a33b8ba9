#!/bin/bash
# negotiate.sh - what esafety-milter agrees with the MTA at the start of each
# connection (no round trip per header line or body chunk), checked by
# negotiate.py speaking the milter protocol to the real daemon.
set -u
. "$top_srcdir/tests/lib/milter.sh"
ms_setup "unix:@DIR@/milter.sock"
trap ms_cleanup EXIT
if ! ms_start; then echo "not ok 1 - esafety-milter started"; echo "1..1"; exit 1; fi
. "$top_srcdir/tests/lib/tap.sh"
out=$(/usr/bin/python3 "$top_srcdir/tests/milter/negotiate.py" "unix:$MS_DIR/milter.sock")
status=$?
# negotiate.py's checks, then this script's own, under one plan
printf '%s\n' "$out" | grep -v '^1\.\.'
TAP_N=$(printf '%s\n' "$out" | grep -cE '^(not )?ok ')
TAP_FAILED=$(printf '%s\n' "$out" | grep -c '^not ok ')
[ "$status" -eq 0 ] || [ "$TAP_FAILED" -gt 0 ] || ok 1 "negotiate.py exited $status"
ms_stop_ok
done_testing
