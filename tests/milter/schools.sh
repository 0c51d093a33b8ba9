#!/bin/bash
# schools.sh - one install, two schools: a flagged message to pupils of both is
# stored once in each school's quarantine, each copy with that school's own
# recipients (and year group), so each lead reviews, and releases, the mail of
# their own pupils only. Recipients of no school stay with the school whose
# policy applied; a message only to another school's pupils still leaves a copy
# in the sender's school, with no recipients to release to. TAP.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
command -v miltertest > /dev/null || bail "miltertest is missing (Debian package miltertest)"
ms_setup "unix:@DIR@/milter.sock" "${MS_OTHER_SCHOOL[@]}" "school:other|year_groups = Year 8=bob@pupils.other.example" \
	"school:school|year_groups = Year 9=tom@pupils.school.example"
trap ms_cleanup EXIT
ms_start || bail "milter did not start"
Q=$MS_DIR/quarantine

# send QID - the held "just kys" from MS_FROM to MS_RCPT; prints accept/discard
send() {
	ms_lua_send "$1" "just kys" <<'LUA'
local r = mt.getreply(conn)
if r == SMFIR_ACCEPT then mt.echo("accept") elseif r == SMFIR_DISCARD then mt.echo("discard") else mt.echo("other") end
LUA
}
# newest SCHOOL - the file last stored in SCHOOL's quarantine
newest() { ls -t "$Q/$1/new/"* 2>/dev/null | head -1; }
# rcpts FILE - its signed envelope recipients, one line
rcpts() { sed -n 's/^X-ESafety-Envelope-To: //p' "$1" | tr '\n' ' ' | sed 's/ $//'; }
# id FILE - its quarantine id
id() { sed -n 's/^X-ESafety-Id: //p' "$1"; }

# an outsider writes to a pupil of each school and to someone of neither
MS_FROM=stranger@external.example MS_RCPT="amy@pupils.school.example bob@pupils.other.example carol@elsewhere.example" \
	send SCH00001 > /dev/null
is "$(ms_quarantine_count school) $(ms_quarantine_count other)" "1 1" "a message to both schools is stored once in each"
a=$(newest school) b=$(newest other)
is "$(rcpts "$a")" "amy@pupils.school.example carol@elsewhere.example" \
	"the first school's copy is for its pupil and the recipient of no school"
is "$(rcpts "$b")" "bob@pupils.other.example" "the other school's copy is for its own pupil only"
is "$(sed -n 's/^X-ESafety-School: //p' "$b")" other "the other copy is signed as the other school's"
grep -q '^X-ESafety-Year-Group: Year 8$' "$b"; ok $? "the other copy carries its pupil's year group (Year 8)"
grep -q '^X-ESafety-Policy-School: school$' "$b"; ok $? "it names the school whose policy decided"
grep -q '^X-ESafety-Policy-Sender-Role: external$' "$b"; ok $? "and how that school saw the sender (external)"
! grep -q '^X-ESafety-Policy-School:' "$a"; ok $? "the deciding school's own copy does not"
is "$(sed -n 's/^X-ESafety-Stored-For: //p' "$a")|$(sed -n 's/^X-ESafety-Stored-For: //p' "$b")" \
	"school, other|school, other" "both copies list every school that has one"
! grep -q '^X-ESafety-Year-Group:' "$a"; ok $? "the first copy has no year group: amy has none"
[ "$(id "$a")" != "$(id "$b")" ] && [ -n "$(id "$b")" ]; ok $? "each copy has its own quarantine id"
grep -q "SCH00001: esafety: school=school .*quarantine=$(id "$a"),$(id "$b")" "$MS_DIR/milter.log"
ok $? "the incident line names both copies, the policy's school first"
grep -q "SCH00001: quarantine copy $(id "$b") for school other: 1 recipient" "$MS_DIR/milter.log"
ok $? "each copy is logged with its school and queue ID"
cmp -s <(sed '/^X-ESafety-/d' "$a") <(sed '/^X-ESafety-/d' "$b"); ok $? "both copies hold the same message"

# a pupil writes only to the other school's pupil: the sender's school keeps a
# copy with no recipients (its lead sees what its pupil sent), the other decides
MS_FROM=tom@pupils.school.example MS_RCPT=bob@pupils.other.example send SCH00002 > /dev/null
is "$(ms_quarantine_count school) $(ms_quarantine_count other)" "2 2" "a pupil's message to the other school only: a copy in each"
a=$(newest school) b=$(newest other)
is "$(rcpts "$a")" "" "the sender's school's copy has no recipients to release to"
grep -q '^X-ESafety-Year-Group: Year 9$' "$a"; ok $? "it carries the sending pupil's year group (Year 9)"
is "$(rcpts "$b")" "bob@pupils.other.example" "the recipient's school's copy is for its pupil"
grep -q '^X-ESafety-Year-Group: Year 8$' "$b"; ok $? "with the recipient's year group (Year 8)"
is "$(sed -n 's/^X-ESafety-Sender-Role: //p;s/^X-ESafety-Direction: //p' "$a" | tr '\n' ' ')" "pupil outbound " \
	"the sender's school sees its pupil writing out"
is "$(sed -n 's/^X-ESafety-Sender-Role: //p;s/^X-ESafety-Direction: //p' "$b" | tr '\n' ' ')" "external inbound " \
	"the recipient's school sees mail from outside coming in"
is "$(sed -n 's/^X-ESafety-Policy-Sender-Role: //p' "$b")" pupil \
	"and is told how the deciding school saw the sender (a pupil: its reputation is the pupil's own)"
! grep -q '^X-ESafety-Policy-Sender-Role:' "$a"; ok $? "the deciding school's copy needs no such header"

# mail within one school is stored once, as before
MS_FROM=tom@pupils.school.example MS_RCPT="amy@pupils.school.example" send SCH00003 > /dev/null
is "$(ms_quarantine_count school) $(ms_quarantine_count other)" "3 2" "a message within one school is stored once"
! grep -q "SCH00003: quarantine copy" "$MS_DIR/milter.log"; ok $? "and no per-copy lines are logged for it"
# boxes QID - the held message from outside to a pupil of each school; prints
# the e-safety mailboxes added and the reply
boxes() {
	MS_FROM=stranger@external.example MS_RCPT="amy@pupils.school.example bob@pupils.other.example" \
		ms_lua_send "$1" "just kys" <<'LUA'
local got = ""
if mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>") then got = got .. "school " end
if mt.eom_check(conn, MT_RCPTADD, "<esafety@other.example>") then got = got .. "other " end
if mt.getreply(conn) == SMFIR_DISCARD then got = got .. "discard" end
mt.echo(got)
LUA
}
# hold_to_mailbox SCHOOL VALUE - set it in the config and reload
hold_to_mailbox() {
	sed -i -e "/^\[school:$1\]/,/^\[/{/^hold_to_mailbox/d}" -e "/^\[school:$1\]/a hold_to_mailbox = $2" "$MS_CONF"
	ms_reload
	for _ in $(seq 50); do [ "$(grep -c 'reloaded configuration' "$MS_DIR/milter.log")" -ge "$3" ] && return; sleep 0.1; done
}
is "$(boxes SCH00010)" "school other " "a message held for two schools goes to both e-safety mailboxes"
hold_to_mailbox other no 1
is "$(boxes SCH00011)" "school " "a school with hold_to_mailbox = no gets no mailbox copy of it"
hold_to_mailbox other yes 2
hold_to_mailbox school no 3
is "$(boxes SCH00012)" "other " "... and the other school's own setting still brings it to its lead"
hold_to_mailbox other no 4
is "$(boxes SCH00013)" "discard" "with neither school's mailbox, the quarantine is its only delivery"

# the other school's folder cannot be written: the message is tempfailed (it
# waits in the MTA), and no copy is kept, so the retry does not make two
before=$(ms_quarantine_count school)
mv "$Q/other" "$MS_DIR/other.saved" && touch "$Q/other"
got=$(MS_FROM=stranger@external.example MS_RCPT="amy@pupils.school.example bob@pupils.other.example" \
	ms_lua_send SCH00004 "just kys" <<'LUA'
local r = mt.getreply(conn)
if r == SMFIR_TEMPFAIL or r == SMFIR_REPLYCODE then mt.echo("refused") else mt.echo("other") end
LUA
)
is "$got" refused "when one school's copy cannot be stored, the message is refused for now"
grep -q "SCH00004: from=.* action=tempfail reason=on_store_error" "$MS_DIR/milter.log"; ok $? "... with a tempfail"
is "$(ms_quarantine_count school)" "$before" "all or none: the first school's copy is not left behind"
is "$(find "$Q/school/tmp" -type f | wc -l)" 0 "... not even in its tmp/"
grep -q "SCH00004: quarantine store failed (cannot create Maildir $Q/other" "$MS_DIR/milter.log"
ok $? "and the failure names the school's folder"
ms_stop_ok
done_testing
