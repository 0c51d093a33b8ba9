-- store-error-reject.lua - a refusal that cannot be stored is tempfailed
-- (on_store_error = tempfail, the default): the incident is stored when the
-- MTA tries again, as the quarantine contract says
-- config: quarantine|root = /proc/esafety-not-writable
-- expect-log: STORE004: quarantine store failed .*on_store_error=tempfail, verdict tempfail
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "STORE004", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "after school"}}, "I will stab you tomorrow\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE or mt.getreply(conn) == SMFIR_TEMPFAIL, "a reply, not an accept")
check(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1", "Message not accepted now; please try again later"),
      "451: tempfailed, not refused, so it is stored on the retry")
finish(conn)
