#!/usr/bin/env python3
"""mktorture.py - a malformed-MIME torture corpus for torture.sh, written to
OUT/NN-name.eml. Every message starts with an X-Torture-Id header so it can
be found wherever it is delivered."""
import base64
import os
import random
import sys

OUT = sys.argv[1]
rnd = random.Random(10)
os.makedirs(OUT, exist_ok=True)
HEAD = "From: x@external.example\r\nTo: amy@pupils.school.example\r\nSubject: torture %s\r\nMIME-Version: 1.0\r\n"
cases = []


def case(name, headers, body):
    cases.append((name, headers, body))


def nested(depth, ctype="multipart/mixed"):
    """(headers, body) of DEPTH multiparts, each the only part of the one
    around it; the outermost Content-Type is the message's own header"""
    body = "innermost text\r\n"
    for i in range(depth):
        head = "Content-Type: %s; boundary=\"b%d\"\r\n" % (ctype, i)
        body = "--b%d\r\n%s\r\n--b%d--\r\n" % (i, body, i)
        if i < depth - 1:
            body = head + "\r\n" + body
    return head, body


def rfc822_nested(depth):
    """(headers, body) of DEPTH messages, each the body of the one around it"""
    body = "Subject: inner\r\n\r\ninnermost\r\n"
    for _ in range(depth - 1):
        body = "Content-Type: message/rfc822\r\n\r\n" + body
    return "Content-Type: message/rfc822\r\n", body


case("deep-multipart", *nested(300))
case("deep-alternative", *nested(120, "multipart/alternative"))
case("deep-rfc822", *rfc822_nested(200))
case("unclosed-boundary", "Content-Type: multipart/mixed; boundary=\"zz\"\r\n",
     "--zz\r\nContent-Type: text/plain\r\n\r\nno end boundary\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>x")
case("missing-boundary-param", "Content-Type: multipart/mixed\r\n", "--zz\r\n\r\nhello\r\n--zz--\r\n")
case("empty-boundary", "Content-Type: multipart/mixed; boundary=\"\"\r\n", "--\r\n\r\nhello\r\n----\r\n")
case("boundary-prefix-of-other", "Content-Type: multipart/mixed; boundary=\"a\"\r\n",
     "--a\r\nContent-Type: multipart/mixed; boundary=\"ab\"\r\n\r\n--ab\r\n\r\nx\r\n--a--\r\n--ab--\r\n")
case("endless-multipart", "Content-Type: multipart/mixed; boundary=\"e\"\r\n",
     "".join("--e\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(20000)))
case("bad-base64", "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n",
     "!!!not*base64@@@\r\n" + base64.b64encode(b"bellend").decode()[:-3] + "\r\n====\r\nQQ\r\n")
case("bad-qp", "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n",
     "=ZZ=\r\n=4=\r\n=\r\n" + "=" * 5000 + "\r\n")
case("unknown-encoding", "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode-ish\r\n", "begin 644 x\r\nM\r\n")
case("bad-charset", "Content-Type: text/plain; charset=x-no-such-charset\r\n", "caf\xe9 \xff\xfe\r\n")
case("huge-header", "X-Long: " + "a" * 200000 + "\r\n", "body\r\n")
case("many-headers", "".join("X-H%d: v\r\n" % i for i in range(5000)), "body\r\n")
case("folded-forever", "X-Fold: start\r\n" + " x\r\n" * 20000, "body\r\n")
case("encoded-word-garbage", "X-E: =?utf-8?B?####?= =?x?Q?=FF=FE?= =?utf-8?q?" + "=E2" * 300 + "?=\r\n", "body\r\n")
case("nul-bytes", "Content-Type: text/plain\r\n", "before\0after\0\0\0 bellend\0\r\n" * 50)
case("8bit-garbage", "", "".join(chr(rnd.randrange(128, 256)) for _ in range(20000)) + "\r\n")
case("binary-random", "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n",
     "".join(chr(rnd.randrange(1, 256)) for _ in range(30000)))
case("long-line", "", "x" * 300000 + "\r\n")
case("cr-only", "Content-Type: text/plain\r\n", "line one\rline two\rbellend\r")
case("no-body", "", "")
case("headers-only-no-blank", "", None)
case("bad-content-type", "Content-Type: ;;;/;=\"\r\n", "hello\r\n")
case("attachment-zip-garbage", "Content-Type: multipart/mixed; boundary=\"q\"\r\n",
     "--q\r\nContent-Type: application/zip; name=a.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
     base64.b64encode(b"PK\x03\x04" + bytes(rnd.randrange(256) for _ in range(3000))).decode() + "\r\n--q--\r\n")
case("attachment-pdf-garbage", "Content-Type: multipart/mixed; boundary=\"q\"\r\n",
     "--q\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
     base64.b64encode(b"%PDF-1.7\n1 0 obj<</Length 99999999>>stream\n" + bytes(rnd.randrange(256) for _ in range(3000))).decode()
     + "\r\n--q--\r\n")
case("html-torture", "Content-Type: text/html\r\n",
     "<" * 5000 + "<script>" * 2000 + "&#xFFFFFFFF;&#0;&#55296;" + "<div>" * 10000 + "bellend")

for i, (name, headers, body) in enumerate(cases):
    msg = "X-Torture-Id: %02d-%s\r\n" % (i, name) + HEAD % name + headers
    if body is not None:
        msg += "\r\n" + body
    with open(os.path.join(OUT, "%02d-%s.eml" % (i, name)), "wb") as f:
        f.write(msg.encode("latin-1"))
