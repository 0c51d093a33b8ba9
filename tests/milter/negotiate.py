#!/usr/bin/python3
"""negotiate.py SOCKET - speak the milter protocol to esafety-milter as an MTA
would, and check what it negotiates: no HELO/DATA/unknown steps, no replies to
connect, recipients, headers, end of headers and body chunks when the MTA
offers that (Postfix does), a reply to every step when it does not (an older
MTA), and in both cases one final verdict per message. Prints TAP."""
import socket
import struct
import sys

NR_CONN, NR_RCPT, NR_HDR, NR_EOH, NR_BODY = 0x1000, 0x8000, 0x80, 0x40000, 0x80000
NOHELO, NOUNKNOWN, NODATA = 0x2, 0x100, 0x200
ALL_NR = NR_CONN | NR_RCPT | NR_HDR | NR_EOH | NR_BODY | 0x2000 | 0x4000 | 0x10000 | 0x20000
OFFER_STEPS = 0x1FFFFF           # every step and no-reply flag of protocol 6
ACTIONS = 0x1FF
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, what))


def connect(spec):
    if spec.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX)
        s.connect(spec[5:])
    else:
        port, host = spec[5:].split("@")
        s = socket.create_connection((host, int(port)))
    s.settimeout(30)
    return s


def send(s, cmd, data=b""):
    s.sendall(struct.pack(">I", len(data) + 1) + cmd + data)


def recv(s):
    head = b""
    while len(head) < 4:
        chunk = s.recv(4 - len(head))
        if not chunk:
            raise EOFError("milter closed the connection")
        head += chunk
    (size,) = struct.unpack(">I", head)
    body = b""
    while len(body) < size:
        chunk = s.recv(size - len(body))
        if not chunk:
            raise EOFError("milter closed the connection")
        body += chunk
    return body[:1], body[1:]


def pending(s):
    """a reply already waiting (the milter answered a step it should not have)"""
    s.settimeout(0.3)
    try:
        return recv(s)
    except (socket.timeout, BlockingIOError):
        return None
    finally:
        s.settimeout(30)


def z(*parts):
    return b"".join(p.encode() + b"\0" for p in parts)


def session(spec, offer):
    """one connection, one clean message; returns (agreed steps, [replies
    seen before end of message], final reply code)"""
    s = connect(spec)
    send(s, b"O", struct.pack(">III", 6, ACTIONS, offer))
    cmd, data = recv(s)
    assert cmd == b"O", cmd
    _, actions, steps = struct.unpack(">III", data[:12])
    early = []

    def step(cmd, data, noreply):
        send(s, cmd, data)
        if steps & noreply:
            r = pending(s)
            if r:
                early.append(r[0])
        else:
            early.append(recv(s)[0])

    step(b"C", z("client.example") + b"4" + struct.pack(">H", 4000) + z("192.0.2.10"), NR_CONN)
    send(s, b"D", b"M" + z("i", "NEG00001"))
    send(s, b"M", z("<pupil@pupils.school.example>"))
    early.append(recv(s)[0])            # MAIL always has its reply
    step(b"R", z("<friend@pupils.school.example>"), NR_RCPT)
    for name, value in (("From", "pupil@pupils.school.example"), ("Subject", "homework"),
                        ("To", "friend@pupils.school.example")):
        step(b"L", z(name, value), NR_HDR)
    step(b"N", b"", NR_EOH)
    for part in (b"see you in maths tomorrow\r\n", b"bring the worksheet\r\n"):
        step(b"B", part, NR_BODY)
    send(s, b"E", b"")
    final = recv(s)[0]
    while final in (b"h", b"i", b"m", b"+", b"-", b"p"):
        final = recv(s)[0]
    send(s, b"Q")
    s.close()
    return steps, actions, early, final


def main():
    spec = sys.argv[1]
    steps, actions, early, final = session(spec, OFFER_STEPS)
    ok(steps & (NOHELO | NODATA | NOUNKNOWN) == NOHELO | NODATA | NOUNKNOWN,
       "HELO, DATA and unknown commands are not asked for (steps 0x%x)" % steps)
    want = NR_CONN | NR_RCPT | NR_HDR | NR_EOH | NR_BODY
    ok(steps & want == want, "no replies to connect, RCPT, headers, EOH, body (steps 0x%x)" % steps)
    ok(not steps & 0x4000, "MAIL FROM keeps its reply (needed to tempfail while draining)")
    ok(actions == 0x1 | 0x10 | 0x4 | 0x8,
       "actions asked for: add headers, change headers, add and remove recipients (0x%x)" % actions)
    ok(early == [b"c"], "only MAIL FROM was answered before end of message (%r)" % early)
    ok(final == b"a" or final == b"c", "the message got its verdict (%r)" % final)

    steps, _, early, final = session(spec, OFFER_STEPS & ~ALL_NR)
    ok(steps & ALL_NR == 0, "an MTA without no-reply steps: none is asked for (0x%x)" % steps)
    ok(early == [b"c"] * 9, "every step before end of message was answered (%r)" % early)
    ok(final == b"a" or final == b"c", "the message got its verdict (%r)" % final)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
