#!/bin/bash
# scan_cli.sh - esafety-scan keeps its contract: JSON Lines with the fixed
# fields, files, directories and mbox, envelope options, exit codes
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
scan="$top_builddir/milter/esafety-scan"
ms_setup "unix:@DIR@/unused.sock"
trap ms_cleanup EXIT
d="$MS_DIR/msgs"
mkdir -p "$d/sub"
printf 'From: tom@pupils.school.example\nTo: amy@pupils.school.example\nSubject: hi\nMessage-ID: <m1@x>\n\nwhat a bellend\n' > "$d/a.eml"
printf 'From: teacher@staff.school.example\nTo: parent@external.example\nSubject: trip\n\nThe coach leaves at 9.\n' > "$d/sub/b.eml"
printf 'From a@b Mon Nov 23 10:00:00 2026\nSubject: one\n\nfirst\n\nFrom a@b Mon Nov 23 10:01:00 2026\nSubject: two\n\njust kys\n' > "$MS_DIR/box.mbox"

json=$("$scan" -c "$MS_CONF" --json "$d/a.eml"); status=$?
is "$status" 0 "exit 0 when everything was scanned (a flagged message is not an error)"
/usr/bin/python3 - "$json" <<'PY'
import json, sys
o = json.loads(sys.argv[1])
need = ["file", "message_id", "action", "school", "sender_role", "direction", "categories",
        "findings", "virus", "encrypted", "errors", "elapsed_ms"]
missing = [k for k in need if k not in o]
assert not missing, missing
assert o["action"] in ("accept", "copy", "hold", "reject", "tempfail")
assert o["action"] == "copy" and o["school"] == "school", o
assert o["sender_role"] == "pupil" and o["direction"] == "internal", o
assert "profanity" in o["categories"], o
f = [x for x in o["findings"] if x["category"] == "profanity"][0]
assert f["detector"] == "language" and 1 <= f["severity"] <= 5 and f["part"] and "bellend" in f["excerpt"], f
assert o["virus"] is None and o["encrypted"] is False and isinstance(o["elapsed_ms"], float)
assert o["message_id"] == "m1@x", o["message_id"]
PY
ok $? "JSON object has the contract's fields and values"

n=$("$scan" -c "$MS_CONF" --json "$d" | wc -l)
is "$n" 2 "a directory is scanned recursively, one line per message"
out=$("$scan" -c "$MS_CONF" --json "$MS_DIR/box.mbox")
is "$(echo "$out" | wc -l)" 2 "an mbox gives one line per message"
echo "$out" | sed -n 2p | grep -q '"self_harm"'; ok $? "the second mbox message is scanned on its own"
# a member whose Subject holds 1.2 MB of unclosed encoded words: GMime's
# time on them grows with their square (over a minute), so each member is
# defused before parsing, as a single message is
/usr/bin/python3 - "$MS_DIR/slow.mbox" <<'PY'
import sys
open(sys.argv[1], "w").write("From a@b Mon Nov 23 10:00:00 2026\nSubject: one\n\nfirst\n\n"
                             "From a@b Mon Nov 23 10:01:00 2026\nSubject: " + "=?a?q?x " * 150000 + "just kys\n\nhi\n")
PY
t0=$(date +%s)
out=$(timeout 60 "$scan" -c "$MS_CONF" --json "$MS_DIR/slow.mbox")
t=$(( $(date +%s) - t0 ))
ok $(( t >= 15 )) "an mbox member with 1.2 MB of unclosed encoded words is scanned in under 15 s (${t} s)"
echo "$out" | sed -n 2p | grep -q '"self_harm"'; ok $? "... and the words after them in its Subject are read"
printf 'From a@b Mon Nov 23 10:00:00 2026\nSubject: one\n\nfirst\nFrom a@b Mon Nov 23 10:01:00 2026\n' > "$MS_DIR/tail.mbox"
is "$("$scan" -c "$MS_CONF" --json "$MS_DIR/tail.mbox" | wc -l)" 1 "a last \"From \" line with no message after it is no message"

out=$("$scan" -c "$MS_CONF" --json --sender x@external.example --rcpt amy@pupils.school.example "$d/a.eml")
echo "$out" | grep -q '"sender_role":"external".*"direction":"inbound"'; ok $? "--sender/--rcpt set the envelope: external to pupil is inbound"
out=$("$scan" -c "$MS_CONF" --json --client 203.0.113.5 "$d/a.eml")
echo "$out" | grep -q '"sender_role":"external"'; ok $? "--client outside internal_networks: a school From: is not trusted"

"$scan" -c "$MS_CONF" "$d/a.eml" | grep -q "a.eml: copy (profanity-copy) categories=profanity"
ok $? "plain output: file, action, reason, categories"

"$scan" -c "$MS_CONF" --json "$d/a.eml" /nonexistent.eml > /dev/null 2>&1; is "$?" 3 "exit 3 when some input is unreadable"
"$scan" --no-such-option x > /dev/null 2>&1; is "$?" 2 "exit 2 on a usage error"
"$scan" > /dev/null 2>&1; is "$?" 2 "exit 2 with no file"
printf '[milter]\nbogus = 1\n' > "$MS_DIR/bad.conf"
err=$("$scan" -c "$MS_DIR/bad.conf" "$d/a.eml" 2>&1); is "$?" 2 "exit 2 on a config error"
case "$err" in *"bad.conf:2: [milter] bogus"*) ok 0 "the config error names file, line and key";; *) ok 1 "config error message"; diag "$err";; esac
printf '\000\377\376 binary\001\002\nContent-Type: multipart/mixed; boundary=\n\n--\n' > "$MS_DIR/garbage.bin"
sed 's/^\[milter\]$/[milter]\non_parse_error = tempfail/' "$MS_CONF" > "$MS_DIR/pe.conf"
out=$("$scan" -c "$MS_DIR/pe.conf" --json "$MS_DIR/garbage.bin")
echo "$out" | grep -q '"action":"tempfail","reason":"on_parse_error"'; ok $? "a message the parser cannot read gets on_parse_error"
echo "$out" | grep -q '"errors":\["message could not be parsed as MIME"\]'; ok $? "and says so in errors"
printf 'From: teacher@staff.school.example\nTo: parent@external.example\nSubject: list\n\nUPN,Surname,Forename,DOB\nH801200001001,Smith,Amy,2013-04-02\nX801200001002,Jones,Ben,2013-07-19\n' > "$MS_DIR/list.eml"
"$scan" -c "$MS_CONF" --json "$MS_DIR/list.eml" | grep -q '"detector":"pupil_data"'; ok $? "a pasted class list is pupil data"
{ cat "$MS_CONF"; printf '[pupil_data]\nenabled = no\n'; } > "$MS_DIR/nopd.conf"
"$scan" -c "$MS_DIR/nopd.conf" --json "$MS_DIR/list.eml" | grep -q '"detector":"pupil_data"'; ok $((! $?)) "[pupil_data] enabled = no switches the detector off"
head -c 3000 /dev/urandom > "$MS_DIR/random.bin"
"$scan" -c "$MS_CONF" --json "$MS_DIR/random.bin" > /dev/null; is "$?" 0 "random bytes are scanned without a crash"
# log lines start with the file name as their queue ID; one longer than
# the log line itself once pushed the message past the line's end, over
# the stack (where it lands, and whether it crashes, depends on the length)
# a message nested past max_depth, which logs a line for its limit
{ printf 'Subject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n'
  for i in $(seq 0 59); do printf -- '--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n' $i $((i + 1)); done
  printf -- '--b60\nContent-Type: text/plain\n\nwhat a bellend\n'; } > "$MS_DIR/deep.eml"
bad=""
for n in 2060 2200 2430 3000 4000; do
	long="$MS_DIR/long"
	while [ $(( ${#long} + 210 )) -lt "$n" ]; do long="$long/$(printf 'x%.0s' $(seq 1 200))"; done
	long="$long/$(printf 'y%.0s' $(seq 1 $(( n - ${#long} - 7 ))))"
	mkdir -p "$long" && cp "$MS_DIR/deep.eml" "$long/a.eml"
	"$scan" -v -c "$MS_CONF" --json "$long/a.eml" > /dev/null 2>"$MS_DIR/long.err" || bad="$bad $n:$?"
done
is "$bad" "" "file names longer than a log line (2060 to 4000 bytes) are logged cut short, with no crash"

# libraries' own diagnostics come out as our lines, labelled with the message,
# not as bare lines on stderr: a DOCX whose XML declares EUC-JP but holds
# bytes no EUC-JP text has makes libxml2 report an encoding error
/usr/bin/python3 - "$MS_DIR/eucjp.eml" <<'PY'
import base64, io, sys, zipfile
b = io.BytesIO()
with zipfile.ZipFile(b, "w") as z:
    z.writestr("word/document.xml", b'<?xml version="1.0" encoding="EUC-JP"?><w:document xmlns:w="x">'
               b'<w:body><w:p><w:r><w:t>hello \xff\xfe\xff\xa1</w:t></w:r></w:p></w:body></w:document>')
open(sys.argv[1], "w").write(
    "Subject: doc\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\n"
    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=a.docx\n"
    "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(b.getvalue()).decode() + "--x--\n")
PY
"$scan" -v -c "$MS_CONF" "$MS_DIR/eucjp.eml" > /dev/null 2> "$MS_DIR/eucjp.err"
grep -q "^esafety-scan\[[0-9]*\]: $MS_DIR/eucjp.eml: libxml2: input conversion failed" "$MS_DIR/eucjp.err"
ok $? "libxml2's encoding error is logged as a line of ours, under the message's name"
is "$(grep -vc '^esafety-scan\[' "$MS_DIR/eucjp.err")" 0 "... and nothing reaches stderr unlabelled"

# under systemd (JOURNAL_STREAM names stderr itself) each line starts with its
# priority, so journalctl -p can filter; a JOURNAL_STREAM inherited by a
# stderr sent elsewhere changes nothing
: > "$MS_DIR/journal.err"
JOURNAL_STREAM=$(stat -c %d:%i "$MS_DIR/journal.err") "$scan" -v -c "$MS_CONF" "$MS_DIR/eucjp.eml" \
	> /dev/null 2>> "$MS_DIR/journal.err"
grep -q "^<6>esafety-scan\[[0-9]*\]: $MS_DIR/eucjp.eml: libxml2: " "$MS_DIR/journal.err"
ok $? "to the journal, a line carries its priority (<6> for info)"
JOURNAL_STREAM=1:1 "$scan" -v -c "$MS_CONF" "$MS_DIR/eucjp.eml" > /dev/null 2> "$MS_DIR/other.err"
is "$(grep -c '^<' "$MS_DIR/other.err")" 0 "... and not when stderr is not the journal's stream"

# a file whose headers end in CRLF and whose base64 lines end in LF alone is
# read as the milter reads it (CRLF made LF first): GMime took the LF before the
# boundary for half a CRLF and the archive lost its last bytes
/usr/bin/python3 - "$MS_DIR/mixed.eml" <<'PY'
import base64, gzip, sys
gz = gzip.compress(b"notes for the trip\nwhat a bellend he is\n" * 40)
open(sys.argv[1], "wb").write(
    b"From: tom@pupils.school.example\r\nTo: amy@pupils.school.example\r\nSubject: notes\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
    b"--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
    b"--B\r\nContent-Type: application/gzip; name=notes.txt.gz\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(gz) + b"--B--\r\n")
PY
out=$("$scan" -c "$MS_CONF" --json "$MS_DIR/mixed.eml")
echo "$out" | grep -q 'profanity/bellend' && ! echo "$out" | grep -q 'not a readable archive'
ok $? "CRLF headers and LF base64 lines: the archive is read whole, as the milter reads it"

done_testing
