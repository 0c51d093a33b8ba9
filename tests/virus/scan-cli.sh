#!/bin/bash
# scan-cli.sh - esafety-scan --json reports viruses: every clamav-testfiles
# format and EICAR (body, base64 attachment, nested zips) give "virus" and the
# default action reject; clean mail gives null; an encrypted zip sets
# "encrypted"; a missing database stops start-up unless run_without_av.
set -u
TESTFILES=/usr/share/clamav-testfiles
scan="$top_builddir/milter/esafety-scan"
n=0
failed=0
t() {	# t COND-EXIT-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
[ -x "$scan" ] || { echo "not ok 1 - $scan is built"; echo "1..1"; exit 1; }
[ -r "$TESTFILES/clam.zip" ] || { echo "not ok 1 - clamav-testfiles is installed"; echo "1..1"; exit 1; }
for tool in python3 zip; do
	command -v $tool > /dev/null || { echo "not ok 1 - $tool is installed"; echo "1..1"; exit 1; }
done

dir=$(mktemp -d /tmp/es-virus-cli.XXXXXX)
trap 'umount "$dir/full" 2>/dev/null; rm -rf "$dir"' EXIT
conf() {	# conf EXTRA-CLAMAV-LINES... > config for esafety-scan
	printf '[milter]\nrules_dir = %s/rules\n[clamav]\ndatabase = %s\ncheck_interval = 0\n' \
		"$top_srcdir" "${DB:-$top_srcdir/tests/fixtures/clamav}"
	printf '%s\n' "$@"
}
conf > "$dir/esafety.conf"

# mails < "NAME FILE OUT" lines: each FILE as a base64 attachment NAME in OUT
# (one python3 for all: the machine running the tests may be busy)
mails() {
	python3 -c '
import sys
from email.message import EmailMessage
for line in sys.stdin:
    name, src, out = line.split()
    m = EmailMessage()
    m["From"] = "pupil@example.sch.uk"; m["To"] = "friend@example.org"; m["Subject"] = "homework"
    m.set_content("see attached")
    m.add_attachment(open(src, "rb").read(), maintype="application",
                     subtype="octet-stream", filename=name)
    open(out, "w").write(m.as_string())
'
}

# field JSONFILE KEY - one top-level value of the first JSON line, as text
field() {
	python3 -c 'import json,sys; v=json.loads(open(sys.argv[1]).readline())[sys.argv[2]]; print("null" if v is None else v)' "$1" "$2"
}

# Messages and what each must give: "FILE<TAB>virus prefix|-<TAB>action<TAB>encrypted"
expect="$dir/expect.tsv"
: > "$expect"
: > "$dir/mails.txt"
for f in clam.zip clam.7z clam.cab clam.arj clam.tar.gz clam.bin-le.cpio clam.newc.cpio \
	clam.exe.rtf clam.pdf clam.ole.doc clam.ppt clam.tnef; do
	echo "$f $TESTFILES/$f $dir/$f.eml" >> "$dir/mails.txt"
	printf '%s\tEs.Test.ClamAV-Test-File\treject\tFalse\n' "$dir/$f.eml" >> "$expect"
done
for f in clam.mail clam.exe.mbox.base64 clam.exe.mbox.uu; do
	printf '%s\tEs.Test.ClamAV-Test-File\treject\tFalse\n' "$TESTFILES/$f" >> "$expect"
done
{ printf 'From: a@example.org\nTo: b@example.org\nSubject: mac file\n\n'; cat "$TESTFILES/clam.exe.binhex"; } > "$dir/binhex.eml"
printf '%s\tEs.Test.ClamAV-Test-File\treject\tFalse\n' "$dir/binhex.eml" >> "$expect"

# EICAR, written in two halves so this script is not flagged itself
printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR' '-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' > "$dir/eicar.com"
(cd "$dir" && zip -q a.zip eicar.com && zip -q b.zip a.zip && zip -q c.zip b.zip)
printf 'spelling list\n' > "$dir/notes.txt"
(cd "$dir" && zip -q -P secret enc.zip notes.txt)
printf '%s\n' "eicar.com $dir/eicar.com $dir/eicar.eml" "c.zip $dir/c.zip $dir/nested.eml" \
	"notes.txt $dir/notes.txt $dir/clean.eml" "pupils.zip $dir/enc.zip $dir/enc.eml" >> "$dir/mails.txt"
mails < "$dir/mails.txt"
printf '%s\tEs.Test.EICAR\treject\tFalse\n' "$dir/eicar.eml" "$dir/nested.eml" >> "$expect"
printf '%s\t-\taccept\tFalse\n' "$dir/clean.eml" >> "$expect"
printf '%s\t-\taccept\tTrue\n' "$dir/enc.eml" >> "$expect"

# one run over every message; mbox files come back as FILE#1
"$scan" --json -c "$dir/esafety.conf" $(cut -f1 "$expect") > "$dir/all.json" 2> "$dir/err.txt"
t $? "esafety-scan exits 0"
python3 - "$expect" "$dir/all.json" $n > "$dir/checks.tap" <<'PY'
import json, sys
got = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    got[r["file"].split("#")[0]] = r
n = int(sys.argv[3])
for row in open(sys.argv[1]):
    f, virus, action, enc = row.rstrip("\n").split("\t")
    r = got.get(f, {})
    v = r.get("virus")
    good = (v is None) if virus == "-" else (v or "").startswith(virus)
    good = good and r.get("action") == action and str(r.get("encrypted")) == enc
    n += 1
    print("%sok %d - %s: virus %s, action %s, encrypted %s" % ("" if good else "not ", n,
          f.split("/")[-1], v, r.get("action"), r.get("encrypted")))
PY
cat "$dir/checks.tap"
n=$((n + $(grep -c '^ok\|^not ok' "$dir/checks.tap")))
failed=$((failed + $(grep -c '^not ok' "$dir/checks.tap")))

mkdir "$dir/nodb"
DB="$dir/nodb" conf > "$dir/nodb.conf"
"$scan" --json -c "$dir/nodb.conf" "$dir/eicar.eml" > "$dir/out.json" 2> "$dir/err.txt"
status=$?
[ "$status" -eq 2 ] && grep -q "on_db_missing" "$dir/err.txt"
t $? "empty database directory: esafety-scan refuses to run (exit $status)"
DB="$dir/nodb" conf "on_db_missing = run_without_av" > "$dir/nodb.conf"
"$scan" --json -c "$dir/nodb.conf" "$dir/eicar.eml" > "$dir/out.json" 2> "$dir/err.txt"
status=$?
[ "$status" -eq 0 ] && [ "$(field "$dir/out.json" virus)" = null ] && grep -q "WITHOUT VIRUS SCANNING" "$dir/err.txt"
t $? "on_db_missing = run_without_av: runs, says so loudly, no verdict on viruses"

# a [clamav] tmpdir libclamav cannot use (a tmpfs folder gone after a
# reboot): libclamav skips what it had to unpack and still says clean, so the
# nested zip must come out as a scan error, never as clean mail
conf "tmpdir = $dir/no-such-folder" "on_scan_error = tempfail" > "$dir/notmp.conf"
"$scan" --json -c "$dir/notmp.conf" "$dir/nested.eml" > "$dir/out.json" 2> "$dir/err.txt"
[ "$(field "$dir/out.json" action)" = tempfail ] && [ "$(field "$dir/out.json" reason)" = on_scan_error ]
t $? "unusable [clamav] tmpdir: a zip it cannot unpack is a scan error (on_scan_error), not clean ($(field "$dir/out.json" action))"
grep -q "libclamav could not create a temporary file or folder in $dir/no-such-folder (\[clamav\] tmpdir)" "$dir/err.txt"
t $? "... and the log says why, naming [clamav] tmpdir"
# a [clamav] tmpdir on a full tmpfs: libclamav cannot write what it unpacks;
# the message (EICAR after a 2.7 MB member) must be a scan error, not clean
if [ "$(id -u)" -eq 0 ] && mkdir "$dir/full" && mount -t tmpfs -o size=64k esafety-test "$dir/full"; then
	head -c 2000000 /dev/urandom | base64 > "$dir/big.txt"
	(cd "$dir" && zip -q full.zip big.txt eicar.com)
	echo "full.zip $dir/full.zip $dir/full.eml" | mails
	conf "tmpdir = $dir/full" "on_scan_error = tempfail" > "$dir/full.conf"
	"$scan" --json -c "$dir/full.conf" "$dir/full.eml" > "$dir/out.json" 2> "$dir/err.txt"
	[ "$(field "$dir/out.json" reason)" = on_scan_error ]
	t $? "[clamav] tmpdir on a full tmpfs: a zip libclamav cannot unpack is a scan error, not clean ($(field "$dir/out.json" action))"
	umount "$dir/full"
else
	t 1 "[clamav] tmpdir on a full tmpfs (needs root to mount a tmpfs)"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
