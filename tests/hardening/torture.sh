#!/bin/bash
# torture.sh - a malformed-MIME torture corpus (mktorture.py: deep nesting,
# broken boundaries, bad base64 and quoted-printable, huge and endless
# headers, NULs, 8-bit garbage, endless multipart, garbage attachments) sent
# over SMTP through Postfix and the milter. Every message ends delivered
# (found in a mailbox), refused with a reply, or tempfailed and delivered or
# refused when sent again: none vanish, and the milter stays up.
set -u
. "$top_srcdir/tests/e2e/common.sh"
e2e_start 10621 10622
python3 "$top_srcdir/tests/hardening/mktorture.py" "$MS_DIR/torture"; ok $? "torture corpus generated"
total=$(ls "$MS_DIR/torture" | wc -l)

# delivered ID - the file of the message with X-Torture-Id ID in any mailbox
delivered() { grep -rlsF "X-Torture-Id: $1" "$PF_DIR/mail" | head -1; }

declare -A reply
for f in "$MS_DIR"/torture/*.eml; do
	id=$(basename "$f" .eml)
	reply[$id]=$(pf_send x@external.example amy@pupils.school.example "$f" 2>&1 | tail -1)
done
# the tempfailed ones are sent again, as a client does after a 4xx
for f in "$MS_DIR"/torture/*.eml; do
	id=$(basename "$f" .eml)
	case "${reply[$id]}" in 4*) reply[$id]=$(pf_send x@external.example amy@pupils.school.example "$f" 2>&1 | tail -1) ;; esac
done
sleep 1
n_del=0 n_ref=0 lost=
for f in "$MS_DIR"/torture/*.eml; do
	id=$(basename "$f" .eml)
	r=${reply[$id]}
	case "$r" in
	250*)
		for _ in $(seq 1 300); do [ -n "$(delivered "$id")" ] && break; sleep 0.1; done
		if [ -n "$(delivered "$id")" ]; then n_del=$((n_del + 1)); else lost="$lost $id(accepted, not delivered)"; fi ;;
	5[0-9][0-9]\ ?*) n_ref=$((n_ref + 1)); echo "# $id: refused: $r" ;;
	*) lost="$lost $id($r)" ;;
	esac
done
is "$lost" "" "no message vanished or stayed tempfailed"
is "$((n_del + n_ref))" "$total" "all $total messages delivered ($n_del) or refused with a reply ($n_ref)"
n=$(grep -c 'esafety: .*action=hold reason=on_limit categories=depth' "$MS_DIR/milter.log")
ok $((n < 3)) "the three deeply nested messages are held at [limits] max_depth, with the queue ID ($n)"
grep -qE ': [0-9A-F]{6,}: MIME: a multipart without a boundary' "$MS_DIR/milter.log"
ok $? "the damage GMime finds is logged with the queue ID (a multipart without a boundary)"
kill -0 "$MS_PID"; ok $? "the milter is still running"
grep -qiE 'assert|segfault|CRITICAL' "$MS_DIR/milter.log"; ok $((! $?)) "no assertion or critical message in the milter's log"
[ "$n_del" -gt 0 ] || diag "nothing delivered"
done_testing
