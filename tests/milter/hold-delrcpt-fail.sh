#!/bin/bash
# hold-delrcpt-fail.sh - a held message goes to the quarantine and the
# e-safety mailbox only; if libmilter cannot remove one of its recipients
# (faildel.so makes smfi_delrcpt fail for that one), the message must not
# reach them: it is discarded (it is in the quarantine), with no mailbox copy,
# and the log says so with the queue ID. TAP.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
command -v miltertest > /dev/null || bail "miltertest is missing (Debian package miltertest)"
shim="$top_builddir/tests/milter/faildel.so"
[ -f "$shim" ] || bail "$shim is not built"
ms_setup "unix:@DIR@/milter.sock" "school:school|hold_to_mailbox = yes"
trap ms_cleanup EXIT
# a sanitizer build wants its runtime first among the libraries; the shim
# only adds one function, so the order does not matter here
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 MS_PRELOAD=$shim ms_start ||
	bail "milter did not start"

# send QID RCPTS - the held "just kys" from tom to RCPTS; prints what happened
send() {
	MS_RCPT=$2 ms_lua_send "$1" "just kys" <<'LUA'
local r = mt.getreply(conn)
local what = r == SMFIR_DISCARD and "discard" or r == SMFIR_ACCEPT and "accept" or "other"
if mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>") then what = what .. "+mailbox" end
mt.echo(what)
LUA
}

is "$(send DEL00001 "amy@pupils.school.example")" "accept+mailbox" \
	"with the shim loaded, a held message still goes to the e-safety mailbox (the shim passes other removals)"
is "$(send DEL00002 "amy@pupils.school.example faildel@pupils.school.example")" discard \
	"a recipient that cannot be removed: the held message is discarded, with no mailbox copy"
grep -q "DEL00002: could not remove recipient <faildel@pupils.school.example> from a held message: discarded" \
	"$MS_DIR/milter.log"; ok $? "the log says so, with the queue ID"
is "$(grep -l '^X-ESafety-Queue-Id: DEL00002$' "$MS_DIR"/quarantine/school/new/* 2>/dev/null | wc -l)" 1 \
	"the discarded message is in the quarantine"
ms_stop_ok
done_testing
