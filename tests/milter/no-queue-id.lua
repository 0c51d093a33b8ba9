-- no-queue-id.lua - an MTA that sends no queue ID ({i} macro): each message
-- gets a made-up NOQUEUE-xxxxxxxx one, so its lines can still be told apart
-- and every line about it, the summary included, carries it
-- expect-log: NOQUEUE-[0-9a-f]{8}: esafety: .*action=copy reason=profanity-copy
-- expect-log: NOQUEUE-[0-9a-f]{8}: from=<tom@pupils\.school\.example> rcpts=1
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
if mt.mailfrom(conn, "<tom@pupils.school.example>") ~= nil then error("mailfrom failed") end
if mt.rcptto(conn, "<amy@pupils.school.example>") ~= nil then error("rcptto failed") end
if mt.header(conn, "Subject", "x") ~= nil then error("header failed") end
if mt.eoh(conn) ~= nil then error("eoh failed") end
if mt.bodystring(conn, "what a bellend\r\n") ~= nil then error("body failed") end
if mt.eom(conn) ~= nil then error("eom failed") end
check(mt.getreply(conn) == SMFIR_ACCEPT, "the message is answered")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "copy"), "and filtered as usual")
finish(conn)
