#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Frames from a pcap (tests/data/pcap_frames.py) through sbcd on net_pcap: every
# malformed frame is dropped and counted under its named reason, every valid ARP, NS,
# NA and echo is answered or learned, neighbours that never answer are resolved,
# retried and given up on, the neighbour table's bound holds, and what sbcd wrote to
# the TX pcaps is right (fields and checksums). Needs no namespace or hugepages.
source "$(dirname "$0")/../lib/tap.sh"

top_work=$(mktemp -d /tmp/sbct-pcap.XXXXXX)
cleanup() {
	pkill -KILL -f -- "--config $top_work/" 2>/dev/null
	rm -rf /var/run/dpdk/$(uniq_glob p) "$top_work"
}
trap cleanup EXIT
PY=/usr/bin/python3

# start_sbcd DIR MODE PORT-EXTRA-JSON: generates DIR/in.pcap with pcap_frames.py MODE,
# starts sbcd on it (pid in $pid, file prefix in $prefix) and waits until it runs.
start_sbcd() {
	local w=$1 mode=$2 extra=$3
	mkdir -p "$w"
	prefix=$(uniq_name p)
	if ! $PY "$TOP/tests/data/pcap_frames.py" "$mode" "$w" 2>"$w/gen.err"; then
		not_ok "generate frames ($mode): $(tail -2 "$w/gen.err")"
		return 1
	fi
	jq -n --arg w "$w" --argjson extra "$extra" '{
	  eal: ["--no-pci", "--lcores", "(0-2)@(0-1)"],
	  lcores: {dataplane: [1], signalling: [2]},
	  ports: [{name: "lan",
	    devargs: "net_pcap0,rx_pcap=\($w)/in.pcap,tx_pcap=\($w)/out0.pcap,tx_pcap=\($w)/out1.pcap,tx_pcap=\($w)/out2.pcap",
	    ipv4: ["192.0.2.1/24"], ipv6: ["2001:db8:a::1/64"]} + $extra],
	  neighbours: {max_entries: 64, retransmit_ms: 100, probes: 2},
	  run_dir: "\($w)/run", data_dir: "\($w)/data"}' >"$w/sbcd.json"
	unshare -n "$SBCD" --config "$w/sbcd.json" -- --no-huge -m 256 --file-prefix "$prefix" \
		>"$w/sbcd.log" 2>&1 &
	pid=$!
	if ! wait_for 60 grep -q "running:" "$w/sbcd.log"; then
		not_ok "sbcd started ($mode): $(tail -3 "$w/sbcd.log")"
		return 1
	fi
	ok "sbcd started on net_pcap ($mode)"
}

# report DIR MODE: TAP lines from pcap_frames.py's check of what sbcd sent.
report() {
	while read -r line; do
		case $line in
		PASS*) ok "${line#PASS }" ;;
		*) not_ok "${line#FAIL }" ;;
		esac
	done < <($PY "$TOP/tests/data/pcap_frames.py" "$2" "$1" 2>"$1/check.err" || true)
	[ -s "$1/check.err" ] && sed 's/^/# /' "$1/check.err"
	return 0
}

work=$top_work/main
if ! start_sbcd "$work" gen '{"gateway4": "192.0.2.254"}'; then
	done_testing
	exit 1
fi
frames=$(jq .frames "$work/expect.json")
unresolved=$(jq .unresolved_echo "$work/expect.json")

stats() { tel "$prefix" /sbc/port/stats,lan; }
rx_done() { [ "$(stats | jq .rx_pkts)" = "$frames" ]; }
check "all $frames frames received" wait_for 20 rx_done
# Every echo request to a neighbour that never answers ends as exactly one of: given
# up after the probes, replaced by a newer packet for the same neighbour, or refused
# because the table is full.
neigh_done() {
	[ "$(stats | jq '.drops | .neigh_unresolved + .neigh_replaced + .neigh_table_full')" = "$unresolved" ]
}
check "every unresolvable echo accounted for ($unresolved)" wait_for 20 neigh_done
# The lone fragment is given up by reassembly after its 2 s.
reasm_done() { [ "$(stats | jq .drops.ip4_reassembly)" = 1 ]; }
check "an incomplete datagram is given up by reassembly" wait_for 10 reasm_done
s=$(stats)
echo "$s" | jq -c '{rx_pkts, tx_pkts, drops: (.drops | with_entries(select(.value > 0))), events}' | sed 's/^/# /'

# Each malformed frame under its own reason, nothing else dropped.
for reason in $(jq -r '.drops | keys[]' "$work/expect.json"); do
	check_eq "drop reason $reason" "$(jq ".drops.$reason" "$work/expect.json")" \
		"$(jq ".drops.$reason" <<<"$s")"
done
others=$(jq --slurpfile e "$work/expect.json" '[.drops | to_entries[] |
	select(.key | IN("neigh_unresolved", "neigh_replaced", "neigh_table_full") | not) |
	select(.value != ($e[0].drops[.key] // 0))] | map(.key) | join(",")' -r <<<"$s")
check_eq "no other drop reason counted" "" "$others"
check_ge "a packet replaced while its neighbour resolved" 1 "$(jq .drops.neigh_replaced <<<"$s")"
check_ge "neighbour table bound held (table full counted)" 1 "$(jq .drops.neigh_table_full <<<"$s")"
check_ge "neighbours given up after the probes" 2 "$(jq .drops.neigh_unresolved <<<"$s")"
for ev in $(jq -r '.events | keys[]' "$work/expect.json"); do
	check_eq "event $ev" "$(jq ".events.$ev" "$work/expect.json")" "$(jq ".events.$ev" <<<"$s")"
done
check_ge "ARP requests sent to resolve (with retries)" 4 "$(jq .events.arp_request_tx <<<"$s")"
check_eq "neighbours learned: H over IPv4 and IPv6 only" \
	"2" "$(tel "$prefix" /sbc/neigh '[.[] | select(.state == "reachable")] | length')"
check_eq "H's MAC learned" "02:00:00:00:00:10" \
	"$(tel "$prefix" /sbc/neigh '[.[] | select(.ip == "192.0.2.10") | .mac][0] | ascii_downcase')"
lc=$(tel "$prefix" /sbc/lcore/stats,1)
check_eq "dataplane lcore counted every frame" "$frames" "$(jq .rx_pkts <<<"$lc")"
check_ge "busy cycles counted" 1 "$(jq .busy_cycles <<<"$lc")"

kill -TERM $pid
wait $pid
check_eq "clean exit after SIGTERM" 0 $?
report "$work" check

# --- a port on VLAN 100 -------------------------------------------------------------------
work=$top_work/vlan
if start_sbcd "$work" gen-vlan '{"vlan": 100}'; then
	frames=$(jq .frames "$work/expect.json")
	check "VLAN: all $frames frames received" wait_for 20 rx_done
	s=$(stats)
	check_eq "VLAN: untagged, other-VLAN and double-tagged frames dropped" 3 \
		"$(jq .drops.vlan_mismatch <<<"$s")"
	check_eq "VLAN: nothing else dropped" 3 "$(jq .drops_total <<<"$s")"
	for ev in $(jq -r '.events | keys[]' "$work/expect.json"); do
		check_eq "VLAN: event $ev" "$(jq ".events.$ev" "$work/expect.json")" \
			"$(jq ".events.$ev" <<<"$s")"
	done
	kill -TERM $pid
	wait $pid
	check_eq "VLAN: clean exit after SIGTERM" 0 $?
	report "$work" check-vlan
fi

# --- neighbour-table rules (RFC 4861 7.2.5, gratuitous ARP, eviction) -------------------
work=$top_work/neigh
if start_sbcd "$work" gen-neigh '{}'; then
	frames=$(jq .frames "$work/expect.json")
	check "neighbour rules: all $frames frames received" wait_for 20 rx_done
	n=$(tel "$prefix" /sbc/neigh)
	for ip in $(jq -r '.neigh | keys[]' "$work/expect.json"); do
		want=$(jq -c --arg ip "$ip" '.neigh[$ip]' "$work/expect.json")
		got=$(jq -c --arg ip "$ip" '[.[] | select(.ip == $ip) | {mac: (.mac | ascii_downcase), state}][0]' <<<"$n")
		check_eq "neighbour $ip" "$want" "$got"
	done
	check_eq "table full of $(jq .entries "$work/expect.json") entries, one evicted to make room" \
		"$(jq .entries "$work/expect.json")" "$(jq length <<<"$n")"
	s=$(stats)
	check_eq "nothing refused for lack of room (an unused stale entry gave way)" 0 \
		"$(jq .drops.neigh_table_full <<<"$s")"
	check_eq "the eviction counted as an expiry" 1 "$(jq .events.neigh_expired <<<"$s")"
	kill -TERM $pid
	wait $pid
	check_eq "neighbour rules: clean exit after SIGTERM" 0 $?
fi
done_testing
