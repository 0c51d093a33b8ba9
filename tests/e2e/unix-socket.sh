#!/bin/bash
# unix-socket.sh - the milter on a unix socket, as a Postfix on the same host
# would use it: socket_mode and socket_group give Postfix (user postfix) the
# access it needs, and with 0600 it has none (milter_default_action decides).
set -u
. "$top_srcdir/tests/e2e/common.sh"
trap e2e_cleanup EXIT

ms_setup "unix:@DIR@/milter.sock" 'milter|socket_mode = 0660' 'milter|socket_group = postfix' || bail "milter config"
sock="$MS_DIR/milter.sock"
ms_start || bail "esafety-milter did not start"
is "$(stat -c '%a %G' "$sock")" "660 postfix" "the socket has socket_mode 0660 and socket_group postfix"
pf_start 10031 "unix:$sock" || bail "postfix did not start"

flagged=$(e2e_msg flagged tom@pupils.school.example amy@pupils.school.example "homework" "you are such a bellend")
is "$(pf_send tom@pupils.school.example amy@pupils.school.example "$flagged")" "250 accepted" \
	"Postfix (user postfix) reaches the milter through the socket"
pf_wait_mail esafety@school.example 1 30; ok $? "the milter scanned it: a copy is in the e-safety mailbox"

# 0600: only root, which Postfix's smtpd is not, may connect
ms_stop
sed -i 's/^socket_mode = .*/socket_mode = 0600/' "$MS_CONF"
ms_start || bail "esafety-milter did not restart"
is "$(stat -c '%a' "$sock")" "600" "restarted with socket_mode 0600"
reply=$(pf_send tom@pupils.school.example amy@pupils.school.example "$flagged")
[[ $reply =~ ^4[0-9][0-9]\  ]]
ok $? "with 0600 Postfix cannot connect and tempfails the message ($reply)"
pf_wait_mail esafety@school.example 2 3
ok $((! $?)) "and nothing reached the e-safety mailbox"

# a group that does not exist stops start-up with its name
ms_stop
sed -i 's/^socket_group = .*/socket_group = no-such-group-here/' "$MS_CONF"
"$top_builddir/milter/esafety-milter" -f -c "$MS_CONF" > "$MS_DIR/bad.out" 2>&1
st=$?
ok $((st == 0)) "an unknown socket_group stops start-up (exit $st)"
grep -q "socket_group 'no-such-group-here' does not exist" "$MS_DIR/bad.out"
ok $? "and says which group: $(head -1 "$MS_DIR/bad.out")"
done_testing
