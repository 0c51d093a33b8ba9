#!/bin/bash
# reload-faults.sh - faults while mail flows through Postfix, counting
# messages in and out: the ClamAV database replaced by a corrupt one (the old
# engine keeps scanning), then SIGHUP with a broken config (the old config
# keeps filtering). Every message ends delivered or refused; none vanish.
set -u
. "$top_srcdir/tests/e2e/common.sh"
# a database directory of the test's own, which the watcher checks every second
e2e_before_start() {
	mkdir -p "$MS_DIR/db"
	cp "$top_srcdir"/tests/fixtures/clamav/*.?db "$MS_DIR/db/"
}
e2e_start 10061 10062 "clamav|database = @DIR@/db" "clamav|check_interval = 1s"

eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
# send_round N - one clean, one profane and one EICAR message; prints the three replies
send_round() {
	local c p v
	c=$(e2e_msg "clean$1" x@external.example amy@pupils.school.example "hello $1" "see you at the match")
	p=$(e2e_msg "prof$1" tom@pupils.school.example ben@pupils.school.example "x $1" "what a bellend")
	v=$(e2e_msg "virus$1" x@external.example cat@pupils.school.example "game $1" "$eicar")
	echo "$(pf_send x@external.example amy@pupils.school.example "$c" | cut -c1-3)" \
	     "$(pf_send tom@pupils.school.example ben@pupils.school.example "$p" | cut -c1-3)" \
	     "$(pf_send x@external.example cat@pupils.school.example "$v" | cut -c1-3)"
}

is "$(send_round 1)" "250 250 550" "before any fault: clean and profane delivered, EICAR refused"

# the database is replaced by a corrupt one: the reload fails, the old engine stays
printf 'this is not a signature database\n' > "$MS_DIR/db/es-test.ndb"
for _ in $(seq 1 100); do grep -q "clamav: reload failed" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "clamav: reload failed" "$MS_DIR/milter.log"; ok $? "corrupt database: the reload fails and says so"
is "$(send_round 2)" "250 250 550" "with a corrupt database on disk, mail still flows and EICAR is still refused"

# SIGHUP with a broken config: the old config keeps working
echo "no_such_key = 1" >> "$MS_CONF"
ms_reload
for _ in $(seq 1 100); do grep -q "reload failed, keeping the running configuration" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "reload failed, keeping the running configuration: .*no_such_key" "$MS_DIR/milter.log"
ok $? "broken config on SIGHUP: refused, naming the key"
is "$(send_round 3)" "250 250 550" "after the bad reload mail still flows and is still filtered"

# count in and out: 9 sent, 3 refused at SMTP, 6 accepted -> each delivered once (+3 copies)
pf_wait_mail amy@pupils.school.example 3 30; ok $? "3 clean messages delivered"
pf_wait_mail ben@pupils.school.example 3 30; ok $? "3 profane messages delivered"
pf_wait_mail esafety@school.example 3 30; ok $? "and their 3 copies in the e-safety mailbox"
is "$(pf_count cat@pupils.school.example)" 0 "no EICAR message delivered"
for _ in $(seq 1 50); do pf_queue_empty && break; sleep 0.2; done
pf_queue_empty; ok $? "nothing left in Postfix's queue"
done_testing
