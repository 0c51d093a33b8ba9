#!/bin/bash
# soak.sh - for people, not make check: COUNT messages (default 100000) over
# SMTP through a private Postfix and the milter with every feature on
# (language, personal data, pupil data, ClamAV with the test signatures,
# Redis reputation), CONC connections at once. Prints messages in vs out
# (delivered + refused), the milter's RSS after warm-up and at the end, and
# its open file descriptors at idle after warm-up and at the end; exits 1 when a message
# is lost, RSS grows by more than RSS_BOUND_MB (default 64) or fds leak.
#   top_srcdir=SRC top_builddir=BUILD tests/bench/soak.sh [COUNT] [CONC]
set -u
: "${top_srcdir:?set top_srcdir}" "${top_builddir:?set top_builddir}"
COUNT=${1:-100000}
CONC=${2:-8}
BOUND=${RSS_BOUND_MB:-64}
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/redis/redis.sh"
rs_start 10690 || exit 2
e2e_start 10691 10692 "redis|enabled = yes" "redis|port = 10690"
trap 'pf_stop; ms_cleanup; rs_stop' EXIT
mkdir -p "$MS_DIR/mix"
# the mix: clean, profanity (copy), personal data, a pupil list (CSV), a threat (refused)
e2e_msg clean teacher@staff.school.example parent@external.example "trip" "The coach leaves at 9." > /dev/null
e2e_msg copy tom@pupils.school.example amy@pupils.school.example "x" "you are such a bellend" > /dev/null
e2e_msg pd teacher@staff.school.example office@school.example "nhs" "Her NHS number is 943 476 5919, UPN A820400114001." > /dev/null
e2e_msg threat tom@pupils.school.example ben@pupils.school.example "x" "I will stab you tomorrow" > /dev/null
python3 - "$MS_DIR/pupils.eml" <<'PY'
import sys
rows = "\n".join("A8204001140%02d,Pupil%d,Smith,2014-01-%02d" % (i, i, i % 28 + 1) for i in range(30))
open(sys.argv[1], "w").write(
    "From: teacher@staff.school.example\nTo: head@staff.school.example\nSubject: list\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nsee list\n--zz\n"
    "Content-Type: text/csv; name=pupils.csv\nContent-Disposition: attachment; filename=pupils.csv\n\n"
    "UPN,Forename,Surname,DOB\n" + rows + "\n--zz--\n")
PY
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$MS_PID/status"; }
# fds - open descriptors other than the Redis pool's connections (the pool
# grows on demand up to [redis] pool_size, checked on its own)
fds() { echo $(( $(ls "/proc/$MS_PID/fd" | wc -l) - $(redis_conns) )); }
redis_conns() { ss -tanp state established "( dport = :10690 )" 2>/dev/null | grep -c "pid=$MS_PID,"; }
# fd_kinds - what the open descriptors are (socket, pipe, file), counted
fd_kinds() { for f in /proc/$MS_PID/fd/*; do readlink "$f"; done | sed 's/:\[[0-9]*\]//' | sort | uniq -c; }
# drain - wait until Postfix's queue is empty, then a moment of idle
drain() {
	for _ in $(seq 1 1800); do
		[ -z "$(find "$PF_DIR/queue/incoming" "$PF_DIR/queue/active" "$PF_DIR/queue/deferred" -type f 2>/dev/null | head -1)" ] && break
		sleep 1
	done
	sleep 2
}

# send N - N messages over CONC persistent SMTP connections; prints "sent accepted refused other"
send() {
	python3 - "$PF_PORT" "$1" "$CONC" "$MS_DIR" <<'PY'
import smtplib, sys, threading
port, n, conc, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
mix = [("clean", "teacher@staff.school.example", "parent@external.example"),
       ("copy", "tom@pupils.school.example", "amy@pupils.school.example"),
       ("pd", "teacher@staff.school.example", "office@school.example"),
       ("pupils", "teacher@staff.school.example", "head@staff.school.example"),
       ("threat", "tom@pupils.school.example", "ben@pupils.school.example")]
data = {m[0]: open("%s/%s.eml" % (d, m[0]), "rb").read().replace(b"\n", b"\r\n") for m in mix}
counts = {"sent": 0, "ok": 0, "refused": 0, "other": 0}
lock = threading.Lock()
def worker(k):
    s = smtplib.SMTP("127.0.0.1", port, timeout=120)
    for i in range(k, n, conc):
        name, frm, to = mix[i % len(mix)]
        try:
            s.sendmail(frm, [to], data[name]); r = "ok"
        except smtplib.SMTPDataError as e:
            r = "refused" if 500 <= e.smtp_code < 600 else "other"
        except smtplib.SMTPException:
            r = "other"; s = smtplib.SMTP("127.0.0.1", port, timeout=120)
        with lock:
            counts["sent"] += 1; counts[r] += 1
    s.quit()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(conc)]
[t.start() for t in ts]; [t.join() for t in ts]
print(counts["sent"], counts["ok"], counts["refused"], counts["other"])
PY
}
warm=$((COUNT / 10 > 0 ? COUNT / 10 : 1))
t0=$(date +%s.%N)
read -r s1 a1 r1 o1 < <(send "$warm")
drain
rss_warm=$(rss)
fd_before=$(fds)	# after warm-up: Redis and ClamAV connections are open by now
fd_kinds > "$MS_DIR/fds.warm"
ss -tanp 2>/dev/null | grep "pid=$MS_PID," > "$MS_DIR/socks.warm"
read -r s2 a2 r2 o2 < <(send $((COUNT - warm)))
t1=$(date +%s.%N)
sent=$((s1 + s2)) accepted=$((a1 + a2)) refused=$((r1 + r2)) other=$((o1 + o2))
drain
rss_end=$(rss)
fd_after=$(fds)
pool=$(redis_conns)
fd_kinds > "$MS_DIR/fds.end"
ss -tanp 2>/dev/null | grep "pid=$MS_PID," > "$MS_DIR/socks.end"
delivered=0
for a in parent@external.example amy@pupils.school.example office@school.example head@staff.school.example ben@pupils.school.example; do
	delivered=$((delivered + $(pf_count "$a")))
done
deferred=$(find "$PF_DIR/queue/deferred" -type f | wc -l)
rate=$(echo "$sent / ($t1 - $t0)" | bc -l)
printf 'soak: %d messages, %d connections, %.1f messages/s\n' "$sent" "$CONC" "$rate"
printf 'in: %d sent = %d accepted + %d refused (5xx) + %d other\n' "$sent" "$accepted" "$refused" "$other"
printf 'out: %d delivered to the original recipients, %d refused, %d still deferred, %d copies to the e-safety mailbox\n' \
	"$delivered" "$refused" "$deferred" "$(pf_count esafety@school.example)"
printf 'milter RSS: %d MB after %d messages, %d MB at the end (bound +%d MB)\n' "$rss_warm" "$warm" "$rss_end" "$BOUND"
printf 'milter fds at idle (besides Redis): %d after warm-up, %d at the end; Redis connections: %d (pool_size 16)\n' \
	"$fd_before" "$fd_after" "$pool"
status=0
[ "$sent" -eq "$COUNT" ] && [ "$other" -eq 0 ] && [ $((delivered + refused)) -eq "$sent" ] || { echo "FAIL: messages lost or not accounted for"; status=1; }
[ $((rss_end - rss_warm)) -le "$BOUND" ] || { echo "FAIL: RSS grew by $((rss_end - rss_warm)) MB"; status=1; }
[ "$pool" -le 16 ] || { echo "FAIL: more Redis connections than pool_size"; status=1; }
[ "$fd_after" -le "$fd_before" ] || { echo "FAIL: file descriptors leaked"; status=1
	echo "descriptors after warm-up / at the end:"; paste "$MS_DIR/fds.warm" "$MS_DIR/fds.end"
	echo "TCP sockets at the end:"; cat "$MS_DIR/socks.end"; }
[ $status -eq 0 ] && echo "PASS"
exit $status
