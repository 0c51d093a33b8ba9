# postfix.sh - a private Postfix instance on loopback for end-to-end tests.
# Source it, then:
#   pf_start BASE_PORT [MILTER_SPEC]  start Postfix; smtpd on 127.0.0.1:BASE_PORT,
#                                     MILTER_SPEC as Postfix writes it (inet:127.0.0.1:PORT)
#   pf_send FROM TO FILE [TO...]      submit FILE over SMTP; prints the server's last reply
#   pf_sendmail FROM TO FILE          submit FILE with Postfix's sendmail (pickup, non_smtpd_milters)
#   pf_wait_mail ADDR COUNT TIMEOUT   wait until ADDR's Maildir/new holds COUNT messages
#   pf_count ADDR                     messages in ADDR's Maildir/new
#   pf_mailfile ADDR N                path of ADDR's Nth message (oldest first)
#   pf_flush                          ask Postfix to retry deferred mail now
#   pf_stop                           stop Postfix and remove its files
# The addresses in PF_ADDRESSES (and PF_EXTRA_ADDRESSES, set before pf_start)
# are delivered by Postfix's virtual agent into $PF_DIR/mail/<address>/Maildir;
# any other address of the test domains bounces as unknown. (virtual(8) will
# not take a regexp map with substitution, so the list is explicit.) The
# system Postfix, if any, is never touched: own config, queue, data and log
# directories under $PF_DIR.

PF_DIR=
PF_PORT=
PF_ADDRESSES="amy@pupils.school.example ben@pupils.school.example tom@pupils.school.example
cat@pupils.school.example teacher@staff.school.example head@staff.school.example
office@school.example esafety@school.example parent@external.example x@external.example
someone@external.example stranger@external.example"

pf_fail() { echo "postfix.sh: $*" >&2; [ -n "$PF_DIR" ] && tail -20 "$PF_DIR/maillog" >&2 2>/dev/null; return 1; }

pf_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pf_write_main_cf() {
	local milter="$1" uid gid
	uid=$(id -u postfix) gid=$(id -g postfix)
	cat > "$PF_DIR/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF_DIR/queue
data_directory = $PF_DIR/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.school.example
mydomain = school.example
myorigin = \$myhostname
mydestination =
local_recipient_maps =
local_transport = error:no local delivery in tests
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
smtpd_relay_restrictions = permit_mynetworks, reject
smtputf8_enable = no
biff = no
maillog_file = $PF_DIR/maillog
maillog_file_prefixes = /tmp
virtual_mailbox_domains = school.example, pupils.school.example, staff.school.example, external.example
virtual_mailbox_base = $PF_DIR/mail
virtual_mailbox_maps = texthash:$PF_DIR/etc/vmailbox
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
virtual_minimum_uid = 1
in_flow_delay = 0s
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
bounce_queue_lifetime = 1h
maximal_queue_lifetime = 1h
notify_classes =
EOF
	if [ -n "$milter" ]; then
		cat >> "$PF_DIR/etc/main.cf" <<EOF
smtpd_milters = $milter
non_smtpd_milters = $milter
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 30s
milter_content_timeout = 60s
EOF
	fi
}

pf_write_master_cf() {
	cat > "$PF_DIR/etc/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       1       1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
}

# pf_start - write the config and start the instance
pf_start() {
	PF_PORT="$1"
	local milter="${2:-}"
	for b in /usr/sbin/postfix /usr/sbin/sendmail /usr/sbin/postqueue; do
		[ -x "$b" ] || { pf_fail "$b is missing: install the Debian package postfix"; return 1; }
	done
	id postfix >/dev/null 2>&1 || { pf_fail "no postfix user: install the Debian package postfix"; return 1; }
	pf_port_busy "$PF_PORT" && { pf_fail "127.0.0.1:$PF_PORT is already in use"; return 1; }
	PF_DIR=$(mktemp -d /tmp/esafety-pf.XXXXXX)
	chmod 755 "$PF_DIR"
	mkdir -p "$PF_DIR/etc" "$PF_DIR/queue" "$PF_DIR/data" "$PF_DIR/mail"
	chown postfix "$PF_DIR/data" "$PF_DIR/mail"
	local a
	for a in $PF_ADDRESSES ${PF_EXTRA_ADDRESSES:-}; do printf '%s\t%s/Maildir/\n' "$a" "$a"; done > "$PF_DIR/etc/vmailbox"
	pf_write_main_cf "$milter"
	pf_write_master_cf
	postfix -c "$PF_DIR/etc" check > "$PF_DIR/check.out" 2>&1 || { cat "$PF_DIR/check.out" >&2; pf_fail "postfix check failed"; return 1; }
	postfix -c "$PF_DIR/etc" start > "$PF_DIR/start.out" 2>&1 || { cat "$PF_DIR/start.out" >&2; pf_fail "postfix start failed"; return 1; }
	for _ in $(seq 1 100); do pf_port_busy "$PF_PORT" && return 0; sleep 0.1; done
	pf_fail "smtpd did not come up on 127.0.0.1:$PF_PORT"
}

# pf_stop - stop Postfix and remove the instance
pf_stop() {
	[ -n "$PF_DIR" ] || return 0
	local mpid
	mpid=$(tr -d ' ' < "$PF_DIR/queue/pid/master.pid" 2>/dev/null)
	postfix -c "$PF_DIR/etc" stop > /dev/null 2>&1
	for _ in $(seq 1 100); do
		[ -n "$mpid" ] && kill -0 "$mpid" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$mpid" ] && kill -0 "$mpid" 2>/dev/null && postfix -c "$PF_DIR/etc" abort > /dev/null 2>&1
	if [ -n "${KEEP_TEST_DIRS:-}" ]; then echo "# kept $PF_DIR" >&2; else rm -rf "$PF_DIR"; fi
	PF_DIR=
}

# pf_send - one SMTP transaction with python3's smtplib; prints "CODE TEXT" of the reply to DATA.
# With PF_SOURCE=127.0.0.N it connects from that loopback address.
pf_send() {
	local from="$1" to="$2" file="$3"
	shift 3
	python3 - "$PF_PORT" "$from" "$file" "${PF_SOURCE:-}" "$to" "$@" <<'PY'
import smtplib, sys
port, sender, path, source, rcpts = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
# SMTP wants CRLF; smtplib would otherwise add a line after a final bare LF
data = open(path, 'rb').read().replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
# PF_SOURCE: another loopback address to connect from (a client outside internal_networks)
s = smtplib.SMTP('127.0.0.1', port, timeout=60, source_address=(source, 0) if source else None)
try:
    s.sendmail(sender, rcpts, data)
    print('250 accepted')
except smtplib.SMTPDataError as e:
    print(e.smtp_code, e.smtp_error.decode('utf-8', 'replace').replace('\n', ' | '))
except smtplib.SMTPSenderRefused as e:
    print(e.smtp_code, e.smtp_error.decode('utf-8', 'replace').replace('\n', ' | '))
except smtplib.SMTPRecipientsRefused as e:
    code, text = list(e.recipients.values())[0]
    print(code, text.decode('utf-8', 'replace').replace('\n', ' | '))
finally:
    try:
        s.quit()
    except Exception:
        pass
PY
}

# pf_sendmail - local submission through pickup (non_smtpd_milters)
pf_sendmail() {
	local from="$1" to="$2" file="$3"
	/usr/sbin/sendmail -C "$PF_DIR/etc" -i -f "$from" -- "$to" < "$file"
}

pf_maildir() { echo "$PF_DIR/mail/$1/Maildir/new"; }

pf_count() {
	local d
	d=$(pf_maildir "$1")
	[ -d "$d" ] || { echo 0; return; }
	find "$d" -type f | wc -l
}

pf_mailfile() { find "$(pf_maildir "$1")" -type f 2>/dev/null | sort | sed -n "${2}p"; }

pf_flush() { postqueue -c "$PF_DIR/etc" -f > /dev/null 2>&1; }

# pf_wait_mail - poll until ADDR has COUNT messages or TIMEOUT seconds pass
pf_wait_mail() {
	local addr="$1" want="$2" timeout="${3:-30}" i
	for i in $(seq 1 $((timeout * 10))); do
		[ "$(pf_count "$addr")" -ge "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# pf_queue_empty - nothing left in incoming/active/deferred
pf_queue_empty() { [ -z "$(postqueue -c "$PF_DIR/etc" -j 2>/dev/null)" ]; }
