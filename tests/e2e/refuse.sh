#!/bin/bash
# refuse.sh - a refused message: the SMTP client sees our multi-line notice,
# and a locally submitted one (sendmail, non_smtpd_milters) bounces to the
# sender's Maildir with our explanation in the DSN.
set -u
. "$top_srcdir/tests/e2e/common.sh"
e2e_start 10021 10022

threat=$(e2e_msg threat tom@pupils.school.example amy@pupils.school.example "after school" "I will stab you tomorrow")
reply=$(pf_send tom@pupils.school.example amy@pupils.school.example "$threat")
case "$reply" in 550*) ok 0 "smtpd refuses with 550";; *) ok 1 "smtpd refuses with 550"; diag "reply: $reply";; esac
case "$reply" in *"test notice for school"*"Please talk to the school's e-safety lead"*) ok 0 "reply carries every line of the school's notice";;
	*) ok 1 "reply carries every line of the school's notice"; diag "reply: $reply";; esac
sleep 1
is "$(pf_count amy@pupils.school.example)" 0 "refused message not delivered"
is "$(ms_quarantine_count)" 1 "refused message kept in the quarantine for the lead"

staffmsg=$(e2e_msg staffthreat teacher@staff.school.example parent@external.example "complaint" "I will stab you if you call again")
pf_sendmail teacher@staff.school.example parent@external.example "$staffmsg"
pf_wait_mail teacher@staff.school.example 1 60; ok $? "bounce delivered to the sender's Maildir"
f=$(pf_mailfile teacher@staff.school.example 1)
grep -q "refused by the school's e-safety" "$f"; ok $? "bounce carries our explanation"
grep -qi '^Content-Type: multipart/report' "$f"; ok $? "bounce is a DSN (multipart/report)"
is "$(pf_count parent@external.example)" 0 "refused message not delivered to its recipient"
done_testing
