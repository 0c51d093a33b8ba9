#!/bin/bash
# negotiate.sh - what esafety-milter agrees with the MTA at the start of each
# connection (no round trip per header line or body chunk), checked by
# negotiate.py speaking the milter protocol to the real daemon.
set -u
. "$top_srcdir/tests/lib/milter.sh"
ms_setup "unix:@DIR@/milter.sock"
trap ms_cleanup EXIT
if ! ms_start; then echo "not ok 1 - esafety-milter started"; echo "1..1"; exit 1; fi
/usr/bin/python3 "$top_srcdir/tests/milter/negotiate.py" "unix:$MS_DIR/milter.sock"
