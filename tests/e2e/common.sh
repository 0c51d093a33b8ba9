# common.sh - start the milter and a private Postfix that uses it, for one e2e test.
#   e2e_start SMTP_PORT MILTER_PORT ['SECTION|key = value'...]
#                                       (calls e2e_before_start, if defined, before the milter starts;
#                                       e2e_after_cleanup, if defined, on exit, e.g. to stop a server
#                                       the test started first, even when start-up fails)
#   e2e_msg NAME FROM TO SUBJECT BODY   write a message file; prints its path
#   body_of FILE                        the message without Postfix's and our trace headers
# Both are stopped and removed on exit.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/milter.sh"
. "$top_srcdir/tests/lib/postfix.sh"

e2e_cleanup() {
	pf_stop
	ms_cleanup
	if declare -F e2e_after_cleanup > /dev/null; then e2e_after_cleanup; fi
}

e2e_start() {
	local smtp_port="$1" milter_port="$2"
	shift 2
	trap e2e_cleanup EXIT
	# hold notices go through this instance's sendmail (the wrapper is written
	# once Postfix's directory is known)
	ms_setup "inet:$milter_port@127.0.0.1" 'milter|notice_command = @DIR@/sendmail -i -t -f ""' "$@" || bail "milter config"
	# a test may prepare files the config names before the milter starts
	if declare -F e2e_before_start > /dev/null; then e2e_before_start; fi
	ms_start || bail "esafety-milter did not start"
	pf_start "$smtp_port" "inet:127.0.0.1:$milter_port" || bail "postfix did not start"
	printf '#!/bin/sh\nexec /usr/sbin/sendmail -C %s/etc "$@"\n' "$PF_DIR" > "$MS_DIR/sendmail"
	chmod 755 "$MS_DIR/sendmail"
}

e2e_msg() {
	local f="$MS_DIR/$1.eml"
	printf 'From: %s\nTo: %s\nSubject: %s\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <%s@test.example>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n' \
		"$2" "$3" "$4" "$1" "$5" > "$f"
	echo "$f"
}

# body_of - drop the headers Postfix adds on delivery and our X-ESafety-* ones
body_of() {
	awk 'BEGIN { h = 1 }
	     h && /^$/ { h = 0 }
	     h && /^[ \t]/ { if (skip) next }
	     h && /^[^ \t]/ { skip = ($0 ~ /^(Return-Path|Delivered-To|X-Original-To|Received|X-ESafety-[A-Za-z-]*):/) }
	     h && skip { next }
	     { print }' "$1"
}
