-- store-error-accept.lua - on_store_error = accept does not soften a verdict:
-- a hold that cannot be stored waits in the MTA (tempfail), never delivered
-- to the pupil and never lost; the stricter of policy and failure policy wins
-- config: quarantine|root = /proc/esafety-not-writable
-- config: quarantine|on_store_error = accept
-- expect-log: STORE002: quarantine store failed .*on_store_error=accept, verdict tempfail
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "STORE002", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "..."}}, "just kys\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE or mt.getreply(conn) == SMFIR_TEMPFAIL, "the unstorable hold is tempfailed")
check(not mt.eom_check(conn, MT_RCPTDELETE, "<amy@pupils.school.example>"), "its recipient is not touched")
finish(conn)
