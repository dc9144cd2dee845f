#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A softphone call through the lab (issue 11, 6b): baresip calls baresip, the caller in
# the access namespace, the callee in the core namespace, with audio (a 440 Hz sine, no
# sound card) for about 12 s, then the caller hangs up. Every UDP datagram on the
# carrier side is captured: no address of the caller's host may appear in any payload
# (SIP, SDP, RTP, RTCP), as text or as its 4 or 16 octets. Positively: RTP and RTCP
# reports reached the callee, with the SBC's opaque CNAME (the same in the SDP's
# a=ssrc) where the caller wrote "sip:alice@192.0.2.10"; an RTCP BYE compound shaped as
# baresip sends it at hang-up, sent from the caller's RTCP port during the call,
# arrives scrubbed; baresip's own final RTCP BYE was sent and either arrived scrubbed
# or was dropped with the call's flows (the SBC withdraws them at the SIP BYE, which
# baresip sends first).
source "$(dirname "$0")/../lib/tap.sh"

CALLER=192.0.2.10
CALLEE=198.51.100.10
CAP="/usr/bin/python3 $TOP/tests/data/capture.py"

if ! command -v baresip >/dev/null; then
	not_ok "baresip is installed (tools/setup)"
	done_testing
	exit 1
fi
lab_begin s softphone
trap '' PIPE # a baresip that died must fail checks, not kill the test mid-way
cp "$TOP/conf/lab.json" "$work/lab.json"

# bs_conf DIR ADDRESS AOR ANSWERMODE: a baresip configuration of its own. No sound card:
# a sine as source, an audio bridge nobody listens to as player; PCMU; RTCP on its own
# port (no rtcp-mux); commands on standard input.
bs_conf() {
	mkdir -p "$1"
	cat >"$1/config" <<-EOF
	poll_method		epoll
	sip_listen		$2:5060
	call_local_timeout	20
	call_max_calls		1
	audio_player		aubridge,nil
	audio_source		ausine,440
	audio_alert		aubridge,nil
	ausrc_srate		48000
	ausrc_channels		2
	audio_level		no
	rtp_stats		no
	rtcp_mux		no
	module_path		/usr/lib/baresip/modules
	module			stdio.so
	module			g711.so
	module			ausine.so
	module			aubridge.so
	module_tmp		uuid.so
	module_tmp		account.so
	module_app		menu.so
	net_interface		eth0
	EOF
	echo "<$3>;regint=0;answermode=$4;audio_codecs=PCMU" >"$1/accounts"
	: >"$1/contacts"
}

cap_start() { # name ns: every UDP datagram on the host's side of the lab link
	ip netns exec "$p-$2" dumpcap -q -P -i eth0 -f udp -w "$work/$1.pcap" >/dev/null 2>&1 &
	bg_pids+=($!)
	eval "cap_$1=$!"
	wait_for 10 test -s "$work/$1.pcap"
}
cap_stop() { # name
	local pid
	eval "pid=\$cap_$1"
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# The caller's commands go through a pipe to baresip's standard input.
say() { echo "$1" >&"$cmd_fd" 2>/dev/null; }

# The access side's relay port and the caller's port of the call's RTCP flow.
rtcp_flow() {
	tel "$p" /sbc/media/flows "to_entries[] | select(.key | startswith(\"access_\"))
		| select(.value.peer == \"$CALLER\" and .value.rtp == 0 and .value.dst != null)
		| \"\(.key | sub(\"access_\"; \"\")) \(.value.peer_port) \(.value.rtcp_scrub)\""
}

# inject_bye SRC_PORT DST_PORT CNAME: from the caller's address and RTCP port (which
# baresip holds: a raw socket), the compound baresip sends at hang-up: BYE with the
# reason "Adjo", then SDES with its CNAME (another SSRC, so the call goes on).
inject_bye() {
	in_ns access /usr/bin/python3 - "$CALLER" 192.0.2.1 "$@" <<-'EOF'
	import socket, struct, sys
	src, dst, sport, dport, cname = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].encode()
	ssrc = 0x5BC0FFEE
	bye = struct.pack("!BBHI", 0x81, 203, 3, ssrc) + b"\x04Adjo\x00\x00\x00"
	chunk = struct.pack("!I", ssrc) + bytes([1, len(cname)]) + cname + b"\x00"
	chunk += b"\x00" * (-len(chunk) % 4)
	payload = bye + struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk
	ulen = 8 + len(payload)
	data = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBHHHHH", 0, 17, ulen, sport, dport, ulen, 0) + payload
	data += b"\x00" * (len(data) % 2)
	s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
	while s >> 16:
	    s = (s & 0xFFFF) + (s >> 16)
	ck = (~s & 0xFFFF) or 0xFFFF
	sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
	sock.bind((src, 0))
	sock.sendto(struct.pack("!HHHH", sport, dport, ulen, ck) + payload, (dst, 0))
	EOF
}

if ! $LAB up >"$work/up.log" 2>&1; then
	not_ok "lab up: $(tail -5 "$work/up.log")"
	done_testing
	exit 1
fi
ok "lab up with prefix $p"
caller_addrs=$(in_ns access ip -o addr show dev eth0 | awk '{sub(/\/.*/, "", $4); print $4}')
callee_addrs=$(in_ns core ip -o addr show dev eth0 | awk '{sub(/\/.*/, "", $4); print $4}')
check "the caller's host has IPv4 and IPv6 addresses to hide" \
	grep -q "^$CALLER\$" <<<"$caller_addrs"
bs_conf "$work/callee" "$CALLEE" "sip:bob@$CALLEE" auto
bs_conf "$work/caller" "$CALLER" "sip:alice@$CALLER" manual
cap_start core core
cap_start acc access

# --- the call ---------------------------------------------------------------------------
ip netns exec "$p-core" baresip -f "$work/callee" -t 45 </dev/null >"$work/callee.log" 2>&1 &
callee_pid=$!
bg_pids+=($callee_pid)
wait_for 10 grep -q "baresip is ready" "$work/callee.log"
mkfifo "$work/caller.in"
ip netns exec "$p-access" baresip -f "$work/caller" -t 45 <"$work/caller.in" \
	>"$work/caller.log" 2>&1 &
caller_pid=$!
bg_pids+=($caller_pid)
exec {cmd_fd}>"$work/caller.in"
wait_for 10 grep -q "baresip is ready" "$work/caller.log"
say "/dial sip:bob@192.0.2.1"
check "the call is established at the caller" wait_for 10 grep -q "Call established" "$work/caller.log"
check "...and at the callee" grep -q "Call established" "$work/callee.log"
read -r relay_rtcp caller_rtcp scrub <<<"$(rtcp_flow)"
check_eq "the caller's RTCP flow scrubs plain RTCP (RTP/AVP)" 1 "${scrub:-none}"
# Two RTCP intervals (5 s each, RFC 3550 6.2), then the hang-up compound, then hang up.
sleep 11
inject_bye "${caller_rtcp:-9}" "${relay_rtcp:-9}" "sip:alice@$CALLER"
sleep 1
say "/hangup"
check "the caller hung up" wait_for 5 grep -q "terminated" "$work/caller.log"
check "...and the callee saw it" wait_for 5 grep -q "terminated" "$work/callee.log"
sleep 1 # baresip's RTCP BYE follows its SIP BYE
say "/quit"
cap_stop acc
cap_stop core
exec {cmd_fd}>&-
kill -TERM "$callee_pid" 2>/dev/null
wait "$caller_pid" "$callee_pid" 2>/dev/null

# --- what the caller sent ----------------------------------------------------------------
$CAP rtcp "$work/acc.pcap" "$CALLER:*" "192.0.2.1:*" >"$work/acc.rtcp"
check_ge "the caller sent RTCP reports" 2 "$(grep -c 'types=20[01],202 ' "$work/acc.rtcp")"
check "...naming its host in the CNAME (what the SBC must hide)" \
	grep -q "cname=sip:alice@$CALLER\$" "$work/acc.rtcp"
check "...and its final RTCP BYE, after the SIP BYE" \
	grep -q "types=203,202 cname=sip:alice@$CALLER reason=Adjo" "$work/acc.rtcp"

# --- what the carrier side received -------------------------------------------------------
$CAP rtcp "$work/core.pcap" "198.51.100.1:*" "$CALLEE:*" >"$work/core.rtcp"
check_ge "RTP reached the callee from the SBC" 400 \
	"$($CAP count "$work/core.pcap" "198.51.100.1:*" "$CALLEE:*")"
check_ge "RTCP reports reached the callee" 2 "$(grep -c 'types=20[01],202 ' "$work/core.rtcp")"
cnames=$(grep -o 'cname=[^ ]*' "$work/core.rtcp" | sort -u)
check_eq "one CNAME reached the callee for the caller" 1 "$(grep -c . <<<"$cnames")"
cname=${cnames#cname=}
check "...an opaque one (16 base64 characters), not the caller's" \
	grep -qE '^[A-Za-z0-9+/]{16}$' <<<"$cname"
check "the injected BYE compound reached the callee: BYE without reason, opaque CNAME" \
	grep -qx "198.51.100.1:[0-9]*>$CALLEE:[0-9]* types=203,202 cname=$cname" "$work/core.rtcp"
$CAP sip "$work/core.pcap" >"$work/core.sip"
check_eq "the SDP the callee got names the caller's source with the same CNAME" \
	"a=ssrc:cname:$cname" \
	"$(grep -o 'a=ssrc:[0-9]* cname:[^[:space:]]*' "$work/core.sip" | head -n1 | sed 's/:[0-9]* /:/')"
# shellcheck disable=SC2086 # one argument per address
leaked=$($CAP leaks "$work/core.pcap" $caller_addrs | sort | uniq -c)
check "no address of the caller's host in any datagram the carrier side saw" test -z "$leaked"
[ -z "$leaked" ] || sed 's/^/#   /' <<<"$leaked"
n_bye=$(grep -c 'types=203,202 ' "$work/core.rtcp")
no_flow=$(tel "$p" /sbc/port/stats,access .drops.media_no_flow)
check "baresip's final RTCP BYE reached the callee scrubbed, or went with the call's flows" \
	test "$n_bye" -ge 2 -o "${no_flow:-0}" -ge 1

# --- and the other way ----------------------------------------------------------------------
$CAP rtcp "$work/acc.pcap" "192.0.2.1:*" "$CALLER:*" >"$work/acc.rtcp.in"
check_ge "the callee's RTCP reached the caller" 2 "$(grep -c 'types=20[01],202 ' "$work/acc.rtcp.in")"
check "...with an opaque CNAME" grep -qE 'cname=[A-Za-z0-9+/]{16}$' "$work/acc.rtcp.in"
# shellcheck disable=SC2086
leaked=$($CAP leaks "$work/acc.pcap" $callee_addrs | sort | uniq -c)
check "no address of the callee's host in any datagram the caller saw" test -z "$leaked"
[ -z "$leaked" ] || sed 's/^/#   /' <<<"$leaked"
for port in access core; do
	check_eq "no RTCP refused as malformed ($port)" 0 \
		"$(tel "$p" "/sbc/port/stats,$port" .drops.media_rtcp_malformed)"
done
check "sbcd still running" $LAB status
done_testing
