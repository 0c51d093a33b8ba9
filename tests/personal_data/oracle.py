#!/usr/bin/python3
"""oracle.py - make thousands of valid and one-character-corrupted UPN, NHS,
NINO, ULN, IBAN and card numbers, and print "TYPE VALUE VERDICT" lines with
the verdict of an independent oracle: python3-stdnum for UPN, NHS, IBAN and
Luhn; for NINO (stdnum 1.18 has no gb.nino module) and ULN (stdnum has none)
a transcription of the published rules written here, not from our C code."""
import random
import re
import sys

from stdnum import iban, luhn
from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.gb import nhs, upn

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 4)
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PSEUDO_LA = set(range(1, 6)) | set(range(660, 682)) | set(range(701, 709))


def upn_oracle(v):
    """stdnum, plus the DfE pseudo-LA codes (test tools) that the reference
    document counts as valid and stdnum's list of real LAs leaves out"""
    try:
        return upn.is_valid(v) or bool(upn.validate(v))
    except InvalidComponent:
        return int(v[1:4]) in PSEUDO_LA and upn.calc_check_digit(v[1:]) == v[0]
    except ValidationError:
        return False


NINO_RE = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?$")


def nino_oracle(v):
    return bool(NINO_RE.match(v))


def uln_oracle(v):
    if not re.match(r"^[0-9]{10}$", v):
        return False
    r = sum(int(d) * w for d, w in zip(v[:9], range(10, 1, -1))) % 11
    return 10 - r != 10 and 10 - r == int(v[9])


def iban_oracle(v):
    """stdnum, which also accepts letters as check digits; ISO 13616 says
    the two check digits are digits, and so do we"""
    return iban.is_valid(v, check_country=False) and v[2:4].isdigit()


def corrupt(v, alphabet):
    """the same value with one character changed to another of ALPHABET"""
    i = rnd.randrange(len(v))
    choices = [c for c in alphabet if c != v[i]]
    return v[:i] + rnd.choice(choices) + v[i + 1:]


def upns():
    las = sorted(upn._la_numbers) + sorted(PSEUDO_LA)
    for _ in range(N):
        body = "%03d" % rnd.choice(las) + "".join(rnd.choice(DIGITS) for _ in range(8))
        body += rnd.choice(DIGITS) if rnd.random() < 0.7 else rnd.choice("ABCDEFGHJKLMNPQRTUVWXYZ")
        good = upn.calc_check_digit(body) + body
        yield good
        yield corrupt(good, DIGITS if rnd.random() < 0.8 else LETTERS)


def nhss():
    for _ in range(N):
        body = "".join(rnd.choice(DIGITS) for _ in range(9))
        fits = [d for d in DIGITS if nhs.checksum(body + d) == 0]
        good = body + (fits[0] if fits else "0")   # no digit fits when the check would be 10
        yield good
        yield corrupt(good, DIGITS)


def ninos():
    for _ in range(N):
        v = rnd.choice(LETTERS) + rnd.choice(LETTERS) + "".join(rnd.choice(DIGITS) for _ in range(6))
        v += rnd.choice(["", "A", "B", "C", "D"])
        yield v
        yield corrupt(v, LETTERS if rnd.random() < 0.5 else DIGITS)


def ulns():
    for _ in range(N):
        body = "".join(rnd.choice(DIGITS) for _ in range(9))
        r = sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11
        good = body + str(10 - r) if r != 0 else body + "0"
        yield good
        yield corrupt(good, DIGITS)


def bban(structure):
    out = ""
    for count, kind in re.findall(r"(\d+)!?([nac])", structure):
        pool = {"n": DIGITS, "a": LETTERS, "c": DIGITS + LETTERS}[kind]
        out += "".join(rnd.choice(pool) for _ in range(int(count)))
    return out


def ibans():
    structures = []
    for line in open(iban.__file__.replace("iban.py", "iban.dat")):
        m = re.match(r'^([A-Z]{2}) .*bban="([^"]*)"', line)
        if m:
            structures.append((m.group(1), m.group(2)))
    for _ in range(N):
        cc, st = rnd.choice(structures)
        b = bban(st)
        check = iban.mod_97_10.calc_check_digits(b + cc)
        good = cc + check + b
        yield good
        yield corrupt(good, DIGITS if rnd.random() < 0.5 else LETTERS)


def cards():
    for _ in range(N):
        body = "".join(rnd.choice(DIGITS) for _ in range(rnd.randrange(12, 19)))
        good = body + luhn.calc_check_digit(body)
        yield good
        yield corrupt(good, DIGITS)


for kind, gen, oracle in (("upn", upns, upn_oracle), ("nhs", nhss, nhs.is_valid),
                          ("nino", ninos, nino_oracle), ("uln", ulns, uln_oracle),
                          ("iban", ibans, iban_oracle),
                          ("luhn", cards, luhn.is_valid)):
    for v in gen():
        print(kind, v, 1 if oracle(v) else 0)
