#!/bin/sh
# language-peers.sh - our language detector beside the npm libraries the
# issue quotes for scale (obscenity, bad-words), on the same texts in the
# same run: Davidson recall and false alarms, go-away cases, obscenity's
# allow-list traps and the British English dictionary. Also ours at each
# [language] min_severity, the one knob a school has.
# Usage: tests/bench/language-peers.sh BUILD_DIR DATA_DIR [DICT]
#   BUILD_DIR  a configured build tree (our driver is built there, and the
#              npm packages are installed under it, in language-peers.d/)
#   DATA_DIR   folder with davidson-dev.tsv, goaway-cases/, obscenity-traps/
#   DICT       word list (default /usr/share/dict/british-english)
# Needs node and npm, and the npm registry (or a cache holding the packages).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR DATA_DIR [DICT]" >&2; exit 2; }
build=$(cd "$1" && pwd); data=$2; dict=${3:-/usr/share/dict/british-english}
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$build/language-peers.d
# the versions measured; change them here, and say so in the note
OBSCENITY=obscenity@0.4.6
BAD_WORDS=bad-words@4.1.5

for tool in node npm; do
	command -v $tool >/dev/null || { echo "$0: $tool not found (apt-get install nodejs npm)" >&2; exit 2; }
done
mkdir -p "$out"
if [ ! -f "$out/node_modules/obscenity/package.json" ] || [ ! -f "$out/node_modules/bad-words/package.json" ]; then
	(cd "$out" && { [ -f package.json ] || echo '{"private": true}' > package.json; } &&
		npm install --no-audit --no-fund --silent "$OBSCENITY" "$BAD_WORDS") >&2 ||
		{ echo "$0: npm could not install $OBSCENITY $BAD_WORDS" >&2; exit 2; }
fi
cp "$src/tests/bench/language_peers.js" "$out/"
make -s -C "$build" tests/bench/language-bench >&2
ours() { LANGUAGE_BENCH_MIN_SEVERITY=$1 "$build/tests/bench/language-bench" "$src/rules" lines "$2" 2>/dev/null | cut -f1; }
peers() { node "$out/language_peers.js" < "$1"; }

# the texts, one per line, and their labels
tail -n +2 "$data/davidson-dev.tsv" | cut -f2 > "$out/davidson.labels"
tail -n +2 "$data/davidson-dev.tsv" | cut -f3- | tr '\t' ' ' > "$out/davidson.texts"
tail -n +2 "$data/goaway-cases/goaway_test_cases.tsv" | cut -f2 > "$out/goaway.labels"
tail -n +2 "$data/goaway-cases/goaway_test_cases.tsv" | cut -f1 > "$out/goaway.texts"

# davidson RESULTS NAMES - RESULTS holds a column per tool (NAMES lists
# them, in order); prints a Davidson row per tool
davidson() {
	paste "$out/davidson.labels" "$1" | awk -F'\t' -v names="$2" '
		BEGIN { k = split(names, name, " ") }
		{ for (i = 1; i <= k; i++) if ($1 == "neither") { n[i]++; fa[i] += $(i + 1) } else { p[i]++; hit[i] += $(i + 1) } }
		END { for (i = 1; i <= k; i++)
			printf "| %s | %.4f (%d/%d) | %.4f (%d/%d) |\n", name[i], hit[i] / p[i], hit[i], p[i], fa[i] / n[i], fa[i], n[i] }'
}
# goaway RESULTS - go-away cases right, per column of RESULTS
goaway() {
	paste "$out/goaway.labels" "$1" | awk -F'\t' '{ n++; for (i = 2; i <= NF; i++) if ($1 == $i) ok[i]++ }
		END { s = ""; for (i = 2; i <= NF; i++) s = s sprintf("%s%d/%d", i > 2 ? " " : "", ok[i], n); print s }'
}
# clean RESULTS - texts not flagged, per column
clean() {
	awk -F'\t' '{ n++; for (i = 1; i <= NF; i++) if ($i == 0) ok[i]++ }
		END { s = ""; for (i = 1; i <= NF; i++) s = s sprintf("%s%d/%d", i > 1 ? " " : "", ok[i] + 0, n); print s }' "$1"
}
# flagged RESULTS - texts flagged, per column
flagged() {
	awk -F'\t' '{ for (i = 1; i <= NF; i++) f[i] += $i } END { s = ""; for (i = 1; i <= NF; i++) s = s sprintf("%s%d", i > 1 ? " " : "", f[i]); print s }' "$1"
}

echo "Davidson (recall on offensive+hate, false alarms on neither):"
echo
echo "| | recall | false alarms |"
echo "|---|---|---|"
for m in 1 2 3 4 5; do ours $m "$out/davidson.texts" > "$out/davidson.ours$m"; done
paste "$out/davidson.ours1" "$out/davidson.ours2" "$out/davidson.ours3" "$out/davidson.ours4" "$out/davidson.ours5" > "$out/davidson.ours"
davidson "$out/davidson.ours" "esafety(min_severity=1,default) esafety(min_severity=2) esafety(min_severity=3) esafety(min_severity=4) esafety(min_severity=5)"
peers "$out/davidson.texts" > "$out/davidson.peers"
davidson "$out/davidson.peers" "obscenity bad-words"
# how far the libraries agree that a "neither" text holds a bad word
paste "$out/davidson.labels" "$out/davidson.ours1" "$out/davidson.peers" | awk -F'\t' '
	$1 != "neither" { next }
	{ n++ } $3 || $4 { either++ } $2 { ours++; if ($3 || $4) shared++ }
	END { printf "\n\"neither\" texts that obscenity or bad-words flags: %d/%d (%.4f); of our %d false alarms, %d are flagged by one of them too\n",
		either, n, either / n, ours, shared }'

for f in goaway traps dict; do
	case $f in
	goaway) texts=$out/goaway.texts ;;
	traps) texts=$data/obscenity-traps/whitelist_terms.txt ;;
	dict) texts=$dict ;;
	esac
	ours 1 "$texts" > "$out/$f.ours"
	peers "$texts" > "$out/$f.peers"
	paste "$out/$f.ours" "$out/$f.peers" > "$out/$f.all"
done
echo
echo "| | esafety | obscenity | bad-words |"
echo "|---|---|---|---|"
echo "| go-away cases right | $(goaway "$out/goaway.all" | sed 's/ / | /g') |"
echo "| obscenity traps clean | $(clean "$out/traps.all" | sed 's/ / | /g') |"
echo "| dictionary words flagged (of $(wc -l < "$dict")) | $(flagged "$out/dict.all" | sed 's/ / | /g') |"
