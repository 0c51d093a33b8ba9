#!/bin/bash
# browser.sh - the quarantine UI in a real browser: Debian's chromium driven
# by playwright-core (installed from npm into tests/ui/node_modules here).
# Releases go through a private Postfix (tests/lib/postfix.sh) and must reach
# the recipient's Maildir. Screenshots land in tests/ui/screenshots/ of the
# build tree. TAP.
UI_PORT=10310 SINK_PORT=10311 NO_SINK=1
. "$top_srcdir/tests/ui/lib.sh"
. "$top_srcdir/tests/lib/postfix.sh"
for tool in node npm /usr/bin/chromium; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! missing $tool"; exit 1; }
done

# playwright-core from the lock file, into the source tree's tests/ui (a
# build-tree copy would do as well; node resolves from the script's folder)
NODE_DIR="$top_builddir/tests/ui/node"
mkdir -p "$NODE_DIR"
cp "$top_srcdir/tests/ui/package.json" "$top_srcdir/tests/ui/package-lock.json" \
   "$top_srcdir/tests/ui/browser.mjs" "$NODE_DIR/"
if [ ! -d "$NODE_DIR/node_modules/playwright-core" ]; then
	(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1) ||
		{ echo "Bail out! npm ci failed: $(tail -5 "$T/npm.log")"; exit 1; }
fi

ui_setup
# released mail goes to the private Postfix on SINK_PORT instead of the sink
pf_start "$SINK_PORT" || { echo "Bail out! private Postfix did not start"; exit 1; }
trap 'pf_stop; ui_cleanup' EXIT
ui_adduser lead1 lead north >/dev/null 2>&1
ui_adduser gov1 governor >/dev/null 2>&1

cat > "$T/held.eml" <<'MSG'
From: Stranger <stranger@external.example>
To: amy@pupils.school.example
Subject: meet me after school <b>alone</b>
Date: Mon, 23 Nov 2026 09:00:00 +0000
Message-ID: <held-1@external.example>

Hi, you seem really mature for your age. Don't tell your parents about
our chats, delete these messages. Send me a photo and meet me alone.
MSG
ID1=$(ui_store --school north --from stranger@external.example --to amy@pupils.school.example \
	--verdict hold --reason grooming-inbound-pupil \
	--finding "language:grooming:5:1:grooming-secrecy:Don't tell your parents" \
	--finding 'language:grooming:4:1:grooming-meet:meet me alone' "$T/held.eml")
printf 'From: a@pupils.school.example\nTo: b@pupils.school.example\nSubject: you are so stupid\n\nyou are so stupid, nobody likes you\n' > "$T/bully.eml"
for i in 1 2 3; do
	ui_store --school north --from a@pupils.school.example --to b@pupils.school.example --verdict copy \
		--role pupil --finding 'language:bullying:3:1:bully-stupid:so stupid' "$T/bully.eml" >/dev/null
done
printf 'From: t@school.example\nTo: x@external.example\nSubject: class list\n\nUPN A123456789012\n' > "$T/pd.eml"
ui_store --school north --from t@school.example --to x@external.example --verdict reject --role staff \
	--finding 'pupil_data:pupil_data:4:1:upn-list:UPN A12…' "$T/pd.eml" >/dev/null
ui_start
ui_wait_indexed "$ID1" || { echo "Bail out! not indexed"; exit 1; }

SHOTS="$top_builddir/tests/ui/screenshots"
mkdir -p "$SHOTS"
node "$NODE_DIR/browser.mjs" "$BASE" "$ID1" "$SHOTS" "$T/chromium-profile" > "$T/node.out" 2>"$T/node.err"
rc=$?
cat "$T/node.out"
[ $rc = 0 ] || { echo "# node failed ($rc):"; sed 's/^/# /' "$T/node.err"; }
n=$(grep -c '^\(not \)\?ok ' "$T/node.out")

# the release must have reached the recipient's Maildir through Postfix
n=$((n + 1))
if pf_wait_mail amy@pupils.school.example 1 30; then
	f=$(pf_mailfile amy@pupils.school.example 1)
	if grep -q "^X-ESafety-Release: $ID1\." "$f" && grep -q 'meet me alone' "$f"; then
		echo "ok $n - the released message arrived in the recipient's Maildir with its release token"
	else
		echo "not ok $n - the delivered message is not the released one"; rc=1
	fi
else
	echo "not ok $n - the released message did not arrive in the recipient's Maildir"; rc=1
	tail -12 "$PF_DIR/maillog" | sed 's/^/# /'
fi
for s in inbox incident report; do
	n=$((n + 1))
	if [ -s "$SHOTS/$s.png" ]; then echo "ok $n - screenshot $s.png saved"; else echo "not ok $n - no $s.png"; rc=1; fi
done
echo "1..$n"
exit $rc
