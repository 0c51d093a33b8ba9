# bench-lib.sh - helpers shared by the tests/bench/*.sh peer benchmarks (sourced).
# Expects top_srcdir, and MILTER (esafety-milter) unless bench_init sets it.
# shellcheck disable=SC2154

# bench_init NAME FILE - the common start of a script NAME: MILTER from
# ES_MILTER (default ./milter/esafety-milter) must be built and bench-peers
# in BP must have FILE; both made absolute; OUT and BP_RUN created; log()
bench_init() {
	MILTER=${ES_MILTER:-./milter/esafety-milter}
	[ -x "$MILTER" ] || { echo "$1: $MILTER not built (run from the build dir, or set ES_MILTER)" >&2; exit 2; }
	[ -e "$BP/$2" ] || { echo "$1: no bench-peers at $BP (use -b)" >&2; exit 2; }
	BP=$(cd "$BP" && pwd)
	MILTER=$(cd "$(dirname "$MILTER")" && pwd)/$(basename "$MILTER")
	export BP_RUN=${BP_RUN:-/tmp/esafety-bench/bp-run}
	mkdir -p "$OUT" "$BP_RUN"
}

# log MESSAGE - timestamped, to stderr and OUT/run.log
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log" >&2; }

# bench_corpus N - CORPUS (default OUT/corpus) made with corpus.py -n N if it
# has no manifest yet, then made absolute
bench_corpus() {
	[ -n "$CORPUS" ] || CORPUS="$OUT/corpus"
	[ -f "$CORPUS/manifest.json" ] || python3 "$BP/corpus.py" -n "$1" -o "$CORPUS" >/dev/null
	CORPUS=$(cd "$CORPUS" && pwd)
}

# bench_wait_tcp PORT SECONDS PID - wait until 127.0.0.1:PORT accepts; fail early if PID died
bench_wait_tcp() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# bench_wait_unix PATH SECONDS PID - wait until a unix socket at PATH accepts, while PID lives
bench_wait_unix() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		[ -S "$1" ] && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# bench_stop PID - TERM a process we started, KILL it after 20 s, reap it
bench_stop() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for ((i = 0; i < 200; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# bench_select_100k CORPUS DIR - link the 80-130 KB messages with an attachment (no EICAR) into DIR
bench_select_100k() {
	mkdir -p "$2"
	python3 - "$1" "$2" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
msgs = json.load(open(os.path.join(src, "manifest.json")))["messages"]
sel = [m for m in msgs if m["attachments"] and 80000 <= m["bytes"] <= 130000 and not m["eicar"]]
if not sel:
    sys.exit("peers.sh: the corpus has no 80-130 KB message with an attachment; use a bigger -K")
for m in sel:
    d = os.path.join(dst, m["file"])
    if not os.path.exists(d):
        os.symlink(os.path.join(src, m["file"]), d)
PY
}

# bench_es_config DIR VARIANT PORT - write DIR/esafety.conf: VARIANT is "all" or the one
# detector left on (language, personal_data, pupil_data, virus); the key file is made too.
# PORT is a TCP port on loopback, or a unix socket's path (it starts with /).
# Every corpus domain is the school's, so the whole pipeline and policy run.
bench_es_config() {
	local d=$1 v=$2 port=$3 det off=()
	mkdir -p "$d/q" "$d/rules.d" "$d/tmp"
	for det in language personal_data pupil_data clamav; do
		[ "$v" = all ] || [ "$det" = "$v" ] || { [ "$det" = clamav ] && [ "$v" = virus ]; } || off+=("$det")
	done
	bench_write_config "$d" "$port" "${off[@]}"
	"$MILTER" -k -c "$d/esafety.conf" >/dev/null 2>&1 || true
	if ! "$MILTER" -n -c "$d/esafety.conf" > "$d/check.out" 2>&1; then
		# [pupil_data] enabled may not exist (yet): then pupil_data stays on in every row
		grep -q '\[pupil_data\]' "$d/check.out" || return 1
		local o2=()
		for det in "${off[@]}"; do [ "$det" = pupil_data ] || o2+=("$det"); done
		bench_write_config "$d" "$port" "${o2[@]}"
		echo "pupil_data cannot be switched off: it stays on" > "$d/note"
		"$MILTER" -k -c "$d/esafety.conf" >/dev/null
		"$MILTER" -n -c "$d/esafety.conf" > "$d/check.out" 2>&1 || return 1
	fi
}

# bench_scratch - a tmpfs folder for what the virus scanners unpack, as the
# [clamav] tmpdir documentation recommends; clamd gets the same one
bench_scratch() {
	local d=/dev/shm/esafety-bench
	mkdir -p "$d" && chmod 700 "$d" && echo "$d"
}

# bench_write_config DIR PORT [SECTION...] - the config, with [SECTION] enabled = no for each;
# PORT as bench_es_config's
bench_write_config() {
	local d=$1 port=$2 s
	shift 2
	{
		case "$port" in
		# mode 0666: the private Postfix's smtpd runs as postfix (as bench-peers' peers)
		/*) printf '[milter]\nsocket = unix:%s\nsocket_mode = 0666\n' "$port" ;;
		*) printf '[milter]\nsocket = inet:%s@127.0.0.1\n' "$port" ;;
		esac
		cat <<EOF
# root: the bench's scratch directories are root's
user = root
pidfile = $d/milter.pid
log_level = notice
# a notice costs a process, as with sendmail, but goes nowhere (no system MTA here)
notice_command = /bin/sh -c "cat > /dev/null"
rules_dir = $top_srcdir/rules
local_rules_dir = $d/rules.d
tmpdir = $d/tmp
[quarantine]
root = $d/q
hmac_key_file = $d/hmac.key
[clamav]
database = $top_srcdir/tests/fixtures/clamav
tmpdir = $(bench_scratch)
$(for s in "$@"; do [ "$s" = clamav ] && echo "enabled = no"; done)
[school:bench]
domains = example.com, example.net, example.org, shop.test, billing.test
esafety_mailbox = esafety@example.org
pupils = *@example.org, *@shop.test
staff = *@example.com, *@example.net, *@billing.test
EOF
		for s in "$@"; do [ "$s" = clamav ] || printf '[%s]\nenabled = no\n' "$s"; done
	} > "$d/esafety.conf"
}

# bench_clamav_start DIR SIGDIR - clamd + clamav-milter as bench-peers sets them up
# (same options), but loading the signatures in SIGDIR; writes DIR/peer.env
bench_clamav_start() {
	local d=$1 mport=${CLAMAV_MILTER_PORT:-7357} cport=${CLAMD_PORT:-3310}
	mkdir -p "$d/db"
	cp "$2"/*.[hn]db "$d/db/"
	cat > "$d/clamd.conf" <<EOF
TCPSocket $cport
TCPAddr 127.0.0.1
Foreground yes
DatabaseDirectory $d/db
LogFile $d/clamd.log
PidFile $d/clamd.pid
TemporaryDirectory $(bench_scratch)
MaxThreads 12
MaxConnectionQueueLength 30
StreamMaxLength 25M
SelfCheck 0
DisableCache yes
ScanMail yes
ScanArchive yes
ScanPDF yes
ScanOLE2 yes
ScanHTML yes
PhishingSignatures yes
Bytecode no
EOF
	cat > "$d/clamav-milter.conf" <<EOF
MilterSocket inet:$mport@127.0.0.1
ClamdSocket tcp:127.0.0.1:$cport
Foreground yes
PidFile $d/clamav-milter.pid
ReadTimeout 120
OnClean Accept
OnInfected Reject
OnFail Defer
AddHeader Replace
LogFile $d/clamav-milter.log
LogInfected Basic
MaxFileSize 25M
TemporaryDirectory /tmp
EOF
	clamd -c "$d/clamd.conf" > "$d/clamd.out" 2>&1 &
	echo $! > "$d/clamd.bpid"
	bench_wait_tcp "$cport" 120 "$(cat "$d/clamd.bpid")" || return 1
	clamav-milter -c "$d/clamav-milter.conf" > "$d/clamav-milter.out" 2>&1 &
	echo $! > "$d/milter.bpid"
	bench_wait_tcp "$mport" 60 "$(cat "$d/milter.bpid")" || return 1
	printf 'MILTER_SOCKET=inet:%s@127.0.0.1\nPIDS=%s,%s\n' "$mport" \
		"$(cat "$d/milter.bpid")" "$(cat "$d/clamd.bpid")" > "$d/peer.env"
}

# bench_clamav_stop DIR - stop the two daemons bench_clamav_start started
bench_clamav_stop() {
	local f
	for f in milter clamd; do [ -f "$1/$f.bpid" ] && bench_stop "$(cat "$1/$f.bpid")"; done
	rm -f "$1"/*.bpid
}
