-- copy.lua - a flagged message is delivered with X-ESafety-* headers and the
-- school's e-safety mailbox added as a recipient
-- expect-log: COPY0001: esafety: school=school role=pupil direction=internal action=copy reason=profanity-copy categories=profanity findings=[1-9]
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "COPY0001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "homework"}},
     "you are such a bellend\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted for delivery")
check(mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "e-safety mailbox added as recipient")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "copy"), "X-ESafety-Verdict: copy")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Reason", "profanity-copy"), "X-ESafety-Reason names the policy rule")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Categories", "profanity"), "X-ESafety-Categories: profanity")
local q = mt.getheader(conn, "X-ESafety-Quarantine-Id", 0)
check(q ~= nil and string.len(q) == 16, "quarantine id header added")
finish(conn)
