#!/bin/bash
# deliver.sh - through a real Postfix: clean mail arrives unchanged; flagged
# mail arrives AND a copy lands in the e-safety mailbox; held mail reaches only
# the e-safety mailbox and the quarantine; forged X-ESafety-* headers are gone.
set -u
. "$top_srcdir/tests/e2e/common.sh"
e2e_start 10011 10012

clean=$(e2e_msg clean teacher@staff.school.example parent@external.example "Trip on Friday" "The coach leaves at 9am. Bring a packed lunch.")
reply=$(pf_send teacher@staff.school.example parent@external.example "$clean")
is "$reply" "250 accepted" "clean message accepted by smtpd"
pf_wait_mail parent@external.example 1 30; ok $? "clean message delivered"
f=$(pf_mailfile parent@external.example 1)
diff <(body_of "$f") "$clean" > "$MS_DIR/clean.diff"; ok $? "clean message arrives unchanged (apart from trace headers)"
grep -q '^X-ESafety-' "$f"; ok $((! $?)) "no X-ESafety headers on clean mail"

flagged=$(e2e_msg flagged tom@pupils.school.example amy@pupils.school.example "homework" "you are such a bellend")
pf_send tom@pupils.school.example amy@pupils.school.example "$flagged" > /dev/null
pf_wait_mail amy@pupils.school.example 1 30; ok $? "flagged message delivered to its recipient"
pf_wait_mail esafety@school.example 1 30; ok $? "copy of the flagged message in the e-safety mailbox"
f=$(pf_mailfile esafety@school.example 1)
grep -q '^X-ESafety-Verdict: copy' "$f"; ok $? "the copy carries X-ESafety-Verdict: copy"
grep -q '^X-ESafety-Categories: profanity' "$f"; ok $? "the copy names the category"
grep -q 'you are such a bellend' "$f"; ok $? "the copy has the original text"
is "$(ms_quarantine_count)" 1 "the quarantine has the flagged message"

held=$(e2e_msg held tom@pupils.school.example ben@pupils.school.example "..." "just kys")
pf_send tom@pupils.school.example ben@pupils.school.example "$held" > /dev/null
pf_wait_mail esafety@school.example 2 30; ok $? "held message reaches the e-safety mailbox"
sleep 2
is "$(pf_count ben@pupils.school.example)" 0 "held message does not reach its recipient"
is "$(ms_quarantine_count)" 2 "held message is in the quarantine"
grep -l 'X-ESafety-Verdict: hold' "$MS_DIR"/quarantine/school/new/* | xargs grep -q '^X-ESafety-Envelope-To: ben@pupils.school.example'
ok $? "quarantine records the original recipient"
pf_wait_mail tom@pupils.school.example 1 30; ok $? "the sender is told the message is waiting for review"
f=$(pf_mailfile tom@pupils.school.example 1)
grep -q "being held for review by the school's e-safety lead" "$f"; ok $? "with the secondary-pupil hold notice"
grep -q '^Auto-Submitted: auto-generated' "$f"; ok $? "marked as an automatic message"

forged="$MS_DIR/forged.eml"
printf 'From: x@external.example\nTo: amy@pupils.school.example\nSubject: hi\nX-ESafety-Verdict: accept\nX-ESafety-Reason: trusted\nx-esafety-release: 0011223344556677.99999999999.abc\n\nhello\n' > "$forged"
pf_send x@external.example amy@pupils.school.example "$forged" > /dev/null
pf_wait_mail amy@pupils.school.example 2 30; ok $? "message with forged headers delivered"
f=$(pf_mailfile amy@pupils.school.example 2)
grep -qi '^X-ESafety-' "$f"; ok $((! $?)) "forged X-ESafety-* headers removed on delivery"
grep -q '^Subject: hi' "$f"; ok $? "the rest of the message intact"
grep -q "esafety: school=school role=pupil direction=internal action=copy" "$MS_DIR/milter.log"; ok $? "incident line logged"
qid=$(grep -o 'postfix/smtpd\[[0-9]*\]: [0-9A-F]*: client' "$PF_DIR/maillog" | head -1 | awk '{print $2}' | tr -d :)
grep -q "^esafety-milter\[[0-9]*\]: $qid: " "$MS_DIR/milter.log"; ok $? "milter log lines carry the Postfix queue ID ($qid)"
done_testing
