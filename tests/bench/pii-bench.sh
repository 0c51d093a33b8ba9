#!/bin/sh
# pii-bench.sh - measure the personal-data detector (issue 4):
#   1. recall and precision per type on Presidio's recognizer test vectors
#   2. findings on ordinary mail (SpamAssassin's nice/ corpus and our own
#      school-mail fixtures), through esafety-scan, each listed to justify
#   3. speed of the scanner alone in MB/s beside memcpy in the same run
# Usage: tests/bench/pii-bench.sh VECTORS.json [NICE_DIR]   (from a build dir,
# or with top_srcdir and top_builddir set)
set -eu
vectors=${1:?usage: pii-bench.sh presidio_recognizer_test_vectors.json [spamassassin/nice]}
nice=${2:-}
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
bench=$build/tests/bench/pii_bench
scan=$build/milter/esafety-scan
py=python3
command -v /usr/bin/python3 >/dev/null && py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. Presidio recognizer vectors: $vectors"
"$py" "$src/tests/bench/pii-bench.py" "$vectors" "$bench" "$src/rules"

# viruses are not this part's business: no ClamAV database needed here
printf '[milter]\nrules_dir = %s/rules\nlocal_rules_dir = %s/none\n[clamav]\nenabled = no\n' "$src" "$tmp" > "$tmp/esafety.conf"
count_findings() {	# $1: label, rest: files or directories
	label=$1; shift
	"$scan" -c "$tmp/esafety.conf" --json "$@" > "$tmp/out.json" 2> /dev/null || true
	"$py" - "$tmp/out.json" "$label" <<'PY'
import json, sys
n_msgs = n = 0
for line in open(sys.argv[1]):
    m = json.loads(line)
    n_msgs += 1
    for f in m["findings"]:
        if f["detector"] == "personal_data":
            n += 1
            print("#   %s: %s %s %s sev %d: %s" % (m["file"].split("/")[-1], f["category"],
                  f.get("type"), f["rule"], f["severity"], f["excerpt"]))
print("%s: %d personal-data findings in %d messages" % (sys.argv[2], n, n_msgs))
PY
}
echo "== 2. Findings on ordinary mail"
count_findings "school-mail fixtures" "$src/tests/personal_data/school-mail"
if [ -n "$nice" ]; then
	count_findings "spamassassin nice" "$nice"
fi

echo "== 3. Speed of the scanner alone (one core), memcpy in the same run"
files=$(find "$src/tests/personal_data/school-mail" ${nice:+"$nice"} -type f | head -500)
# repeat the corpus so one round takes long enough to time
set -- $files $files $files $files $files $files $files $files $files $files
"$bench" speed "$src/rules" "$@"
