#!/bin/sh
# school-mail.sh - ordinary school mail (timetable, newsletter, invoice with
# order numbers, trip letter, office phone numbers, staff signature) gives no
# personal-data finding through esafety-scan; a pupil's own phone number and
# address in the same kind of mail does (so the check can fail).
set -u
src=${top_srcdir:-.}
scan=${top_builddir:-.}/milter/esafety-scan
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# viruses are not this part's business: no ClamAV database needed here
printf '[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/none\n[clamav]\nenabled = no\n' "$src" "$tmp" > "$tmp/esafety.conf"
echo "1..8"
t=1
for f in "$src"/tests/personal_data/school-mail/*.eml; do
	out=$("$scan" -c "$tmp/esafety.conf" --json "$f")
	rc=$?
	n=$(printf '%s\n' "$out" | grep -o '"detector":"personal_data"' | wc -l)
	if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q '"file":'; then
		echo "not ok $t - esafety-scan did not scan $(basename "$f") (exit $rc)"
	elif [ "$n" -eq 0 ]; then
		echo "ok $t - no personal-data finding in $(basename "$f")"
	else
		echo "not ok $t - $n personal-data findings in $(basename "$f")"
		"$scan" -c "$tmp/esafety.conf" --json "$f" | sed 's/^/# /'
	fi
	t=$((t + 1))
done
{
	sed -n '1,/^$/p' "$src/tests/personal_data/school-mail/trip-letter.eml"
	echo "hi its me, text me on 07700 900123, I live at 12 Acacia Avenue, Springfield"
} > "$tmp/pupil.eml"
out=$("$scan" -c "$tmp/esafety.conf" --json "$tmp/pupil.eml")
case $out in
*'"type":"phone"'*'"type":"address"'*) echo "ok $t - a pupil's own phone and address are found in the same kind of mail" ;;
*) echo "not ok $t - pupil's phone and address not found: $out" ;;
esac
t=$((t + 1))
case $out in
'') echo "not ok $t - no JSON output to check" ;;
*07700\ 900123*|*'Acacia Avenue'*) echo "not ok $t - the full value appears in the JSON output" ;;
*) echo "ok $t - the JSON output shows neither value whole" ;;
esac
