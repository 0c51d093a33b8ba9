#!/usr/bin/python3
"""pii-bench.py - recall and precision of the personal-data scanner on
Presidio's recognizer test vectors, per type. Called by pii-bench.sh:
    pii-bench.py VECTORS.json PII_BENCH RULESDIR
Each vector's text is scanned on its own (as one message body would be).
Types we cover: NHS, NINO, postcode, passport, driving licence, card, IBAN,
email, and UK phone numbers (the phone vectors' other countries are out of
scope: only their +44 number counts as expected). Dates are scored only for
false alarms: a date is a date of birth only with birth context. Any match
we make that no vector expects counts against the precision of its type."""
import json
import os
import subprocess
import tempfile
import sys
from collections import defaultdict

COVERED = {
    "test_uk_nhs_recognizer.py": "nhs_number", "test_uk_nino_recognizer.py": "nino",
    "test_uk_postcode_recognizer.py": "postcode", "test_uk_passport_recognizer.py": "passport",
    "test_uk_driving_licence_recognizer.py": "driving_licence",
    "test_credit_card_recognizer.py": "card", "test_iban_recognizer.py": "iban",
    "test_email_recognizer.py": "email", "test_phone_recognizer.py": "phone",
}

vectors = json.load(open(sys.argv[1]))
texts = [v.get("text", v.get("iban", "")) for v in vectors]


def scan(local=None):
    """our matches per vector: {index: [(type, start, end)]}"""
    cmd = [sys.argv[2], "match", sys.argv[3]] + ([local] if local else [])
    run = subprocess.run(cmd, check=True, capture_output=True, input="\0".join(texts).encode())
    found = defaultdict(list)
    for line in run.stdout.decode().splitlines():
        idx, typ, start, end, _ = line.split()
        found[int(idx)].append((typ, int(start), int(end)))
    return found


# Shape and checksum alone (confidence threshold 0, context ignored), for comparison.
with tempfile.TemporaryDirectory() as local:
    os.mkdir(os.path.join(local, "personal_data"))
    with open(os.path.join(local, "personal_data", "personal_data.rules"), "w") as f:
        f.write("[general]\nthreshold = 0\n")
    pattern_only = scan(local)
ours = scan()

def score(found):
    """TP, FP, FN per type and the misses, for matches FOUND"""
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    misses = []
    for i, v in enumerate(vectors):
        want_type = COVERED.get(v["source_test"])
        spans = v.get("expected_positions") or v.get("expected_res") or []
        n_want = v.get("expected_len") or 0
        if want_type == "phone":   # only UK numbers are ours to find
            spans = [s for s in spans if texts[i][s[0]:s[1]].lstrip().startswith("+44")]
            n_want = len(spans)
        text_bytes = texts[i].encode()
        mine = [(t, len(text_bytes[:s].decode()), len(text_bytes[:e].decode())) for t, s, e in found[i]]
        same = [m for m in mine if m[0] == want_type]
        for m in mine:
            if m[0] != want_type:
                fp[m[0]] += 1
                misses.append(("false alarm", m[0], texts[i]))
        if not want_type:
            continue
        if spans:
            hit = set()
            for s in spans:
                k = next((j for j, m in enumerate(same) if j not in hit and m[1] < s[1] and s[0] < m[2]), None)
                if k is None:
                    fn[want_type] += 1
                    misses.append(("missed", want_type, texts[i]))
                else:
                    hit.add(k)
                    tp[want_type] += 1
            fp[want_type] += len(same) - len(hit)
            if len(same) > len(hit):
                misses.append(("false alarm", want_type, texts[i]))
        else:
            tp[want_type] += min(len(same), n_want)
            fp[want_type] += max(0, len(same) - n_want)
            fn[want_type] += max(0, n_want - len(same))
            if len(same) != n_want:
                misses.append(("missed" if len(same) < n_want else "false alarm", want_type, texts[i]))
    return tp, fp, fn, misses


tp, fp, fn, misses = score(ours)
ptp, pfp, pfn, _ = score(pattern_only)


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


print("%-16s %5s %5s %5s %9s %9s   %s" % ("type", "TP", "FP", "FN", "recall", "precision",
                                         "shape+checksum only: recall precision"))
types = sorted(set(COVERED.values()) | set(fp) | set(pfp))
for t in types:
    print("%-16s %5d %5d %5d %9s %9s   %9s %9s" % (t, tp[t], fp[t], fn[t], pct(tp[t], tp[t] + fn[t]),
          pct(tp[t], tp[t] + fp[t]), pct(ptp[t], ptp[t] + pfn[t]), pct(ptp[t], ptp[t] + pfp[t])))
T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
PT, PF, PN = sum(ptp.values()), sum(pfp.values()), sum(pfn.values())
print("%-16s %5d %5d %5d %9s %9s   %9s %9s" % ("overall", T, F, N, pct(T, T + N), pct(T, T + F),
                                             pct(PT, PT + PN), pct(PT, PT + PF)))
for kind, typ, text in misses:
    print("# %s %s: %r" % (kind, typ, text[:90]))
