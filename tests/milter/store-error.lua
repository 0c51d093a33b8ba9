-- store-error.lua - when the quarantine cannot be written, a flagged message
-- is tempfailed (on_store_error), never delivered unrecorded nor lost
-- config: quarantine|root = /proc/esafety-not-writable
-- expect-log: STORE001: quarantine store failed .*on_store_error=tempfail, verdict tempfail
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "STORE001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "x"}}, "you are such a bellend\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE or mt.getreply(conn) == SMFIR_TEMPFAIL, "temporary failure")
check(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1", "Message not accepted now; please try again later"), "451 4.7.1 with a plain try-later text")
check(not mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "no copy made of an unstored message")
finish(conn)
