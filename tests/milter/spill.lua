-- spill.lua - a message bigger than memory_buffer spills to a temporary file
-- and is still scanned whole (the bad word is at the very end)
-- config: milter|memory_buffer = 4K
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "SPILL001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "long"}},
     string.rep("nothing to see in this line at all\r\n", 2000) .. "what a bellend\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "accepted")
check(mt.eom_check(conn, MT_HDRADD, "X-ESafety-Verdict", "copy"), "word after the spill point found")
finish(conn)
local f = io.popen("ls " .. dir .. "/tmp | wc -l")
check(tonumber(f:read("*a")) == 0, "no temporary file left behind")
f:close()
if failures > 0 then error("failed") end
