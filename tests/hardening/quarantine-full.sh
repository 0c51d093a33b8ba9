#!/bin/bash
# quarantine-full.sh - the quarantine lives on a small tmpfs that is full:
# clean mail flows, flagged mail is tempfailed and waits in Postfix's queue
# (no half-written file left in the quarantine), and once space is freed
# every flagged message is delivered and stored. Counts messages in and out.
set -u
. "$top_srcdir/tests/e2e/common.sh"
[ "$(id -u)" -eq 0 ] || bail "needs root to mount a tmpfs"
e2e_start 10601 10602 "quarantine|root = @DIR@/qfs"
q="$MS_DIR/qfs"
mkdir -p "$q"
mount -t tmpfs -o size=512k,mode=755 esafety-test "$q" || bail "cannot mount a tmpfs on $q"
trap 'umount "$q" 2>/dev/null; e2e_cleanup' EXIT
# fill it: the first flagged message already finds no space
dd if=/dev/zero of="$q/filler" bs=4k > /dev/null 2>&1
df -k "$q" | tail -1 | awk '{ exit !($4 == 0) }'; ok $? "quarantine filesystem is full"

CLEAN=5 FLAGGED=5
for i in $(seq 1 $CLEAN); do
	pf_sendmail tom@pupils.school.example amy@pupils.school.example \
		"$(e2e_msg "clean$i" tom@pupils.school.example amy@pupils.school.example "maths $i" "see you in maths")"
done
for i in $(seq 1 $FLAGGED); do
	pf_sendmail tom@pupils.school.example ben@pupils.school.example \
		"$(e2e_msg "flagged$i" tom@pupils.school.example ben@pupils.school.example "x $i" "you are such a bellend ($i)")"
done
pf_wait_mail amy@pupils.school.example $CLEAN 60; ok $? "all $CLEAN clean messages delivered while the quarantine is full"
for _ in $(seq 1 300); do
	[ "$(grep -c 'quarantine store failed.*on_store_error=tempfail, verdict tempfail' "$MS_DIR/milter.log")" -ge $FLAGGED ] && break
	sleep 0.1
done
n=$(grep -c 'quarantine store failed.*on_store_error=tempfail, verdict tempfail' "$MS_DIR/milter.log")
ok $((n < FLAGGED)) "each flagged message: store failed, tempfail applied ($n)"
grep 'quarantine store failed' "$MS_DIR/milter.log" | head -1 | grep -qi 'space'; ok $? "the log names the cause (no space)"
sleep 2
is "$(pf_count ben@pupils.school.example)" 0 "no flagged message delivered unstored"
is "$(pf_count esafety@school.example)" 0 "no copy either"
partial=$(find "$q" -type f ! -name filler -size +0 -path '*/new/*' | wc -l)
is "$partial" 0 "no half-written message in the quarantine's new/"
# not incoming/: a file there is pickup's retry of a maildrop file still in
# flight (both exist until cleanup finishes), so it would count one twice
queued=$(find "$PF_DIR/queue/maildrop" "$PF_DIR/queue/deferred" "$PF_DIR/queue/active" -type f 2>/dev/null | wc -l)
is "$queued" "$FLAGGED" "the flagged messages wait in Postfix's queue"

rm -f "$q/filler"
pf_flush
pf_wait_mail ben@pupils.school.example $FLAGGED 120; ok $? "all $FLAGGED flagged messages delivered once space is freed"
pf_wait_mail esafety@school.example $FLAGGED 30; ok $? "with their copies to the e-safety mailbox"
is "$(find "$q/school/new" -type f | wc -l)" "$FLAGGED" "and each stored once in the quarantine"
out=$(( $(pf_count amy@pupils.school.example) + $(pf_count ben@pupils.school.example) ))
is "$out" $((CLEAN + FLAGGED)) "messages in = messages out"
kill -0 "$MS_PID"; ok $? "the milter is still running"
done_testing
