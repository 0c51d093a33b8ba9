# lib.sh - shared set-up for the UI tests (sourced): a private quarantine,
# config, HMAC key, accounts, an SMTP sink for releases, the UI server, and
# curl helpers that keep a cookie jar per user. Needs UI_PORT and SINK_PORT.
: "${top_builddir:?}" "${top_srcdir:?}"
UI_BIN="$top_builddir/quarantine-ui/esafety-quarantine"
FIXTURE="$top_builddir/tests/ui/ui_fixture"
for tool in curl python3 sqlite3 openssl "$UI_BIN" "$FIXTURE"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! missing $tool"; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/esq-test.XXXXXX")
UI_PIDS=""
BASE="http://127.0.0.1:$UI_PORT"

# ui_cleanup - stop what we started and remove the directory
ui_cleanup() {
	for p in $UI_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap ui_cleanup EXIT

# ui_setup - config, key and two schools (north, south)
ui_setup() {
	mkdir -p "$T/q" "$T/sink"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$T/hmac.key"
	chmod 600 "$T/hmac.key"
	cat > "$T/esafety.conf" <<CONF
[quarantine]
root = $T/q
hmac_key_file = $T/hmac.key
[ui]
# root: the test directories are root's; tests/ui/privilege.sh covers the drop
user = root
listen = 127.0.0.1:$UI_PORT
database = $T/ui.db
static_dir = $top_srcdir/quarantine-ui/static
release_smtp = 127.0.0.1:$SINK_PORT
index_interval = 200ms
login_max_failures = 3
trusted_proxies = 127.0.0.1
login_lockout = 1h
retention = 30d
page_size = 5
[school:north]
domains = school.example, pupils.school.example
esafety_mailbox = esafety@school.example
pupils = *@pupils.school.example
[school:south]
domains = south.example
esafety_mailbox = esafety@south.example
CONF
}

# ui_adduser NAME ROLE [SCHOOL] - password is NAME-password
ui_adduser() {
	echo "$1-password" | "$UI_BIN" -c "$T/esafety.conf" adduser "$1" --role "$2" ${3:+--school "$3"}
}

# ui_start - start the sink (unless NO_SINK is set) and the server, wait until the server answers
ui_start() {
	[ -n "${NO_SINK:-}" ] ||
		{ python3 "$top_srcdir/tests/ui/smtp_sink.py" "$SINK_PORT" "$T/sink" & UI_PIDS="$UI_PIDS $!"; }
	"$UI_BIN" -c "$T/esafety.conf" -f serve 2>"$T/ui.log" & UI_PIDS="$UI_PIDS $!"
	for _ in $(seq 100); do
		curl -s -o /dev/null "$BASE/login" && return 0
		sleep 0.1
	done
	echo "Bail out! UI did not start: $(cat "$T/ui.log")"
	exit 1
}

# ui_store ARGS... - quarantine a message (ui_fixture arguments); prints the id
ui_store() { "$FIXTURE" -c "$T/esafety.conf" "$@"; }

# ui_wait_indexed ID - until the UI's index has ID (the indexer runs every 200ms)
ui_wait_indexed() {
	for _ in $(seq 100); do
		[ "$(sqlite3 "${UI_DB:-$T/ui.db}" "SELECT COUNT(*) FROM incidents WHERE id='$1'" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# ui_login USER [PASSWORD] - log in with a fresh cookie jar $T/USER.jar; prints
# the HTTP code. With XFF set, the request comes through the (trusted) proxy
# for that client address.
ui_login() {
	local jar="$T/$1.jar" tok
	rm -f "$jar"
	tok=$(curl -s -c "$jar" -b "$jar" "$BASE/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" ${XFF:+-H "X-Forwarded-For: $XFF"} \
		--data-urlencode "csrf=$tok" --data-urlencode "user=$1" \
		--data-urlencode "password=${2:-$1-password}" "$BASE/login"
}

# ui_get USER PATH - GET as USER; body to $T/body, prints the HTTP code
ui_get() {
	curl -s --path-as-is -o "$T/body" -D "$T/headers" -w '%{http_code}' \
		-b "$T/$1.jar" -c "$T/$1.jar" "$BASE$2"
}

# ui_csrf USER - the user's CSRF token (from any page with a form)
ui_csrf() {
	curl -s -b "$T/$1.jar" "$BASE/report" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1
}

# ui_post USER PATH FIELD=VALUE... - POST as USER; body to $T/body, prints the code
ui_post() {
	local user=$1 path=$2 args=()
	shift 2
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -b "$T/$user.jar" -c "$T/$user.jar" \
		"${args[@]}" "$BASE$path"
}
