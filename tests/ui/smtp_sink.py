#!/usr/bin/env python3
"""smtp_sink.py - a tiny SMTP receiver for the UI tests: stores each message
as DIR/<n>.eml with "X-Sink-From:" and "X-Sink-To:" lines first. Recipients
whose address starts with "refuse" get 550, to test that a failed release is
reported truthfully. usage: smtp_sink.py PORT DIR"""
import asyncio
import os
import sys

PORT, DIR = int(sys.argv[1]), sys.argv[2]
count = 0


async def session(reader, writer):
    global count
    sender, rcpts = None, []

    def say(line):
        writer.write((line + "\r\n").encode())

    say("220 sink ESMTP")
    while True:
        raw = await reader.readline()
        if not raw:
            break
        cmd = raw.decode("utf-8", "replace").rstrip("\r\n")
        up = cmd.upper()
        if up.startswith("EHLO") or up.startswith("HELO"):
            say("250-sink")
            say("250 8BITMIME")
        elif up.startswith("MAIL FROM:"):
            sender, rcpts = cmd[10:].strip().strip("<>"), []
            say("250 ok")
        elif up.startswith("RCPT TO:"):
            addr = cmd[8:].strip().strip("<>")
            if addr.startswith("refuse"):
                say("550 5.1.1 no such user here")
            else:
                rcpts.append(addr)
                say("250 ok")
        elif up == "DATA":
            say("354 go ahead")
            await writer.drain()
            lines = []
            while True:
                line = await reader.readline()
                if not line or line in (b".\r\n", b".\n"):
                    break
                if line.startswith(b".."):
                    line = line[1:]
                lines.append(line)
            count += 1
            path = os.path.join(DIR, "%d.eml" % count)
            with open(path + ".tmp", "wb") as f:
                f.write(("X-Sink-From: %s\r\nX-Sink-To: %s\r\n" % (sender, ",".join(rcpts))).encode())
                f.write(b"".join(lines))
            os.rename(path + ".tmp", path)
            say("250 2.0.0 queued as SINK%d" % count)
        elif up == "RSET":
            sender, rcpts = None, []
            say("250 ok")
        elif up == "QUIT":
            say("221 bye")
            await writer.drain()
            break
        else:
            say("502 command not implemented")
        await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(session, "127.0.0.1", PORT)
    async with server:
        await server.serve_forever()

asyncio.run(main())
