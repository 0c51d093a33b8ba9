#!/bin/bash
# milter-kill.sh - the milter is killed with SIGKILL while Postfix is in the
# middle of messages. Postfix's milter_default_action = tempfail (as
# tests/lib/postfix.sh and the README configure it) decides: an SMTP client
# gets a 4xx and sends again; locally submitted mail stays in the queue. After
# the milter is restarted every message is delivered: none vanish.
set -u
. "$top_srcdir/tests/e2e/common.sh"
e2e_start 10611 10612
grep -q '^milter_default_action = tempfail' "$PF_DIR/etc/main.cf"; ok $? "Postfix: milter_default_action = tempfail"

LOCAL=4
# smtp_halfway FROM TO FILE - an SMTP client that stops in the middle of DATA
# (after half the message) until $MS_DIR/killed exists; prints the final reply
smtp_halfway() {
	python3 - "$PF_PORT" "$1" "$2" "$3" "$MS_DIR" <<'PY'
import os, smtplib, sys, time
port, sender, rcpt, path, d = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
data = open(path, 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
s = smtplib.SMTP('127.0.0.1', port, timeout=120)
s.ehlo(); s.mail(sender); s.rcpt(rcpt)
code, _ = s.docmd('DATA')
assert code == 354, code
s.send(data[:len(data) // 2])
open(os.path.join(d, 'halfway'), 'w').close()
while not os.path.exists(os.path.join(d, 'killed')):
    time.sleep(0.05)
s.send(data[len(data) // 2:] + b'.\r\n')
code, text = s.getreply()
print(code, text.decode())
s.quit()
PY
}
smtp1=$(e2e_msg smtp1 x@external.example ben@pupils.school.example "hello" "a letter from outside")
# a flagged one, big enough to be in flight over many packets
{ cat "$(e2e_msg smtp2 x@external.example cat@pupils.school.example "big" "you are such a bellend")"
  for _ in $(seq 1 4000); do echo "the quick brown fox jumps over the lazy dog 0123456789"; done; } > "$MS_DIR/smtp2big.eml"
smtp_halfway x@external.example cat@pupils.school.example "$MS_DIR/smtp2big.eml" > "$MS_DIR/reply2" 2>&1 &
p2=$!
for _ in $(seq 1 300); do [ -e "$MS_DIR/halfway" ] && break; sleep 0.1; done
[ -e "$MS_DIR/halfway" ]; ok $? "an SMTP client is half-way through DATA"

# freeze the milter: Postfix connects and sends the local messages, nobody answers
kill -STOP "$MS_PID"
for i in $(seq 1 $LOCAL); do
	pf_sendmail tom@pupils.school.example amy@pupils.school.example \
		"$(e2e_msg "local$i" tom@pupils.school.example amy@pupils.school.example "maths $i" "see you in maths ($i)")"
done
for _ in $(seq 1 100); do
	n=$(ss -tn state established "( dport = :10612 )" 2>/dev/null | tail -n +2 | wc -l)
	[ "$n" -ge 2 ] && break
	sleep 0.1
done
ok $((n < 2)) "Postfix (smtpd and cleanup) is talking to the frozen milter ($n connections)"
kill -KILL "$MS_PID"
wait "$MS_PID" 2>/dev/null
MS_PID=
touch "$MS_DIR/killed"
wait $p2
r2=$(cat "$MS_DIR/reply2")
case "$r2" in 4*) ok 0 "the message in flight gets a 4xx at the end of DATA: $r2";; *) ok 1 "in-flight message got a 4xx (got '$r2')";; esac
# a new SMTP session while the milter is down: refused for now, too
r1=$(pf_send x@external.example ben@pupils.school.example "$smtp1" 2>&1 | tail -1)
case "$r1" in *451*) ok 0 "a new SMTP session while the milter is down gets 451";; *) ok 1 "new session got a 4xx (got '$r1')";; esac
sleep 2
is "$(( $(pf_count amy@pupils.school.example) + $(pf_count ben@pupils.school.example) + $(pf_count cat@pupils.school.example) ))" 0 \
	"nothing delivered unscanned while the milter is down"

ms_start; ok $? "milter restarted"
pf_flush
pf_wait_mail amy@pupils.school.example $LOCAL 120; ok $? "all $LOCAL locally submitted messages delivered after the restart"
# the SMTP clients send again, as a client does after a 4xx
r1=$(pf_send x@external.example ben@pupils.school.example "$smtp1")
r2=$(pf_send x@external.example cat@pupils.school.example "$MS_DIR/smtp2big.eml")
is "$r1 / $r2" "250 accepted / 250 accepted" "the retried SMTP messages are accepted"
pf_wait_mail ben@pupils.school.example 1 30; ok $? "the clean one is delivered"
pf_wait_mail cat@pupils.school.example 1 30; ok $? "the flagged one is delivered"
pf_wait_mail esafety@school.example 1 30; ok $? "with its copy to the e-safety mailbox"
grep -q 'X-ESafety-Verdict: copy' "$(pf_mailfile cat@pupils.school.example 1)"; ok $? "and it was scanned (X-ESafety-Verdict: copy)"
is "$(pf_count amy@pupils.school.example)" "$LOCAL" "each local message delivered once"
done_testing
