#!/bin/bash
# pupil-data.sh - a plain class list sent outside the school is refused: the
# sender's bounce says how to send it securely and the quarantine keeps a copy
# for the lead; the same list in an encrypted zip is delivered.
set -u
. "$top_srcdir/tests/e2e/common.sh"
command -v zip > /dev/null || bail "zip is missing (Debian package zip)"
e2e_start 10051 10052 "school:school|secure_route = S2S or an encrypted file with the password sent separately"

csv="$MS_DIR/7B.csv"
{
	echo "UPN,Surname,Forename,DOB,SEN,FSM"
	echo "H801200001001,Smith,Amy,2013-04-02,N,Y"
	echo "X801200001002,Jones,Ben,2013-07-19,K,N"
	echo "L801200001003,Patel,Cat,2012-11-30,N,N"
} > "$csv"
# mail_with FILE NAME TYPE - a message from a teacher to a parent with FILE attached
mail_with() {
	printf 'From: teacher@staff.school.example\nTo: parent@external.example\nSubject: list\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nThe list for the trip.\n--B\nContent-Type: %s; name="%s"\nContent-Disposition: attachment; filename="%s"\nContent-Transfer-Encoding: base64\n\n%s\n--B--\n' \
		"$3" "$2" "$2" "$(base64 < "$1")"
}
mail_with "$csv" 7B.csv text/csv > "$MS_DIR/plain.eml"
pf_sendmail teacher@staff.school.example parent@external.example "$MS_DIR/plain.eml"
pf_wait_mail teacher@staff.school.example 1 60; ok $? "plain pupil data leaving: the sender gets a bounce"
f=$(pf_mailfile teacher@staff.school.example 1)
# Postfix folds the reply's lines in the DSN: read it as one line
flat=$(tr -s ' \n\t' '   ' < "$f")
case "$flat" in *"contains pupil personal data in a form that is not encrypted"*) ok 0 "the bounce says why";; *) ok 1 "the bounce says why";; esac
case "$flat" in *"use S2S or an encrypted file with the password sent separately"*) ok 0 "the bounce gives the school's secure route";;
	*) ok 1 "the bounce gives the school's secure route";; esac
is "$(pf_count parent@external.example)" 0 "the plain list is not delivered"
grep -l 'X-ESafety-Verdict: reject' "$MS_DIR"/quarantine/school/new/* 2>/dev/null | xargs -r grep -q 'category=pupil_data; severity=[0-9]; part=[0-9.]*; rule=[a-z_]*; records=3;'
ok $? "the quarantine keeps the refused message with a 3-record pupil_data finding"

(cd "$MS_DIR" && zip -q -P s3cret-pass enc.zip 7B.csv)
mail_with "$MS_DIR/enc.zip" 7B.zip application/zip > "$MS_DIR/enc.eml"
pf_sendmail teacher@staff.school.example parent@external.example "$MS_DIR/enc.eml"
pf_wait_mail parent@external.example 1 60; ok $? "the same list in an encrypted zip is delivered"
is "$(pf_count teacher@staff.school.example)" 1 "and nothing bounces"
done_testing
