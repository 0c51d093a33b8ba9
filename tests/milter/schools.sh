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
ms_setup "unix:@DIR@/milter.sock" "school:other|domains = other.example" \
	"school:other|esafety_mailbox = esafety@other.example" "school:other|pupils = *@pupils.other.example" \
	"school:other|policy = e2e" "school:other|year_groups = Year 8=bob@pupils.other.example" \
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

# mail within one school is stored once, as before
MS_FROM=tom@pupils.school.example MS_RCPT="amy@pupils.school.example" send SCH00003 > /dev/null
is "$(ms_quarantine_count school) $(ms_quarantine_count other)" "3 2" "a message within one school is stored once"
! grep -q "SCH00003: quarantine copy" "$MS_DIR/milter.log"; ok $? "and no per-copy lines are logged for it"
# the other school's folder cannot be written: the message is tempfailed (it
# waits in the MTA), and the copy already stored is logged, not lost
mv "$Q/other" "$MS_DIR/other.saved" && touch "$Q/other"
got=$(MS_FROM=stranger@external.example MS_RCPT="amy@pupils.school.example bob@pupils.other.example" \
	ms_lua_send SCH00004 "just kys" <<'LUA'
local r = mt.getreply(conn)
if r == SMFIR_TEMPFAIL or r == SMFIR_REPLYCODE then mt.echo("refused") else mt.echo("other") end
LUA
)
is "$got" refused "when one school's copy cannot be stored, the message is refused for now"
grep -q "SCH00004: from=.* action=tempfail reason=on_store_error" "$MS_DIR/milter.log"; ok $? "... with a tempfail"
grep -q "SCH00004: quarantine copies [0-9a-f]\{16\} were stored before this failure" "$MS_DIR/milter.log"
ok $? "the copy stored before the failure is logged with the queue ID"
grep -q "SCH00004: quarantine store failed (cannot create Maildir $Q/other" "$MS_DIR/milter.log"
ok $? "and the failure names the school's folder"
done_testing
