#!/bin/bash
# postfix-faults.sh - Redis stopped (SIGSTOP), killed and restarted while mail
# flows through a real Postfix and esafety-milter: every message still gets a
# verdict, nothing is lost, the outage is logged once, and reputation resumes
# after the restart. Ports: smtpd 10220, milter 10221, redis-server 10222.
set -u
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/redis/redis.sh"

e2e_start 10220 10221 "redis|enabled = yes" "redis|port = 10222" \
	"redis|connect_timeout = 100ms" "redis|command_timeout = 100ms" \
	"redis|retry_min = 200ms" "redis|retry_max = 1s" "redis|log_interval = 60s" \
	"redis|rate_pupil_minute = 0" "redis|rate_pupil_hour = 0"
trap 'e2e_cleanup; rs_stop' EXIT
# the milter reaches Redis on first use, so Redis can start after it
rs_start 10222 || bail "redis-server did not start"
KEY='esafety:school:{from:tom@pupils.school.example}:rep'
msg=$(e2e_msg plain tom@pupils.school.example amy@pupils.school.example "maths" "Can you send me the homework for tomorrow please?")
sent=0

# send_some N STATE - N messages; each must get a 250 from smtpd
send_some() {
	local n="$1" state="$2" i reply accepted=0
	for i in $(seq 1 "$n"); do
		reply=$(pf_send tom@pupils.school.example amy@pupils.school.example "$msg")
		case "$reply" in 250*) accepted=$((accepted + 1));; *) echo "# $state: $reply";; esac
	done
	sent=$((sent + n))
	is "$accepted" "$n" "$state: all $n messages accepted (on_redis_error = accept)"
}

send_some 3 "Redis up"
is "$(rs_cli hget "$KEY" msgs | awk '{ printf "%.0f", $1 }')" 3 "Redis up: the sender's record counts 3 messages"

rs_signal STOP
send_some 5 "Redis stopped"
is "$(grep -c 'redis unavailable' "$MS_DIR/milter.log")" 1 "the outage is logged once"
is "$(grep -cE ': from=<tom@pupils.school.example> .* reputation=unused$' "$MS_DIR/milter.log")" 5 \
	"each message decided without Redis says so in its own line (with its queue ID)"
# breaker_failures (3) - 1 failures logged one by one, then the opening line;
# no error line per message after that (log_interval = 60s): only each
# message's own verdict line says it was decided without Redis
n=$(grep -i 'redis\|reputation' "$MS_DIR/milter.log" | grep -vc 'reputation=unused$')
ok $((n > 3)) "no log line per message while Redis is stopped ($n lines about Redis for 5 messages)"

rs_signal KILL
send_some 3 "Redis killed"

rs_start 10222 || bail "redis-server did not restart"
sleep 1.5	# past retry_max: the next message probes Redis
send_some 3 "Redis restarted"
is "$(rs_cli hget "$KEY" msgs | awk '{ printf "%.0f", $1 }')" 3 "after the restart reputation resumes (record counts the 3 new messages)"
is "$(grep -c 'redis available again' "$MS_DIR/milter.log")" 1 "the recovery is logged once"

pf_wait_mail amy@pupils.school.example "$sent" 60; ok $? "nothing lost: all $sent messages delivered"
is "$(pf_count amy@pupils.school.example)" "$sent" "and each exactly once"
done_testing
