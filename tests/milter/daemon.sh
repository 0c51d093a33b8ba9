#!/bin/bash
# daemon.sh - the daemon as an admin meets it: -n checks, start-up errors that
# name file/line/key, pid file, privilege drop, SIGHUP reload (good and bad),
# SIGTERM letting a message in flight finish (SIGHUPs during that drain
# included), and the exit status when libmilter stops by itself.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
bin="$top_builddir/milter/esafety-milter"
command -v miltertest > /dev/null || bail "miltertest is missing (Debian package miltertest)"

# a local rules dir of our own, so the test can change the policy and reload
ms_setup "unix:@DIR@/milter.sock" "milter|local_rules_dir = @DIR@/rules" "school:school|policy = t"
trap ms_cleanup EXIT
mkdir -p "$MS_DIR/rules/policies"
echo "words: category=profanity => copy" > "$MS_DIR/rules/policies/t.policy"

# send_lua QID - send one profane message; prints the reply (accept, reject, ...)
send_lua() {
	ms_lua_send "$1" "what a bellend" <<'LUA'
local r = mt.getreply(conn)
if r == SMFIR_ACCEPT then mt.echo("accept") elseif r == SMFIR_REPLYCODE then mt.echo("replycode") else mt.echo("other") end
LUA
}

# -n and start-up errors
cp "$MS_CONF" "$MS_DIR/bad.conf"
printf '[limits]\nmax_depth = deep\n' >> "$MS_DIR/bad.conf"
out=$("$bin" -n -c "$MS_DIR/bad.conf" 2>&1); status=$?
is "$status" 2 "-n on a bad config exits 2"
case "$out" in *"bad.conf:"[0-9]*": [limits] max_depth: 'deep'"*) ok 0 "-n names file, line and key";; *) ok 1 "-n names file, line and key"; diag "$out";; esac
out=$("$bin" -n -c "$MS_CONF" 2>&1); status=$?
is "$status" 0 "-n on a good config exits 0"
out=$("$bin" -f -c "$MS_DIR/bad.conf" 2>&1); status=$?
ok $((status == 0)) "the daemon refuses to start on a bad config"
case "$out" in *"bad.conf:"*"max_depth"*) ok 0 "and says why";; *) ok 1 "and says why"; diag "$out";; esac
echo "bogus: category=profanity => explode" > "$MS_DIR/rules/policies/broken.policy"
cp "$MS_CONF" "$MS_DIR/badpolicy.conf"
sed -i 's/^policy = t$/policy = broken/' "$MS_DIR/badpolicy.conf"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1)
case "$out" in *"broken.policy:1:"*"explode"*) ok 0 "-n checks policies too, naming file and line";; *) ok 1 "-n checks policies too"; diag "$out";; esac
# a policy that is not there, and a notice template that is not: found by -n,
# naming the key that chose the policy (not only when a message needs them)
sed -i 's/^policy = broken$/policy = nosuch/' "$MS_DIR/badpolicy.conf"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
case "$status $out" in "2 "*"[school:school] policy = nosuch: no such policy: no nosuch.policy in $MS_DIR/rules/policies nor in "*) ok 0 "-n names the key of a missing policy and both folders";;
*) ok 1 "-n names the key of a missing policy and both folders"; diag "$status $out";; esac
echo "words: category=profanity => reject notice=no_such_notice" > "$MS_DIR/rules/policies/notice.policy"
sed -i 's/^policy = nosuch$/policy = notice/' "$MS_DIR/badpolicy.conf"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
case "$status $out" in "2 "*"[school:school] policy = notice: "*"notice.policy:1: notice=no_such_notice: no template no_such_notice.AUDIENCE.txt"*"$MS_DIR/rules/templates/school, "*) ok 0 "-n refuses a notice template that does not exist, naming rule line and folders";;
*) ok 1 "-n refuses a notice template that does not exist, naming rule line and folders"; diag "$status $out";; esac
mkdir -p "$MS_DIR/rules/templates/school"
echo "Your message was not sent." > "$MS_DIR/rules/templates/school/no_such_notice.staff.txt"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
is "$status" 0 "one audience's template in the school's own folder is enough"
# an input no part sets: a rule on it could never hold
echo "rep: input.reputation.bullying_7days>=1 => copy" > "$MS_DIR/rules/policies/notice.policy"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
case "$status $out" in "2 "*"notice.policy:1: input.reputation.bullying_7days: no such input (with [redis] window = 7d"*) ok 0 "-n refuses an input no part sets, naming the window's names";;
*) ok 1 "-n refuses an input no part sets, naming the window's names"; diag "$status $out";; esac
echo "rep: input.reputation.bullying_7d>=1 => copy" > "$MS_DIR/rules/policies/notice.policy"
sed -i 's/^\[milter\]$/[redis]\nwindow = 14d\n[milter]/' "$MS_DIR/badpolicy.conf"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
case "$status $out" in "2 "*"input.reputation.bullying_7d: no such input (with [redis] window = 14d"*"CATEGORY_14d"*) ok 0 "... and a window-named input after [redis] window changed";;
*) ok 1 "... and a window-named input after [redis] window changed"; diag "$status $out";; esac
echo "rep: input.reputation.bullying>=1 input.reputation.bullying_14d>=1 input.rate_limited=yes => copy" > "$MS_DIR/rules/policies/notice.policy"
out=$("$bin" -n -c "$MS_DIR/badpolicy.conf" 2>&1); status=$?
is "$status" 0 "inputs that exist (the window-free name, the window's own, a fixed one) pass"

# settings -n used to pass that then fail at start or at the first message
checkn() {	# checkn DESCRIPTION WANT SED-EXPRESSION - -n on the config changed by SED fails with WANT
	sed "$3" "$MS_CONF" > "$MS_DIR/checkn.conf"
	out=$("$bin" -n -c "$MS_DIR/checkn.conf" 2>&1); status=$?
	case "$status $out" in "2 "*"$2"*) ok 0 "$1";; *) ok 1 "$1"; diag "$status $out";; esac
}
checkn "-n refuses a notice_command that is no command line" "[milter] notice_command: '/usr/sbin/sendmail -i \"x' is not a command line" \
	's|^\[milter\]$|[milter]\nnotice_command = /usr/sbin/sendmail -i "x|'
checkn "-n refuses a notice_command whose program is not there" "[milter] notice_command: '/usr/sbin/sendmial' is not a program" \
	's|^\[milter\]$|[milter]\nnotice_command = /usr/sbin/sendmial -i -t|'
checkn "-n refuses a socket_group that does not exist" "[milter] socket_group 'esafety-no-such-group' does not exist" \
	's|^\[milter\]$|[milter]\nsocket_group = esafety-no-such-group|'
checkn "-n refuses a unix socket in a folder that is not there" "folder $MS_DIR/no-such-folder does not exist" \
	"s|^socket = .*|socket = unix:$MS_DIR/no-such-folder/milter.sock|"
checkn "-n refuses retry_min longer than retry_max" "[redis] retry_min must not be longer than retry_max (1s)" \
	's|^\[milter\]$|[redis]\nenabled = yes\nretry_min = 20s\nretry_max = 1s\n[milter]|'
out=$("$bin" -n -c "$MS_CONF" 2>&1)
case "$out" in *"warning: [milter] socket unix:"*"set [milter] socket_group = postfix"*"configuration OK"*) ok 0 "-n warns that an MTA outside the socket's group cannot connect";;
*) ok 1 "-n warns that an MTA outside the socket's group cannot connect"; diag "$out";; esac

# a socket spec libmilter cannot use: -n says so, naming the key
sed 's|^socket = .*|socket = inet:99999@127.0.0.1|' "$MS_CONF" > "$MS_DIR/badsock.conf"
out=$("$bin" -n -c "$MS_DIR/badsock.conf" 2>&1); status=$?
case "$status $out" in "2 "*"[milter] socket: 'inet:99999@127.0.0.1': the port must be 1 to 65535"*) ok 0 "-n refuses a port past 65535";;
*) ok 1 "-n refuses a port past 65535"; diag "$status $out";; esac
# a port another program holds: the start fails with the reason, not only
# in syslog (where libmilter says it)
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 10090)); s.listen(); open(sys.argv[1], "w").close(); time.sleep(10)' \
	"$MS_DIR/port-held" & holder=$!
for _ in $(seq 50); do [ -e "$MS_DIR/port-held" ] && break; sleep 0.1; done
sed 's|^socket = .*|socket = inet:10090@127.0.0.1|' "$MS_CONF" > "$MS_DIR/busy.conf"
out=$("$bin" -f -c "$MS_DIR/busy.conf" 2>&1); status=$?
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
case "$status $out" in "1 "*"cannot listen on inet:10090@127.0.0.1 ([milter] socket): "*"Address already in use"*)
	ok 0 "a port in use stops the start, saying so";; *) ok 1 "a port in use stops the start, saying so"; diag "$status $out";; esac

# start, pid file
ms_start || bail "milter did not start"
is "$(cat "$MS_DIR/milter.pid" 2>/dev/null)" "$MS_PID" "pid file holds the daemon's pid"
is "$(send_lua DAEMON01)" accept "profanity copied under the first policy"

# good reload: the new policy applies to the next message
echo "words: category=profanity => reject" > "$MS_DIR/rules/policies/t.policy"
ms_reload
for _ in $(seq 1 50); do grep -q "reloaded configuration" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "reloaded configuration" "$MS_DIR/milter.log"; ok $? "SIGHUP reloads (logged)"
is "$(send_lua DAEMON02)" replycode "after the reload the new policy refuses it"
kill -0 "$MS_PID"; ok $? "still running after SIGHUP"

# bad reload: the old configuration is kept
echo "this is not a rule" > "$MS_DIR/rules/policies/t.policy"
ms_reload
for _ in $(seq 1 50); do grep -q "reload failed" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "reload failed, keeping the running configuration: .*t.policy:1:" "$MS_DIR/milter.log"
ok $? "a bad reload is refused, with file and line logged"
is "$(send_lua DAEMON03)" replycode "the running policy is kept after a bad reload"

# a reload refused for one reason changes nothing else, not even the ClamAV
# engine the whole process shares (it is loaded last, after the policies):
# here a new database folder comes with the still broken policy
mkdir -p "$MS_DIR/db2"
printf 'Es.Test.Other:0:*:4553414645545921\n' > "$MS_DIR/db2/other.ndb"
db1=$(sed -n 's/^database = //p' "$MS_CONF")
sed -i "s|^database = .*|database = $MS_DIR/db2|" "$MS_CONF"
failed=$(grep -c "reload failed" "$MS_DIR/milter.log")
ms_reload
for _ in $(seq 1 100); do [ "$(grep -c "reload failed" "$MS_DIR/milter.log")" -gt "$failed" ] && break; sleep 0.1; done
[ "$(grep -c "reload failed" "$MS_DIR/milter.log")" -gt "$failed" ]; ok $? "a reload with a new [clamav] database and a bad policy is refused"
grep -q "clamav: database $MS_DIR/db2 loaded" "$MS_DIR/milter.log"; ok $((! $?)) "... and the new database was never loaded"
# the body holds what Es.Test.ClamAV-Test-File of the running database matches
is "$(ms_lua_send DAEMON04 "CLAMessageBoxA and then [CLAMAV]" <<'LUA'
local r = mt.getreply(conn)
if r == SMFIR_REPLYCODE or r == SMFIR_REJECT then mt.echo("refused") else mt.echo("passed") end
LUA
)" refused "the running ClamAV engine still finds what its database names"
grep "reload failed" "$MS_DIR/milter.log" | tail -1 | grep -q "t.policy:1:"; ok $? "(refused for the policy, not for the database)"
sed -i "s|^database = .*|database = $db1|" "$MS_CONF"

# SIGTERM with a message in flight: it is answered, then the daemon exits
cat > "$MS_DIR/inflight.lua" <<EOF
conn = mt.connect("unix:$MS_DIR/milter.sock", 20, 0.1)
mt.conninfo(conn, "client.example", "127.0.0.1")
mt.macro(conn, SMFIC_MAIL, "i", "INFLIGHT")
mt.mailfrom(conn, "<tom@pupils.school.example>")
mt.rcptto(conn, "<amy@pupils.school.example>")
mt.header(conn, "Subject", "x")
mt.eoh(conn)
os.execute("kill -TERM $MS_PID")
mt.sleep(0.5)
mt.bodystring(conn, "hello\r\n")
mt.eom(conn)
if mt.getreply(conn) == SMFIR_ACCEPT then mt.echo("answered") else mt.echo("not answered") end
mt.disconnect(conn)
EOF
echo "words: category=profanity => copy" > "$MS_DIR/rules/policies/t.policy"
is "$(miltertest -s "$MS_DIR/inflight.lua" 2>&1 | tail -1)" answered "a message in flight at SIGTERM still gets its answer"
for _ in $(seq 1 100); do kill -0 "$MS_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$MS_PID" 2>/dev/null; ok $((! $?)) "the daemon exits after SIGTERM"
wait "$MS_PID"; is "$?" 0 "with status 0"
MS_PID=
grep -q "INFLIGHT: from=<tom@pupils.school.example>" "$MS_DIR/milter.log"; ok $? "the in-flight message was logged with its queue ID"

# SIGHUP while stopping (logrotate, a reload racing a stop): libmilter's own
# signal thread would take it as a stop of its own and end the drain early;
# the daemon takes it, says so, and the message in flight is still answered
ms_start || bail "milter did not restart"
sed -e "s/INFLIGHT/HUPDRAIN/" -e "s/mt.sleep(0.5)/for i = 1, 5 do mt.sleep(0.2); os.execute(\"kill -HUP $MS_PID\") end; mt.sleep(0.3)/" \
	"$MS_DIR/inflight.lua" > "$MS_DIR/hupdrain.lua"
sed -i "s/kill -TERM [0-9]*/kill -TERM $MS_PID/; s/kill -HUP [0-9]*/kill -HUP $MS_PID/" "$MS_DIR/hupdrain.lua"
is "$(miltertest -s "$MS_DIR/hupdrain.lua" 2>&1 | tail -1)" answered "SIGHUP during the drain: the message in flight still gets its answer"
for _ in $(seq 1 100); do kill -0 "$MS_PID" 2>/dev/null || break; sleep 0.1; done
wait "$MS_PID"; is "$?" 0 "the daemon then exits with status 0"
MS_PID=
is "$(grep -c "SIGHUP while stopping: not reloaded" "$MS_DIR/milter.log")" 5 "each SIGHUP during the drain is logged and ignored"
grep -q "libmilter stopped by itself" "$MS_DIR/milter.log"; ok $((! $?)) "libmilter never stopped on its own"

# libmilter's own signal thread would take any SIGHUP or SIGTERM that came
# while the main thread was busy, and stop the milter on it; the daemon parks
# that thread (main.c, sigwait), so the main thread is the only one waiting
# for signals, and even a SIGHUP sent to that thread alone stops nothing
ms_start || bail "milter did not restart"
waiting=; parked=
for _ in $(seq 1 50); do
	waiting=; parked=
	for t in /proc/"$MS_PID"/task/*; do
		[ "${t##*/}" = "$MS_PID" ] && continue
		case "$(cut -d' ' -f1 "$t/syscall" 2>/dev/null)" in
		128) waiting="$waiting ${t##*/}" ;;	# rt_sigtimedwait
		34) parked="$parked ${t##*/}" ;;	# pause
		esac
	done
	[ -n "$parked" ] && break
	sleep 0.1
done
is "$(echo $waiting | wc -w) $(echo $parked | wc -w)" "0 1" "no thread but main waits for signals; libmilter's is parked"
tid=${parked# }
/usr/bin/python3 -c "import ctypes, sys; ctypes.CDLL(None).syscall(234, int(sys.argv[1]), int(sys.argv[2]), 1)" "$MS_PID" "${tid:-0}"
sleep 0.3
kill -0 "$MS_PID"; ok $? "a SIGHUP sent to libmilter's thread alone does not stop the daemon"
is "$(send_lua DAEMON07)" accept "and it still answers"

# signals back to back, microseconds apart (logrotate and an admin, a
# reload racing a stop): 300 pairs of SIGHUPs fold into a few reloads, the
# milter keeps answering, and a SIGHUP followed at once by SIGTERM is a clean
# stop, with no reload after it
before=$(grep -c "reloaded configuration" "$MS_DIR/milter.log")
/usr/bin/python3 -c "
import os, signal, sys
pid = int(sys.argv[1])
for _ in range(300):
    os.kill(pid, signal.SIGHUP); os.kill(pid, signal.SIGHUP)
" "$MS_PID"
kill -0 "$MS_PID"; ok $? "600 SIGHUPs in pairs: still running"
is "$(send_lua DAEMON08)" accept "and still answering"
for _ in $(seq 1 100); do
	n1=$(grep -c "reloaded configuration" "$MS_DIR/milter.log"); sleep 0.2
	[ "$(grep -c "reloaded configuration" "$MS_DIR/milter.log")" = "$n1" ] && break
done
reloads=$(( $(grep -c "reloaded configuration" "$MS_DIR/milter.log") - before ))
[ "$reloads" -ge 1 ] && [ "$reloads" -lt 100 ]; ok $? "they folded into a few reloads ($reloads), not one each"
kill -USR1 "$MS_PID"
is "$(send_lua DAEMON09)" accept "a stray SIGUSR1 is not taken for libmilter stopping: mail still flows"
grep -q "SIGUSR1 ignored" "$MS_DIR/milter.log"; ok $? "... and it is logged as ignored"
/usr/bin/python3 -c "
import os, signal, sys
pid = int(sys.argv[1])
os.kill(pid, signal.SIGHUP); os.kill(pid, signal.SIGTERM)
" "$MS_PID"
for _ in $(seq 1 100); do kill -0 "$MS_PID" 2>/dev/null || break; sleep 0.1; done
wait "$MS_PID"; is "$?" 0 "SIGHUP then SIGTERM at once: a clean stop, status 0"
MS_PID=
grep -q "libmilter stopped by itself" "$MS_DIR/milter.log"; ok $((! $?)) "libmilter never stopped on its own"
is "$(tail -1 "$MS_DIR/milter.log" | grep -c "stopped$")" 1 "\"stopped\" is the last line: no reload ran after it"

# SIGHUP applies a new log_level at once
ms_start || bail "milter did not restart"
is "$(send_lua DAEMON05)" accept "a message at log_level debug"
grep -q "DAEMON05: esafety: " "$MS_DIR/milter.log"; ok $? "gets its incident line"
sed -i 's/^log_level = debug$/log_level = err/' "$MS_CONF"
before=$(grep -c "reloaded configuration" "$MS_DIR/milter.log")
ms_reload
for _ in $(seq 1 50); do [ "$(grep -c "reloaded configuration" "$MS_DIR/milter.log")" -gt "$before" ] && break; sleep 0.1; done
is "$(send_lua DAEMON06)" accept "after SIGHUP with log_level = err"
grep -q "DAEMON06" "$MS_DIR/milter.log"; ok $((! $?)) "the next message logs nothing below err"
ms_stop
sed -i 's/^log_level = err$/log_level = debug/' "$MS_CONF"

# privilege drop: the daemon runs as the configured user after opening its socket
if [ "$(id -u)" = 0 ]; then
	chown -R nobody "$MS_DIR/quarantine" "$MS_DIR/tmp" "$MS_DIR/hmac.key"
	echo "words: category=profanity => copy" > "$MS_DIR/rules/policies/t.policy"
	cp "$MS_CONF" "$MS_DIR/drop.conf"
	sed -i 's/^user = root$/user = nobody/' "$MS_DIR/drop.conf"
	MS_CONF="$MS_DIR/drop.conf"
	ms_start || bail "milter did not start with user = nobody"
	is "$(awk '/^Uid:/ {print $2}' /proc/$MS_PID/status)" "$(id -u nobody)" "runs as user nobody after start-up"
	is "$(send_lua DAEMON04)" accept "and still scans mail"
	grep -q "DAEMON04: esafety: .*action=copy" "$MS_DIR/milter.log"; ok $? "and still stores in the quarantine"
	# a reload reads as that user: a file only root can read is refused, naming the user
	chmod 600 "$MS_DIR/rules/policies/t.policy"
	ms_reload
	for _ in $(seq 1 50); do grep -q "reload failed.*Permission denied" "$MS_DIR/milter.log" && break; sleep 0.1; done
	grep -q "reload failed, keeping the running configuration: .*t.policy.*Permission denied (the milter reads its files as user nobody)" \
		"$MS_DIR/milter.log"
	ok $? "a reload that cannot read a file as user nobody says which user"
	chmod 644 "$MS_DIR/rules/policies/t.policy"
	ms_stop
	grep -q "running as root (\[milter\] user = root)" "$MS_DIR/milter.log"
	ok $? "user = root (the earlier starts) keeps root and logs a warning"

	# -k gives the new key to [milter] user, who reads it after the drop
	sed "s|^hmac_key_file = .*|hmac_key_file = $MS_DIR/new.key|" "$MS_DIR/drop.conf" > "$MS_DIR/key.conf"
	"$top_builddir/milter/esafety-milter" -k -c "$MS_DIR/key.conf" > /dev/null
	is "$(stat -c '%U %a' "$MS_DIR/new.key")" "nobody 600" "esafety-milter -k makes a key only [milter] user can read"

	# a key an older, root-run install made: -k hands it over
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$MS_DIR/new.key"
	chown root "$MS_DIR/new.key"
	"$top_builddir/milter/esafety-milter" -k -c "$MS_DIR/key.conf" > /dev/null
	is "$(stat -c '%U %a' "$MS_DIR/new.key")" "nobody 600" "esafety-milter -k gives an existing root-owned key to [milter] user"

	# -n checks as [milter] user: a school folder root made is not writable by it
	mkdir -p "$MS_DIR/quarantine/oldschool"
	out=$("$top_builddir/milter/esafety-milter" -n -c "$MS_DIR/drop.conf" 2>&1); rc=$?
	is "$rc" 2 "-n fails when [milter] user cannot write a quarantine folder"
	case "$out" in
	*"quarantine folder $MS_DIR/quarantine/oldschool cannot be written by uid $(id -u nobody)"*"chown -R"*) ok 0 "and names the folder and the remedy" ;;
	*) ok 1 "and names the folder and the remedy"; diag "$out" ;;
	esac
	# the daemon starts all the same (clean mail flows) and says so in its log
	ms_start || bail "milter did not start with a root-owned quarantine folder"
	grep -q "quarantine folder $MS_DIR/quarantine/oldschool cannot be written.*on_store_error" "$MS_DIR/milter.log"
	ok $? "the daemon starts anyway and logs the folder it cannot write"
	ms_stop
	chown nobody "$MS_DIR/quarantine/oldschool"
	out=$("$top_builddir/milter/esafety-milter" -n -c "$MS_DIR/drop.conf" 2>&1); rc=$?
	is "$rc" 0 "-n passes once it is given to [milter] user"

	# [clamav] tmpdir: one [milter] user cannot write fails -n (libclamav would
	# skip what it unpacks); one that is not there (a tmpfs after a reboot) is
	# made at start, for [milter] user
	mkdir -m 700 "$MS_DIR/ctmp"
	sed -i "s|^\[clamav\]\$|[clamav]\ntmpdir = $MS_DIR/ctmp|" "$MS_DIR/drop.conf"
	out=$("$top_builddir/milter/esafety-milter" -n -c "$MS_DIR/drop.conf" 2>&1); rc=$?
	case "$rc $out" in "2 "*"[clamav] tmpdir $MS_DIR/ctmp cannot be written by uid $(id -u nobody)"*) ok 0 "-n fails when [milter] user cannot write [clamav] tmpdir";;
	*) ok 1 "-n fails when [milter] user cannot write [clamav] tmpdir"; diag "$rc $out";; esac
	rmdir "$MS_DIR/ctmp"
	# below a folder that is missing too: that one must let [milter] user through
	sed -i "s|^tmpdir = $MS_DIR/ctmp\$|tmpdir = $MS_DIR/shm/esafety/ctmp|" "$MS_DIR/drop.conf"
	ms_start || bail "milter did not start with a missing [clamav] tmpdir"
	is "$(stat -c '%U %a' "$MS_DIR/shm/esafety/ctmp" 2>&1) $(stat -c '%a' "$MS_DIR/shm/esafety" 2>&1)" "nobody 700 755" \
		"a missing [clamav] tmpdir is made at start for [milter] user, its missing parents passable (755)"
	ms_stop

	# a pid file folder that is not there is made and given to [milter] user,
	# so the file is gone after a stop
	sed -i "s|^pidfile = .*|pidfile = $MS_DIR/run/esafety/milter.pid|" "$MS_DIR/drop.conf"
	ms_start || bail "milter did not start with a new pid file folder"
	is "$(stat -c %U "$MS_DIR/run/esafety")" nobody "the pid file's new folder belongs to [milter] user"
	ms_stop
	[ ! -e "$MS_DIR/run/esafety/milter.pid" ]; ok $? "and the pid file is removed at exit"

	# a user that does not exist: no start, no key, and the remedy named
	sed -i "s|^user = nobody$|user = esafety-no-such-user|" "$MS_DIR/key.conf"
	sed -i "s|^hmac_key_file = .*|hmac_key_file = $MS_DIR/missing.key|" "$MS_DIR/key.conf"
	out=$("$top_builddir/milter/esafety-milter" -f -c "$MS_DIR/key.conf" 2>&1); rc=$?
	ok $((rc == 0)) "a missing [milter] user stops the start"
	case "$out" in
	*"[milter] user 'esafety-no-such-user' does not exist: create it (useradd --system"*) ok 0 "and the error says how to create it" ;;
	*) ok 1 "and the error says how to create it"; diag "$out" ;;
	esac
	"$top_builddir/milter/esafety-milter" -k -c "$MS_DIR/key.conf" > /dev/null 2>&1
	ok $((! $?)) "esafety-milter -k fails for a missing [milter] user"
	[ ! -e "$MS_DIR/missing.key" ]; ok $? "and writes no key"
else
	ok 1 "privilege drop needs the test to run as root"
fi
ms_stop_ok
done_testing
