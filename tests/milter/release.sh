#!/bin/bash
# release.sh - the milter's side of a release: a held message re-submitted
# with a valid token is delivered to its recipients and not held again; the
# same token a second time, an expired token or a forged one changes nothing.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
command -v miltertest > /dev/null || bail "miltertest is missing (Debian package miltertest)"
# a second school: a token must stay used whichever school a message routes to
ms_setup "unix:@DIR@/milter.sock" "${MS_OTHER_SCHOOL[@]}"
trap ms_cleanup EXIT
ms_start || bail "milter did not start"

# send QID TOKEN - a message that the policy holds (self-harm), with TOKEN
# in X-ESafety-Release (none if empty); prints what the milter did
send() {
	local hdr=""
	[ -n "$2" ] && hdr="mt.header(conn, \"X-ESafety-Release\", \"$2\")"
	ms_lua_send "$1" "just kys" "$hdr" <<'LUA'
if mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "released") then mt.echo("released")
elseif mt.eom_check(conn, MT_RCPTDELETE, "<amy@pupils.school.example>") then mt.echo("held")
else mt.echo("other") end
LUA
}

is "$(send REL00001 "")" held "without a token the message is held"
id=$(ls "$MS_DIR/quarantine/school/new" | head -1 | cut -d. -f2)
is "${#id}" 16 "quarantine id read from the stored file name ($id)"
token=$("$top_builddir/tests/milter/mktoken" "$MS_DIR/hmac.key" "$id" 3600)
is "$(send REL00002 "$token")" released "with the UI's token it is released, not held again"
grep -q "REL00002: esafety: released quarantine=$id school=school" "$MS_DIR/milter.log"
ok $? "the release is logged with queue ID and quarantine id"
is "$(send REL00003 "$token")" held "the same token a second time is ignored"
grep -q "REL00003: release token for $id was used before" "$MS_DIR/milter.log"; ok $? "and the reuse is logged"
got=$(MS_FROM=tom@pupils.other.example MS_RCPT=amy@pupils.other.example send REL00006 "$token")
[ "$got" != released ]; ok $? "the same token under another school's envelope is ignored too ($got)"
expired=$("$top_builddir/tests/milter/mktoken" "$MS_DIR/hmac.key" 00000000000000ff -60)
is "$(send REL00004 "$expired")" held "an expired token is ignored"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$MS_DIR/other.key"
chmod 600 "$MS_DIR/other.key"
forged=$("$top_builddir/tests/milter/mktoken" "$MS_DIR/other.key" 00000000000000fe 3600)
is "$(send REL00005 "$forged")" held "a token signed with another key is ignored"
ms_stop_ok
done_testing
