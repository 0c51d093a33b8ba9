-- hold-discard.lua - with hold_to_mailbox off, a held message is delivered
-- only to the quarantine: the MTA is told to discard it. It is stored even
-- though [quarantine] store leaves hold out: the quarantine is its delivery.
-- config: school:school|hold_to_mailbox = no
-- config: quarantine|store = copy, reject
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "HOLD0002", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "..."}}, "just kys\r\n")
check(mt.getreply(conn) == SMFIR_DISCARD, "discarded by the MTA")
finish(conn)
local f = io.popen("grep -rl 'X-ESafety-Verdict: hold' " .. dir .. "/quarantine/school/new | wc -l")
check(tonumber(f:read("*a")) == 1, "held message is in the quarantine")
f:close()
if failures > 0 then error("failed") end
