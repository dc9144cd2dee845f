#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# sbcd's command line, configuration errors found before and after the EAL starts,
# and clean shutdown on SIGINT and SIGTERM (exit 0, ports closed, nothing of sbcd's
# left), also from the ASan+UBSan build so that leaks and memory errors fail the test.
# Runs sbcd in private network namespaces (unshare -n) on net_null/net_af_packet vdevs.
source "$(dirname "$0")/../lib/tap.sh"

work=$(mktemp -d /tmp/sbct-cli.XXXXXX)
cleanup() {
	pkill -KILL -f -- "--config $work/" 2>/dev/null
	rm -rf /var/run/dpdk/$(uniq_glob c) "$work"
}
trap cleanup EXIT

# cfg NAME JQ-EXPRESSION: writes $work/NAME.json from a base net_null configuration.
cfg() {
	jq "$2" >"$work/$1.json" <<EOT
{"eal": ["--no-pci", "--lcores", "(0-2)@(0-1)"],
 "lcores": {"dataplane": [1], "signalling": [2]},
 "ports": [{"name": "a", "devargs": "net_null0", "ipv4": ["192.0.2.1/24"]}],
 "run_dir": "$work/run", "data_dir": "$work/data"}
EOT
}

# run_sbcd BINARY CONFIG: runs sbcd in a private network namespace, no hugepages.
run_sbcd() {
	unshare -n "$1" --config "$2" -- --no-huge -m 256 --file-prefix "$(uniq_name c)"
}

# --- command line --------------------------------------------------------------------
"$SBCD" >/dev/null 2>&1
check_eq "no arguments: usage, exit 2" 2 $?
out=$("$SBCD" --version)
check "--version prints the version" grep -q "^sbcd [0-9]" <<<"$out"
out=$("$SBCD" --check-config "$TOP/conf/lab.json" 2>&1)
check_eq "--check-config on conf/lab.json: exit 0" 0 $?
check "--check-config says OK" grep -q "configuration OK" <<<"$out"
"$SBCD" --check-config "$TOP/conf/example.json" >/dev/null 2>&1
check_eq "conf/example.json is valid" 0 $?

# --- errors before the EAL: each names the key and the value ---------------------------
expect_error() {
	local desc=$1 file=$2 want=$3 out rc
	out=$("$SBCD" --check-config "$file" 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out" && [ "$(wc -l <<<"$out")" -eq 1 ]; then
		ok "$desc"
	else
		not_ok "$desc: rc $rc, wanted one line with '$want', got: $out"
	fi
}
cfg unknown '.ports[0].iface = "eth0"'
expect_error "unknown key named" "$work/unknown.json" \
	"$work/unknown.json: ports[0].iface = \"eth0\": unknown key"
cfg badip '.ports[0].ipv4 = ["192.0.2.1/33"]'
expect_error "bad address named with its value" "$work/badip.json" \
	"ports[0].ipv4[0] = \"192.0.2.1/33\": not an IPv4 address with prefix"
printf '{"lcores": {\n  "dataplane": [1,]\n}}' >"$work/syntax.json"
expect_error "JSON syntax error with line and column" "$work/syntax.json" "$work/syntax.json:2:"
expect_error "missing file" "$work/none.json" "$work/none.json: cannot open"

# --- errors found after the EAL started ------------------------------------------------
expect_start_error() {
	local desc=$1 file=$2 want=$3 out rc
	out=$(run_sbcd "$SBCD" "$file" 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" <<<"$out"; then
		ok "$desc"
	else
		not_ok "$desc: rc $rc, wanted '$want', got: $(tail -3 <<<"$out")"
	fi
}
cfg lcore5 '.lcores.dataplane = [5]'
expect_start_error "lcore not enabled by the EAL arguments" "$work/lcore5.json" \
	"lcores.dataplane[0] = 5: lcore 5 is not enabled by the EAL arguments"
cfg lcore0 '.lcores.signalling = [0]'
expect_start_error "main lcore refused for a plane" "$work/lcore0.json" \
	"lcores.signalling[0] = 0: this is the main lcore"
cfg bogus '.ports[0].devargs = "net_bogus0"'
expect_start_error "unknown device named" "$work/bogus.json" \
	"ports[0].devargs = \"net_bogus0\": cannot probe the device"
cfg qpairs '.ports[0].devargs = "net_af_packet0,iface=lo,qpairs=1"'
expect_start_error "too few TX queues explained" "$work/qpairs.json" \
	"ports[0].devargs = \"net_af_packet0,iface=lo,qpairs=1\": the device offers 1 TX queues, sbcd needs 3"
cfg mbufs '.dataplane.mbufs = 2047 | .ports[0].rx_desc = 4096'
expect_start_error "pool too small explained" "$work/mbufs.json" \
	"dataplane.mbufs = 2047: too few for the configured ports, queues and lcores"
cfg badeal '.eal += ["--bogus-option"]'
expect_start_error "bad EAL argument" "$work/badeal.json" "EAL initialisation failed"
cfg rundir '.run_dir = "/proc/sbc-cannot-exist"'
expect_start_error "run_dir that cannot be made named" "$work/rundir.json" \
	"run_dir = \"/proc/sbc-cannot-exist\": cannot create the directory"
# The second port fails after the first was probed: the first is closed and detached
# again; under ASan+LSan this also proves the unwinding frees everything.
cfg second '.ports += [{"name": "b", "devargs": "net_bogus1", "ipv4": ["198.51.100.1/24"]}]'
expect_start_error "second port refused, first one unwound" "$work/second.json" \
	"ports[1].devargs = \"net_bogus1\": cannot probe the device"
if [ -x "$SBCD_ASAN" ]; then
	out=$(unshare -n "$SBCD_ASAN" --config "$work/second.json" -- --no-huge -m 256 \
		--file-prefix "$(uniq_name c)" 2>&1)
	rc=$?
	if [ $rc -eq 1 ] && grep -q "port a stopped and closed" <<<"$out" &&
		! grep -qE "AddressSanitizer|LeakSanitizer|runtime error" <<<"$out"; then
		ok "failed start under ASan+LSan: first port closed, no error, no leak"
	else
		not_ok "failed start under ASan: rc $rc: $(grep -E 'Sanitizer|runtime error|closed' <<<"$out" | head -3)"
	fi
fi

# --- clean shutdown -------------------------------------------------------------------
# shutdown_case DESC BINARY SIGNAL: start, wait until running (net_null keeps the
# dataplane busy), signal, expect exit 0 and the shutdown report.
shutdown_case() {
	local desc=$1 bin=$2 sig=$3 log=$work/shutdown.log pid rc
	cfg shutdown '.'
	run_sbcd "$bin" "$work/shutdown.json" >"$log" 2>&1 &
	pid=$!
	if ! wait_for 60 grep -q "running:" "$log"; then
		not_ok "$desc: sbcd did not start: $(tail -3 "$log")"
		kill -KILL $pid 2>/dev/null
		return
	fi
	sleep 1
	pkill "-$sig" -f -- "--config $work/shutdown.json"
	wait $pid
	rc=$?
	if [ $rc -eq 0 ] && grep -q "port a stopped and closed" "$log" &&
		grep -q "0 sbc memory zones left" "$log" &&
		! grep -qE "AddressSanitizer|LeakSanitizer|runtime error" "$log"; then
		ok "$desc"
	else
		not_ok "$desc: exit $rc: $(grep -E 'stopped|Sanitizer|runtime error' "$log" | head -5)"
	fi
	check "$desc: pid file removed" test ! -e "$work/run/sbcd.pid"
}
shutdown_case "SIGTERM: clean exit 0" "$SBCD" TERM
shutdown_case "SIGINT: clean exit 0" "$SBCD" INT
if [ -x "$SBCD_ASAN" ]; then
	shutdown_case "SIGTERM under ASan+UBSan+LSan: no error, no leak" "$SBCD_ASAN" TERM
else
	skip "ASan build not present (tools/setup --asan)"
fi

done_testing
