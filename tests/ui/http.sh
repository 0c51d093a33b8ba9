#!/bin/bash
# http.sh - every route of esafety-quarantine over real HTTP (curl): login
# redirects, school separation (403), CSRF (403), traversal (404), inert XSS,
# decisions, CSV export, downloads, release through SMTP, delete, reports,
# audit log, login throttling, index freshness, retention purge. TAP.
UI_PORT=${ESQ_PORT_BASE:-10300} SINK_PORT=$((UI_PORT + 1)) TLS_PORT=$((UI_PORT + 2))
. "$top_srcdir/tests/ui/lib.sh"
n=0 failed=0
# t COND-STATUS NAME - one TAP line from the exit status of the previous command
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi; }
# is GOT WANT NAME
is() { [ "$1" = "$2" ]; t $? "$3"; [ "$1" = "$2" ] || echo "#   got '$1', want '$2'"; }
# has FILE TEXT NAME / hasnt FILE TEXT NAME
has() { grep -qF -- "$2" "$1"; t $? "$3"; }
hasnt() { ! grep -qiF -- "$2" "$1"; t $? "$3"; }

ui_setup
ui_adduser lead1 lead north >/dev/null 2>&1
ui_adduser lead2 lead south >/dev/null 2>&1
ui_adduser admin1 admin >/dev/null 2>&1
ui_adduser gov1 governor >/dev/null 2>&1

# XSS in subject, body (HTML part), attachment filename and sender
cat > "$T/xss.eml" <<'MSG'
From: "<img src=x onerror=alert(4)>" <evil@external.example>
To: pupil1@pupils.school.example
Subject: <script>alert(1)</script> you are stupid
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/html; charset=utf-8

<p>you are stupid <img src=x onerror=alert(2)> &lt;script&gt;alert(5)&lt;/script&gt;</p>
--b1
Content-Type: text/plain; name="\"><svg onload=alert(3)>.txt"
Content-Disposition: attachment; filename="\"><svg onload=alert(3)>.txt"

attachment body ATTACHMENT-MARKER
--b1--
MSG
ID1=$(ui_store --school north --from 'evil@external.example' \
	--to pupil1@pupils.school.example --verdict hold \
	--finding 'language:bullying:4:1:bully-stupid:stupid' "$T/xss.eml")
printf 'From: a@south.example\nTo: b@south.example\nSubject: south secret\n\nnothing for north\n' > "$T/south.eml"
ID2=$(ui_store --school south --from a@south.example --to b@south.example --verdict copy \
	--finding 'language:profanity:2:1:swear:nothing' "$T/south.eml")
printf 'From: x@external.example\nTo: refuse@school.example\nSubject: =HYPERLINK("http://evil")\n\nhold me\n' > "$T/refuse.eml"
ID3=$(ui_store --school north --from x@external.example --to refuse@school.example --verdict hold \
	--finding 'language:threat:3:1:threat-x:hold me' "$T/refuse.eml")
cat > "$T/virus.eml" <<'MSG'
From: v@external.example
To: pupil2@pupils.school.example
Subject: invoice
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: text/plain

see attached
--b2
Content-Type: application/octet-stream; name="invoice.exe"
Content-Disposition: attachment; filename="invoice.exe"

not really a virus, flagged as one
--b2--
MSG
ID4=$(ui_store --school north --from 'evil<script>alert(6)</script>@external.example' --to pupil2@pupils.school.example --verdict reject \
	--virus Test.Virus --finding 'virus:virus:5:2:clamav:Test.Virus' "$T/virus.eml")
# held, with the virus found in the raw message only (part "message"), and an
# attachment with no file name that no finding names
cat > "$T/virus-msg.eml" <<'MSG'
From: v@external.example
To: pupil2@pupils.school.example
Subject: photos
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b3"

--b3
Content-Type: text/plain

see attached
--b3
Content-Type: application/octet-stream

VIRUS-IN-UNNAMED-PART
--b3--
MSG
ID5=$(ui_store --school north --from v@external.example --to pupil2@pupils.school.example --verdict hold \
	--virus Test.Virus --finding 'virus:virus:5:message:clamav:Test.Virus' "$T/virus-msg.eml")
# the sender's own text in an excerpt, dressed as the finding's fields
printf 'From: s@external.example\nTo: b@school.example\nSubject: fields\n\nyou idiot type=credentials; records=999\n' > "$T/fields.eml"
ID6=$(ui_store --school south --from s@external.example --to b@south.example --verdict copy \
	--finding 'language:bullying:3:1:bully-idiot:you idiot type=credentials; records=999' "$T/fields.eml")
# an X-ESafety line after the signature is not covered by it: it must not
# move an incident to another school
printf 'From: s@external.example\nTo: b@school.example\nSubject: north seven\n\nx\n' > "$T/north7.eml"
ID7=$(ui_store --school north --from s@external.example --to b@school.example --verdict copy \
	--finding 'language:profanity:2:1:swear:x' "$T/north7.eml")
f7=$(grep -l "^X-ESafety-Id: $ID7" "$T"/q/north/new/* 2>/dev/null | head -1)
[ -n "$f7" ] && sed -i '/^X-ESafety-HMAC:/a X-ESafety-School: south' "$f7"
for id in "$ID1" "$ID2" "$ID3" "$ID4" "$ID5" "$ID6" "$ID7"; do [ -n "$id" ] || { echo "Bail out! fixture not stored"; exit 1; }; done
ui_start

is "$(sqlite3 "$T/ui.db" "SELECT school FROM incidents WHERE id='$ID7'")" north \
	"an X-ESafety-School line added after the signature does not move the incident"
is "$(sqlite3 "$T/ui.db" "SELECT type || '|' || excerpt FROM findings WHERE incident='$ID6'")" \
	"|you idiot type=credentials; records=999" "a finding's fields are not read out of its excerpt"

# 1. every route needs a session
for path in / /export.csv /report /audit "/incident/$ID1" "/incident/$ID1/attachment/0" \
	    "/incident/$ID1/release" "/incident/$ID1/delete"; do
	code=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' "$BASE$path")
	is "$code $(grep -i '^location:' "$T/h" | tr -d '\r' | cut -d' ' -f2)" "303 /login" "GET $path without a session redirects to login"
done
for path in "/incident/$ID1/decision" "/incident/$ID1/release" "/incident/$ID1/delete" /logout; do
	code=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' --data 'status=actioned' "$BASE$path")
	is "$code $(grep -i '^location:' "$T/h" | tr -d '\r' | cut -d' ' -f2)" "303 /login" "POST $path without a session redirects to login"
done
is "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/static/ui.css")" 200 "the stylesheet is served without a session"

# 2. login: CSRF, wrong password, cookie flags, CSP
is "$(curl -s -o /dev/null -w '%{http_code}' --data 'user=lead1&password=lead1-password' "$BASE/login")" 403 "login without its CSRF token is refused"
is "$(ui_login lead1 wrong-password)" 401 "wrong password is refused"
is "$(ui_login lead1)" 303 "lead1 logs in"
grep -i '^set-cookie: esq_session' "$T/lead1.jar" >/dev/null 2>&1 || true
code=$(ui_get lead1 /)
is "$code" 200 "lead1 sees the inbox"
csp=$(grep -i '^content-security-policy:' "$T/headers")
echo "$csp" | grep -q "script-src 'self'" && ! echo "$csp" | grep -q "unsafe-inline"; t $? "strict CSP on pages (no unsafe-inline)"
tok=$(curl -s -c "$T/x.jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -o /dev/null -D "$T/h" -b "$T/x.jar" --data-urlencode "csrf=$tok" --data 'user=lead2&password=lead2-password' "$BASE/login"
grep -i '^set-cookie: esq_session=[0-9a-f]' "$T/h" | grep -i 'HttpOnly' | grep -qi 'SameSite=Strict'; t $? "session cookie is HttpOnly and SameSite=Strict"
ui_login lead2 >/dev/null

# 3. school separation
ui_get lead1 / >/dev/null
has "$T/body" "/incident/$ID1" "north's lead sees north's incident"
hasnt "$T/body" "$ID2" "north's lead does not see south's incident in the inbox"
is "$(ui_get lead1 "/incident/$ID2")" 403 "north's lead gets 403 for south's incident"
is "$(ui_get lead1 "/incident/$ID2/attachment/0")" 403 "... and for its attachments"
is "$(ui_get lead1 "/incident/$ID2/release")" 403 "... and for its release page"
csrf1=$(ui_csrf lead1)
is "$(ui_post lead1 "/incident/$ID2/decision" "csrf=$csrf1" status=actioned)" 403 "... and cannot record a decision on it"
is "$(ui_post lead1 "/incident/$ID2/delete" "csrf=$csrf1" confirm=yes)" 403 "... nor delete it"
is "$(ui_get lead2 "/incident/$ID1")" 403 "south's lead gets 403 for north's incident"
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit WHERE user='lead1' AND action='denied' AND incident='$ID2'")" 5 \
	"each of north's lead's five tries at south's incident is audited as denied"
sqlite3 "$T/ui.db" "SELECT detail FROM audit WHERE user='lead1' AND action='denied'" | grep -q "^POST /incident/$ID2/delete: "
ok $? "... naming the request"
grep -q "audit: user=lead1 ip=[^ ]* action=denied incident=$ID2" "$T/ui.log"; ok $? "... and logged"
ui_get lead1 /export.csv >/dev/null
hasnt "$T/body" "south secret" "the CSV export of north has nothing of south"

# 4. CSRF on every state change
is "$(ui_post lead1 "/incident/$ID1/decision" status=actioned)" 403 "decision without CSRF token: 403"
is "$(ui_post lead1 "/incident/$ID1/decision" csrf=0000 status=actioned)" 403 "decision with a wrong CSRF token: 403"
is "$(ui_post lead1 "/incident/$ID1/release" confirm=yes)" 403 "release without CSRF token: 403"
is "$(ui_post lead1 "/incident/$ID1/delete" confirm=yes)" 403 "delete without CSRF token: 403"
is "$(ui_post lead1 /logout x=1)" 403 "logout without CSRF token: 403"
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit WHERE user='lead1' AND action='denied' AND detail LIKE '%CSRF%'")" 5 \
	"each request without a valid CSRF token is audited as denied"
[ -z "$(ls "$T/sink")" ]; t $? "nothing was released by the refused requests"

# 5. traversal
for path in /static/../../../../etc/passwd /static/..%2f..%2f..%2fetc%2fpasswd /static/ui.css/.. \
	    /incident/../../../etc/passwd "/incident/..%2f..%2fetc%2fpasswd" "/incident/$ID1/attachment/../../../etc/passwd" \
	    "/incident/$ID1/../../../../etc/passwd" /%2e%2e/%2e%2e/etc/passwd "/incident/$(echo "$ID1" | tr a-f A-F)" /nosuchpage; do
	code=$(ui_get lead1 "$path")
	! grep -q 'root:' "$T/body"; is "$code $?" "404 0" "traversal $path: 404, nothing leaked"
done

# 6. XSS rendered inert
ui_get lead1 "/incident/$ID1" >/dev/null
for bad in '<script>alert(1)' '<img src=x onerror' '<svg onload' '<script>alert(5)' '<script>alert(6)'; do
	hasnt "$T/body" "$bad" "incident page: '$bad' does not appear as markup"
done
has "$T/body" '&lt;script&gt;alert(1)&lt;/script&gt;' "the subject is shown, escaped"
has "$T/body" '&quot;&gt;&lt;svg onload=alert(3)&gt;.txt' "the attachment's name is shown, escaped"
has "$T/body" '<mark class="sev4"' "the finding is highlighted in the text"
has "$T/body" '<tr><th>From</th><td>&quot;&lt;img src=x onerror=alert(4)&gt;&quot; &lt;evil@external.example&gt;</td></tr>' "the From header is shown, escaped"
has "$T/body" 'This quarantine holds 1 incident from this sender' "the sender's history from the index (no Redis configured)"
ui_get lead1 / >/dev/null
hasnt "$T/body" '<script>alert' "inbox: subject and sender are escaped"
has "$T/body" 'incidents from the sender in 30 days in this quarantine' "without Redis, repeat senders are marked from the index, as the page says"
hasnt "$T/body" 'reputation-fallback' "... which is no failure: no fallback notice"
has "$T/body" 'evil&lt;script&gt;alert(6)&lt;/script&gt;@external.example' "inbox shows the sender escaped"

# 7. decisions and history
is "$(ui_post lead1 "/incident/$ID1/decision" "csrf=$csrf1" status=actioned 'outcome=spoken to pupil' 'notes=<b>talked</b> to them')" 303 "a decision is recorded"
ui_get lead1 "/incident/$ID1" >/dev/null
has "$T/body" '<strong id="current-status">actioned</strong>' "the incident shows the new status"
has "$T/body" '<td>lead1</td><td>actioned</td><td>spoken to pupil</td><td>&lt;b&gt;talked&lt;/b&gt; to them</td>' "history says who decided what (notes escaped)"
is "$(ui_post lead1 "/incident/$ID1/decision" "csrf=$csrf1" status=bogus)" 400 "an unknown status is refused"
# another process holds the database past the UI's busy timeout (5 s): the
# decision is refused as not saved, never reported as saved and lost
/usr/bin/python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close(); time.sleep(8)' "$T/ui.db" "$T/locked" & locker=$!
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
is "$(ui_post lead1 "/incident/$ID1/decision" "csrf=$csrf1" 'status=false positive' 'outcome=no action')" 503 \
	"a decision the database cannot take now is answered 503"
has "$T/body" 'NOT saved' "... saying it was not saved"
wait "$locker"
is "$(sqlite3 "$T/ui.db" "SELECT status FROM review WHERE incident='$ID1'")" actioned "... and the status is unchanged"
is "$(sqlite3 "$T/ui.db" "SELECT action FROM audit WHERE incident='$ID1' ORDER BY seq DESC LIMIT 1")" decision-failed \
	"... and the audit log says it failed"
ui_get lead1 '/?status=actioned' >/dev/null
has "$T/body" "$ID1" "the status filter finds it"
ui_get lead1 '/?status=new' >/dev/null
hasnt "$T/body" "/incident/$ID1\"" "... and excludes it under another status"
ui_get lead1 '/?q=HYPERLINK' >/dev/null
has "$T/body" "$ID3" "search finds a subject"
ui_get lead1 '/?category=virus' >/dev/null
has "$T/body" "$ID4" "category filter finds the virus"

# 8. CSV export
is "$(ui_get lead1 /export.csv)" 200 "CSV export"
grep -qi '^content-disposition: attachment' "$T/headers"; t $? "... is a download"
has "$T/body" '"id","time_utc","school"' "... has a header line"
grep -F "\"$ID1\"" "$T/body" | grep -qF '"actioned","spoken to pupil"'; t $? "... carries the decision"
has "$T/body" "\"'=HYPERLINK" "... defuses a formula in a subject"

# 9. attachments: warning first, never a virus
is "$(ui_get lead1 "/incident/$ID1/attachment/0")" 200 "attachment link shows a warning page first"
has "$T/body" 'may contain harmful content' "... which warns"
is "$(ui_get lead1 "/incident/$ID1/attachment/0?confirm=yes")" 200 "after confirming, the attachment downloads"
has "$T/body" ATTACHMENT-MARKER "... with its content"
grep -i '^content-disposition: attachment; filename="[A-Za-z0-9._-]*"' "$T/headers" >/dev/null; t $? "... under a harmless file name"
is "$(ui_get lead1 "/incident/$ID4/attachment/0?confirm=yes")" 403 "a virus-flagged attachment never downloads"
is "$(sqlite3 "$T/ui.db" "SELECT group_concat(action) FROM audit WHERE incident = '$ID4'")" download-refused \
	"... audited once, as download-refused (not also as denied)"
is "$(ui_get lead1 "/incident/$ID5/attachment/0?confirm=yes")" 403 "a virus found in the raw message blocks every attachment of it"
hasnt "$T/body" VIRUS-IN-UNNAMED-PART "... and none of its bytes are sent"
ui_get lead1 "/incident/$ID5" >/dev/null; hasnt "$T/body" "/incident/$ID5/attachment/0\"" "... nor is a download link offered"
is "$(ui_post lead1 "/incident/$ID5/release" "csrf=$csrf1" confirm=yes)" 403 "a held message with a virus cannot be released"
is "$(ui_get lead1 "/incident/$ID1/attachment/9")" 404 "an attachment number past the end: 404"

# 10. release through SMTP with the one-time token
is "$(ui_get lead1 "/incident/$ID1/release")" 200 "release asks for confirmation"
[ -z "$(ls "$T/sink")" ]; t $? "... and sends nothing yet"
is "$(sqlite3 "$T/ui.db" "SELECT detail FROM audit WHERE user='lead1' AND incident='$ID1' ORDER BY seq DESC LIMIT 1")" \
	"release confirmation" "the confirmation page (subject, sender, recipients) is audited as a view"
is "$(ui_post lead1 "/incident/$ID1/release" "csrf=$csrf1" confirm=yes)" 200 "confirmed release succeeds"
has "$T/body" 'The mail server accepted the message' "... and says so"
has "$T/body" '250 2.0.0 queued as SINK1' "... quoting the MTA"
has "$T/sink/1.eml" 'X-Sink-To: pupil1@pupils.school.example' "released to the original recipient"
grep -qE "^X-ESafety-Release: $ID1\.[0-9]+\.[0-9a-f]{64}"$'\r'"?$" "$T/sink/1.eml"; t $? "... with a release token for this incident"
[ "$(grep -c '^X-ESafety-' "$T/sink/1.eml")" = 1 ]; t $? "... and no other X-ESafety header"
has "$T/sink/1.eml" 'ATTACHMENT-MARKER' "... and the original content"
is "$(ui_post lead1 "/incident/$ID1/release" "csrf=$csrf1" confirm=yes)" 409 "a second release is refused"
is "$(ui_post lead1 "/incident/$ID3/release" "csrf=$csrf1" confirm=yes)" 502 "a release the MTA refuses is reported as failed"
has "$T/body" 'NOT released' "... truthfully"
has "$T/body" '550 5.1.1' "... with the MTA's answer"
ui_get lead1 "/incident/$ID3" >/dev/null
has "$T/body" 'Held for review' "... and the message is still held"

# a pupil's held message that went only to another school's pupils: that
# school's copy is the one to release; this one has no recipients
ID8=$(ui_store --school north --from pupil1@pupils.school.example --role pupil --verdict hold \
	--finding 'language:bullying:4:1:bully-stupid:stupid' "$T/refuse.eml")
ui_wait_indexed "$ID8" || echo "Bail out! $ID8 not indexed"
ui_get lead1 "/incident/$ID8" >/dev/null
has "$T/body" "went only to other schools' recipients" "a held copy with no recipients says the other schools decide"
hasnt "$T/body" 'id="release"' "... and offers no release button"
is "$(ui_post lead1 "/incident/$ID8/release" "csrf=$csrf1" confirm=yes)" 409 "its release is refused"
has "$T/body" 'no recipients to release to' "... saying why"
is "$(ls "$T/sink" | wc -l)" 1 "... and nothing is sent"

# 11. delete
is "$(ui_get lead1 "/incident/$ID3/delete")" 200 "delete asks for confirmation"
ls "$T/q/north/new" | grep -q "$ID3"; t $? "... and the file is still there"
is "$(ui_post lead1 "/incident/$ID3/delete" "csrf=$csrf1" confirm=yes)" 303 "confirmed delete"
! ls "$T/q/north/new" | grep -q "$ID3"; t $? "... removes the stored file"
ui_get lead1 "/incident/$ID3" >/dev/null
has "$T/body" 'This message was deleted' "... and the incident stays in the log, marked deleted"
# a held message whose file was removed outside the page: no release offered
ID9=$(ui_store --school north --from x@external.example --to pupil1@pupils.school.example --verdict hold \
	--finding 'language:threat:3:1:threat-x:hold me' "$T/refuse.eml")
ui_wait_indexed "$ID9" || echo "Bail out! $ID9 not indexed"
rm -f "$T/q/north/new/"*"$ID9"*
ui_get lead1 "/incident/$ID9" >/dev/null
has "$T/body" 'id="not-stored"' "a held message removed by hand: the page says it is no longer stored"
hasnt "$T/body" 'id="release"' "... and offers no release button"
is "$(ui_post lead1 "/incident/$ID9/release" "csrf=$csrf1" confirm=yes)" 410 "... and its release is answered 410 Gone"
is "$(ls "$T/sink" | wc -l)" 1 "... sending nothing"
# a delete the incident log cannot record (the database held past the busy
# timeout): the file is gone, and the page must not offer a release that can only fail
ID10=$(ui_store --school north --from x@external.example --to pupil1@pupils.school.example --verdict hold \
	--finding 'language:threat:3:1:threat-x:hold me' "$T/refuse.eml")
ui_wait_indexed "$ID10" || echo "Bail out! $ID10 not indexed"
rm -f "$T/locked"
/usr/bin/python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN EXCLUSIVE")
open(sys.argv[2], "w").close(); time.sleep(7)' "$T/ui.db" "$T/locked" & locker=$!
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
is "$(ui_post lead1 "/incident/$ID10/delete" "csrf=$csrf1" confirm=yes)" 303 "a delete while the database is locked removes the file"
wait "$locker"
! ls "$T/q/north/new" | grep -q "$ID10"; t $? "... the stored file is gone"
grep -q "incident $ID10: could not record that it was deleted" "$T/ui.log"; t $? "... and the failure to record it is logged"
ui_get lead1 "/incident/$ID10" >/dev/null
has "$T/body" 'id="not-stored"' "... and the page says the message is no longer stored"
hasnt "$T/body" 'id="release"' "... offering no release"

# 12. reports and the governor view
is "$(ui_get lead1 /report)" 200 "the lead's report"
has "$T/body" '<svg' "... has inline SVG charts"
has "$T/body" 'Repeat senders' "... and the lead's view lists repeat senders"
has "$T/body" 'id="no-year-groups"' "... and says that no incident has a year group"
for d in 9999-12-01 0001-01-01; do
	is "$(ui_get lead1 "/report?date=$d")" 200 "a report for $d (no next or previous month) is answered"
	hasnt "$T/body" '(null)' "... with real dates in it"
done
! grep -q CRITICAL "$T/ui.log"; t $? "... and GLib logged nothing critical"
is "$(ui_login gov1)" 303 "a governor logs in"
is "$(ui_get gov1 /)" 403 "a governor cannot see the inbox"
is "$(ui_get gov1 "/incident/$ID1")" 403 "... nor an incident"
is "$(ui_get gov1 /export.csv)" 403 "... nor the incident log"
is "$(ui_get gov1 '/report?period=term')" 200 "a governor sees the termly report"
has "$T/body" 'Anonymised: no names or addresses' "... marked anonymised"
hasnt "$T/body" '@' "... with no address anywhere"
hasnt "$T/body" 'Repeat senders' "... and no sender list"
has "$T/body" '>bullying</text>' "... with the categories charted"
has "$T/body" '<tr><td>virus</td><td>&lt;3</td><td>0</td><td>&ndash;</td></tr>' \
	"... small counts shown as fewer than 3, with no change that would give them away"
hasnt "$T/body" '<tr><td>virus</td><td>2</td>' "... not as the number"
has "$T/body" '<tr><td>threat</td><td>5</td><td>0</td><td>+5</td></tr>' \
	"... and the others rounded to the nearest 5 (3 threats count as 5), the change too"
has "$T/body" 'id="rounded"' "... saying so"
ui_get lead1 "/report?period=term" >/dev/null
has "$T/body" '<tr><td>virus</td><td>2</td>' "the lead's own report has the exact count"
ui_get lead1 "/report?period=term&view=governor" >/dev/null
has "$T/body" '<tr><td>virus</td><td>&lt;3</td>' "and the governor view the lead can preview hides it too"
ui_get lead2 "/report?period=term&view=governor" >/dev/null
has "$T/body" 'id="total">&lt;3<' "a school with one or two incidents shows governors fewer than 3"
has "$T/body" 'id="withheld"' "... and withholds every breakdown"
hasnt "$T/body" '<figure class="chart">' "... no chart at all"

# 13. audit log, admins only
is "$(ui_get lead1 /audit)" 403 "a lead cannot read the audit log"
is "$(ui_login admin1)" 303 "an admin logs in"
is "$(ui_get admin1 /audit)" 200 "the admin reads the audit log"
is "$(ui_get admin1 '/audit?page=2147483647')" 200 "an audit page number past any page is answered"
hasnt "$T/body" 'page=-' "... with no negative page link"
for action in login login-failed inbox view decision download download-refused release release-failed delete export report; do
	ui_get admin1 "/audit?action=$action" >/dev/null
	has "$T/body" "<td>$action</td>" "audit log has a '$action' entry"
done
is "$(ui_get admin1 "/incident/$ID2")" 200 "an admin sees every school"

sqlite3 "$T/ui.db" "SELECT detail FROM audit WHERE action='inbox'" | grep -q "category=virus"
t $? "the audit log says which filter an inbox listing used"
is "$(ui_get lead1 '/?page=9223372036854775807')" 200 "a page number past any int is answered"

# 14. login throttling (3 failures lock the name out from that address, even
# with the right password)
for _ in 1 2 3; do ui_login lead2 nope >/dev/null; done
is "$(ui_login lead2)" 429 "after 3 failures the right password is refused for a while"
sqlite3 "$T/ui.db" "SELECT detail FROM audit WHERE user='lead2' AND action='login-failed' ORDER BY seq DESC LIMIT 1" |
	grep -q "now locked out"; ok $? "the failure that locked it out is audited as such"
audit_locked=$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit")
for _ in $(seq 20); do ui_login lead2 nope >/dev/null; done
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit")" "$audit_locked" \
	"tries while locked out, refused unchecked, do not fill the audit log"

# 14b. behind a trusted proxy each client is counted apart: one client's
# guesses at made-up names do not lock out everyone else
for i in $(seq 1 12); do XFF="198.51.100.9, 203.0.113.9" ui_login "nobody$i" nope >/dev/null; done
is "$(XFF="203.0.113.9" ui_login lead1)" 429 "12 failures lock the guessing client's address out"
is "$(XFF="192.0.2.44" ui_login lead1)" 303 "... but not another client behind the same proxy"
for _ in 1 2 3; do XFF="198.51.100.20" ui_login lead2 nope >/dev/null; done
is "$(XFF="198.51.100.20" ui_login lead2)" 429 "a stranger's three wrong passwords for lead2 lock lead2 out from the stranger's address"
is "$(XFF="192.0.2.45" ui_login lead2)" 303 "... but lead2 still logs in from another address"
# guesses at one name spread over many addresses: past 4 x login_max_failures
# (12) every address that guessed is locked out, its owner's is not
ui_adduser lead3 lead north >/dev/null 2>&1
for i in $(seq 1 12); do XFF="198.51.100.$((100 + i))" ui_login lead3 nope >/dev/null; done
is "$(XFF="198.51.100.101" ui_login lead3)" 429 "12 guesses at lead3 from 12 addresses: an address that guessed is locked out"
is "$(XFF="192.0.2.46" ui_login lead3)" 303 "... while lead3 still logs in from an address that never failed"
# an IPv6 host holds a whole /64: its addresses are counted as one
for i in $(seq 1 12); do XFF="2001:db8:0:7::$i" ui_login "v6guess$i" nope >/dev/null; done
is "$(XFF="2001:db8:0:7::99" ui_login lead1)" 429 "12 failures from one IPv6 /64 lock out all of its addresses"
is "$(XFF="2001:db8:0:8::1" ui_login lead1)" 303 "... but not the next /64"
is "$(sqlite3 "$T/ui.db" "SELECT ip FROM audit WHERE user='nobody1' AND action='login-failed'")" 203.0.113.9 \
	"the audit log has the client's address: the proxy's last X-Forwarded-For entry, not the client's own claim"

# 15. logout ends the session
csrfa=$(ui_csrf admin1)
is "$(ui_post admin1 /logout "csrf=$csrfa")" 303 "logout"
is "$(ui_get admin1 /)" 303 "after logout the old cookie is no session"
cp "$T/admin1.jar" "$T/old.jar"

# 15b. TLS served by the UI itself: cookies get Secure, HSTS is sent
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.crt" -days 2 \
	-subj /CN=127.0.0.1 >/dev/null 2>&1
sed "s|^listen = .*|listen = 127.0.0.1:$TLS_PORT\ntls_cert = $T/tls.crt\ntls_key = $T/tls.key|" \
	"$T/esafety.conf" > "$T/tls.conf"
"$UI_BIN" -c "$T/tls.conf" -f serve 2>"$T/tls.log" & UI_PIDS="$UI_PIDS $!"
for _ in $(seq 100); do curl -sk -o /dev/null https://127.0.0.1:$TLS_PORT/login && break; sleep 0.1; done
curl -sk -o /dev/null -D "$T/h" https://127.0.0.1:$TLS_PORT/login
grep -i '^set-cookie: esq_login=' "$T/h" | grep -qi '; Secure'; t $? "under TLS the cookies are Secure"
grep -qi '^strict-transport-security:' "$T/h"; t $? "... and HSTS is sent"
curl -s -o /dev/null -D "$T/h" "$BASE/login"
! grep -i '^set-cookie:' "$T/h" | grep -qi 'secure'; t $? "plain HTTP on loopback: not Secure (the browser would drop it)"
curl -s -o /dev/null -D "$T/h" -H "X-Forwarded-For: 192.0.2.50" -H "X-Forwarded-Proto: https" "$BASE/login"
grep -i '^set-cookie: esq_login=' "$T/h" | grep -qi '; Secure'
t $? "a trusted proxy that ended TLS (X-Forwarded-Proto: https): Secure without [ui] secure_cookies"
# no command word at all: serve is the default
sed "s|^listen = .*|listen = 127.0.0.1:$((UI_PORT + 4))|" "$T/esafety.conf" > "$T/bare.conf"
"$UI_BIN" -c "$T/bare.conf" -f 2>"$T/bare.log" & bare=$!
code=000
for _ in $(seq 100); do code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((UI_PORT + 4))/login"); [ "$code" = 200 ] && break; sleep 0.1; done
kill "$bare" 2>/dev/null; wait "$bare" 2>/dev/null
is "$code" 200 "esafety-quarantine with no command word serves"
[ "$code" = 200 ] || sed 's/^/#   /' "$T/bare.log"
# a certificate without its key: the start fails saying so
sed "s|^listen = .*|listen = 127.0.0.1:$((UI_PORT + 3))\ntls_cert = $T/tls.crt|" "$T/esafety.conf" > "$T/halftls.conf"
out=$(timeout 10 "$UI_BIN" -c "$T/halftls.conf" -f serve 2>&1); rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] && case "$out" in *"[ui] tls_cert and tls_key go together: tls_cert is set, tls_key is not"*) true;; *) false;; esac
t $? "tls_cert without tls_key stops the start, saying so ($rc)"

# 16. freshness, trust, rebuild
printf 'From: n@external.example\nTo: p@pupils.school.example\nSubject: fresh one\n\nhello\n' > "$T/fresh.eml"
ID5=$(ui_store --school north --from n@external.example --to p@pupils.school.example --verdict copy \
	--finding 'language:profanity:1:1:swear:hello' "$T/fresh.eml")
ui_wait_indexed "$ID5"; t $? "a newly stored message is indexed within seconds"
f=$(ls "$T/q/north/new/"*"$ID5"*)
sed 's/^X-ESafety-Verdict: copy/X-ESafety-Verdict: accept/; s/'"$ID5"'/aaaaaaaaaaaaaaaa/' "$f" > "$T/q/north/new/1.aaaaaaaaaaaaaaaa.forged"
sleep 1
[ "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM incidents WHERE id='aaaaaaaaaaaaaaaa'")" = 0 ]; t $? "a file whose HMAC does not verify is not indexed"
grep -q 'not a trusted quarantine file' "$T/ui.log"; t $? "... and is logged"
rm -f "$T/q/north/new/1.aaaaaaaaaaaaaaaa.forged"
before=$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM incidents")
out=$("$UI_BIN" -c "$T/esafety.conf" reindex 2>/dev/null)
is "$out" "$((before - 3)) incidents indexed" "reindex rebuilds the index from the Maildirs (the three removed messages are gone)"
is "$(sqlite3 "$T/ui.db" "SELECT status FROM review WHERE incident='$ID1'")" actioned "review state survives a rebuild"

# 16a. a name longer than any account is refused before the audit log sees it
audit_before=$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit")
lc=$(mktemp -p "$T")
curl -s -c "$lc" -o /dev/null "$BASE/login"
ltok=$(awk '$6 == "esq_login" { print $7 }' "$lc")
code=$(curl -s -b "$lc" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$ltok" \
	--data-urlencode "user=$(head -c 100000 /dev/zero | tr '\0' a)" --data-urlencode "password=x" "$BASE/login")
is "$code" 401 "a 100,000-byte name is refused"
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit WHERE length(user) > 64")" 0 "... and never written to the audit log"
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM audit")" "$audit_before" "... which gains no row for it"

# 16b. a new password ends the sessions opened under the old one
is "$(ui_get lead1 /)" 200 "lead1's session works"
echo "lead1-new-password" | "$UI_BIN" -c "$T/esafety.conf" passwd lead1 2>/dev/null
is "$(ui_get lead1 /)" 303 "after passwd, the old session is gone (back to the login page)"

# 16c. the command line refuses words it does not know: a misspelt --school
# would otherwise make an account that sees every school
out=$(echo "gov2-password" | "$UI_BIN" -c "$T/esafety.conf" adduser gov2 --role governor --schol north 2>&1); rc=$?
[ "$rc" != 0 ] && case "$out" in *"unknown argument '--schol'"*) true;; *) false;; esac
t $? "adduser with a misspelt option is refused, naming it ($rc: $out)"
! "$UI_BIN" -c "$T/esafety.conf" users | grep -q '^gov2'; t $? "... and no account is made"
out=$(echo "x-password" | "$UI_BIN" -c "$T/esafety.conf" adduser gov3 --role governor --school 2>&1); rc=$?
[ "$rc" != 0 ] && case "$out" in *"--school needs a value"*) true;; *) false;; esac; t $? "an option without its value is refused"
out=$("$UI_BIN" -c "$T/esafety.conf" purge --asof 2020-01-01 2>&1); rc=$?
[ "$rc" != 0 ] && case "$out" in *"unknown command or arguments: purge --asof"*) true;; *) false;; esac
t $? "purge with a misspelt option is refused, purging nothing ($rc: $out)"
"$UI_BIN" --help > "$T/help.out" 2>&1; is "$?" 0 "--help exits 0"
has "$T/help.out" "purge [--as-of YYYY-MM-DD]" "... and prints the usage"

# 17. retention purge
out=$("$UI_BIN" -c "$T/esafety.conf" purge 2>/dev/null)
is "$out" "0 incidents purged" "nothing younger than the retention period is purged"
out=$("$UI_BIN" -c "$T/esafety.conf" purge --as-of=2020-01-01 2>/dev/null)
is "$out" "0 incidents purged" "--as-of=DATE is understood too (nothing was older then)"
future=$(date -u -d '+40 days' +%Y-%m-%d)
out=$("$UI_BIN" -c "$T/esafety.conf" purge --as-of "$future" 2>/dev/null)
is "$out" "$((before - 3)) incidents purged" "everything older than 30 days (as of 40 days on) is purged"
is "$(ls "$T/q/north/new" "$T/q/south/new" | grep -c '\.[0-9a-f]\{16\}\.')" 0 "... and the stored messages are gone"
is "$(sqlite3 "$T/ui.db" "SELECT COUNT(*) FROM decisions")" 0 "... with their decisions"
sqlite3 "$T/ui.db" "SELECT detail FROM audit WHERE action='purge'" | grep -q "purged $((before - 3)) incidents older than 30 days"; t $? "the purge is in the audit log"

echo "1..$n"
[ "$failed" = 0 ]
