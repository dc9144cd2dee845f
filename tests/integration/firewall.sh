#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The firewall in the lab (issue 5): for every service, packets from allowed and denied
# sources (IPv4 and IPv6) passed or dropped as the rules say, with the counters to
# match; TCP to the host's own services (SSH, web, DB) through the exception path from
# an allowed source only, and ICMP errors about their flows; the kernel may not send
# from a foreign address, and the nftables guard is in place (and gone after stop); 100
# rule set replacements under steady traffic with no allowed packet lost and no denied
# one passed; a bad rule set refused precisely with the old one in force; an INVITE
# flood blocked within a second while another source's calls all succeed, and
# unblocked at expiry; scanners and repeated malformed SIP blocked, for SIP only;
# operator block (every service) and unblock, every one recorded; security alerts and
# their acknowledgement.
source "$(dirname "$0")/../lib/tap.sh"

lab_begin f fw
PY=/usr/bin/python3
FW="$PY $TOP/tests/data/fw_tool.py"
SIPP_DIR=$TOP/tests/data/sipp

# The rule sets under test. Access side sources: .10 the caller (and SSH client), .20
# the web client, .30 the flooder, .40 a scanner, .50 sends malformed SIP, .66 denied
# by rules, .200 outside every allow rule; 2001:db8:a::10 allowed, 2001:db8:a::1:5
# outside the allowed IPv6 prefix.
jq '.sip.t1_ms = 100 | .sip.t2_ms = 400 | .sip.t4_ms = 1000
    | .firewall = {
	services: {
	  sip: { default: "deny", rules: [
	    { name: "bad-host", src: "192.0.2.66", action: "deny" },
	    { name: "customers", src: ["192.0.2.0/25", "2001:db8:a::/112"], port: "access", action: "allow" },
	    { name: "carrier", src: ["198.51.100.0/24", "2001:db8:c::/64"], port: "core", action: "allow" } ] },
	  media: { default: "allow", rules: [ { src: ["192.0.2.66", "2001:db8:a::1:5"], action: "deny" } ] },
	  ssh: { ports: [22], default: "deny", rules: [ { name: "noc", src: ["192.0.2.10", "2001:db8:a::10"], action: "allow" } ] },
	  web: { ports: [8443], default: "deny", rules: [ { src: ["192.0.2.20", "2001:db8:a::10"], action: "allow" } ] },
	  db: { ports: [5432], default: "deny", rules: [ { src: "2001:db8:a::10", action: "allow" } ] },
	  icmp: { default: "allow", rules: [
	    { src: ["192.0.2.66", "2001:db8:a::1:5"], action: "deny" },
	    { src: "192.0.2.200", action: "rate-limit", rate: 5, burst: 5 } ] } },
	flood: { sip_rate: 300, sip_burst: 600, call_rate: 30, call_burst: 60, block_after: 20, block_s: 3 },
	blocklist: { window_s: 60, block_s: 600, malformed: 10, scanner: 1 } }' \
	"$TOP/conf/lab.json" >"$work/lab.json"
# The same decisions for the sources above, with the rules in another order and 2,000
# rules more: what the 100 replacements alternate with.
jq '.firewall.services.sip.rules = ([range(0; 2000) | { src: ("10.\(. / 256 | floor).\(. % 256).0/24"), action: "deny" }]
      + [.firewall.services.sip.rules[0], .firewall.services.sip.rules[2], .firewall.services.sip.rules[1]])
    | .firewall.services.icmp.rules = ([{ src: "203.0.113.0/24", action: "deny" }] + .firewall.services.icmp.rules)' \
	"$work/lab.json" >"$work/lab-b.json"

fw() { tel "$p" /sbc/fw "$1"; }
svc() { fw ".services.$1.$2"; }
hits() { tel "$p" "/sbc/fw/rules,$1" ".rules.\"$2\".hits"; }
dhits() { tel "$p" "/sbc/fw/rules,$1" ".default.hits"; }
drops() { tel "$p" /sbc/port/stats,access ".drops.$1"; }
opt() { in_ns access $FW options "$1" 192.0.2.1 "$2" 50 "${3:-}"; }
opt6() { in_ns access $FW options "$1" 2001:db8:a::1 "$2" 50; }
blocked() { [ "$(tel "$p" /sbc/fw/blocks "[.blocks[] | select(.src == \"$1\")] | length")" = 1 ]; }
unblocked() { ! blocked "$1"; }

if ! $LAB up >"$work/up.log" 2>&1; then
	not_ok "lab up: $(tail -5 "$work/up.log")"
	done_testing
	exit 1
fi
ok "lab up with prefix $p"
for a in 20 30 40 50 66 200; do
	in_ns access ip addr add 192.0.2.$a/24 dev eth0
done
in_ns access ip addr add 2001:db8:a::1:5/64 dev eth0 nodad
check_eq "the rule set in force is generation 1" 1 "$(fw .generation)"
check_eq "its rules: 3 SIP, 1 media, 1 SSH, 1 web, 2 ICMP" "3 1 1 1 2" \
	"$(fw '[.services.sip.rules, .services.media.rules, .services.ssh.rules, .services.web.rules, .services.icmp.rules] | map(tostring) | join(" ")')"

# --- SIP: OPTIONS to the SBC are answered only for allowed sources ------------------------
check_eq "SIP from an allowed IPv4 source: all answered" "sent 20 answered 20" "$(opt 192.0.2.10 20)"
check_eq "SIP from an allowed IPv6 source: all answered" "sent 20 answered 20" "$(opt6 2001:db8:a::10 20)"
check_eq "SIP from a source a deny rule names: none answered" "sent 10 answered 0" "$(opt 192.0.2.66 10)"
check_eq "SIP from outside every allow rule (IPv4): none answered" "sent 10 answered 0" "$(opt 192.0.2.200 10)"
check_eq "SIP from outside every allow rule (IPv6): none answered" "sent 10 answered 0" \
	"$(opt6 2001:db8:a::1:5 10)"
check_eq "SIP: the deny rule counted its 10" 10 "$(hits sip 0)"
check_eq "SIP: the allow rule counted its 40" 40 "$(hits sip 1)"
check_eq "SIP: the default deny counted 20" 20 "$(dhits sip)"
check_eq "SIP verdicts: 40 allowed, 10 denied, 20 default-denied" "40 10 20" \
	"$(fw '.services.sip | "\(.allowed) \(.denied) \(.default_denied)"')"
check_eq "port drops: fw_deny 10, fw_default_deny 20" "10 20" \
	"$(drops fw_deny) $(drops fw_default_deny)"

# --- media: the relay range, no call: allowed sources reach the relay (no flow) -----------
in_ns access $FW udp 192.0.2.10 192.0.2.1 20000 7 >/dev/null
in_ns access $FW udp 2001:db8:a::10 2001:db8:a::1 20002 5 >/dev/null
in_ns access $FW udp 192.0.2.66 192.0.2.1 20000 4 >/dev/null
in_ns access $FW udp 2001:db8:a::1:5 2001:db8:a::1 20004 3 >/dev/null
sleep 0.3
check_eq "media: 12 allowed (v4 and v6), 7 denied by the rule (v4 and v6)" "12 7" \
	"$(svc media allowed) $(svc media denied)"
check_eq "media: allowed datagrams went on to the relay (no flow there)" 12 "$(drops media_no_flow)"

# --- ICMP: echo answered as the rules say ------------------------------------------------
check "ICMP from an allowed source answered" in_ns access ping -c3 -i0.2 -W1 -q -I 192.0.2.10 192.0.2.1
check "ICMPv6 from an allowed source answered" in_ns access ping -c3 -i0.2 -W1 -q -I 2001:db8:a::10 2001:db8:a::1
check "ICMP from a denied source not answered" bash -c "! ip netns exec $p-access ping -c3 -i0.2 -W1 -q -I 192.0.2.66 192.0.2.1"
check "ICMPv6 from a denied source not answered" bash -c "! ip netns exec $p-access ping -c3 -i0.2 -W1 -q -I 2001:db8:a::1:5 2001:db8:a::1"
got=$(in_ns access ping -c 20 -i 0.005 -W1 -q -I 192.0.2.200 192.0.2.1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
check_eq "ICMP rate-limited to its burst of 5 (20 sent in 0.1 s)" 5 "$got"
check_eq "ICMP verdicts: 6 denied, 15 rate-limited" "6 15" \
	"$(svc icmp denied) $(svc icmp rate_limited)"

# --- host services through the exception path --------------------------------------------
in_ns sbcd $FW server 22 &
bg_pids+=($!)
in_ns sbcd $FW server 8443 &
bg_pids+=($!)
in_ns sbcd $FW server 5432 &
bg_pids+=($!)
sleep 0.5
check_eq "SSH port from the allowed IPv4 source: reached the host" "hello 192.0.2.10" \
	"$(in_ns access $FW tcp 192.0.2.10 192.0.2.1 22)"
check_eq "SSH port from the allowed IPv6 source: reached the host" "hello 2001:db8:a::10" \
	"$(in_ns access $FW tcp 2001:db8:a::10 2001:db8:a::1 22)"
check_eq "SSH port from another IPv4 source: dropped" timeout "$(in_ns access $FW tcp 192.0.2.20 192.0.2.1 22 2)"
check_eq "SSH port from another IPv6 source: dropped" timeout \
	"$(in_ns access $FW tcp 2001:db8:a::1:5 2001:db8:a::1 22 2)"
check_eq "web port from its allowed source: reached the host" "hello 192.0.2.20" \
	"$(in_ns access $FW tcp 192.0.2.20 192.0.2.1 8443)"
check_eq "web port from the SSH client: dropped" timeout "$(in_ns access $FW tcp 192.0.2.10 192.0.2.1 8443 2)"
check_eq "web port over IPv6 from its allowed source: reached the host" "hello 2001:db8:a::10" \
	"$(in_ns access $FW tcp 2001:db8:a::10 2001:db8:a::1 8443)"
check_eq "DB port from its allowed (IPv6) source: reached the host" "hello 2001:db8:a::10" \
	"$(in_ns access $FW tcp 2001:db8:a::10 2001:db8:a::1 5432)"
check_eq "DB port from another source: dropped" timeout "$(in_ns access $FW tcp 192.0.2.10 192.0.2.1 5432 2)"
no_svc=$(drops no_service)
check_eq "a TCP port no service has: dropped" timeout "$(in_ns access $FW tcp 192.0.2.10 192.0.2.1 80 2)"
check_ge "...and counted (no_service)" $((no_svc + 2)) "$(drops no_service)"
# An ICMP error about a host service's TCP (path MTU) goes to the host's kernel.
in_before=$(tel "$p" /sbc/port/stats,access .events.host_in)
in_ns access $FW icmp-error 192.0.2.10 192.0.2.1 22
check_eq "an ICMP 'fragmentation needed' about an SSH segment reached the host" \
	$((in_before + 1)) "$(tel "$p" /sbc/port/stats,access .events.host_in)"
in_ns access $FW icmp-error 192.0.2.10 192.0.2.1 4000
check_eq "...one about a port no host service has did not" \
	$((in_before + 1)) "$(tel "$p" /sbc/port/stats,access .events.host_in)"
# The guard: nothing for the SBC's addresses is taken by the host but from the TUN.
check "the host's nftables guard is in place" \
	grep -q 'iifname != { "lo", "'"$p"'-host" } ip daddr { 192.0.2.1, 198.51.100.1 } drop' \
	<<<"$(in_ns sbcd nft list table inet "sbc_${p}_host")"
check_ge "SSH: denied packets counted (SYN retries)" 2 "$(svc ssh default_denied)"
check_ge "packets passed to the kernel counted" 6 "$(tel "$p" /sbc/port/stats,access .events.host_in)"
check_ge "the kernel's replies left by the access port" 6 "$(tel "$p" /sbc/port/stats,access .events.host_out)"
# The kernel may only send from the SBC's addresses.
in_ns sbcd ip addr add 10.99.0.1/32 dev "$p-host"
in_ns sbcd ip route add 192.0.2.99/32 dev "$p-host"
in_ns sbcd ping -c2 -i0.2 -W1 -q -I 10.99.0.1 192.0.2.99 >/dev/null 2>&1
check_ge "the kernel's packets from a foreign address dropped" 2 "$(fw .host.host_bad_src)"

# --- 100 rule set replacements under steady traffic --------------------------------------
cp "$work/lab.json" "$work/lab-a.json"
in_ns access ping -q -c 3000 -i 0.004 -W1 -I 192.0.2.10 192.0.2.1 >"$work/ping-ok.out" 2>&1 &
ping_ok=$!
in_ns access ping -q -c 3000 -i 0.004 -W1 -I 192.0.2.66 192.0.2.1 >"$work/ping-no.out" 2>&1 &
ping_no=$!
in_ns access $FW options 192.0.2.10 192.0.2.1 2000 200 >"$work/opt-ok.out" &
opt_ok=$!
in_ns access $FW options 192.0.2.66 192.0.2.1 2000 200 >"$work/opt-no.out" &
opt_no=$!
bg_pids+=($ping_ok $ping_no $opt_ok $opt_no)
sleep 1
r=$($FW reloads "$p" "/run/sbc-lab/$p/sbcd.json" "$work/lab-a.json" "$work/lab-b.json" 100)
check "100 replacements, each in force in turn: $r" grep -q "reloads 100 ok 100 in_order 1" <<<"$r"
wait $ping_ok $ping_no $opt_ok $opt_no
check_eq "allowed pings during the replacements: none lost" 3000 \
	"$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping-ok.out")"
check_eq "denied pings during the replacements: none answered" 0 \
	"$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$work/ping-no.out")"
check_eq "allowed SIP during the replacements: all answered" "sent 2000 answered 2000" "$(cat "$work/opt-ok.out")"
check_eq "denied SIP during the replacements: none answered" "sent 2000 answered 0" "$(cat "$work/opt-no.out")"
check_eq "the last set (B, 2,003 SIP rules) is in force: generation 101" "101 2003" \
	"$(fw '"\(.generation) \(.services.sip.rules)"')"

# --- a bad rule set is refused, the running one stays ------------------------------------
jq '.firewall.services.ssh.rules[0].src[1] = "2001:db8:a::/129"' "$work/lab.json" \
	>"/run/sbc-lab/$p/sbcd.json"
r=$(tel "$p" /sbc/fw/reload)
check_eq "bad set refused" error "$(jq -r .result <<<"$r")"
check_eq "...naming the rule and the field" "firewall.services.ssh.rules[0].src[1]" "$(jq -r .key <<<"$r")"
check_eq "...and the value" '"2001:db8:a::/129"' "$(jq -r .value <<<"$r")"
check "...and the problem" grep -q "not an IPv4 or IPv6 address or prefix" <<<"$(jq -r .error <<<"$r")"
check_eq "the running set stays (generation 101)" 101 "$(fw .generation)"
check_eq "...and still decides: SIP from the denied source unanswered" "sent 5 answered 0" "$(opt 192.0.2.66 5)"
check "the refusal is in the record" grep -q "refused, generation 101 stays" \
	<<<"$(tel "$p" /sbc/fw/log '.records."0".what')"
kill -HUP "$(cat "/run/sbc-lab/$p/sbcd.pid")"
check "SIGHUP with the bad set: refused and logged" \
	wait_for 5 grep -q "firewall reload refused, the running rules stay: .*rules\[0\].src\[1\]" \
	"/run/sbc-lab/$p/sbcd.log"
cp "$work/lab.json" "/run/sbc-lab/$p/sbcd.json"
kill -HUP "$(cat "/run/sbc-lab/$p/sbcd.pid")"
check "SIGHUP with a good set: generation 102 in force" wait_for 5 \
	bash -c "[ \"\$($TOP/tools/sbc-telemetry -f $p /sbc/fw | jq .[].generation)\" = 102 ]"

# --- flood: an INVITE flood is blocked, the other source's calls all succeed --------------
(cd "$work" && exec ip netns exec "$p-core" timeout 60 sipp -sn uas -i 198.51.100.10 \
	</dev/null >"$work/uas.out" 2>&1) &
bg_pids+=($!)
sleep 0.5
(cd "$work" && ip netns exec "$p-access" timeout 60 sipp -sn uac 192.0.2.1 -i 192.0.2.10 \
	-r 10 -m 50 </dev/null >"$work/uac.out" 2>&1) &
uac=$!
bg_pids+=($uac)
sleep 0.5
in_ns access $FW flood 192.0.2.30 192.0.2.1 2 1000 >"$work/flood.out"
read -r flood_start flood_n <"$work/flood.out"
check_ge "the flooder sent INVITEs far above its limit (1000/s for 2 s)" 1500 "$flood_n"
check "the flooder is blocked (right after its flood)" blocked 192.0.2.30/32
rec=$(tel "$p" /sbc/fw/log '[.records[] | select(.action == "block" and .src == "192.0.2.30/32")][0]')
check_eq "...for a call flood" call_flood "$(jq -r .offence <<<"$rec")"
delay=$(($(jq .time_ms <<<"$rec") - flood_start))
check "...within a second of the flood's start (${delay} ms)" test "$delay" -ge 0 -a "$delay" -le 1000
wait $uac
check_eq "50 calls at 10/s from another source during the flood: all succeed" 0 $?
check_ge "new calls over the limit dropped before the block" 20 "$(drops call_flood)"
check_ge "the flooder's datagrams dropped once blocked" 100 "$(drops fw_blocked)"
check_eq "the calling source was never limited or blocked" "0" \
	"$(tel "$p" /sbc/fw/log '[.records[] | select(.src == "192.0.2.10/32")] | length')"
check "the flooder is unblocked at expiry (3 s)" wait_for 6 unblocked 192.0.2.30/32
check_eq "...and the expiry recorded" expire \
	"$(tel "$p" /sbc/fw/log '[.records[] | select(.src == "192.0.2.30/32")][0].action')"
check_eq "...after which its SIP is answered again" "sent 3 answered 3" "$(opt 192.0.2.30 3)"

# --- scanners and malformed SIP -------------------------------------------------------------
check_eq "a scanner's OPTIONS: not answered" "sent 3 answered 0" "$(opt 192.0.2.40 3 friendly-scanner)"
check_ge "...dropped early as a scanner" 1 "$(drops sip_scanner)"
check "...and the scanner is blocked at once" wait_for 2 blocked 192.0.2.40/32
check_eq "malformed SIP gets 400 until the source is blocked (10 of 15)" 10 \
	"$(in_ns access $FW malformed 192.0.2.50 192.0.2.1 15)"
check "...and the source is blocked" blocked 192.0.2.50/32
check_eq "...for malformed SIP" malformed \
	"$(tel "$p" /sbc/fw/blocks '.blocks[] | select(.src == "192.0.2.50/32") | .offence')"
check_eq "...which blocks its SIP only" sip \
	"$(tel "$p" /sbc/fw/blocks '.blocks[] | select(.src == "192.0.2.50/32") | .services')"
check "...so its pings are still answered (ICMP allowed)" in_ns access ping -c2 -i0.2 -W1 -q -I 192.0.2.50 192.0.2.1

# --- operator commands ----------------------------------------------------------------------
r=$(tel "$p" "/sbc/fw/unblock,192.0.2.40")
check_eq "operator unblocks the scanner" unblocked "$(jq -r .result <<<"$r")"
check_eq "...recorded with who did it" "unblock operator" \
	"$(tel "$p" /sbc/fw/log '.records."0" | "\(.action) \(.by)"')"
r=$(tel "$p" "/sbc/fw/block,2001:db8:a::10,0,maintenance window")
check_eq "operator blocks an IPv6 source until unblocked" blocked "$(jq -r .result <<<"$r")"
check "...as its /64" blocked 2001:db8:a::/64
check_eq "...from every service" all \
	"$(tel "$p" /sbc/fw/blocks '.blocks[] | select(.src == "2001:db8:a::/64") | .services')"
check "...its pings are dropped too" bash -c "! ip netns exec $p-access ping -c2 -i0.2 -W1 -q -I 2001:db8:a::10 2001:db8:a::1"
check_eq "...its SIP is no longer answered" "sent 3 answered 0" "$(opt6 2001:db8:a::10 3)"
check_eq "...nor SIP from another address of the /64" "sent 2 answered 0" \
	"$(in_ns access $FW options 2001:db8:a::1:5 2001:db8:a::1 2 50)"
check_eq "a second block of it is refused" "already blocked (unblock it first to change the block)" \
	"$(tel "$p" "/sbc/fw/block,2001:db8:a::99" .error)"
check_eq "a prefix is refused" "IPv4 sources are blocked one address at a time (a prefix: a deny rule)" \
	"$(tel "$p" "/sbc/fw/block,192.0.2.0/24" .error)"
check_eq "unblocking a source that is not blocked is refused" "not blocked" \
	"$(tel "$p" "/sbc/fw/unblock,192.0.2.99" .error)"
tel "$p" "/sbc/fw/unblock,2001:db8:a::10" >/dev/null
check_eq "after the unblock its SIP is answered" "sent 3 answered 3" "$(opt6 2001:db8:a::10 3)"
check "every block and unblock is in the record, with its reason" bash -c "
	$TOP/tools/sbc-telemetry -f $p /sbc/fw/log | jq -e '[.[].records[] | select(.action == \"block\" or .action == \"unblock\" or .action == \"expire\")]
		| (map(select(.what == \"\")) | length == 0) and length >= 7' >/dev/null"

# --- security alerts --------------------------------------------------------------------
check_eq "no alert while unknown sources are denied" 0 "$(tel "$p" /sbc/fw/alerts '[.[] | select(.raised == 1)] | length')"
jq '.firewall.services.web.default = "allow"' "$work/lab.json" >"/run/sbc-lab/$p/sbcd.json"
tel "$p" /sbc/fw/reload >/dev/null
check_eq "web open to all: alert raised" "1 0" "$(tel "$p" /sbc/fw/alerts '.web | "\(.raised) \(.acknowledged)"')"
check "...and logged" grep -q "security alert: web: every IPv4 and IPv6 source let in by the default policy" \
	"/run/sbc-lab/$p/sbcd.log"
check_eq "acknowledged by the operator (external firewall)" acknowledged \
	"$(tel "$p" /sbc/fw/alerts/ack,web .result)"
check_eq "...shown as acknowledged" "1 1 operator" \
	"$(tel "$p" /sbc/fw/alerts '.web | "\(.raised) \(.acknowledged) \(.acknowledged_by)"')"
check_eq "an unknown service cannot be acknowledged" "a service with alerts: sip, web, ssh or db" \
	"$(tel "$p" /sbc/fw/alerts/ack,media .error)"

# --- nothing leaked ------------------------------------------------------------------------
pid=$(cat "/run/sbc-lab/$p/sbcd.pid")
kill -TERM "$pid"
wait_for 20 bash -c "! kill -0 $pid 2>/dev/null"
check "SIGTERM: sbcd freed everything" grep -q "0 sbc memory zones left" "/run/sbc-lab/$p/sbcd.log"
check_eq "its policy rules are gone from the host" "" \
	"$(ip netns exec "$p-sbcd" ip rule | grep 'lookup 5060')"
check "...and its nftables guard" bash -c "! ip netns exec $p-sbcd nft list table inet sbc_${p}_host >/dev/null 2>&1"
done_testing
