#!/bin/sh
# mkencrypted.sh - encrypt the pupil-list fixtures in DIR every supported way
# (made by mkfixtures.py first), with Debian tools and the npm package
# officecrypto-tool (installed under NPMDIR at test time). Any missing tool
# stops the script with an error, so the test fails loudly.
set -eu
DIR=$1
NPMDIR=${2:-$DIR/npm}
PW=Secret-pass-42
cd "$DIR"
for tool in zip 7z qpdf openssl gpg node npm; do
	command -v $tool >/dev/null || { echo "mkencrypted.sh: $tool is missing" >&2; exit 1; }
done

zip -q -P "$PW" enc_zipcrypto.zip pupils_200.csv
7z a -bd -bso0 -tzip -mem=AES256 -p"$PW" enc_aes.zip pupils_200.csv
7z a -bd -bso0 -p"$PW" enc_names.7z pupils_200.xlsx
7z a -bd -bso0 -mhe=on -p"$PW" enc_mhe.7z pupils_200.xlsx
7z a -bd -bso0 plain.7z pupils_5.csv
qpdf --encrypt "$PW" "$PW-owner" 256 -- pupils_200.pdf enc.pdf

# S/MIME: a throw-away certificate, the list encrypted to it (DER enveloped-data)
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=esafety-test -days 2 \
	-keyout smime.key -out smime.crt 2>/dev/null
openssl cms -encrypt -aes256 -in pupils_200.csv -outform DER -out enc_smime.p7m smime.crt
# S/MIME signed only (opaque: the list is inside, in the clear), DER and
# BER, and a detached signature of it, which holds no list
printf 'Content-Type: text/csv; name="pupils.csv"\r\n\r\n' | cat - pupils_5.csv > signed_inner.txt
openssl cms -sign -nodetach -in signed_inner.txt -signer smime.crt -inkey smime.key -outform DER -out signed_smime.p7m
openssl cms -sign -nodetach -stream -in signed_inner.txt -signer smime.crt -inkey smime.key -outform DER -out signed_smime_ber.p7m
openssl cms -sign -in signed_inner.txt -signer smime.crt -inkey smime.key -outform DER -out signed_detached.p7s
# a file signed as it is (no MIME entity inside), as CAdES tools and openssl -binary do
openssl cms -sign -binary -nodetach -in pupils_5.csv -signer smime.crt -inkey smime.key -outform DER -out pupils_5.csv.p7m
cp pupils_5.csv.p7m signed_file.bin

# PGP: symmetric, binary and armoured, in a private keyring directory
GNUPGHOME=$DIR/gnupg; export GNUPGHOME
mkdir -p -m 700 "$GNUPGHOME"
gpg -q --batch --pinentry-mode loopback --passphrase "$PW" -c -o enc.gpg pupils_200.csv
gpg -q --batch --pinentry-mode loopback --passphrase "$PW" -c --armor -o enc.asc pupils_200.csv
gpgconf --kill gpg-agent 2>/dev/null || true

# Office: an XLSX with a password is a CFB holding EncryptionInfo + EncryptedPackage
if [ ! -d "$NPMDIR/node_modules/officecrypto-tool" ]; then
	mkdir -p "$NPMDIR"
	(cd "$NPMDIR" && npm install -s --no-audit --no-fund --prefix "$NPMDIR" officecrypto-tool >/dev/null 2>&1) ||
		{ echo "mkencrypted.sh: npm install officecrypto-tool failed" >&2; exit 1; }
fi
NODE_PATH=$NPMDIR/node_modules node -e '
const oc = require("officecrypto-tool"), fs = require("fs");
fs.writeFileSync("enc_office.xlsx", oc.encrypt(fs.readFileSync("pupils_200.xlsx"), { password: process.argv[1] }));
' "$PW"
