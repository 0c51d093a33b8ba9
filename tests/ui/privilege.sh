#!/bin/bash
# privilege.sh - esafety-quarantine becomes [ui] user when started as root:
# the server after binding its port, and every other command (adduser,
# reindex) before it opens the database, so the database root's adduser
# makes is one the server can still write. A user that does not exist stops
# it with the command that would create it. Needs root. TAP.
UI_PORT=${ESQ_PRIV_PORT_BASE:-10315} SINK_PORT=$((UI_PORT + 1)) NO_SINK=1
. "$top_srcdir/tests/ui/lib.sh"
. "$top_srcdir/tests/lib/tap.sh"

[ "$(id -u)" = 0 ] || bail "the privilege drop can only be tested as root"
ui_setup
# the state directory belongs to the user, as the install makes it
mkdir -p "$T/state"
chown nobody "$T/state" "$T/q" "$T/hmac.key"
chmod 755 "$T"
sed -i "s|^user = root$|user = nobody|; s|^database = .*|database = $T/state/ui.db|" "$T/esafety.conf"

UI_DB=$T/state/ui.db
ui_adduser lead1 lead north > /dev/null 2>&1
is "$(stat -c %U "$T/state/ui.db")" nobody "adduser as root makes a database that belongs to [ui] user"
ui_start
is "$(awk '/^Uid:/ {print $2}' "/proc/$(pgrep -n -f "$T/esafety.conf -f serve")/status")" "$(id -u nobody)" \
	"the server runs as [ui] user once its port is open"
is "$(ui_login lead1)" 303 "a login writes its session to that database"
# stored as the milter would store it, as the same user
printf 'From: tom@pupils.school.example\nTo: amy@pupils.school.example\nSubject: hi\n\nyou are stupid\n' > "$T/m.eml"
id=$(runuser -u nobody -- "$FIXTURE" -c "$T/esafety.conf" --school north --from tom@pupils.school.example \
	--to amy@pupils.school.example --verdict copy --finding 'language:bullying:3:1:bully-stupid:stupid' "$T/m.eml")
ui_wait_indexed "$id"; ok $? "the server, as [ui] user, indexes a quarantined message"
is "$(ui_get lead1 "/incident/$id")" 200 "and shows it"
grep -q "class=\"mailtext\">you are <mark" "$T/body"; ok $? "with the text it read from the quarantine"
is "$(find "$T/state" ! -user nobody | wc -l)" 0 "every file in the state directory belongs to [ui] user"

# a stored message the UI's user cannot read (root's, mode 600): logged once,
# with its path and the reason, and indexed as soon as it can be read
id2=$("$FIXTURE" -c "$T/esafety.conf" --school north --from tom@pupils.school.example \
	--to amy@pupils.school.example --verdict copy --finding 'language:bullying:3:1:bully-stupid:stupid' "$T/m.eml")
f2=$(grep -l "^X-ESafety-Id: $id2" "$T"/q/north/new/*)
for _ in $(seq 50); do grep -q "Permission denied" "$T/ui.log" && break; sleep 0.1; done
sleep 0.5
is "$(grep -c "$f2: .*Permission denied.*\[ui\] user" "$T/ui.log")" 1 \
	"a quarantine file [ui] user cannot read is logged, once, with its path and the reason"
chown nobody "$f2"
ui_wait_indexed "$id2"; ok $? "... and indexed once it can be read"

# a user that does not exist: no start, and the remedy named
sed "s|^user = nobody$|user = esafety-no-such-user|" "$T/esafety.conf" > "$T/missing.conf"
out=$("$UI_BIN" -c "$T/missing.conf" users 2>&1); rc=$?
ok $((rc == 0)) "a missing [ui] user stops the command"
case "$out" in
*"[ui] user 'esafety-no-such-user' does not exist: create it (useradd --system"*) ok 0 "and the error says how to create it" ;;
*) ok 1 "and the error says how to create it"; diag "$out" ;;
esac
sed -i "s|^listen = .*|listen = 127.0.0.1:$SINK_PORT|" "$T/missing.conf"
"$UI_BIN" -c "$T/missing.conf" -f serve > "$T/missing.out" 2>&1; rc=$?
ok $((rc == 0)) "the server does not start as root in its place"
grep -q "does not exist: create it" "$T/missing.out"; ok $? "and says why"

# TLS: a key only root can read is read before the drop
TLS_PORT=$((UI_PORT + 2))
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.crt" -days 2 \
	-subj /CN=127.0.0.1 > /dev/null 2>&1
chmod 600 "$T/tls.key"
sed "s|^listen = .*|listen = 127.0.0.1:$TLS_PORT\ntls_cert = $T/tls.crt\ntls_key = $T/tls.key|" \
	"$T/esafety.conf" > "$T/tls.conf"
"$UI_BIN" -c "$T/tls.conf" -f serve 2> "$T/tls.log" & UI_PIDS="$UI_PIDS $!"
for _ in $(seq 100); do curl -sk -o /dev/null "https://127.0.0.1:$TLS_PORT/login" && break; sleep 0.1; done
is "$(curl -sk -o /dev/null -w '%{http_code}' "https://127.0.0.1:$TLS_PORT/login")" 200 \
	"a TLS key only root can read: the server, as [ui] user, still serves HTTPS"

# root by name: allowed, with a warning
out=$(sed "s|^user = nobody$|user = root|" "$T/esafety.conf" > "$T/root.conf" &&
	"$UI_BIN" -c "$T/root.conf" users 2>&1)
case "$out" in
*"running as root ([ui] user = root)"*) ok 0 "user = root keeps root and warns" ;;
*) ok 1 "user = root keeps root and warns"; diag "$out" ;;
esac
done_testing
