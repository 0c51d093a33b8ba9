#!/bin/bash
# reload-daemon.sh - reload under load in the real daemon: while a milter
# client sends EICAR mail without pause, the database directory is replaced
# twice (the watcher reloads), then corrupted, then the daemon gets SIGHUP.
# Every message must get its verdict (reject, never tempfail), each new
# signature must be live after its swap, and a corrupt database must leave
# the old engine scanning.
set -u
. "$top_srcdir/tests/lib/milter.sh"
n=0
failed=0
t() {	# t STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
command -v miltertest > /dev/null || { echo "not ok 1 - miltertest is installed"; echo "1..1"; exit 1; }

ms_setup "unix:@DIR@/milter.sock" "clamav|database = @DIR@/db" "clamav|check_interval = 200ms"
trap ms_cleanup EXIT
db="$MS_DIR/db"
log="$MS_DIR/milter.log"
mkdir "$db"

# write_db N [corrupt] - EICAR + marker N, replaced the way freshclam does it
write_db() {
	local hex
	hex=$(printf 'ESAFETY-RELOAD-MARKER-%s' "$1" | od -An -tx1 | tr -d ' \n')
	{
		grep '^Es.Test.EICAR:' "$top_srcdir/tests/fixtures/clamav/es-test.ndb"
		echo "Es.Test.Marker$1:0:*:$hex"
		[ -n "${2:-}" ] && echo "Es.Test.Broken:0:*:zz-not-hex"
	} > "$db/.es-test.ndb.tmp"
	mv "$db/.es-test.ndb.tmp" "$db/es-test.ndb"
}
loads() { grep -c 'clamav: database .* loaded' "$log"; }
# wait_more COUNT-FUNCTION ABOVE - up to 30 s for a log count to pass ABOVE
wait_more() {
	local i
	for i in $(seq 1 300); do
		[ "$($1)" -gt "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
mt_run() { miltertest -D "sock=unix:$MS_DIR/milter.sock" -D "top_srcdir=$top_srcdir" -D "dir=$MS_DIR" "$@"; }
# marker N QID - send the marker N message; 0 if it was refused as Es.Test.MarkerN
marker() {
	mt_run -D "marker=$1" -D "qid=$2" -s "$top_srcdir/tests/virus/reload-load.lua" > /dev/null 2>&1
	sleep 0.2
	grep -qE "$2: .*action=reject.*virus=Es.Test.Marker$1" "$log"
}

write_db 1
if ! ms_start; then echo "not ok 1 - esafety-milter started"; echo "1..1"; exit 1; fi
marker 1 MARK00001
t $? "marker 1 refused before any swap"

mt_run -s "$top_srcdir/tests/virus/reload-load.lua" > "$MS_DIR/load.out" 2>&1 &
client=$!
sleep 1
before=$(loads)
write_db 2
wait_more loads "$before"
t $? "first swap: the watcher reloaded the database"
marker 2 MARK00002 && ! marker 1 MARK00003
t $? "first swap: marker 2 live, marker 1 gone"
before=$(loads)
write_db 3
wait_more loads "$before"
t $? "second swap: reloaded again"
marker 3 MARK00004
t $? "second swap: marker 3 live"

failures_before=$(grep -c 'clamav: reload failed' "$log")
write_db 4 corrupt
count_failures() { grep -c 'clamav: reload failed' "$log"; }
wait_more count_failures "$failures_before"
t $? "corrupt database: the reload fails and is logged"
marker 3 MARK00005 && ! marker 4 MARK00006
t $? "corrupt database: the old engine (marker 3) still scans"

before=$(loads)
hups() { grep -c 'reloaded configuration' "$log"; }
hup_before=$(hups)
write_db 5
ms_reload
wait_more hups "$hup_before" && wait_more loads "$before"
t $? "SIGHUP under load: configuration and database reloaded"
sleep 1
touch "$MS_DIR/stop"
wait "$client"
t $? "the client finished without a protocol error"
sent=$(cat "$MS_DIR/sent" 2>/dev/null || echo 0)
rejected=$(grep -cE 'LOAD[0-9]+: esafety: .*action=reject.*virus=Es.Test.EICAR' "$log")
echo "# $sent messages sent during the reloads, $rejected refused as EICAR"
[ "$sent" -gt 0 ] && [ "$rejected" -eq "$sent" ]
t $? "every message sent during the reloads was refused as EICAR ($rejected of $sent)"
! grep -qE 'LOAD[0-9]+: .*action=tempfail' "$log"
t $? "none was tempfailed"
marker 5 MARK00007
t $? "marker 5 live after SIGHUP"
[ "$failed" -eq 0 ] || grep -v "LOAD[0-9]" "$log" | sed "s/^/#   /" | tail -60
echo "1..$n"
[ "$failed" -eq 0 ]
