# redis.sh - a private redis-server on loopback for shell tests (no persistence,
# files in a temporary directory). Source it, then:
#   rs_start PORT        start redis-server on 127.0.0.1:PORT; wait until it answers
#   rs_signal SIG        send SIG (STOP, CONT, KILL) to it
#   rs_cli ARGS...       redis-cli against it
#   rs_stop              kill it and remove its directory (safe to call twice)
RS_PID=
RS_DIR=
RS_PORT=

rs_start() {
	RS_PORT="$1"
	# a server left on the port (another run) would answer for ours
	if redis-cli -p "$RS_PORT" ping >/dev/null 2>&1; then
		echo "redis.sh: something already answers on port $RS_PORT" >&2
		return 1
	fi
	[ -n "$RS_DIR" ] || RS_DIR=$(mktemp -d /tmp/es-redis-sh.XXXXXX)
	redis-server --port "$RS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
		--dir "$RS_DIR" --logfile "$RS_DIR/redis.log" --daemonize no &
	RS_PID=$!
	local i
	for i in $(seq 1 100); do
		[ "$(redis-cli -p "$RS_PORT" ping 2>/dev/null)" = PONG ] && return 0
		sleep 0.1
	done
	echo "redis.sh: redis-server on port $RS_PORT did not start" >&2
	return 1
}

rs_signal() {
	[ -n "$RS_PID" ] || return 0
	kill -"$1" "$RS_PID" 2>/dev/null
	if [ "$1" = KILL ]; then
		wait "$RS_PID" 2>/dev/null
		RS_PID=
	fi
}

rs_cli() {
	redis-cli -p "$RS_PORT" "$@"
}

rs_stop() {
	if [ -n "$RS_PID" ]; then
		kill -CONT "$RS_PID" 2>/dev/null
		rs_signal KILL
	fi
	[ -n "$RS_DIR" ] && rm -rf "$RS_DIR"
	RS_DIR=
}
