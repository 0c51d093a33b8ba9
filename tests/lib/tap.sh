# tap.sh - TAP output for shell tests. ok CONDITION-EXIT-STATUS "description"
TAP_N=0
TAP_FAILED=0

# ok - "ok N" if the previous command's status (or $1 when given as 0/1) is success
ok() {
	local status="$1" desc="$2"
	TAP_N=$((TAP_N + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $TAP_N - $desc"
	else
		echo "not ok $TAP_N - $desc"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

# check - run a command; ok if it succeeds
check() {
	local desc="$1"
	shift
	"$@" > /dev/null 2>&1
	ok $? "$desc"
}

# is - compare two strings
is() {
	local got="$1" want="$2" desc="$3"
	if [ "$got" = "$want" ]; then ok 0 "$desc"; else ok 1 "$desc"; echo "#   got:  '$got'"; echo "#   want: '$want'"; fi
}

diag() { echo "# $*"; }

# bail - a set-up step failed: nothing else can be tested
bail() { echo "Bail out! $*"; exit 1; }

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
