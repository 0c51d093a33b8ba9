-- store-error-copy.lua - on_store_error = accept keeps a copy verdict whole:
-- the message is delivered with its e-safety mailbox copy, though the
-- quarantine could not keep one
-- config: quarantine|root = /proc/esafety-not-writable
-- config: quarantine|on_store_error = accept
-- expect-log: STORE003: quarantine store failed .*on_store_error=accept, verdict copy
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "STORE003", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "homework"}}, "you are such a bellend\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted for delivery")
check(mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "the e-safety mailbox still gets its copy")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "copy"), "X-ESafety-Verdict: copy")
finish(conn)
