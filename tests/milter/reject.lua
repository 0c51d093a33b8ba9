-- reject.lua - a refused message gets a 550 5.7.1 multi-line reply from the
-- template (a local override here), and the quarantine keeps a copy
-- expect-log: REJ00001: esafety: school=school role=pupil direction=internal action=reject reason=threat-refused
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "REJ00001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "after school"}},
     "I will stab you tomorrow\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE, "reply code set")
check(not mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "no copy of a refused message")
finish(conn)
local f = io.popen("grep -rl 'X-ESafety-Verdict: reject' " .. dir .. "/quarantine/school/new | wc -l")
local n = tonumber(f:read("*a"))
f:close()
check(n == 1, "refused message kept in the quarantine")
if failures > 0 then error("failed") end
