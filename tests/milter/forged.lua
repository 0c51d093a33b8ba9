-- forged.lua - X-ESafety-* headers that arrive with a message are removed,
-- so nobody can forge a verdict or a release
-- expect-log: FORGE001: ignoring an invalid or expired X-ESafety-Release token
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect("203.0.113.7")
send(conn, "FORGE001", "someone@external.example", {"amy@pupils.school.example"},
     {{"From", "someone@external.example"}, {"X-ESafety-Verdict", "accept"},
      {"Subject", "hello"}, {"x-esafety-verdict", "released"}, {"X-ESafety-Release", "0123456789abcdef.9999999999.deadbeef"}},
     "hello there\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted")
check(mt.eom_check(conn, MT_HDRDELETE, "X-ESafety-Verdict") or mt.eom_check(conn, MT_HDRCHANGE, "X-ESafety-Verdict"),
      "forged X-ESafety-Verdict removed")
check(mt.eom_check(conn, MT_HDRDELETE, "x-esafety-verdict") or mt.eom_check(conn, MT_HDRCHANGE, "x-esafety-verdict"),
      "second forged header (other case) removed")
check(mt.eom_check(conn, MT_HDRDELETE, "X-ESafety-Release") or mt.eom_check(conn, MT_HDRCHANGE, "X-ESafety-Release"),
      "forged release token removed")
check(not mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "released"), "a forged token does not release anything")
finish(conn)
