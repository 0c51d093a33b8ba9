-- oversize.lua - a message over max_message_size is not scanned and gets on_oversize
-- config: milter|max_message_size = 2K
-- config: milter|on_oversize = tempfail
-- expect-log: BIG00001: message of [0-9]+ bytes is over max_message_size
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "BIG00001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "big"}}, string.rep("0123456789abcdef\r\n", 300))
check(mt.eom_check(conn, MT_SMTPREPLY, "451", "4.7.1", "Message not accepted now; please try again later"), "451 4.7.1 try later, as on_oversize says")
finish(conn)
