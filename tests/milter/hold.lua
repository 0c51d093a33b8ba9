-- hold.lua - a held message goes only to the e-safety mailbox (and the
-- quarantine): every original recipient is removed
-- expect-log: HOLD0001: esafety: school=school role=pupil direction=internal action=hold reason=self-harm-hold
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "HOLD0001", "tom@pupils.school.example", {"amy@pupils.school.example", "ben@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "..."}},
     "just kys\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted (for the e-safety mailbox only)")
check(mt.eom_check(conn, MT_RCPTDELETE, "<amy@pupils.school.example>"), "first recipient removed")
check(mt.eom_check(conn, MT_RCPTDELETE, "<ben@pupils.school.example>"), "second recipient removed")
check(mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "e-safety mailbox added")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "hold"), "X-ESafety-Verdict: hold")
finish(conn)
