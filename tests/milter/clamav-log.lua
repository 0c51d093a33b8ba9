-- clamav-log.lua - libclamav's own messages go to the milter's log with the
-- queue ID of the message being scanned, not unlabelled to stderr: a link
-- that shows the test database's protected bank but leads elsewhere makes
-- libclamav report the suspicious link (at debug level, which run.sh sets)
-- expect-log: CLAM0001: libclamav: Suspicious link found
-- expect-log: CLAM0001: libclamav: +Real URL: +http://collect.evil-host.example.net
-- expect-log: CLAM0001: esafety: .*action=reject reason=virus .*virus=Heuristics.Phishing.Email.SpoofedDomain
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
local bank = "http://www.schoolbank.example.com/login"
send(conn, "CLAM0001", "office@schoolbank.example.com", {"amy@pupils.school.example"},
     {{"From", "office@schoolbank.example.com"}, {"Subject", "Top up your school meals account"},
      {"MIME-Version", "1.0"}, {"Content-Type", "multipart/alternative; boundary=\"alt\""}},
     "--alt\r\nContent-Type: text/plain\r\n\r\nPlease top up at " .. bank .. "\r\n" ..
     "--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" ..
     "<html><body><p>Please top up at <a href=\"http://collect.evil-host.example.net/login\">" ..
     bank .. "</a> today.</p></body></html>\r\n--alt--\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE, "the phishing message is refused")
finish(conn)
