#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Calls through the lab with SIPp (issue 4): RTP from a pcap relayed with the SBC's
# address as source and every packet counted, RTCP too; BYE from the callee; CANCEL
# before the answer; hold and resume by re-INVITE; a 486 relayed; IPv6 caller to IPv4
# callee; topology hiding checked on captures of both sides; RTP from a third address
# dropped and counted; NAT latching only in its window and with the stream's SSRC;
# OPTIONS, malformed requests, 503 when full; 1000 calls at 100 calls/s with every
# gauge back to idle afterwards.
source "$(dirname "$0")/../lib/tap.sh"

lab_begin c calls
SIPP_DIR=$TOP/tests/data/sipp
PY=/usr/bin/python3
CAP="$PY $TOP/tests/data/capture.py"
RTP="$PY $TOP/tests/data/rtp_tool.py"
PROBE="$PY $TOP/tests/data/sip_probe.py"

# Short SIP timers (transactions linger 64*T1 = 6.4 s), NAT latching on the access
# side with a 3 s window, few calls (so that 503 can be provoked); the caller is a
# trusted trunk (firewall.flood.exempt: 1000 calls at 100 calls/s are not a flood).
jq '.sip = {t1_ms: 100, t2_ms: 400, t4_ms: 1000, max_calls: 64}
    | .media = {port_min: 20000, port_max: 39999, inactivity_s: 60, latch_window_ms: 3000}
    | .ports[0].media_nat = true
    | .firewall.flood.exempt = ["192.0.2.10/32", "2001:db8:a::10/128"]' \
	"$TOP/conf/lab.json" >"$work/lab.json"

sip() { tel "$p" /sbc/sip "$1"; }
sip_is() { test "$(sip "$1")" = "$2"; } # for wait_for: evaluated on every try
flows() { tel "$p" /sbc/media/flows "$1"; }

# The relay port of the live flow (the other side answered) receiving from
# PEER_IP:PEER_PORT on side SIDE (access|core).
relay_port() {
	flows "to_entries[] | select(.key | startswith(\"$1_\"))
		| select(.value.peer == \"$2\" and .value.peer_port == $3 and .value.dst != null)
		| .key" | head -n1 | sed 's/.*_//'
}
wait_relay() {
	local t=50 r
	while [ $t -gt 0 ]; do
		r=$(relay_port "$@")
		[ -n "$r" ] && { echo "$r"; return 0; }
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}
flow() { flows ".\"$1\".$2"; }

# Captures (classic pcap) of the hosts' side of the lab links.
cap_start() { # name ns
	rm -f "$work/$1.pcap"
	ip netns exec "$p-$2" dumpcap -q -P -i eth0 -f udp -w "$work/$1.pcap" >/dev/null 2>&1 &
	bg_pids+=($!)
	eval "cap_$1=$!"
	wait_for 10 test -s "$work/$1.pcap"
}
cap_stop() { # name
	local pid
	eval "pid=\$cap_$1"
	sleep 0.3
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# One call: callee scenario in the core namespace (background), caller in the access
# namespace (foreground). Extra SIPp arguments after "--" go to the caller.
uas_start() { # [-m CALLS] scenario-args...
	local m=1
	if [ "$1" = -m ]; then
		m=$2
		shift 2
	fi
	(cd "$work" && exec ip netns exec "$p-core" timeout 120 sipp "$@" -i 198.51.100.10 -m "$m" \
		</dev/null >"$work/uas.out" 2>&1) &
	uas_pid=$!
	bg_pids+=($uas_pid)
	sleep 0.5
}
uas_done() { wait "$uas_pid"; }
uac_run() { # remote scenario-args...
	(cd "$work" && ip netns exec "$p-access" timeout 60 sipp "$@" -m 1 </dev/null \
		>"$work/uac.out" 2>&1)
}
call() { # description callee-scenario caller-scenario [caller args...]
	local desc=$1 uas=$2 uac=$3 rc_uac rc_uas
	shift 3
	uas_start -sf "$SIPP_DIR/$uas"
	uac_run 192.0.2.1 -i 192.0.2.10 -sf "$SIPP_DIR/$uac" "$@"
	rc_uac=$?
	uas_done
	rc_uas=$?
	check_eq "$desc: caller completes" 0 "$rc_uac"
	check_eq "$desc: callee completes" 0 "$rc_uas"
}

mkdir -p "$work/pcap"
ln -s /usr/share/sip-tester/*.pcap "$work/pcap/"
if ! $LAB up >"$work/up.log" 2>&1; then
	not_ok "lab up: $(tail -5 "$work/up.log")"
	done_testing
	exit 1
fi
ok "lab up with prefix $p"
in_ns access ip addr add 192.0.2.20/24 dev eth0
in_ns core ip addr add 198.51.100.20/24 dev eth0
mbufs_idle=$(sip .mbufs_in_use)

# --- the message layer's own answers -----------------------------------------------------
r=$(in_ns access $PROBE 192.0.2.10 192.0.2.1 5060 options)
check_eq "OPTIONS to the SBC: 200" "SIP/2.0 200 OK" "$(head -n1 <<<"$r" | tr -d '\r')"
check "OPTIONS answer lists what the SBC allows" grep -q "^Allow: INVITE" <<<"$r"
r=$(in_ns access $PROBE 2001:db8:a::10 2001:db8:a::1 5060 options)
check_eq "OPTIONS over IPv6: 200" "SIP/2.0 200 OK" "$(head -n1 <<<"$r" | tr -d '\r')"
r=$(in_ns access $PROBE 192.0.2.10 192.0.2.1 5060 badversion)
check_eq "SIP/3.0: 505 from the message layer" "SIP/2.0 505 Version Not Supported" \
	"$(head -n1 <<<"$r" | tr -d '\r')"
check_eq "no start line: no answer" timeout "$(in_ns access $PROBE 192.0.2.10 192.0.2.1 5060 garbage)"
ctl0=$(tel "$p" /sbc/port/stats,access .events.sip_control_char)
for k in nul del; do
	r=$(in_ns access $PROBE 192.0.2.10 192.0.2.1 5060 $k)
	check_eq "$k in a header value: 400 from the message layer" \
		"SIP/2.0 400 Control Character in Header Value" "$(head -n1 <<<"$r" | tr -d '\r')"
done
check_eq "both counted as control characters" $((ctl0 + 2)) \
	"$(tel "$p" /sbc/port/stats,access .events.sip_control_char)"

# --- a call with RTP played from a pcap, echoed by the callee; RTCP beside it --------------
cap_start acc access
cap_start core core
uas_start -sn uas -rtp_echo
(cd "$work" && ip netns exec "$p-access" timeout 60 sipp -sn uac_pcap 192.0.2.1 -i 192.0.2.10 \
	-m 1 </dev/null >"$work/uac.out" 2>&1) &
uac_pid=$!
bg_pids+=($uac_pid)
acc_rtcp=$(wait_relay access 192.0.2.10 6001)
core_rtcp=$(wait_relay core 198.51.100.10 6001)
check "flows installed for RTP and RTCP on both sides" test -n "$acc_rtcp" -a -n "$core_rtcp"
in_ns access $RTP 192.0.2.10 6001 192.0.2.1 "${acc_rtcp:-1}" 5 --rtcp --ssrc 0x1234 >/dev/null
wait "$uac_pid"
check_eq "pcap call: caller completes" 0 $?
uas_done
check_eq "pcap call: callee completes" 0 $?
cap_stop acc
cap_stop core
acc_rtp=$((acc_rtcp - 1))
core_rtp=$((core_rtcp - 1))
sent=$($CAP count "$work/acc.pcap" 192.0.2.10:6000 "192.0.2.1:$acc_rtp")
got=$($CAP count "$work/core.pcap" "198.51.100.1:$core_rtp" 198.51.100.10:6000)
check_ge "the caller played RTP to the SBC" 200 "$sent"
check_eq "every RTP packet reached the callee from the SBC's address" "$sent" "$got"
check_eq "...and from nowhere else" "198.51.100.1:$core_rtp $got" \
	"$($CAP srcs "$work/core.pcap" 198.51.100.10:6000)"
echoed=$($CAP count "$work/core.pcap" 198.51.100.10:6000 "198.51.100.1:$core_rtp")
back=$($CAP count "$work/acc.pcap" "192.0.2.1:$acc_rtp" 192.0.2.10:6000)
check_ge "the callee echoed RTP" 200 "$echoed"
check_eq "every echoed packet reached the caller from the SBC's address" "$echoed" "$back"
check_eq "RTCP reached the callee's RTCP port from the SBC's RTCP port" 5 \
	"$($CAP count "$work/core.pcap" "198.51.100.1:$core_rtcp" 198.51.100.10:6001)"
check_ge "relayed datagrams counted at the access port" $((sent + 5)) \
	"$(tel "$p" /sbc/port/stats,access .events.media_relayed)"
check_eq "the call's flows are withdrawn at BYE" 0 "$(sip .flows_active)"
check_ge "...with their reason" 4 "$(sip .flows_withdrawn.bye_caller)"

# --- topology hiding, on the captures of that call -------------------------------------------
$CAP sip "$work/core.pcap" >"$work/core.sip"
$CAP sip "$work/acc.pcap" >"$work/acc.sip"
check_ge "core capture holds the call's SIP" 6 "$(grep -c '^SIP/2.0\|^INVITE\|^ACK\|^BYE' "$work/core.sip")"
leaks() { # capture-text forbidden...: prints what leaked
	local f=$1 x
	shift
	for x in "$@"; do
		grep -qF -- "$x" "$f" && echo "$x"
	done
}
check_eq "core side: no access address in any SIP header or SDP line" "" \
	"$(leaks "$work/core.sip" 192.0.2. 2001:db8:a:)"
check_eq "core side: no Call-ID or tag of the caller's dialog" "" \
	"$(leaks "$work/core.sip" $($CAP ids "$work/acc.pcap" | grep -v '^sbc'))"
check_eq "access side: no core address in any SIP header or SDP line" "" \
	"$(leaks "$work/acc.sip" 198.51.100. 2001:db8:c:)"
check_eq "access side: no Call-ID or tag of the callee's dialog" "" \
	"$(leaks "$work/acc.sip" $($CAP ids "$work/core.pcap" | grep -v '^sbc'))"
check "core side sees the SBC's Via, Contact and Call-ID only" \
	grep -q "^Call-ID: sbc" "$work/core.sip"
check_eq "no Record-Route or Route crosses" "" "$(grep -i '^\(Record-\)\?Route:' "$work/core.sip" "$work/acc.sip")"

# --- call flows ------------------------------------------------------------------------------
ended() { sip ".calls_ended.$1"; }
b0=$(ended bye_callee)
call "BYE from the callee" uas_bye.xml uac_bye.xml
check_eq "ended by the callee" $((b0 + 1)) "$(ended bye_callee)"
c0=$(ended cancelled)
call "CANCEL before answer" uas_cancel.xml uac_cancel.xml
check_eq "ended by CANCEL" $((c0 + 1)) "$(ended cancelled)"
call "re-INVITE hold and resume (directions and SBC addresses checked by both)" \
	uas_hold.xml uac_hold.xml
f0=$(ended failed)
call "486 Busy Here relayed and ACKed on both legs" uas_486.xml uac_486.xml
check_eq "ended as failed" $((f0 + 1)) "$(ended failed)"

# --- IPv6 caller, IPv4 callee, RTP both ways -------------------------------------------------
cap_start acc access
cap_start core core
uas_start -sn uas -rtp_echo
uac_run "[2001:db8:a::1]:5060" -i 2001:db8:a::10 -sn uac_pcap
check_eq "IPv6 caller to IPv4 callee: caller completes" 0 $?
uas_done
check_eq "IPv6 caller to IPv4 callee: callee completes" 0 $?
cap_stop acc
cap_stop core
sent=$($CAP count "$work/acc.pcap" "[2001:db8:a::10]:6000" "[2001:db8:a::1]:*")
got=$($CAP count "$work/core.pcap" "198.51.100.1:*" 198.51.100.10:6000)
check_ge "IPv6 RTP sent to the SBC" 200 "$sent"
check_eq "every packet reached the IPv4 callee" "$sent" "$got"
echoed=$($CAP count "$work/core.pcap" 198.51.100.10:6000 "198.51.100.1:*")
check_eq "every echoed packet reached the IPv6 caller" "$echoed" \
	"$($CAP count "$work/acc.pcap" "[2001:db8:a::1]:*" "[2001:db8:a::10]:6000")"
$CAP sip "$work/core.pcap" >"$work/core.sip"
check_eq "IPv6 call: no access address on the core side" "" \
	"$(leaks "$work/core.sip" 2001:db8:a: 192.0.2.)"

# --- RTP bleed: a third address is dropped and counted (core side, not NAT-flagged) --------
media_call() { # mip mport hold_ms: caller announcing mip:mport, held hold_ms
	uas_start -sn uas
	(cd "$work" && ip netns exec "$p-access" timeout 60 sipp -sf "$SIPP_DIR/uac_media.xml" \
		192.0.2.1 -i 192.0.2.10 -m 1 -set mip "$1" -set mport "$2" -d "$3" </dev/null \
		>"$work/uac.out" 2>&1) &
	uac_pid=$!
	bg_pids+=($uac_pid)
}
media_done() {
	wait "$uac_pid"
	check_eq "$1: caller completes" 0 $?
	uas_done
}
drops() { tel "$p" "/sbc/port/stats,$1" ".drops.$2"; }

media_call 192.0.2.10 7000 6000
ar=$(wait_relay access 192.0.2.10 7000)
cr=$(wait_relay core 198.51.100.10 6000)
cap_start core core
in_ns access $RTP 192.0.2.10 7000 192.0.2.1 "${ar:-1}" 20 >/dev/null
bad0=$(drops core media_bad_source)
in_ns core $RTP 198.51.100.20 6000 198.51.100.1 "${cr:-1}" 15 >/dev/null
in_ns core $RTP 198.51.100.10 6010 198.51.100.1 "${cr:-1}" 10 >/dev/null
cap_start acc access
in_ns core $RTP 198.51.100.20 6000 198.51.100.1 "${cr:-1}" 5 >/dev/null
check_eq "announced source: forwarded (flow counter)" 20 "$(flow "access_$ar" pkts)"
check_eq "third address and wrong port on the core side: counted on the flow" 30 \
	"$(flow "core_$cr" drop_source)"
check_eq "...and as media_bad_source on the core port" $((bad0 + 30)) \
	"$(drops core media_bad_source)"
check_eq "...and nothing forwarded" 0 "$(flow "core_$cr" pkts)"
cap_stop acc
cap_stop core
check_eq "callee received the 20 announced packets from the SBC" 20 \
	"$($CAP count "$work/core.pcap" "198.51.100.1:$cr" 198.51.100.10:6000)"
check_eq "caller received nothing of the injected packets" 0 \
	"$($CAP count "$work/acc.pcap" "192.0.2.1:$ar" 192.0.2.10:7000)"
media_done "bleed call"

# --- NAT latching on the access side (media_nat, 3 s window, same SSRC) ----------------------
# A caller behind NAT announces 192.0.2.99 but sends from 192.0.2.10:7002.
l0=$(tel "$p" /sbc/port/stats,access .events.media_latched)
media_call 192.0.2.99 7000 5000
ar=$(wait_relay access 192.0.2.99 7000)
in_ns access $RTP 192.0.2.10 7002 192.0.2.1 "${ar:-1}" 10 --ssrc 0x1111 >/dev/null
check_eq "NAT leg: the first other source in the window latches" 10 "$(flow "access_$ar" pkts)"
check_eq "...counted as a latch" $((l0 + 1)) "$(tel "$p" /sbc/port/stats,access .events.media_latched)"
check_eq "...and shown on the flow" 1 "$(flow "access_$ar" latched)"
in_ns access $RTP 192.0.2.20 7000 192.0.2.1 "${ar:-1}" 10 --ssrc 0x1111 >/dev/null
check_eq "NAT leg: once latched, another source is dropped (same SSRC or not)" 10 \
	"$(flow "access_$ar" drop_source)"
in_ns access $RTP 192.0.2.10 7002 192.0.2.1 "${ar:-1}" 5 --ssrc 0x1111 --seq 1010 >/dev/null
check_eq "NAT leg: the latched source goes on" 15 "$(flow "access_$ar" pkts)"
media_done "NAT call"

media_call 192.0.2.99 7000 6000
ar=$(wait_relay access 192.0.2.99 7000)
sleep 3.5
in_ns access $RTP 192.0.2.10 7002 192.0.2.1 "${ar:-1}" 10 >/dev/null
check_eq "NAT leg: no latching after the window" 0 "$(flow "access_$ar" pkts)"
check_eq "...those packets dropped and counted" 10 "$(flow "access_$ar" drop_source)"
media_done "NAT call, late media"

media_call 192.0.2.10 7000 5000
ar=$(wait_relay access 192.0.2.10 7000)
in_ns access $RTP 192.0.2.10 7000 192.0.2.1 "${ar:-1}" 5 --ssrc 0xaaaa >/dev/null
in_ns access $RTP 192.0.2.10 7004 192.0.2.1 "${ar:-1}" 5 --ssrc 0xbbbb --seq 1005 >/dev/null
check_eq "NAT leg: a new source with another SSRC is refused" 5 "$(flow "access_$ar" drop_source)"
in_ns access $RTP 192.0.2.10 7006 192.0.2.1 "${ar:-1}" 5 --ssrc 0xaaaa --seq 1010 >/dev/null
check_eq "NAT leg: a new source with the stream's SSRC latches" 10 "$(flow "access_$ar" pkts)"
check_ge "RTP statistics kept (RFC 3550 A.8): expected packets" 9 \
	"$(flow "access_$ar" rtp_expected)"
media_done "NAT call, SSRC"

# --- capacity: 503 with Retry-After when every call slot is taken ----------------------------
uas_start -m 64 -sn uas
(cd "$work" && ip netns exec "$p-access" timeout 60 sipp -sf "$SIPP_DIR/uac_media.xml" \
	192.0.2.1 -i 192.0.2.10 -m 64 -r 200 -set mip 192.0.2.10 -set mport 7000 -d 4000 \
	</dev/null >"$work/uac.out" 2>&1) &
uac_pid=$!
bg_pids+=($uac_pid)
wait_for 10 sip_is .calls_active 64
check_eq "64 calls up (the configured maximum)" 64 "$(sip .calls_active)"
r=$(in_ns access $PROBE 192.0.2.10 192.0.2.1 5060 invite)
check_eq "one more INVITE: 503" "SIP/2.0 503 Service Unavailable" "$(head -n1 <<<"$r" | tr -d '\r')"
check "...with Retry-After" grep -q "^Retry-After: [0-9]" <<<"$r"
check_ge "...counted as overload" 1 "$(sip .calls_overload)"
wait "$uac_pid"
check_eq "the 64 calls complete" 0 $?
uas_done

# --- 1000 calls at 100 calls/s, then everything back to idle ---------------------------------
uas_start -m 1000 -sn uas
(cd "$work" && ip netns exec "$p-access" timeout 120 sipp -sn uac 192.0.2.1 -i 192.0.2.10 \
	-r 100 -m 1000 </dev/null >"$work/uac.out" 2>&1)
check_eq "1000 calls at 100 calls/s: SIPp reports no failure" 0 $?
uas_done
check_eq "1000 calls at 100 calls/s: callee saw every call" 0 $?
check_eq "SIPp counted 1000 successful calls" 1000 \
	"$(grep -a 'Successful call' "$work/uac.out" | tail -n1 | awk -F'|' '{gsub(/ /, "", $3); print $3}')"
wait_for 20 sip_is .transactions_active 0
check_eq "idle again: active calls" 0 "$(sip .calls_active)"
check_eq "idle again: transactions" 0 "$(sip .transactions_active)"
check_eq "idle again: flows" 0 "$(sip .flows_active)"
check_eq "idle again: memory held for calls" 0 "$(sip .memory_bytes)"
wait_for 5 sip_is .mbufs_in_use "$mbufs_idle"
check_eq "idle again: mbufs in use" "$mbufs_idle" "$(sip .mbufs_in_use)"
check_eq "no call failed in the SBC" 0 "$(sip '.calls_ended.error + .calls_ended.no_ack + .calls_ended.no_answer')"
check_eq "no stray message" 0 "$(sip .stray)"

check "sbcd still running" $LAB status
done_testing
