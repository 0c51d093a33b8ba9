#!/bin/sh
# scan.sh - whole messages through esafety-scan --json: a plain class list is
# a pupil_data finding with its record count; the same list in an AES zip,
# an S/MIME-encrypted message, a PGP/MIME message and an inline-PGP body are
# "encrypted": true with no pupil_data finding. Fixtures from the recipes.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
SCAN=$top_builddir/milter/esafety-scan
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 "$top_srcdir/tests/pupil_data/mkfixtures.py" "$DIR"
cd "$DIR"
7z a -bd -bso0 -tzip -mem=AES256 -pSecret-42 enc_aes.zip pupils_200.csv
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=esafety-test -days 2 -keyout k.pem -out c.pem 2>/dev/null
printf '[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/none\n[clamav]\nenabled = no\n' "$top_srcdir" "$DIR" > test.conf

python3 - <<'PY'
import base64
def msg(name, body_headers, body):
    head = "From: teacher@example.sch.uk\r\nTo: friend@example.com\r\nSubject: %s\r\nMessage-ID: <%s@test>\r\nMIME-Version: 1.0\r\n" % (name, name)
    open(name + ".eml", "w").write(head + body_headers + "\r\n" + body)
def attach(name, file, ctype):
    data = base64.encodebytes(open(file, "rb").read()).decode().replace("\n", "\r\n")
    msg(name, "Content-Type: multipart/mixed; boundary=B\r\n",
        "--B\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n--B\r\nContent-Type: %s; name=%s\r\n"
        "Content-Disposition: attachment; filename=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n%s--B--\r\n" % (ctype, file, file, data))
attach("plain_xlsx", "pupils_200.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
attach("plain_ctf", "ctf_5.xml", "text/xml")
attach("aes_zip", "enc_aes.zip", "application/zip")
attach("timetable", "timetable.xlsx", "application/octet-stream")
attach("headerless", "pupils_5_headerless.csv", "text/csv")
attach("staff_hr", "staff_hr.csv", "text/csv")
msg("pgp_mime", 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=B\r\n',
    "--B\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--B\r\nContent-Type: application/octet-stream\r\n\r\n"
    "-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA1234567890abcdef\r\n-----END PGP MESSAGE-----\r\n--B--\r\n")
msg("pgp_inline", "Content-Type: text/plain\r\n", "-----BEGIN PGP MESSAGE-----\r\n\r\njA0ECQMCabcdef\r\n-----END PGP MESSAGE-----\r\n")
msg("pgp_quoted", "Content-Type: text/plain\r\n", "To send it encrypted, paste the block that starts -----BEGIN PGP MESSAGE----- into the form.\r\n")
msg("grooming_list", "Content-Type: multipart/mixed; boundary=B\r\n",
    "--B\r\nContent-Type: text/plain\r\n\r\ndont tell your parents about us, send me pics\r\n--B\r\n"
    "Content-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\n"
    + open("pupils_5.csv").read() + "\r\n--B--\r\n")
open("inner.txt", "w").write("Content-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\n" + open("pupils_200.csv").read())
PY
openssl cms -encrypt -aes256 -in inner.txt -out smime_body.txt -from teacher@example.sch.uk -to friend@example.com -subject smime c.pem
cat smime_body.txt > smime.eml

"$SCAN" -c test.conf --json plain_xlsx.eml plain_ctf.eml aes_zip.eml timetable.eml headerless.eml staff_hr.eml pgp_mime.eml pgp_inline.eml pgp_quoted.eml smime.eml > out.jsonl
# the shipped policies: a class list attached to grooming from outside does not
# turn the hold into a copy
for policy in secondary primary; do
	printf '[school:hill]\ndomains = hill.sch.uk\nesafety_mailbox = esafety@hill.sch.uk\npupils = *@pupils.hill.sch.uk\npolicy = %s\n' \
		"$policy" | cat test.conf - > "school_$policy.conf"
	"$SCAN" -c "school_$policy.conf" --json --sender stranger@gmail.com --rcpt amy@pupils.hill.sch.uk \
		grooming_list.eml > "grooming_$policy.json"
done
python3 - <<'PY'
import json
res = {json.loads(l)["file"].rsplit("/", 1)[-1]: json.loads(l) for l in open("out.jsonl")}
n = 0
def check(cond, what):
    global n
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what))
def pupils(r):
    return max([f.get("records", 0) for f in r["findings"] if f["detector"] == "pupil_data"] + [0])
r = res["plain_xlsx.eml"]
check(pupils(r) == 200 and not r["encrypted"], "plain XLSX class list: pupil_data with 200 records, not encrypted")
check(any(f["excerpt"] == "200 pupils: name, DOB, UPN, year, class, SEN, FSM" for f in r["findings"]), "excerpt names the kinds of data")
check(pupils(res["plain_ctf.eml"]) == 5, "CTF attachment: pupil data, 5 records")
for name in ("aes_zip", "pgp_mime", "pgp_inline", "smime"):
    r = res[name + ".eml"]
    check(r["encrypted"] and pupils(r) == 0, "%s: encrypted, not counted as pupil data" % name)
check(not res["pgp_quoted.eml"]["encrypted"], "a body that quotes the armour's first line, with no block, is not encrypted")
r = res["timetable.eml"]
check(pupils(r) == 0 and not r["encrypted"], "timetable: no pupil_data finding")
check(pupils(res["headerless.eml"]) == 5, "a class list with no header row: pupil_data with 5 records")
r = res["staff_hr.eml"]
types = {f.get("type") for f in r["findings"] if f["detector"] == "personal_data"}
check(pupils(r) == 0 and {"nino", "dob"} <= types,
      "staff HR list: personal data (NI number, DOB), not labelled pupil data (%s)" % sorted(t or "" for t in types))
for policy in ("secondary", "primary"):
    r = json.load(open("grooming_%s.json" % policy))
    check(r["action"] == "hold" and r["reason"] == "outside-to-pupil" and pupils(r) == 5,
          "%s: grooming to a pupil with a class list attached is still held (%s/%s)" % (policy, r["action"], r["reason"]))
print("1..%d" % n)
PY
