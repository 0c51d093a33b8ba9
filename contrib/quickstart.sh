#!/bin/bash
# quickstart.sh - install, build and run a demo on a fresh Debian 12 machine, as root:
# esafety-milter with a demo school, a private Postfix on 127.0.0.1:2525 (its own
# files under /tmp/esafety-demo; the system Postfix is never touched), Redis on
# 127.0.0.1:6390 and the quarantine UI on http://127.0.0.1:8025/. It sends the
# sample messages in contrib/demo/ and shows where each one landed.
#   contrib/quickstart.sh          set up and run the demo (left running)
#   contrib/quickstart.sh stop     stop everything the demo started
# SKIP_DEPS=1 skips the package install (run-tests.sh runs the demo that way,
# after installing the same packages itself).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
demo=/tmp/esafety-demo
export top_srcdir="$top" top_builddir="$top/build"

stop_demo() {
	[ -f "$demo/pids" ] && while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$demo/pids"
	[ -d "$demo/postfix/etc" ] && postfix -c "$demo/postfix/etc" stop > /dev/null 2>&1 || true
	rm -f "$demo/pids"
	echo "demo stopped (files kept in $demo)"
}

if [ "${1:-}" = stop ]; then
	stop_demo
	exit 0
fi

step() { printf '\n== %s\n' "$*"; }

if [ "${SKIP_DEPS:-}" != 1 ]; then
	step "Installing Debian packages (contrib/debian-packages.txt)"
	"$top/contrib/install-deps.sh"
fi

step "Building into build/"
cd "$top"
# once: later, the Makefiles' own rules regenerate what configure.ac changes
[ -f configure ] || autoreconf -fi > /dev/null
mkdir -p build && cd build
[ -f Makefile ] || ../configure -q
make -j"$(nproc)" > /dev/null
cd "$top"

[ -d "$demo" ] && stop_demo > /dev/null
rm -rf "$demo"

step "Creating the system user esafety, which the milter and the UI run as"
# as a package would: both daemons start as root, open their ports, then
# become [milter] user and [ui] user (default esafety)
id esafety > /dev/null 2>&1 ||
	useradd --system --user-group --home-dir /var/lib/esafety --shell /usr/sbin/nologin esafety
mkdir -p "$demo"
chmod 755 "$demo"
# what the daemons write belongs to esafety; what they read is copied out of
# the checkout, which may sit where esafety cannot look (/root)
install -d -o esafety -g esafety -m 0750 "$demo/quarantine" "$demo/tmp" "$demo/state"
cp -r "$top/rules" "$demo/rules"
cp -r "$top/tests/fixtures/clamav" "$demo/clamav"
cp -r "$top/quarantine-ui/static" "$demo/static"
chmod -R a+rX "$demo/rules" "$demo/clamav" "$demo/static"

step "Writing the demo configuration ($demo/esafety.conf)"
cat > "$demo/esafety.conf" <<EOF
# Demo: one secondary school on the test domains school.example (staff at
# staff.school.example, pupils at pupils.school.example).
[milter]
socket = inet:7410@127.0.0.1
pidfile = $demo/esafety-milter.pid
tmpdir = $demo/tmp
rules_dir = $demo/rules
local_rules_dir = $demo/rules.d
[quarantine]
root = $demo/quarantine
hmac_key_file = $demo/hmac.key
[clamav]
database = $demo/clamav
[redis]
enabled = yes
port = 6390
[ui]
listen = 127.0.0.1:8025
database = $demo/state/ui.sqlite
static_dir = $demo/static
release_smtp = 127.0.0.1:2525
[school:demo]
domains = school.example
esafety_mailbox = esafety@school.example
pupils = *@pupils.school.example
staff = *@staff.school.example
policy = secondary
secure_route = S2S for CTF files, or a password-protected file with the password sent separately
contact = Ms Khan, the e-safety lead
EOF

# the quarantine signing key, given to [milter] user (esafety)
build/milter/esafety-milter -k -c "$demo/esafety.conf" > /dev/null

step "Starting Redis on 127.0.0.1:6390"
redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
	--pidfile "$demo/redis.pid" --logfile "$demo/redis.log" --dir "$demo"
sleep 0.5
cat "$demo/redis.pid" >> "$demo/pids"

step "Checking and starting esafety-milter on inet:7410@127.0.0.1"
build/milter/esafety-milter -n -c "$demo/esafety.conf"
# -f keeps the log in a file here; a real install logs to syslog (facility mail)
build/milter/esafety-milter -f -c "$demo/esafety.conf" > "$demo/milter.log" 2>&1 &
echo $! >> "$demo/pids"
for _ in $(seq 1 100); do grep -q "listening on" "$demo/milter.log" && break; sleep 0.1; done

step "Starting a private Postfix on 127.0.0.1:2525 with the milter"
. "$top/tests/lib/postfix.sh"
pf_start 2525 "inet:127.0.0.1:7410"
rm -rf "$demo/postfix"
ln -s "$PF_DIR" "$demo/postfix"

step "Starting the quarantine UI on http://127.0.0.1:8025/"
ui=build/quarantine-ui/esafety-quarantine
echo demo-password-123 | "$ui" -c "$demo/esafety.conf" adduser lead --role lead --school demo
echo demo-password-123 | "$ui" -c "$demo/esafety.conf" adduser governor --role governor --school demo
"$ui" -c "$demo/esafety.conf" -f serve > "$demo/ui.log" 2>&1 &
echo $! >> "$demo/pids"
echo $! > "$demo/esafety-quarantine.pid"

step "Sending the sample messages in contrib/demo/"
for f in "$top"/contrib/demo/*.eml; do
	from=$(sed -n 's/^From: .*<\(.*\)>.*/\1/p' "$f" | head -1)
	to=$(sed -n 's/^To: .*<\(.*\)>.*/\1/p' "$f" | head -1)
	printf '%-22s %s -> %s: %s\n' "$(basename "$f")" "$from" "$to" "$(pf_send "$from" "$to" "$f")"
done
# until Postfix has delivered all of it (the e-safety copies too), at most 30 s
for _ in $(seq 1 60); do sleep 0.5; pf_queue_empty && break; done
sleep 0.5

step "Who runs what"
for daemon in esafety-milter esafety-quarantine; do
	pid=$(cat "$demo/$daemon.pid")
	printf '%-22s runs as %s\n' "$daemon" "$(ps -o user= -p "$pid")"
done

step "Where they landed"
for box in "$PF_DIR"/mail/*; do
	[ -d "$box/Maildir/new" ] || continue
	printf '%-32s %s message(s)\n' "$(basename "$box")" "$(find "$box/Maildir/new" -type f | wc -l)"
done
printf '%-32s %s message(s)\n' "quarantine (school demo)" "$(find "$demo/quarantine" -path '*/new/*' -type f | wc -l)"
echo
echo "Incident lines from the milter's log ($demo/milter.log):"
grep -h "esafety: school=" "$demo/milter.log" || true
echo
echo "Try: build/milter/esafety-scan -c $demo/esafety.conf --json contrib/demo/02-bullying.eml"
echo "Mailboxes: $PF_DIR/mail/<address>/Maildir   Quarantine: $demo/quarantine"
echo "Quarantine UI: http://127.0.0.1:8025/ (users lead and governor, password demo-password-123)"
echo "Stop the demo: contrib/quickstart.sh stop"
