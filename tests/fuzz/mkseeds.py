#!/usr/bin/env python3
"""mkseeds.py - hand-made seed inputs for the fuzz targets, written into
OUT/<target>/ (standard library only; mkseeds.sh adds the test fixtures)."""
import os
import struct
import sys
import zipfile
import io

OUT = sys.argv[1]


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def eml(body, headers="", ctype="text/plain; charset=utf-8"):
    return ("From: tom@pupils.school.example\r\nTo: amy@pupils.school.example\r\n"
            "Subject: hi\r\nMessage-ID: <s@x>\r\nMIME-Version: 1.0\r\n%sContent-Type: %s\r\n\r\n%s"
            % (headers, ctype, body))


def multipart(parts, boundary="b1"):
    out = ""
    for ctype, enc, body in parts:
        out += "--%s\r\nContent-Type: %s\r\n%s\r\n%s\r\n" % (
            boundary, ctype, "Content-Transfer-Encoding: %s\r\n" % enc if enc else "", body)
    return out + "--%s--\r\n" % boundary


def cfb():
    """a minimal compound file: header, one FAT sector, one directory sector"""
    hdr = bytearray(512)
    hdr[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIII", hdr, 44, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE)
    struct.pack_into("<I", hdr, 68, 0)
    struct.pack_into("<I", hdr, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", hdr, 76 + 4 * i, 0xFFFFFFFF)
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * 504
    root = bytearray(128)
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    root[0:len(name)] = name
    struct.pack_into("<HBB", root, 64, len(name), 5, 1)
    struct.pack_into("<III", root, 68, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    struct.pack_into("<I", root, 116, 0xFFFFFFFE)
    return bytes(hdr) + fat + bytes(root) + b"\0" * 384


def tnef():
    """TNEF signature, key and one attachment-title attribute"""
    title = b"pupils.csv\0"
    attr = struct.pack("<BII", 2, 0x00018010, len(title)) + title
    attr += struct.pack("<H", sum(title) & 0xFFFF)
    return struct.pack("<IH", 0x223E9F78, 1) + attr


def zipped(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in members:
            z.writestr(n, d)
    return b.getvalue()


put("fuzz_scan", "plain.eml", eml("see you in maths\r\n"))
put("fuzz_scan", "flagged.eml", eml("you are such a bellend, UPN A820400114001 NHS 943 476 5919\r\n"))
put("fuzz_scan", "html.eml", eml("<p>Meet me after <b>school</b>, don&#39;t tell</p>\r\n", ctype="text/html"))
put("fuzz_scan", "multipart.eml", eml(multipart([
    ("text/plain", "quoted-printable", "caf=C3=A9 f=0Ack\r\n"),
    ("text/csv; name=a.csv", "base64", "VVBOLE5hbWUKQTgyMDQwMDExNDAwMSxBbWVsaWEK"),
    ("application/zip; name=a.zip", "base64", __import__("base64").b64encode(zipped([("a.txt", "kys")])).decode()),
    ("message/rfc822", None, "Subject: inner\r\n\r\nfwd text\r\n")]),
    ctype='multipart/mixed; boundary="b1"'))
put("fuzz_scan", "eicar.eml", eml("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r\n"))
put("fuzz_scan", "encoded-words.eml", eml("body\r\n", headers="X-Note: =?utf-8?B?w6nDqQ==?= =?iso-8859-1?Q?caf=E9?=\r\n"))
put("fuzz_textnorm", "leet", b"\x07f.u_ck " + "Ｆｕｃｋ".encode() + b" f u c k fu\xe2\x80\x8bck @handle http://x.example/a 3rd 45s k!ll")
put("fuzz_textnorm", "scripts", b"\x00\xd1\x81\xd0\xb0t \xce\xb1\xce\xb2 \xe6\x97\xa5\xe6\x9c\xac don't who're end.Then \xff\xfe")
put("fuzz_html", "css", "<html><head><meta charset=utf-8><style>.h{display:none} [data-x]{font-size:0} "
    "span[title~=a]{visibility:hidden} :root{--h:none} p .q{color:#fff} @media print{.p{display:inline}}</style></head>"
    "<body bgcolor=white text=black>f<span class=h>x</span>u<span data-x>y</span>ck <b style='display:var(--h, block)'>z</b>"
    "<font color=ffffff>w</font><table bgcolor=#333><tr><td style='color:rgb(51,51,51)'>v</td></tr></table>"
    "<p style='color:hsl(0,0%,100%);opacity:0'>u</p>&amp;&#x41;&nbsp;&unknown;<!-- c --><script>x</script></body></html>")
put("fuzz_html", "table", "<table><tr><th>UPN</th><th>Name</th></tr><tr><td>A820400114001</td><td>Amelia</td></tr></table>"
    "<input type=hidden value=secret><img alt='an image' title=t><a href='http://x.example/'>link</a>")
for name, v in [("upn", "A820400114001"), ("uln", "1234567890"), ("nhs", "9434765919"), ("nino", "AB123456C"),
                ("card", "4111111111111111"), ("iban", "GB82WEST12345698765432")]:
    put("fuzz_ukid", name, v)
put("fuzz_pd_scan", "ids", "UPN A820400114001, NHS 943 476 5919, NI AB 12 34 56 C, card 4111 1111 1111 1111,\n"
    "IBAN GB82 WEST 1234 5698 7654 32, tel 07700 900123, SW1A 1AA, 12 High Street, born 01/02/2012,\n"
    "my password is hunter22, meet me at the park, amy@example.com")
put("fuzz_extract_zip", "small.zip", zipped([("a.csv", "UPN,Name\nA820400114001,Amelia\n"), ("b/c.txt", "hi")]))
put("fuzz_extract_xlsx", "empty.xlsx", zipped([("[Content_Types].xml", "<Types/>"), ("xl/sharedStrings.xml", "<sst><si><t>UPN</t></si></sst>")]))
put("fuzz_extract_docx", "min.docx", zipped([("[Content_Types].xml", "<Types/>"), ("word/document.xml",
    "<w:document xmlns:w='x'><w:body><w:p><w:r><w:t>Class list</w:t></w:r></w:p></w:body></w:document>")]))
put("fuzz_extract_ods", "min.ods", zipped([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml",
    "<office:document-content xmlns:office='o' xmlns:table='t' xmlns:text='x'><table:table><table:table-row>"
    "<table:table-cell><text:p>UPN</text:p></table:table-cell></table:table-row></table:table></office:document-content>")]))
put("fuzz_extract_pdf", "min.pdf", "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n")
put("fuzz_extract_rtf", "min.rtf", "{\\rtf1\\ansi{\\fonttbl\\f0 Arial;}\\f0 UPN\\tab Name\\par A820400114001\\tab Am\\'e9lia\\par\\u8364?}")
put("fuzz_extract_tnef", "min.dat", tnef())
put("fuzz_extract_cfb", "min.cfb", cfb())
