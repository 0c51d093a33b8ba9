#!/bin/bash
# schools.sh - the UI on mail the milter stored for two schools of one trust:
# each copy is indexed under its own school, each lead sees their own, the
# other school's copy says whose policy decided and shows that school's Redis
# record of the sender, and a report over all schools counts each message once
# while each school's own report counts its copies. TAP.
P=${ESQ_SCHOOLS_PORT_BASE:-10330}
UI_PORT=$P SINK_PORT=$((P + 1)) REDIS_PORT=$((P + 2)) NO_SINK=1
. "$top_srcdir/tests/ui/lib.sh"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
. "$top_srcdir/tests/redis/redis.sh"
for tool in miltertest redis-server redis-cli; do command -v "$tool" >/dev/null 2>&1 || bail "missing $tool"; done
t() { ok "$@"; }
has() { grep -qF -- "$2" "$1"; ok $? "$3"; }

rs_start "$REDIS_PORT" || bail "redis-server did not start"
ms_setup "unix:@DIR@/milter.sock" "${MS_OTHER_SCHOOL[@]}" "redis|enabled = yes" "redis|port = $REDIS_PORT" \
	"ui|listen = 127.0.0.1:$UI_PORT" "ui|database = $T/ui.db" \
	"ui|static_dir = $top_srcdir/quarantine-ui/static" "ui|index_interval = 200ms"
trap 'ui_cleanup; ms_cleanup; rs_stop' EXIT
ln -s "$MS_CONF" "$T/esafety.conf"
ms_start || bail "milter did not start"

# two held messages from outside, each to a pupil of both schools
for q in TRU00001 TRU00002; do
	MS_FROM=stranger@external.example MS_RCPT="amy@pupils.school.example bob@pupils.other.example" \
		ms_lua_send "$q" "just kys" < /dev/null > /dev/null
done
is "$(ms_quarantine_count school) $(ms_quarantine_count other)" "2 2" "the milter stored a copy of each in both schools"
idb=$(sed -n 's/^X-ESafety-Id: //p' "$(ls -t "$MS_DIR"/quarantine/other/new/* | head -1)")

ui_adduser admin1 admin >/dev/null 2>&1
ui_adduser leada lead school >/dev/null 2>&1
ui_adduser leadb lead other >/dev/null 2>&1
ui_start
ui_wait_indexed "$idb" || bail "the other school's copy was not indexed"
is "$(sqlite3 "$T/ui.db" "SELECT school || ':' || COALESCE(policy_school, '-') FROM incidents ORDER BY 1" | tr '\n' ' ')" \
	"other:school other:school school:- school:- " "each copy is indexed under its school, the other's naming the deciding school"

ui_login leadb >/dev/null
is "$(ui_get leadb "/incident/$idb")" 200 "the other school's lead opens its copy"
has "$T/body" '<th>Decided by the policy of</th><td>school</td>' "... which says whose policy decided"
has "$T/body" '<th>Stored for the schools</th><td>school, other</td>' "... and which schools have a copy"
has "$T/body" '<th>Sender role</th><td>external</td>' "... with the sender as this school sees them"
has "$T/body" 'bob@pupils.other.example' "... and its own pupil as the recipient"
! grep -qF 'amy@pupils.school.example' "$T/body"; t $? "... not the other school's pupil"
has "$T/body" '<table class="meta" id="reputation">' "... and the sender's Redis record, kept under the deciding school"
ui_login leada >/dev/null
ida=$(sed -n 's/^X-ESafety-Id: //p' "$(ls -t "$MS_DIR"/quarantine/school/new/* | head -1)")
# the other school's id (X-ESafety-Quarantine-Id on the delivered mail lists
# every copy) leads the first school's lead to their own copy, never to the other's
is "$(ui_get leada "/incident/$idb")" 303 "the first school's lead opening the other school's copy is redirected"
grep -qi "^location: /incident/$ida"$'\r'"\?$" "$T/headers"; t $? "... to their own school's copy of the same message"
ui_get leada "/incident/$ida" >/dev/null
! grep -qF 'bob@pupils.other.example' "$T/body"; t $? "... which shows none of the other school's recipients"
# a message stored for the other school alone: no copy here, so no way in
MS_FROM=stranger@external.example MS_RCPT="bob@pupils.other.example" ms_lua_send TRU00003 "just kys" < /dev/null > /dev/null
ido=$(grep -l "^X-ESafety-Queue-Id: TRU00003" "$MS_DIR"/quarantine/other/new/* | head -1 | xargs sed -n 's/^X-ESafety-Id: //p')
ui_wait_indexed "$ido" || bail "the other school's own message was not indexed"
is "$(ui_get leada "/incident/$ido")" 403 "the first school's lead cannot open a message stored for the other school alone"

ui_login admin1 >/dev/null
ui_get admin1 /export.csv >/dev/null
is "$(grep -c ',"TRU00001","school","school, other"' "$T/body")" 1 \
	"the incident log export ties the other school's copy to the deciding school and the queue ID"
# three messages: two stored for both schools, one for the other school alone
ui_get admin1 /report >/dev/null
has "$T/body" 'id="total">3<' "a report over all schools counts each message once"
ui_get admin1 "/report?school=other" >/dev/null
has "$T/body" 'id="total">3<' "the other school's own report counts its copies"
ui_get leadb /report >/dev/null
has "$T/body" 'id="total">3<' "... and so does its lead's"
ui_get leada /report >/dev/null
has "$T/body" 'id="total">2<' "... and the first school's lead's counts its two"
done_testing
