-- forged-unbuffered.lua - a message that could not be buffered (its spill
-- file cannot be made) is accepted unscanned under on_error = accept, and
-- still loses the X-ESafety-* headers it arrived with
-- config: milter|memory_buffer = 4K
-- config: milter|tmpdir = /nonexistent-dir
-- config: milter|on_error = accept
-- expect-log: FERR001: message not buffered
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect("203.0.113.7")
send(conn, "FERR001", "someone@external.example", {"amy@pupils.school.example"},
     {{"From", "someone@external.example"}, {"X-ESafety-Verdict", "released"}, {"Subject", "hello"}},
     string.rep("nothing to see in this line at all\r\n", 2000))
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted (on_error = accept)")
check(mt.eom_check(conn, MT_HDRDELETE, "X-ESafety-Verdict") or mt.eom_check(conn, MT_HDRCHANGE, "X-ESafety-Verdict"),
      "forged X-ESafety-Verdict removed on the error path")
finish(conn)
if failures > 0 then error("failed") end
