#!/bin/bash
# from-milter.sh - the UI on what esafety-milter itself stored and counted:
# mail goes through a private Postfix and the milter, with a real Redis
# (reputation) and year groups configured, and the UI reads the same config.
# Repeat senders are marked from Redis (which also counts mail the quarantine
# never saw, here scanned by esafety-scan); the incident page shows the
# sender's reputation; with Redis gone every page still works, falls back to
# the index and says so; a held message from a Year 9 pupil is counted under
# Year 9 in the report and the governor view; mail with a pupil's address
# from outside (it may be forged) is shown by its own record, not the
# pupil's; another school's copy of a pupil's message shows the pupil's
# record to an admin, never to the other school's lead. TAP.
P=${ESQ_MILTER_PORT_BASE:-10320}
SMTP_PORT=$P MILTER_PORT=$((P + 1)) REDIS_PORT=$((P + 2)) UI_PORT=$((P + 3)) SINK_PORT=$((P + 4)) NO_SINK=1
. "$top_srcdir/tests/ui/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
. "$top_srcdir/tests/redis/redis.sh"
for tool in redis-server redis-cli; do
	command -v "$tool" >/dev/null 2>&1 || bail "missing $tool"
done
# has FILE TEXT NAME / hasnt FILE TEXT NAME
has() { grep -qF -- "$2" "$1"; ok $? "$3"; }
hasnt() { ! grep -qF -- "$2" "$1"; ok $? "$3"; }

# stopped with the rest, even if start-up below bails out
e2e_after_cleanup() { rs_stop; }
trap rs_stop EXIT
rs_start "$REDIS_PORT" || bail "redis-server did not start"
e2e_before_start() { echo amy@pupils.school.example > "$MS_DIR/year7.list"; }
e2e_start "$SMTP_PORT" "$MILTER_PORT" \
	"redis|enabled = yes" "redis|port = $REDIS_PORT" \
	"redis|connect_timeout = 200ms" "redis|command_timeout = 200ms" \
	"milter|internal_networks = 127.0.0.1/32" "${MS_OTHER_SCHOOL[@]}" \
	"school:school|year_groups = Year 9=tom@pupils.school.example, Year 7=file:@DIR@/year7.list" \
	"ui|listen = 127.0.0.1:$UI_PORT" "ui|database = $T/ui.db" \
	"ui|static_dir = $top_srcdir/quarantine-ui/static" "ui|index_interval = 200ms" \
	"ui|release_smtp = 127.0.0.1:$SMTP_PORT"
trap 'ui_cleanup; e2e_cleanup' EXIT
# the UI reads the milter's own config, as on a real server
ln -s "$MS_CONF" "$T/esafety.conf"

# tom (Year 9) sends three flagged messages, the first held; a stranger writes
# once to amy (Year 7) through the MTA, and twice more as esafety-scan sees it
held=$(e2e_msg held tom@pupils.school.example ben@pupils.school.example "..." "just kys")
rude=$(e2e_msg rude tom@pupils.school.example ben@pupils.school.example "homework" "you are such a bellend")
pf_send tom@pupils.school.example ben@pupils.school.example "$held" > /dev/null
pf_send tom@pupils.school.example ben@pupils.school.example "$rude" > /dev/null
pf_send tom@pupils.school.example ben@pupils.school.example "$rude" > /dev/null
inbound=$(e2e_msg inbound stranger@external.example amy@pupils.school.example "hi" "you are such a bellend")
pf_send stranger@external.example amy@pupils.school.example "$inbound" > /dev/null
# tom's address from a client outside internal_networks (127.0.0.2), not
# logged in: the milter cannot tell it from a forgery and counts it apart
forged=$(e2e_msg forged tom@pupils.school.example ben@pupils.school.example "from tom?" "what a pillock")
PF_SOURCE=127.0.0.2 pf_send tom@pupils.school.example ben@pupils.school.example "$forged" > /dev/null
for _ in $(seq 300); do [ "$(ms_quarantine_count)" -ge 5 ] && break; sleep 0.1; done
is "$(ms_quarantine_count)" 5 "the milter quarantined all five flagged messages"
[ "$(ms_quarantine_count)" = 5 ] || bail "nothing to look at: $(tail -3 "$MS_DIR/milter.log")"
f=$(grep -l '^X-ESafety-Verdict: hold' "$MS_DIR"/quarantine/school/new/* | head -1)
grep -q '^X-ESafety-Year-Group: Year 9$' "$f"; ok $? "the held message from tom carries X-ESafety-Year-Group: Year 9"
scan() { "$top_builddir/milter/esafety-scan" -c "$MS_CONF" --json --record --sender stranger@external.example \
	--rcpt amy@pupils.school.example "$inbound"; }
out=$(scan)
echo "$out" | grep -q '"direction":"inbound","year_group":"Year 7"'; ok $? "esafety-scan --json names the pupil recipient's year group"
scan > /dev/null
is "$(rs_cli hget 'esafety:school:{from:stranger@external.example}:rep' w:incidents | wc -w)" 3 \
	"Redis counts the stranger's three flagged messages (one quarantined)"
is "$(rs_cli hget 'esafety:school:{from:tom@pupils.school.example}:rep' w:incidents | wc -w)" 3 \
	"tom's own record counts his three"
is "$(rs_cli hget 'esafety:school:{xfrom:tom@pupils.school.example}:rep' w:incidents | wc -w)" 1 \
	"the message from outside with tom's address is counted apart"

ui_adduser lead1 lead school >/dev/null 2>&1
ui_adduser gov1 governor >/dev/null 2>&1
ui_start
for _ in $(seq 100); do
	[ "$(sqlite3 "$T/ui.db" 'SELECT COUNT(*) FROM incidents' 2>/dev/null)" = 5 ] && break
	sleep 0.1
done
is "$(sqlite3 "$T/ui.db" 'SELECT COUNT(*) FROM incidents')" 5 "the UI indexed the milter's five messages"
forged_id=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE subject = 'from tom?'")
held_id=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE verdict = 'hold'")
in_id=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE env_from = 'stranger@external.example'")
is "$(ui_login lead1)" 303 "the lead logs in"

# 1. Redis up: repeat senders and the sender's reputation come from Redis
is "$(ui_get lead1 /)" 200 "inbox with Redis"
has "$T/body" 'stranger@external.example <span class="badge repeat" title="3 flagged messages from this sender in the last 7d (Redis reputation' \
	"the stranger is a repeat sender by Redis (3 in 7d) though the quarantine holds one"
has "$T/body" 'tom@pupils.school.example <span class="badge repeat" title="3 flagged messages' "tom is marked too"
is "$(grep -o 'tom@pupils.school.example <span class="badge repeat"' "$T/body" | wc -l)" 3 \
	"on his own three rows, not on the one from outside (its record holds one)"
has "$T/body" 'by its reputation in Redis' "the page says where the mark comes from"
hasnt "$T/body" 'reputation-fallback' "no fallback notice"
is "$(ui_get lead1 "/incident/$in_id")" 200 "the stranger's incident"
has "$T/body" '<td id="reputation-window">3</td>' "shows 3 flagged messages in the window"
has "$T/body" '<tr><td>profanity</td><td>3</td>' "and the flagged counts by category"
grep -q '<tr><th>First seen</th><td>20[0-9-]* [0-9:]*</td></tr><tr><th>Last incident</th><td>20' "$T/body"
ok $? "and when the sender was first seen and last flagged"
has "$T/body" 'This quarantine holds 1 incident from' "and what the quarantine itself holds"
hasnt "$T/body" 'id="forged-sender"' "an outside sender's address is no school's: nothing said of forgery"
is "$(ui_get lead1 "/incident/$forged_id")" 200 "the incident from outside with tom's address"
has "$T/body" 'id="forged-sender"' "says the address may be forged"
has "$T/body" '<td id="reputation-window">1</td>' "and shows the record kept apart (1), not tom's (3)"
ui_get lead1 "/incident/$held_id" >/dev/null
hasnt "$T/body" 'id="forged-sender"' "tom's own incident says nothing of forgery"
has "$T/body" '<td id="reputation-window">3</td>' "and shows his own record (3)"

# 2. year groups in the incident, the report and the governor view
ui_get lead1 "/incident/$held_id" >/dev/null
has "$T/body" '<tr><th>Year group</th><td>Year 9</td></tr>' "the held message's incident shows Year 9"
is "$(ui_get lead1 /report)" 200 "the lead's report"
has "$T/body" '<figcaption>Year group</figcaption>' "has a year-group chart"
has "$T/body" '<tr><td>Year 9</td><td>3</td>' "Year 9: tom's three incidents"
has "$T/body" '<tr><td>Year 7</td><td>1</td>' "Year 7: the stranger's message to amy"
is "$(ui_login gov1)" 303 "a governor logs in"
is "$(ui_get gov1 /report)" 200 "the governor view"
has "$T/body" '<tr><td>Year 9</td><td>5</td>' "counts Year 9 too, rounded to the nearest 5 (3 counts as 5)"
hasnt "$T/body" '@' "with no address anywhere"
ui_get lead1 /export.csv >/dev/null
grep -F "\"$held_id\"" "$T/body" | grep -qF '"pupil","Year 9","internal"'; ok $? "the incident log (CSV) has the year group"

# 3. Redis gone: every page still works, falls back to the index, and says so
rs_stop
is "$(ui_get lead1 /)" 200 "Redis stopped: the inbox still answers 200"
has "$T/body" 'id="reputation-fallback"' "with a notice that Redis cannot be read"
hasnt "$T/body" 'stranger@external.example <span class="badge repeat"' "the stranger (1 incident here) is no longer marked"
has "$T/body" 'tom@pupils.school.example <span class="badge repeat" title="3 incidents from this sender in 30 days (this quarantine)' \
	"tom is marked from the index"
hasnt "$T/body" 'title="4 incidents from this sender' \
	"the index counts the one from outside apart too (no row of tom's counts four)"
is "$(ui_get lead1 "/incident/$in_id")" 200 "Redis stopped: the incident page answers 200"
has "$T/body" 'id="reputation-fallback"' "with the notice"
has "$T/body" 'This quarantine holds 1 incident from' "and the quarantine's own history"
tom_last=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE env_from = 'tom@pupils.school.example'
	AND sender_role = 'pupil' ORDER BY time DESC, id DESC LIMIT 1")
ui_get lead1 "/incident/$tom_last" >/dev/null
has "$T/body" 'This quarantine holds 3 incidents from' "tom's last own incident counts his three from the index"
ui_get lead1 "/incident/$forged_id" >/dev/null
has "$T/body" 'This quarantine holds 1 incident from' "the one from outside counts itself alone"
grep -q 'reputation: cannot read sender records from Redis' "$T/ui.log"; ok $? "the failure is logged"
# while the breaker is open, page views do not each log it again: at most
# breaker_failures (3) page lines, and the Redis layer's own opening line once.
# The views are spread over 3 s, so the breaker tries Redis again between
# them (after 250 ms, 500 ms, 1 s...), and those failed tries are not logged
# per page either (a loaded machine spread them so, and the test failed)
for _ in $(seq 10); do ui_get lead1 / > /dev/null; sleep 0.3; done
has "$T/body" 'id="reputation-fallback"' "ten more inbox views still carry the notice"
n=$(grep -c 'reputation: cannot read sender records from Redis' "$T/ui.log")
ok "$([ "$n" -ge 1 ] && [ "$n" -le 3 ]; echo $?)" "but the page's log line is not repeated per view ($n lines)"
is "$(grep -c 'redis unavailable' "$T/ui.log")" 1 "the outage is logged once, when the breaker opens"

# 4. another school's copy: tom writes to a pupil of the other school. Its
# copy shows him as mail from outside (X-ESafety-Sender-Role: external), but
# his school's policy decided with him as its pupil: his reputation is his own
# record there (not the one kept apart for mail that may be forged), which is
# his school's safeguarding history: an admin sees it, the other school's lead
# does not
rs_start "$REDIS_PORT" || bail "redis-server did not restart"
for i in 1 2 3; do
	cross=$(e2e_msg "cross$i" tom@pupils.school.example bob@pupils.other.example "hey $i" "you absolute pillock")
	pf_send tom@pupils.school.example bob@pupils.other.example "$cross" > /dev/null
done
for _ in $(seq 300); do [ "$(ms_quarantine_count other)" -ge 3 ] && break; sleep 0.1; done
is "$(ms_quarantine_count other)" 3 "the other school keeps a copy of each of three"
is "$(rs_cli hget 'esafety:school:{from:tom@pupils.school.example}:rep' w:incidents | wc -w)" 3 \
	"the milter counts them in tom's own record (Redis restarted empty)"
ui_adduser lead2 lead other >/dev/null 2>&1
ui_adduser admin1 admin >/dev/null 2>&1
for _ in $(seq 100); do
	[ "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM incidents WHERE school = 'other'" 2>/dev/null)" = 3 ] && break
	sleep 0.1
done
cross_id=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE school = 'other' ORDER BY time DESC, id DESC LIMIT 1")
is "$(ui_login admin1)" 303 "an admin logs in"
# the UI's breaker tries Redis again after its back-off (at most [redis] retry_max)
for _ in $(seq 60); do
	ui_get admin1 "/incident/$cross_id" > /dev/null
	grep -q 'id="reputation-window"' "$T/body" && break
	sleep 0.5
done
has "$T/body" '<td id="reputation-window">3</td>' "the admin sees tom's own record on the other school's copy"
hasnt "$T/body" 'id="forged-sender"' "and nothing of forgery"
ui_get admin1 "/?school=other" > /dev/null
has "$T/body" 'tom@pupils.school.example <span class="badge repeat" title="3 flagged messages' \
	"and the other school's rows marked from it"
is "$(ui_login lead2)" 303 "the other school's lead logs in"
ui_get lead2 "/incident/$cross_id" > /dev/null
has "$T/body" 'id="reputation-private"' "the other school's lead is told the record is kept by tom's school"
hasnt "$T/body" 'id="reputation-window"' "and is not shown it"
hasnt "$T/body" 'id="reputation-categories"' "nor its categories"
has "$T/body" 'This quarantine holds 3 incidents from' "but sees what the own quarantine holds"
ui_get lead2 / > /dev/null
hasnt "$T/body" 'title="3 flagged messages' "the inbox does not mark the rows from tom's record"
has "$T/body" 'tom@pupils.school.example <span class="badge repeat" title="3 incidents from this sender in 30 days (this quarantine)' \
	"but from the own quarantine's count"
# a copy indexed from a file stored before X-ESafety-Policy-Sender-Role existed
sqlite3 "$T/ui.db" "UPDATE incidents SET policy_sender_role = NULL WHERE id = '$cross_id'"
ui_get admin1 "/incident/$cross_id" > /dev/null
has "$T/body" '<td id="reputation-window">3</td>' "a copy stored before that header is read as the address's own, as before"
ui_get lead2 "/incident/$cross_id" > /dev/null
has "$T/body" 'id="reputation-private"' "and is private to the deciding school"
# a stranger writes to pupils of both schools: the other school's copy is
# decided by the first school, but a sender from outside is nobody's own, so
# the other school's lead sees the record, also on a copy stored before the
# header (its address is at no school)
both=$(e2e_msg both stranger@external.example amy@pupils.school.example "hi both" "you absolute pillock")
pf_send stranger@external.example "amy@pupils.school.example" "$both" bob@pupils.other.example > /dev/null
for _ in $(seq 100); do
	[ -n "$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE school = 'other' AND subject = 'hi both'" 2>/dev/null)" ] && break
	sleep 0.1
done
both_id=$(sqlite3 "$T/ui.db" "SELECT id FROM incidents WHERE school = 'other' AND subject = 'hi both'")
is "$(sqlite3 "$T/ui.db" "SELECT policy_school || ' ' || policy_sender_role FROM incidents WHERE id = '$both_id'")" \
	"school external" "the other school's copy: decided by the first, the sender from outside"
ui_get lead2 "/incident/$both_id" > /dev/null
has "$T/body" 'id="reputation-window"' "the other school's lead sees an outside sender's record"
sqlite3 "$T/ui.db" "UPDATE incidents SET policy_sender_role = NULL WHERE id = '$both_id'"
ui_get lead2 "/incident/$both_id" > /dev/null
has "$T/body" 'id="reputation-window"' "... also on a copy stored before the header"
hasnt "$T/body" 'id="reputation-private"' "... which is not called private"
done_testing
