#!/bin/bash
# store-retry.sh - the quarantine cannot be written: a flagged message is
# tempfailed, stays in Postfix's queue, and is delivered (and stored) once the
# fault clears. A clean message is not held up by the fault.
set -u
. "$top_srcdir/tests/e2e/common.sh"
e2e_start 10041 10042 "quarantine|root = @DIR@/qroot"
# root ignores permissions, so the fault is a file where the directory should be
touch "$MS_DIR/qroot"

clean=$(e2e_msg clean tom@pupils.school.example amy@pupils.school.example "maths" "see you in maths")
pf_sendmail tom@pupils.school.example amy@pupils.school.example "$clean"
pf_wait_mail amy@pupils.school.example 1 30; ok $? "clean mail flows while the quarantine is broken"

flagged=$(e2e_msg flagged tom@pupils.school.example ben@pupils.school.example "x" "you are such a bellend")
pf_sendmail tom@pupils.school.example ben@pupils.school.example "$flagged"
for _ in $(seq 1 100); do grep -q "quarantine store failed" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "quarantine store failed.*on_store_error=tempfail, verdict tempfail" "$MS_DIR/milter.log"; ok $? "store failure logged, tempfail applied"
sleep 2
is "$(pf_count ben@pupils.school.example)" 0 "flagged message not delivered while it cannot be stored"
is "$(pf_count esafety@school.example)" 0 "no copy either"
n=$(find "$PF_DIR/queue/maildrop" "$PF_DIR/queue/deferred" "$PF_DIR/queue/incoming" -type f 2>/dev/null | wc -l)
ok $((n < 1)) "the message waits in Postfix's queue ($n file)"

rm "$MS_DIR/qroot"
mkdir "$MS_DIR/qroot"
pf_flush
pf_wait_mail ben@pupils.school.example 1 90; ok $? "delivered once the fault clears"
pf_wait_mail esafety@school.example 1 30; ok $? "copy in the e-safety mailbox"
is "$(find "$MS_DIR/qroot/school/new" -type f | wc -l)" 1 "and stored in the quarantine"
done_testing
