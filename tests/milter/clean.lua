-- clean.lua - an ordinary message is accepted untouched: no headers, no recipients
-- expect-log: CLEAN0001: from=<teacher@staff.school.example> rcpts=1 .*action=accept
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "CLEAN0001", "teacher@staff.school.example", {"parent@external.example"},
     {{"From", "teacher@staff.school.example"}, {"Subject", "Year 7 trip on Friday"}},
     "Dear parents,\r\nThe coach leaves at 9am. Please bring a packed lunch.\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "clean message accepted")
check(not mt.eom_check(conn, MT_HDRADD), "no header added")
check(not mt.eom_check(conn, MT_RCPTADD, "<esafety@school.example>"), "no e-safety copy added")
finish(conn)
