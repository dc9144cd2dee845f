#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The lab end to end (tools/lab, namespaces, veth, net_af_packet): ARP, neighbour
# discovery and ICMP/ICMPv6 echo answered by sbcd on both sides, sbcd resolving next
# hops itself, neighbours refreshed while used and aged out when not, counters, clean
# shutdown, and "tools/lab down" leaving nothing behind, also after sbcd was killed.
source "$(dirname "$0")/../lib/tap.sh"

lab_begin l lab

# Fast neighbour aging, so that refresh and expiry happen within the test.
jq '.neighbours = {reachable_s: 2, stale_s: 3, retransmit_ms: 300, probes: 3}' \
	"$TOP/conf/lab.json" >"$work/lab.json"

stats() { tel "$p" "/sbc/port/stats,$1" "$2"; }

if ! $LAB up >"$work/up.log" 2>&1; then
	not_ok "lab up: $(tail -5 "$work/up.log")"
	done_testing
	exit 1
fi
ok "lab up with prefix $p"
check "lab status reports sbcd running" $LAB status
check "dpdk-telemetry.py reads /sbc/info" \
	grep -q '"/sbc/info": {"version"' <<<"$(echo /sbc/info | dpdk-telemetry.py -f "$p" 2>&1)"

acc_mac=$(stats access .mac | tr 'A-F' 'a-f')
core_mac=$(stats core .mac | tr 'A-F' 'a-f')
host_acc_mac=$(in_ns access cat /sys/class/net/eth0/address)

# --- core side first: the host knows sbcd statically, so sbcd must resolve the host ---
in_ns core ip neigh replace 198.51.100.1 lladdr "$core_mac" dev eth0 nud permanent
in_ns core ip -6 neigh replace 2001:db8:c::1 lladdr "$core_mac" dev eth0 nud permanent
check "core: ping 198.51.100.1 (sbcd resolves the host by ARP)" \
	in_ns core ping -c3 -i0.3 -W2 -q 198.51.100.1
check "core: ping 2001:db8:c::1 (sbcd resolves the host by NS)" \
	in_ns core ping -c3 -i0.3 -W2 -q 2001:db8:c::1
check_ge "core: ARP requests sent by sbcd" 1 "$(stats core .events.arp_request_tx)"
check_ge "core: neighbour solicitations sent by sbcd" 1 "$(stats core .events.nd_ns_tx)"
check_ge "core: replies held until the neighbour answered" 2 "$(stats core .events.neigh_resolved)"

# --- access side: the usual way, the host asks first -----------------------------------
check "access: ping 192.0.2.1" in_ns access ping -c3 -i0.3 -W2 -q 192.0.2.1
check "access: ping 2001:db8:a::1" in_ns access ping -c3 -i0.3 -W2 -q 2001:db8:a::1
check "access: arping 192.0.2.1 gets 2 replies" \
	in_ns access arping -c2 -w3 -I eth0 192.0.2.1
check "access host learned sbcd's MAC by ARP" \
	grep -qi "$acc_mac" <<<"$(in_ns access ip neigh show 192.0.2.1)"
check "access host learned sbcd's MAC by ND" \
	grep -qi "$acc_mac" <<<"$(in_ns access ip -6 neigh show 2001:db8:a::1)"
s=$(tel "$p" /sbc/port/stats,access)
check_ge "access: ARP requests answered" 2 "$(jq .events.arp_reply_tx <<<"$s")"
check_ge "access: neighbour solicitations answered" 1 "$(jq .events.nd_na_tx <<<"$s")"
check_ge "access: ICMP echo requests counted" 3 "$(jq .events.icmp_echo_rx <<<"$s")"
check_ge "access: ICMP echo replies counted" 3 "$(jq .events.icmp_echo_tx <<<"$s")"
check_ge "access: ICMPv6 echo replies counted" 3 "$(jq .events.icmp6_echo_tx <<<"$s")"
check_ge "access: ethdev received packets" 12 "$(jq .eth_ipackets <<<"$s")"
check_eq "sbcd learned the access host's MAC" "$host_acc_mac" \
	"$(tel "$p" /sbc/neigh '[.[] | select(.ip == "192.0.2.10")][0].mac' | tr 'A-F' 'a-f')"
lc=$(tel "$p" /sbc/lcore/stats,1)
check_eq "lcore 1 is a dataplane lcore" dataplane "$(jq -r .role <<<"$lc")"
check_ge "lcore 1 counted busy cycles" 1 "$(jq .busy_cycles <<<"$lc")"
check_ge "lcore 1 slept when idle (adaptive polling)" 1 "$(jq .sleeps <<<"$lc")"
check_eq "lcore 2 is a signalling lcore" signalling "$(tel "$p" /sbc/lcore/stats,2 .role)"

# --- neighbour aging ----------------------------------------------------------------------
probes_before=$(stats access .events.arp_request_tx)
check "a neighbour in use stays reachable through its aging (6 s of pings, no loss)" \
	in_ns access ping -c30 -i0.2 -W2 -q 192.0.2.1
check_ge "sbcd re-probed the neighbour it was using" $((probes_before + 1)) \
	"$(stats access .events.arp_request_tx)"
gone() { [ "$(tel "$p" /sbc/neigh '[.[] | select(.ip == "192.0.2.10")] | length')" = 0 ]; }
check "an unused neighbour ages out" wait_for 20 gone
check_ge "expiry counted" 1 "$(stats access .events.neigh_expired)"

# --- clean stop and nothing left behind ------------------------------------------------
leftovers() {
	local what=()
	ip netns list | grep -q "^$p-" && what+=(namespaces)
	pgrep -f -- "--file-prefix $p" >/dev/null && what+=(process)
	[ -e "/var/run/dpdk/$p" ] && what+=(dpdk-runtime-dir)
	[ -e "/run/sbc-lab/$p" ] && what+=(run-dir)
	ls /dev/hugepages/"$p"* >/dev/null 2>&1 && what+=(hugepage-files)
	ip -o link | grep -q -- "$p" && what+=(links)
	echo "${what[*]}"
}
pid=$(cat "/run/sbc-lab/$p/sbcd.pid")
kill -TERM "$pid"
wait_for 20 bash -c "! kill -0 $pid 2>/dev/null"
check "SIGTERM: sbcd closed its ports and freed its tables" \
	grep -q "0 sbc memory zones left" "/run/sbc-lab/$p/sbcd.log"
$LAB down >/dev/null
check_eq "lab down leaves nothing behind" "" "$(leftovers)"
check "lab status says down" bash -c "! $LAB status >/dev/null 2>&1"

if $LAB up >"$work/up2.log" 2>&1; then
	pkill -KILL -f -- "--file-prefix $p"
	sleep 0.5
	$LAB down >/dev/null
	check_eq "lab down after sbcd was killed leaves nothing behind" "" "$(leftovers)"
else
	not_ok "second lab up: $(tail -3 "$work/up2.log")"
fi
done_testing
