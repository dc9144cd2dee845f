# SPDX-License-Identifier: BSD-3-Clause
# tests/lib/tap.sh - TAP output and helpers for the integration tests (bash).
# Source it, call ok/not_ok/check, end with done_testing. Every test cleans up what
# it made in an EXIT trap and uses names from uniq_name, so two runs never collide.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SBCD=${SBCD:-$TOP/build/mgmt/sbcd}
SBCD_ASAN=${SBCD_ASAN:-$TOP/build-asan/mgmt/sbcd}
TELEMETRY=$TOP/tools/sbc-telemetry
_tap_n=0
_tap_fail=0

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $*"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $*"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $* # SKIP"
}

# check "description" command args...: ok when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq "description" expected actual
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}

# check_ge "description" minimum actual
check_ge() {
	if [ -n "$3" ] && [ "$3" -ge "$2" ] 2>/dev/null; then
		ok "$1 ($3)"
	else
		not_ok "$1 (expected at least $2, got '$3')"
	fi
}

done_testing() {
	echo "1..$_tap_n"
	[ $_tap_fail -eq 0 ]
}

# A name unique to this run: letter, 5 hex digits of the pid, 2 random (fits 10 chars).
uniq_name() {
	printf '%s%05x%02x' "${1:-t}" $(($$ & 0xfffff)) $((RANDOM & 0xff))
}

# The glob matching every uniq_name this run made with letter $1 (for cleanup traps;
# $$ is the same in subshells, so names made inside $(...) match too).
uniq_glob() {
	printf '%s%05x??' "${1:-t}" $(($$ & 0xfffff))
}

# in_ns NS command args...: runs the command in the lab namespace "$p-NS" (tests name
# their lab prefix p).
in_ns() {
	local ns=$1
	shift
	ip netns exec "$p-$ns" "$@"
}

# tel PREFIX COMMAND [JQ-FILTER]: one telemetry command's result, filtered by jq.
# (The reply is keyed by the command without its parameter: take its one value.)
tel() {
	"$TELEMETRY" -f "$1" "$2" | jq -r ".[]${3:+ | $3}"
}

# wait_for SECONDS command args...: retries every 0.1 s until the command succeeds.
wait_for() {
	local t=$(($1 * 10))
	shift
	while [ $t -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

# lab_begin LETTER TAG: a lab of this test's own. Sets p (the lab prefix, uniq_name
# LETTER), work (a temporary directory /tmp/sbct-TAG.*), LAB (tools/lab on them, with
# the configuration $work/lab.json the test writes) and bg_pids (background processes
# the test starts). At exit they are killed, the lab is taken down and work removed;
# KEEP_LAB=1 (debugging) leaves the lab and work for a look.
lab_begin() {
	p=$(uniq_name "$1")
	work=$(mktemp -d "/tmp/sbct-$2.XXXXXX")
	LAB="$TOP/tools/lab --prefix $p --config $work/lab.json --no-build"
	bg_pids=()
	trap _lab_end EXIT
}

_lab_end() {
	local pid
	for pid in "${bg_pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	if [ -n "${KEEP_LAB:-}" ]; then
		echo "# kept: $work, lab $p"
		return
	fi
	$LAB --purge down >/dev/null 2>&1
	rm -rf "$work"
}
