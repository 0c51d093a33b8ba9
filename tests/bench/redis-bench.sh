#!/bin/sh
# redis-bench.sh - Redis round trips and commands per message, and the latency
# reputation adds per message (p50/p99) against reputation off in the same
# run. Run from a build directory: tests/bench/redis-bench.sh [MESSAGES] [THREADS]
# (it builds tests/bench/redis-bench; a private redis-server uses port 10250).
set -e
builddir=${top_builddir:-.}
make -C "$builddir" -s tests/bench/redis-bench
exec "$builddir/tests/bench/redis-bench" "${1:-20000}" "${2:-4}"
