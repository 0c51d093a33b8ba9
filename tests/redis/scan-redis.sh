#!/bin/bash
# scan-redis.sh - esafety-scan with and without Redis: without --record it
# leaves Redis alone; with it the JSON shows the reputation inputs used; with Redis down every message still gets a verdict
# (on_redis_error) and the JSON says why. Real redis-server on 127.0.0.1:10205.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/redis/redis.sh"
dir=$(mktemp -d /tmp/es-scan-redis.XXXXXX)
trap 'rs_stop; rm -rf "$dir"' EXIT

rs_start 10205 || { echo "Bail out! no redis-server"; exit 1; }
conf() {
	cat > "$dir/esafety.conf" <<CONF
[milter]
rules_dir = $top_srcdir/rules
[clamav]
enabled = no
[redis]
enabled = $1
port = 10205
connect_timeout = 200ms
command_timeout = 200ms
$2
[school:hill]
domains = hill.sch.uk
esafety_mailbox = esafety@hill.sch.uk
pupils = *@pupils.hill.sch.uk
staff = *@hill.sch.uk
CONF
}
printf 'From: stranger@example.com\nTo: p1@pupils.hill.sch.uk\nSubject: hello\n\nHello there, how was the match?\n' > "$dir/m.eml"
scan() { "$top_builddir/milter/esafety-scan" -c "$dir/esafety.conf" --json --record \
	--sender stranger@example.com --rcpt p1@pupils.hill.sch.uk "$dir/m.eml"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1"; }

conf yes ""
# without --record an admin's trial scan leaves Redis alone
out=$("$top_builddir/milter/esafety-scan" -c "$dir/esafety.conf" --json \
	--sender stranger@example.com --rcpt p1@pupils.hill.sch.uk "$dir/m.eml"); ok $? "esafety-scan without --record exits 0"
is "$(echo "$out" | field 'd["inputs"]')" "{}" "without --record: no reputation inputs"
is "$(rs_cli dbsize)" 0 "and nothing written to Redis"
out=$(scan); ok $? "esafety-scan --record with Redis exits 0"
is "$(echo "$out" | field 'd["inputs"].get("first_contact")')" yes "first message from a stranger to a pupil: first_contact yes in the JSON"
is "$(echo "$out" | field 'd["inputs"].get("reputation.new")')" yes "reputation.new yes"
out=$(scan)
is "$(echo "$out" | field 'd["inputs"].get("first_contact")')" no "second message: first_contact no"
is "$(echo "$out" | field 'd["inputs"].get("reputation.messages")')" 2 "reputation.messages 2"
is "$(echo "$out" | field 'd["inputs"].get("rate.minute")')" 2 "rate.minute 2"
is "$(rs_cli exists 'esafety:hill:{from:stranger@example.com}:rep')" 1 "the record is in Redis under the school's prefix"

# a stranger's first message that is refused does not use up first_contact:
# the next one is still held as a first contact
mkdir -p "$dir/local/policies"
printf 'refuse: category=bullying => reject\nfirst: role=external input.first_contact=yes => hold\n' \
	> "$dir/local/policies/fc.policy"
sed -e "s|^rules_dir = .*|&\nlocal_rules_dir = $dir/local|" -e 's|^staff = .*|&\npolicy = fc|' \
	"$dir/esafety.conf" > "$dir/fc.conf"
printf 'From: groomer@example.com\nTo: p7@pupils.hill.sch.uk\nSubject: hi\n\nyou are a worthless loser\n' > "$dir/bully.eml"
printf 'From: groomer@example.com\nTo: p7@pupils.hill.sch.uk\nSubject: hi\n\nhello, nice to meet you\n' > "$dir/nice.eml"
fcscan() { "$top_builddir/milter/esafety-scan" -c "$dir/fc.conf" --json --record \
	--sender groomer@example.com --rcpt p7@pupils.hill.sch.uk "$1"; }
is "$(fcscan "$dir/bully.eml" | field 'd["action"] + "/" + d["reason"]')" reject/refuse "a stranger's first message, refused"
is "$(fcscan "$dir/nice.eml" | field 'd["action"] + "/" + d["reason"]')" hold/first \
	"... does not use up first contact: the next one is still held as one"

rs_signal STOP
out=$(scan); ok $? "Redis stopped: esafety-scan still exits 0"
is "$(echo "$out" | field 'd["action"]')" accept "on_redis_error = accept (default): the message is accepted"
is "$(echo "$out" | field 'd["inputs"]')" "{}" "no reputation inputs"
echo "$out" | field 'd["errors"]' | grep -q "reputation not used"; ok $? "the errors say reputation was not used"
conf yes "on_redis_error = tempfail"
out=$(scan)
is "$(echo "$out" | field 'd["action"]')" tempfail "on_redis_error = tempfail: the message is tempfailed"
rs_signal CONT

# a message tempfailed by the rate limit and offered again (same Message-ID
# and recipient) is counted once: its bullying does not pile up per retry
rs_cli flushall > /dev/null
conf yes "rate_external_minute = 1"
printf 'From: stranger@example.com\nTo: p1@pupils.hill.sch.uk\nSubject: hi\nMessage-ID: <first@example.com>\n\nHello there\n' > "$dir/a.eml"
printf 'From: stranger@example.com\nTo: p1@pupils.hill.sch.uk\nSubject: hi\nMessage-ID: <second@example.com>\n\nnobody likes you, you are a loser\n' > "$dir/b.eml"
scan_file() { "$top_builddir/milter/esafety-scan" -c "$dir/esafety.conf" --json --record \
	--sender stranger@example.com --rcpt p1@pupils.hill.sch.uk "$1"; }
out=$(scan_file "$dir/a.eml")
is "$(echo "$out" | field 'd["action"]')" accept "rate limit 1 a minute: the first message is accepted"
for i in 1 2 3; do out=$(scan_file "$dir/b.eml"); done
is "$(echo "$out" | field 'd["action"]')" tempfail "the second is tempfailed each time it is offered"
is "$(echo "$out" | field 'd["inputs"].get("reputation.bullying_7d")')" 1 "offered three times, its bullying counts once"
is "$(echo "$out" | field 'd["inputs"].get("reputation.messages")')" 2 "and the sender's record counts two messages"
out=$("$top_builddir/milter/esafety-scan" -c "$dir/esafety.conf" --json --record \
	--sender stranger@example.com --rcpt p2@pupils.hill.sch.uk "$dir/b.eml")
is "$(echo "$out" | field 'd["inputs"].get("reputation.bullying_7d")')" 2 "the same Message-ID to another recipient is another message"
# with no Message-ID the body tells a retry apart; another message reusing a
# tempfailed one's Message-ID is counted as the new message it is
rs_cli flushall > /dev/null
scan_file "$dir/a.eml" > /dev/null
printf 'From: stranger@example.com\nTo: p1@pupils.hill.sch.uk\nSubject: hi\n\nnobody likes you, you are a loser\n' > "$dir/noid.eml"
for i in 1 2 3; do out=$(scan_file "$dir/noid.eml"); done
is "$(echo "$out" | field 'd["action"] + " " + str(d["inputs"].get("reputation.bullying_7d"))')" "tempfail 1" \
	"a message with no Message-ID offered three times: its bullying counts once"
printf 'From: stranger@example.com\nTo: p1@pupils.hill.sch.uk\nSubject: hi\nMessage-ID: <second@example.com>\n\nyou are a loser and ugly\n' > "$dir/reuse.eml"
out=$(scan_file "$dir/b.eml")
is "$(echo "$out" | field 'd["action"] + " " + str(d["inputs"].get("reputation.bullying_7d"))')" "tempfail 2" \
	"a message with a Message-ID, tempfailed: counted"
out=$(scan_file "$dir/reuse.eml")
is "$(echo "$out" | field 'd["inputs"].get("reputation.bullying_7d")')" 3 \
	"another message with that tempfailed message's Message-ID is counted too (not taken for its retry)"

conf no ""
out=$(scan); ok $? "esafety-scan without Redis (enabled = no) exits 0"
is "$(echo "$out" | field 'd["inputs"]')" "{}" "and shows no reputation inputs"
done_testing
