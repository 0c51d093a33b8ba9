-- hold-notice-timeout.lua - a notice_command that hangs (a stuck local MTA)
-- is killed after notice_timeout; the held message is still answered
-- config: milter|notice_command = sleep 60
-- config: milter|notice_timeout = 1s
-- expect-log: HOLDT001: hold notice to <tom@pupils\.school\.example> not sent \(\[milter\] notice_command\): notice_command still running after 1000 ms
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
local t0 = os.time()
send(conn, "HOLDT001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "..."}}, "just kys\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "held message answered (for the e-safety mailbox only)")
check(os.time() - t0 < 20, "answered within seconds, not after the command's 60")
finish(conn)
if failures > 0 then error("failed") end
