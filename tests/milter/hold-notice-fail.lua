-- hold-notice-fail.lua - a notice_command that fails (sendmail without a
-- Postfix config, say) is logged with the queue ID, its exit status and what
-- it wrote to stderr, which the daemon would otherwise lose; the held message
-- is still answered
-- config: milter|notice_command = sh -c "cat > /dev/null; echo 'sendmail: fatal: open /etc/postfix/main.cf: No such file' >&2; exit 75"
-- expect-log: HOLDF001: hold notice to <tom@pupils\.school\.example> not sent \(\[milter\] notice_command\): notice_command failed \(status 75\): it said "sendmail: fatal: open /etc/postfix/main\.cf: No such file"
dofile(top_srcdir .. "/tests/milter/lib.lua")
conn = connect()
send(conn, "HOLDF001", "tom@pupils.school.example", {"amy@pupils.school.example"},
     {{"From", "tom@pupils.school.example"}, {"Subject", "..."}}, "just kys\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT, "held message answered (for the e-safety mailbox only)")
finish(conn)
