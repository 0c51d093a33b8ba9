#!/bin/sh
# stdnum-oracle.sh - our identifier checks (ukid.c) against an independent
# oracle (python3-stdnum; see oracle.py) on thousands of valid and
# one-character-corrupted numbers of each kind: zero disagreements allowed.
# Needs Debian's python3 with python3-stdnum: fails loudly without it.
set -u
srcdir=${top_srcdir:-.}/tests/personal_data
verdict=${top_builddir:-.}/tests/personal_data/ukid_verdict
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

py=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import stdnum.gb.upn, stdnum.gb.nhs, stdnum.iban' 2>/dev/null; then py=$p; break; fi
done
echo "1..8"
if [ -z "$py" ]; then
	echo "not ok 1 - python3 with stdnum (Debian python3-stdnum) is needed and was not found"
	exit 1
fi
echo "ok 1 - oracle: $py with stdnum $("$py" -c 'import stdnum; print(stdnum.__version__)')"
"$py" "$srcdir/oracle.py" 3000 4 > "$tmp/cases" || { echo "not ok 2 - oracle.py failed"; exit 1; }
cut -d' ' -f1,2 "$tmp/cases" | "$verdict" > "$tmp/ours" || { echo "not ok 2 - ukid_verdict failed"; exit 1; }
paste -d' ' "$tmp/cases" "$tmp/ours" > "$tmp/both"
n=$(wc -l < "$tmp/both")
if [ "$n" -eq "$(wc -l < "$tmp/cases")" ] && [ "$n" -ge 36000 ]; then
	echo "ok 2 - $n cases compared"
else
	echo "not ok 2 - $n cases compared, expected 36000"
fi
t=3
for kind in upn nhs nino uln iban luhn; do
	total=$(awk -v k="$kind" '$1 == k' "$tmp/both" | wc -l)
	valid=$(awk -v k="$kind" '$1 == k && $3 == 1' "$tmp/both" | wc -l)
	bad=$(awk -v k="$kind" '$1 == k && $3 != $4' "$tmp/both" | wc -l)
	if [ "$bad" -eq 0 ] && [ "$valid" -gt 0 ] && [ "$valid" -lt "$total" ]; then
		echo "ok $t - $kind: $total numbers ($valid valid by the oracle), 0 disagreements"
	else
		echo "not ok $t - $kind: $bad disagreements in $total ($valid valid by the oracle)"
		awk -v k="$kind" '$1 == k && $3 != $4 { print "#   " $0 }' "$tmp/both" | head -5
	fi
	t=$((t + 1))
done
