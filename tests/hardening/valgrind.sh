#!/bin/bash
# valgrind.sh - the milter path runs clean under valgrind memcheck: the
# daemon in the foreground under valgrind, one message through every action
# with miltertest (accept, copy, reject, hold, virus, forged headers, spill to
# a file, oversize, an aborted transaction, a quarantine that cannot be
# written, a reload that turns hold into discard) and legacy Excel and PDF
# attachments (the recipes' fixtures), then SIGTERM. Any memory
# error or definite leak makes valgrind exit non-zero (--error-exitcode).
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
command -v valgrind > /dev/null || bail "valgrind is missing (Debian package valgrind)"
command -v miltertest > /dev/null || bail "miltertest is missing (Debian package miltertest)"
ms_setup "unix:@DIR@/milter.sock" "milter|memory_buffer = 4K" "milter|max_message_size = 256K" \
	"milter|on_oversize = tempfail" || bail "milter config"
trap ms_cleanup EXIT
python3 "$top_srcdir/tests/pupil_data/mkfixtures.py" "$MS_DIR/fx" > /dev/null || bail "fixtures (mkfixtures.py)"
vlog="$MS_DIR/valgrind.log"

# start under valgrind; it is slow to start (libclamav, the rule sets)
valgrind --tool=memcheck --error-exitcode=42 --leak-check=full --show-leak-kinds=definite \
	--errors-for-leak-kinds=definite --num-callers=30 --log-file="$vlog" \
	"$top_builddir/milter/esafety-milter" -f -c "$MS_CONF" >> "$MS_DIR/milter.log" 2>&1 &
MS_PID=$!
for _ in $(seq 1 1800); do
	grep -q "listening on" "$MS_DIR/milter.log" 2>/dev/null && break
	kill -0 "$MS_PID" 2>/dev/null || break
	sleep 0.1
done
grep -q "listening on" "$MS_DIR/milter.log"
ok $? "esafety-milter listens under valgrind" || true

# mt PHASE - run actions.lua's PHASE; ok when all its checks passed
mt() {
	miltertest -D "sock=unix:$MS_DIR/milter.sock" -D "top_srcdir=$top_srcdir" -D "dir=$MS_DIR" \
		-D "phase=$1" -s "$top_srcdir/tests/hardening/actions.lua" > "$MS_DIR/mt-$1.out" 2>&1
	local st=$?
	grep -E '^(not )?ok ' "$MS_DIR/mt-$1.out" | sed 's/^/# /'
	[ $st -eq 0 ] || sed 's/^/#   /' "$MS_DIR/mt-$1.out"
	return $st
}
mt main; ok $? "every action answered as the policy says (accept, copy, reject, hold, virus, forged, spill, oversize, abort)"

# the fault store-retry.sh uses: a file where the quarantine directory should be
mv "$MS_DIR/quarantine" "$MS_DIR/quarantine.ok" && touch "$MS_DIR/quarantine"
mt store-error; ok $? "quarantine cannot be written: tempfail"
rm "$MS_DIR/quarantine" && mv "$MS_DIR/quarantine.ok" "$MS_DIR/quarantine"

sed -i '/^\[school:school\]/a hold_to_mailbox = no' "$MS_CONF"
kill -HUP "$MS_PID"
for _ in $(seq 1 600); do grep -q "reloaded configuration" "$MS_DIR/milter.log" && break; sleep 0.1; done
grep -q "reloaded configuration" "$MS_DIR/milter.log"; ok $? "SIGHUP reload under valgrind"
mt discard; ok $? "the reloaded config is used: hold becomes discard"

kill -TERM "$MS_PID"
wait "$MS_PID"
st=$?
MS_PID=
is "$st" 0 "valgrind: no memory error and no definite leak (exit status)"
[ "$st" -eq 0 ] || grep -E '^==[0-9]+== ' "$vlog" | grep -vE '^==[0-9]+== *$' | head -80 | sed 's/^/#   /'
grep -q "ERROR SUMMARY: 0 errors" "$vlog"; ok $? "valgrind's summary: 0 errors"
done_testing
