#!/usr/bin/env python3
"""mkfixtures.py - generate the pupil-data test fixtures into DIR from recipes
(Python standard library only): pupil lists of 1, 5 and 200 pupils as CSV,
XLSX, ODS, DOCX, PDF, RTF and CTF; ordinary attachments that must not be
flagged; and bad input (zip bombs, corrupt zip, truncated XLSX, billion
laughs, a looping PDF). All names and numbers are made up."""
import datetime
import io
import os
import random
import struct
import sys
import zipfile
import zlib

OUT = sys.argv[1]
rnd = random.Random(5)
FORENAMES = "Amelia Oliver Isla George Ava Noah Freya Arthur Lily Leo Mia Oscar Ivy Harry Grace".split()
SURNAMES = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Khan Evans Walker".split()
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(serial):
    """a valid permanent UPN: LA 821, establishment 4001, year 14, SERIAL"""
    body = "8214001%02d%03d" % (14 + serial // 1000, serial % 1000)
    total = sum((i + 2) * int(c) for i, c in enumerate(body))
    return UPN_LETTERS[total % 23] + body


def pupils(n):
    rows = []
    for i in range(n):
        rows.append([SURNAMES[i % len(SURNAMES)] + ("" if i < len(SURNAMES) else str(i)),
                     FORENAMES[(i * 7) % len(FORENAMES)],
                     "%02d/%02d/%d" % (1 + i % 28, 1 + i % 12, 2013 + i % 3),
                     upn(i + 1), "Year %d" % (5 + i % 2), "5%s" % "ABC"[i % 3],
                     rnd.choice(["", "K", "E", ""]), rnd.choice(["Y", "N", "N"])])
    return rows


HEADER = ["Surname", "Forename", "DOB", "UPN", "Year Group", "Reg Group", "SEN Status", "FSM Eligible"]


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(OUT, name), mode) as f:
        f.write(data)


def csv_text(header, rows):
    return "".join(",".join(r) + "\r\n" for r in [header] + rows)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx(header, rows):
    strings, index = [], {}
    def si(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]
    sheet = []
    for r, row in enumerate([header] + rows, 1):
        cells = "".join('<c r="%s%d" t="s"><v>%d</v></c>' % (chr(65 + c), r, si(v))
                        for c, v in enumerate(row) if v)
        sheet.append('<row r="%d">%s</row>' % (r, cells))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/></Relationships>' % rel)
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook %s xmlns:r="%s"><sheets>'
                   '<sheet name="Class list" sheetId="1" r:id="rId1"/></sheets></workbook>' % (ns, rel))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="%s/sharedStrings" Target="sharedStrings.xml"/></Relationships>' % (rel, rel))
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData></worksheet>'
                   % (ns, "".join(sheet)))
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">%s</sst>'
                   % (ns, len(strings), len(strings), "".join("<si><t>%s</t></si>" % esc(s) for s in strings)))
    return buf.getvalue()


def ods(header, rows, manifest_extra=""):
    cell = lambda v: '<table:table-cell office:value-type="string"><text:p>%s</text:p></table:table-cell>' % esc(v)
    body = "".join("<table:table-row>%s</table:table-row>" % "".join(cell(v) for v in row) for row in [header] + rows)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">%s</manifest:file-entry></manifest:manifest>' % manifest_extra)
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                   '<office:body><office:spreadsheet><table:table table:name="Sheet1">%s</table:table></office:spreadsheet></office:body></office:document-content>' % body)
    return buf.getvalue()


def docx(paragraphs, header=None, rows=()):
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para = lambda t: "<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % esc(t)
    table = ""
    if header:
        tr = lambda row: "<w:tr>%s</w:tr>" % "".join("<w:tc>%s</w:tc>" % para(v) for v in row)
        table = "<w:tbl>%s</w:tbl>" % "".join(tr(r) for r in [header] + list(rows))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>%s%s</w:body></w:document>'
                   % (W, "".join(para(p) for p in paragraphs), table))
    return buf.getvalue()


def pptx(slides):
    """a minimal presentation: one slide per list of paragraphs"""
    P = ('xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
         'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        R = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships %s>'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="ppt/presentation.xml"/></Relationships>' % R)
        z.writestr("ppt/_rels/presentation.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships %s>%s</Relationships>'
                   % (R, "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" '
                                 'Target="slides/slide%d.xml"/>' % (i + 1, i + 1) for i in range(len(slides)))))
        z.writestr("ppt/presentation.xml", '<?xml version="1.0" encoding="UTF-8"?><p:presentation %s/>' % P)
        for i, paras in enumerate(slides):
            body = "".join("<a:p><a:r><a:t>%s</a:t></a:r></a:p>" % esc(t) for t in paras)
            z.writestr("ppt/slides/slide%d.xml" % (i + 1), '<?xml version="1.0" encoding="UTF-8"?><p:sld %s><p:cSld><p:spTree>'
                       '<p:sp><p:txBody>%s</p:txBody></p:sp></p:spTree></p:cSld></p:sld>' % (P, body))
    return buf.getvalue()


def pdf(lines, extra_objects=None):
    """a minimal valid PDF, 50 lines a page, Helvetica"""
    pages = [lines[i:i + 50] for i in range(0, len(lines), 50)] or [[]]
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    for n, page in enumerate(pages):
        pid, cid = 4 + 2 * n, 5 + 2 * n
        kids.append(pid)
        esc_ = lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = ("BT /F1 9 Tf 11 TL 40 800 Td " + " ".join("(%s) Tj T*" % esc_(l) for l in page) + " ET").encode()
        objs[pid] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % cid
        objs[cid] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    objs[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % k for k in kids).encode(), len(kids))
    if extra_objects:
        objs.update(extra_objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objs[num])
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def pdf_cells(rows, width=90):
    """a one-page PDF table drawn cell by cell, as spreadsheets print: poppler's
    reading order takes its columns one after another"""
    esc_ = lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = " ".join("BT /F1 8 Tf %d %d Td (%s) Tj ET" % (30 + width * c, 800 - 12 * r, esc_(v))
                      for r, row in enumerate(rows) for c, v in enumerate(row) if v).encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for num, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (num, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def cfb(name, stream):
    """a compound file holding one stream NAME (at least 4096 bytes)"""
    return cfb_streams([(name, stream)])


def cfb_streams(streams):
    """a compound file holding STREAMS, [(name, bytes)] each at least 4096 bytes
    so it sits in ordinary 512-byte sectors: FAT in sector 0, directory in 1,
    the streams one after another; the directory lists them as right siblings"""
    fat, dirs, body = [0xFFFFFFFD, 0xFFFFFFFE], b"", b""
    def entry(nm, kind, right, child, start, size):
        u = nm.encode("utf-16-le") + b"\0\0"
        return (u.ljust(64, b"\0") + struct.pack("<HBBIII", len(u), kind, 1, 0xFFFFFFFF, right, child) +
                b"\0" * 36 + struct.pack("<III", start, size, 0))
    for i, (name, stream) in enumerate(streams):
        stream += b"\0" * (-len(stream) % 512)
        first, n = len(fat), len(stream) // 512
        fat += [first + 1 + k for k in range(n - 1)] + [0xFFFFFFFE]
        right = i + 2 if i + 1 < len(streams) else 0xFFFFFFFF
        dirs += entry(name, 2, right, 0xFFFFFFFF, first, len(stream))
        body += stream
    dirs = entry("Root Entry", 5, 0xFFFFFFFF, 1, 0xFFFFFFFE, 0) + dirs
    dirs += (b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 48) * (-(len(dirs) // 128) % 4)
    assert len(dirs) == 512 and len(fat) <= 128
    fat += [0xFFFFFFFF] * (128 - len(fat))
    head = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 10 +
            struct.pack("<IIIIIIII", 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0) + struct.pack("<I", 0) + b"\xff" * 432)
    return head + struct.pack("<128I", *fat) + dirs + body


def doc(paragraphs, header, rows, after=""):
    """a Word 97 document: PARAGRAPHS, then a table of HEADER and ROWS (each
    cell ends with a cell mark, 0x07, each row with one more), then AFTER. The text is
    two pieces, as Word writes an edited file: the paragraphs and the header
    row in 8-bit (Windows-1252), the rows in UTF-16; the piece table (CLX)
    is in the 1Table stream, which the FIB names"""
    row = lambda cells: "".join(c + "\x07" for c in cells) + "\x07"
    texts = ["".join(p + "\r" for p in paragraphs) + row(header), "".join(row(r) for r in rows) + after + "\r"]
    data = [texts[0].encode("cp1252"), texts[1].encode("utf-16-le")]
    fib = bytearray(0x800)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<HH", fib, 0x0A, 0x0200, 0x00BF)	# fWhichTblStm: the table stream is 1Table
    struct.pack_into("<H", fib, 0x20, 14)
    struct.pack_into("<H", fib, 0x3E, 22)
    struct.pack_into("<I", fib, 0x4C, sum(len(t) for t in texts))	# ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)
    fc8 = len(fib)
    fc16 = fc8 + len(data[0]) + len(data[0]) % 2
    cps = [0, len(texts[0]), len(texts[0]) + len(texts[1])]
    pcds = struct.pack("<HIH", 0, 0x40000000 | (fc8 * 2), 0) + struct.pack("<HIH", 0, fc16, 0)
    plc = struct.pack("<3I", *cps) + pcds
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x1A2, 0, len(clx))	# fcClx, lcbClx
    word = bytes(fib) + data[0] + b"\0" * (len(data[0]) % 2) + data[1]
    return cfb_streams([("WordDocument", word + b"\0" * max(0, 4096 - len(word))),
                        ("1Table", clx + b"\0" * (4096 - len(clx)))])


def xls(header, rows, extra=b""):
    """an Excel 97 (BIFF8) workbook: strings in the SST, dates of birth as
    numbers; EXTRA: more records for the sheet"""
    rec = lambda t, d: struct.pack("<HH", t, len(d)) + d
    strings = sorted({v for row in [header] + rows for v in row if v and "/" not in v})
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        struct.pack("<HB", len(v), 0) + v.encode("latin-1") for v in strings)
    cells = b""
    for r, row in enumerate([header] + rows):
        for c, v in enumerate(row):
            if v and "/" in v:	# dd/mm/yyyy as Excel's day count
                d, m, y = map(int, v.split("/"))
                days = (datetime.date(y, m, d) - datetime.date(1899, 12, 30)).days
                cells += rec(0x0203, struct.pack("<HHHd", r, c, 0, days))
            elif v:
                cells += rec(0x00FD, struct.pack("<HHHI", r, c, 0, strings.index(v)))
    bof = lambda kind: rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))
    book = bof(5) + rec(0x00FC, sst) + rec(0x000A, b"") + bof(0x10) + cells + extra + rec(0x000A, b"")
    return cfb("Workbook", book + b"\0" * max(0, 4096 - len(book)))


def rtf(header, rows):
    cells = lambda row: "".join(r"\pard\intbl %s\cell " % v for v in row)
    body = "".join(r"\trowd" + "".join(r"\cellx%d" % (1000 * (i + 1)) for i in range(len(row))) +
                   cells(row) + r"\row" "\n" for row in [header] + rows)
    return r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\info{\title Class list}}" "\n" + body + "}"


def ctf(rows):
    pupil = lambda r: ("<Pupil><UPN>%s</UPN><Surname>%s</Surname><Forename>%s</Forename><DOB>%s</DOB><Sex>F</Sex>"
                       "<BasicDetails><Ethnicity>WBRI</Ethnicity></BasicDetails><SENhistory><SEN><SENprovision>K</SENprovision></SEN></SENhistory>"
                       "</Pupil>") % (r[3], esc(r[0]), r[1], "-".join(reversed(r[2].split("/"))))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName>'
            "<CTFversion>23.0</CTFversion><SourceSchool><LEA>820</LEA><Estab>4001</Estab></SourceSchool></Header>"
            "<CTFpupilData>%s</CTFpupilData></CTfile>\n" % "".join(pupil(r) for r in rows))


def png():
    raw = b"".join(b"\0" + bytes([(x * 3 + y) % 256 for x in range(64)] * 3) for y in range(64))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def tnef(name, data):
    rec = lambda lvl, att, d: struct.pack("<BII", lvl, att, len(d)) + d + struct.pack("<H", sum(d) & 0xffff)
    return struct.pack("<IH", 0x223E9F78, 0x0101) + rec(1, 0x00089006, b"\x01\x00\x00\x00") + \
        rec(2, 0x00069002, b"\x01\x00" + b"\xff" * 12) + rec(2, 0x00018010, name.encode() + b"\0") + \
        rec(2, 0x0006800F, data)


def zipped(members, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def pupil_lists():
    for n in (1, 5, 200):
        rows = pupils(n)
        write("pupils_%d.csv" % n, csv_text(HEADER, rows))
        write("pupils_%d.xlsx" % n, xlsx(HEADER, rows))
        write("pupils_%d.ods" % n, ods(HEADER, rows))
        write("pupils_%d.docx" % n, docx(["Class 5B: pupil list for the trip", "Please keep this safe."], HEADER, rows))
        write("pupils_%d.pdf" % n, pdf(["Class list 5B", " ".join(HEADER[:4])] + [" ".join(r[:4]) for r in rows]))
        write("pupils_%d.rtf" % n, rtf(HEADER, rows))
        write("ctf_%d.xml" % n, ctf(rows))
    rows = pupils(5)
    write("pupils_5.html", "<html><body><h1>Class 5B</h1><table>%s</table></body></html>" % "".join(
        "<tr>%s</tr>" % "".join("<td>%s</td>" % esc(v) for v in row) for row in [HEADER] + rows))
    write("pupils_5_utf16.csv", b"\xff\xfe" + csv_text(HEADER, rows).encode("utf-16-le"))
    # no header row: names and dates of birth of pupils 9 to 11 this year
    # (relative to today, so the list never ages out of school)
    this_year = datetime.date.today().year
    write("pupils_5_headerless.csv", "".join("%s,%s,%02d/%02d/%d,%s\r\n" % (r[0], r[1], 1 + 5 * i, 1 + 2 * i, this_year - 9 - i % 3, r[5])
                                             for i, r in enumerate(rows)))
    # UTF-16 with no byte-order mark ("Unicode text" from some tools), and
    # with a mark but a stray last byte or a lone surrogate, which Notepad
    # and Excel still read
    wide = csv_text(HEADER, rows).encode("utf-16-le")
    write("pupils_5_utf16_nobom.csv", wide)
    write("pupils_5_utf16be_nobom.csv", csv_text(HEADER, rows).encode("utf-16-be"))
    write("pupils_5_utf16_stray.csv", b"\xff\xfe" + wide[:-4] + b"\r")
    write("pupils_5_utf16_surrogate.csv", b"\xff\xfe" + wide[:40] + b"\x00\xd8" + wide[40:])
    cols = [0, 1, 2, 4, 6, 7]	# no UPN: only the table says these are pupils
    write("pupils_5.xls", xls([HEADER[c] for c in cols], [[r[c] for c in cols] for r in rows]))
    # a Word 97 report with a table of pupils: name, DOB, SEN status
    write("pupils_5.doc", doc(["Class 5B: pupils with SEN support", "Please keep this safe."],
                              ["Name", "DOB", "SEN Status"], [[r[1] + " " + r[0], r[2], r[6] or "None"] for r in rows]))
    # the same behind a forged field begin (0x13) that never ends, so Word
    # shows no table; and behind one closed after it (0x15), the table as
    # the field's code: the detectors must still read the class list
    for name, after in (("open", ""), ("closed", "\x15")):
        write("pupils_5_field_%s.doc" % name, doc(["Class 5B: pupils with SEN support", "Please keep this safe.\x13"],
                                                  ["Name", "DOB", "SEN Status"],
                                                  [[r[1] + " " + r[0], r[2], r[6] or "None"] for r in rows], after))
    write("pupils_5_cells.pdf", pdf_cells([[HEADER[c] for c in cols]] + [[r[c] for c in cols] for r in rows]))
    write("pupils_5.pptx", pptx([["Class 5B"], ["Names and DOB for the trip"] + [" ".join(r[:3]) for r in rows]]))
    write("pupils_5_report.docx", docx(["Pupil progress report"] + ["%s %s, date of birth %s, needs a reading plan." % (r[1], r[0], r[2]) for r in rows]))
    write("pupils_5_nested.zip", zipped([("lists/pupils.csv", csv_text(HEADER, rows)),
                                         ("inner.zip", zipped([("pupils.xlsx", xlsx(HEADER, rows))]))]))
    eml = ("From: a@example.org\r\nTo: b@example.org\r\nSubject: list\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
           "--b\r\nContent-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\n"
           + csv_text(HEADER, rows) + "--b--\r\n")
    write("pupils_5_eml.zip", zipped([("forwarded.eml", eml)]))
    fwd = ("From: c@example.org\r\nTo: d@example.org\r\nSubject: Fwd: list\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nFYI\r\n"
           "--o\r\nContent-Type: message/rfc822\r\n\r\n" + eml + "\r\n--o--\r\n")
    write("pupils_5_fwd_eml.zip", zipped([("forwarded-twice.eml", fwd)]))
    write("winmail.dat", tnef("pupils.csv", csv_text(HEADER, rows).encode()))
    # an ODF whose manifest says its members are encrypted (the structure LibreOffice writes)
    write("enc_odf.ods", ods(HEADER, [], '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                            '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/>'
                            '</manifest:encryption-data>'))


def ordinary():
    tt = ["Period", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    rows = [["%d" % p] + ["7%s %s" % ("ABC"[(p + d) % 3], ["Maths", "English", "Science", "Art"][(p * d) % 4]) for d in range(5)] for p in range(1, 7)]
    write("timetable.csv", csv_text(tt, rows))
    write("timetable.xlsx", xlsx(tt, rows))
    write("newsletter.docx", docx(["Spring newsletter", "Sports day is on 12/07/2026 for Year 5 and Year 6.",
                                   "Well done to Amelia and George in Class 5B for the poetry prize.",
                                   "Mrs Smith and Mr Patel will run the book fair on 3 March 2026.",
                                   "Term ends on Friday 27 March 2026."]))
    write("timetable_cells.pdf", pdf_cells([tt] + rows))
    write("timetable.xls", xls(tt, rows))
    # a Word 97 letter with a hyperlink field whose code holds a page field:
    # Word shows "Dear parent carer"
    write("letter_fields.doc", doc(["Dear \x13 HYPERLINK \"\x13 PAGE \x14 3\x15\" \x14parent\x15 carer", "See you soon."],
                                   ["Term", "Starts"], [["Spring", "05/01/2026"]]))
    # a formula whose shown result (its STRING record) is the only place a
    # phrase is, beside an ordinary cell
    said = b"you are a bellend"
    write("formula.xls", xls(["Notes"], [], struct.pack("<HHHHH", 0x0006, 20, 1, 0, 0) + b"\0" * 20 +
                             struct.pack("<HHHB", 0x0207, len(said) + 3, len(said), 0) + said))
    write("invoice.pdf", pdf(["INVOICE INV-2026-0031", "Date: 01/03/2026", "Bill to: Example Primary School",
                              "Item Qty Price", "A4 paper 10 24.50", "Glue sticks 30 12.00", "Total 36.50"]))
    rota = ["Name", "Day", "Start", "Finish", "Duty"]
    rrows = [[n, d, "08:30", "09:00", "Gate"] for n, d in zip(["Anna", "Ben", "Chloe", "Dev", "Ella"],
                                                              ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])]
    write("staff_rota.csv", csv_text(rota, rrows))
    # staff HR data: personal data (NI numbers, adults' dates of birth), for
    # the personal-data detector, but not pupils
    hr = ["Surname", "Forename", "DOB", "NI Number", "Post", "Salary", "Sickness days"]
    write("staff_hr.csv", csv_text(hr, [["Smith", "John", "03/04/1975", "AB123456C", "Teacher", "32000", "4"],
                                        ["Jones", "Amy", "12/11/1988", "CE654321A", "Teaching assistant", "21000", "0"],
                                        ["Patel", "Raj", "01/01/1969", "JK112233B", "Caretaker", "28500", "12"]]))
    write("staff_rota.xlsx", xlsx(rota, rrows))
    write("photo.png", png())


def bad_input():
    zeros = b"\0" * (50 << 20)
    write("bomb_flat.zip", zipped([("zeros%d.bin" % i, zeros) for i in range(4)]))
    layer = zipped([("0.bin", b"\0" * (20 << 20))])
    for depth in range(5):		# 42.zip style: each layer holds ten copies of the one below
        layer = zipped([("%d.zip" % i, layer) for i in range(10)])
    write("bomb_nested.zip", layer)
    good = open(os.path.join(OUT, "pupils_200.xlsx"), "rb").read()
    write("truncated.xlsx", good[:len(good) // 2])
    corrupt = bytearray(open(os.path.join(OUT, "pupils_5_nested.zip"), "rb").read())
    for i in range(30, len(corrupt), 7):
        corrupt[i] ^= 0x5a
    write("corrupt.zip", bytes(corrupt))
    lol = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    lol += "".join('<!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10) for i in range(1, 10))
    write("billion_laughs.xml", lol + "]>\n<lolz>&lol9;</lolz>\n")
    # a page tree whose Kids holds itself, and an xref chain whose /Prev points at itself
    looping = pdf(["Surname Forename DOB"], {2: b"<< /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >>"})
    looping = looping.replace(b"/Root 1 0 R >>", b"/Root 1 0 R /Prev %d >>" % looping.rindex(b"xref"))
    write("loop.pdf", looping)


os.makedirs(OUT, exist_ok=True)
pupil_lists()
ordinary()
bad_input()
