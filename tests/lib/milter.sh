# milter.sh - run esafety-milter from the build tree for a test.
#   ms_setup SOCKET_SPEC ['SECTION|key = value'...] write a config into $MS_DIR
#   ms_start                                       start it in the foreground, wait until it listens
#                                                  (MS_PRELOAD: a library to LD_PRELOAD into it)
#   ms_stop                                        SIGTERM and wait; its status in MS_EXIT
#   ms_exit_problem                                after ms_stop: why the daemon did not end
#                                                  cleanly (status, sanitizer report), or nothing
#   ms_reload                                      SIGHUP
#   ms_quarantine_count [SCHOOL]                   messages in the school's quarantine new/
#   ms_cleanup                                     stop and remove $MS_DIR
#   ms_lua_send QID BODY [LUA] < CHECK             one message from tom to amy (pupils) through
#                                                  miltertest; CHECK (Lua on stdin) echoes the result;
#                                                  MS_FROM and MS_RCPT (space-separated)
#                                                  change the envelope
# The test school "school" owns school.example (pupils.school.example for
# pupils, staff.school.example for staff); its e-safety mailbox is
# esafety@school.example; MS_OTHER_SCHOOL adds a second, "other"
# (other.example). Shipped rules come from the source tree; local rules (the
# e2e policy, a local template) from tests/fixtures/rules.

MS_DIR=
MS_PID=
MS_CONF=
# a second school of the same install (a trust): ms_setup ... "${MS_OTHER_SCHOOL[@]}"
MS_OTHER_SCHOOL=("school:other|domains = other.example" "school:other|esafety_mailbox = esafety@other.example"
	"school:other|pupils = *@pupils.other.example" "school:other|policy = e2e")

ms_setup() {
	local sock="$1"
	shift
	MS_DIR=$(mktemp -d /tmp/esafety-milter-test.XXXXXX)
	chmod 755 "$MS_DIR"
	MS_CONF="$MS_DIR/esafety.conf"
	mkdir -p "$MS_DIR/quarantine" "$MS_DIR/tmp"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$MS_DIR/hmac.key"
	chmod 600 "$MS_DIR/hmac.key"
	# each extra argument is "SECTION|key = value" and wins over the lines below
	python3 - "$MS_CONF" "$@" <<PY
import sys
conf = {
    "milter": {"socket": "$sock", "pidfile": "$MS_DIR/milter.pid", "tmpdir": "$MS_DIR/tmp",
               "rules_dir": "$top_srcdir/rules", "local_rules_dir": "$top_srcdir/tests/fixtures/rules",
               "log_level": "debug", "user": "root"},
    # root: the test directories are root's; tests/milter/daemon.sh covers the drop
    "ui": {"user": "root"},
    "quarantine": {"root": "$MS_DIR/quarantine", "hmac_key_file": "$MS_DIR/hmac.key"},
    "clamav": {"database": "$top_srcdir/tests/fixtures/clamav"},
    "school:school": {"domains": "school.example", "esafety_mailbox": "esafety@school.example",
                      "pupils": "*@pupils.school.example", "staff": "*@staff.school.example",
                      "policy": "e2e"},
}
for extra in sys.argv[2:]:
    section, line = extra.split("|", 1)
    key, value = [x.strip() for x in line.split("=", 1)]
    conf.setdefault(section, {})[key] = value
with open(sys.argv[1], "w") as f:
    for section, keys in conf.items():
        f.write("[%s]\n" % section)
        for k, v in keys.items():
            f.write("%s = %s\n" % (k, v.replace("@DIR@", "$MS_DIR")))
PY
}

# ms_start - the daemon in the foreground, its log in $MS_DIR/milter.log
ms_start() {
	local i before
	before=$(cat "$MS_DIR/milter.log" 2>/dev/null | wc -l)
	# MS_PRELOAD: a fault shim for the milter alone (not for this script's tools)
	${MS_PRELOAD:+env LD_PRELOAD=$MS_PRELOAD} "$top_builddir/milter/esafety-milter" -f -c "$MS_CONF" \
		>> "$MS_DIR/milter.log" 2>&1 &
	MS_PID=$!
	for i in $(seq 1 300); do
		tail -n +$((before + 1)) "$MS_DIR/milter.log" 2>/dev/null | grep -q "listening on" && return 0
		kill -0 "$MS_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "# esafety-milter did not start:" >&2
	sed 's/^/#   /' "$MS_DIR/milter.log" >&2
	return 1
}

MS_EXIT=
ms_stop() {
	[ -n "$MS_PID" ] || return 0
	kill -TERM "$MS_PID" 2>/dev/null
	wait "$MS_PID" 2>/dev/null
	MS_EXIT=$?
	MS_PID=
}

# ms_exit_problem - after ms_stop: a SIGTERM must end the daemon with status 0
# and, in a sanitizer build, with no report in its log (a leak is reported
# only at exit, after every message has had its answer)
ms_exit_problem() {
	local report
	report=$(grep -E -m 5 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: .*Sanitizer' \
		"$MS_DIR/milter.log" 2>/dev/null)
	[ "$MS_EXIT" = 0 ] || echo "esafety-milter exited with status $MS_EXIT after SIGTERM"
	[ -z "$report" ] || printf 'sanitizer report in its log:\n%s\n' "$report"
}

# ms_stop_ok - stop the daemon; a TAP check (tests/lib/tap.sh) that it ended cleanly
ms_stop_ok() {
	local problem
	ms_stop
	problem=$(ms_exit_problem)
	ok "$([ -z "$problem" ]; echo $?)" "esafety-milter ended cleanly on SIGTERM"
	[ -z "$problem" ] || printf '%s\n' "$problem" | sed 's/^/#   /'
}

ms_reload() { kill -HUP "$MS_PID"; }

ms_cleanup() {
	ms_stop
	if [ -n "${KEEP_TEST_DIRS:-}" ]; then echo "# kept $MS_DIR" >&2; else rm -rf "$MS_DIR"; fi
}

# ms_lua_send QID BODY [LUA] - send one message with queue ID QID and body BODY
# (LUA: extra statements before end of headers, e.g. another mt.header); the
# Lua on stdin runs after end of message and mt.echo()s what happened, which
# is printed
ms_lua_send() {
	{
		cat <<LUA
conn = mt.connect("unix:$MS_DIR/milter.sock", 20, 0.1)
if conn == nil then error("no connection") end
mt.conninfo(conn, "client.example", "127.0.0.1")
mt.macro(conn, SMFIC_MAIL, "i", "$1")
mt.mailfrom(conn, "<${MS_FROM:-tom@pupils.school.example}>")
$(for r in ${MS_RCPT:-amy@pupils.school.example}; do echo "mt.rcptto(conn, \"<$r>\")"; done)
mt.header(conn, "Subject", "x")
${3:-}
mt.eoh(conn)
mt.bodystring(conn, "$2\r\n")
mt.eom(conn)
LUA
		cat
		echo 'mt.disconnect(conn)'
	} > "$MS_DIR/send.lua"
	miltertest -s "$MS_DIR/send.lua" 2>&1 | tail -1
}

ms_quarantine_count() {
	local d="$MS_DIR/quarantine/${1:-school}/new"
	[ -d "$d" ] || { echo 0; return; }
	find "$d" -type f | wc -l
}
