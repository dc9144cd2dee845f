#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Frames for the pcap integration test, and the check of sbcd's answers.

  pcap_frames.py gen DIR      writes DIR/in.pcap and DIR/expect.json
  pcap_frames.py check DIR    reads DIR/out*.pcap, prints "PASS ..." / "FAIL ..." lines
  pcap_frames.py gen-vlan DIR / check-vlan DIR
                              the same for a port configured with VLAN 100
  pcap_frames.py gen-neigh DIR
                              neighbour-table rules: Override/Solicited, gratuitous
                              ARP, eviction when full (checked through telemetry)

sbcd's port is net_pcap's first device: MAC 02:70:63:61:70:00, 192.0.2.1/24,
2001:db8:a::1/64, IPv4 gateway 192.0.2.254, no IPv6 gateway. Every malformed frame
carries exactly one defect, named by the drop reason it must be counted under.
"""
import json
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # quiet before import
from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6ND_NA, ICMPv6ND_NS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting,
                       Raw, rdpcap, wrpcap)

US_MAC = "02:70:63:61:70:00"
US4, US6 = "192.0.2.1", "2001:db8:a::1"
H_MAC, H4, H6 = "02:00:00:00:00:10", "192.0.2.10", "2001:db8:a::10"
SN_US = "ff02::1:ff00:1"
SN_US_MAC = "33:33:ff:00:00:01"
UNKNOWN_HOSTS = 70          # echo requests from distinct unknown neighbours
TABLE = 64                  # neighbours.max_entries in the test configuration


def eth(dst=US_MAC, src=H_MAC):
    return Ether(dst=dst, src=src)


def echo4(src=H4, mac=H_MAC, ident=1):
    return eth(src=mac) / IP(src=src, dst=US4) / ICMP(id=ident) / Raw(b"x" * 32)


def raw(pkt, cut=None, patch=None):
    b = bytearray(bytes(pkt))
    if patch:
        for off, val in patch:
            b[off] = val
    return bytes(b[:cut] if cut else b)


def malformed():
    """(drop reason, frame) pairs."""
    e = eth()
    return [
        ("l2_runt", b"\x02" * 10),
        ("l2_dst_other", eth(dst="02:00:00:00:00:99") / IP(src=H4, dst=US4) / ICMP()),
        ("l2_src_invalid", eth(src="01:00:5e:00:00:01") / IP(src=H4, dst=US4) / ICMP()),
        ("vlan_mismatch", e / Dot1Q(vlan=5) / IP(src=H4, dst=US4) / ICMP()),
        ("vlan_too_many", e / Dot1Q(vlan=5) / Dot1Q(vlan=6) / Dot1Q(vlan=7) / IP(src=H4, dst=US4)),
        ("vlan_truncated", raw(Ether(dst=US_MAC, src=H_MAC, type=0x8100) / b"\x00\x05")),
        ("ethertype_unknown", Ether(dst=US_MAC, src=H_MAC, type=0x88cc) / Raw(b"\x00" * 46)),
        ("arp_truncated", raw(e / ARP(pdst=US4, psrc=H4, hwsrc=H_MAC), cut=14 + 20)),
        ("arp_malformed", e / ARP(hwtype=6, pdst=US4, psrc=H4, hwsrc=H_MAC)),
        ("arp_bad_op", e / ARP(op=5, pdst=US4, psrc=H4, hwsrc=H_MAC)),
        ("arp_not_for_us", e / ARP(pdst="192.0.2.99", psrc=H4, hwsrc=H_MAC)),
        ("arp_bad_sender", e / ARP(pdst=US4, psrc=US4, hwsrc=H_MAC)),
        ("ip4_truncated", raw(e / IP(src=H4, dst=US4) / ICMP(), cut=14 + 15)),
        ("ip4_bad_version", raw(e / IP(src=H4, dst=US4) / ICMP(), patch=[(14, 0x55)])),
        ("ip4_bad_ihl", raw(e / IP(src=H4, dst=US4) / ICMP(), patch=[(14, 0x43)])),
        ("ip4_bad_len", e / IP(src=H4, dst=US4, len=1000) / ICMP()),
        ("ip4_bad_cksum", e / IP(src=H4, dst=US4, chksum=0x1234) / ICMP()),
        ("ip4_bad_src", e / IP(src="127.0.0.1", dst=US4) / ICMP()),
        ("ip4_bad_src", e / IP(src=US4, dst=US4) / ICMP()),                 # our own
        ("ip4_bad_src", e / IP(src="192.0.2.255", dst=US4) / ICMP()),       # subnet broadcast
        ("ip4_reassembly", e / IP(src=H4, dst=US4, flags="MF", id=77) / ICMP()),  # never completed
        ("ip6_truncated", raw(e / IPv6(src=H6, dst=US6) / ICMPv6EchoRequest(), cut=14 + 30)),
        ("ip6_bad_version", raw(e / IPv6(src=H6, dst=US6) / ICMPv6EchoRequest(), patch=[(14, 0x40)])),
        ("ip6_bad_len", e / IPv6(src=H6, dst=US6, plen=500) / ICMPv6EchoRequest()),
        ("ip6_ext_malformed", e / IPv6(src=H6, dst=US6) / IPv6ExtHdrDestOpt() /
         IPv6ExtHdrHopByHop() / ICMPv6EchoRequest()),
        ("ip6_ext_too_many", e / IPv6(src=H6, dst=US6) /
         (IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() /
          IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() /
          IPv6ExtHdrDestOpt()) / ICMPv6EchoRequest()),
        ("ip6_bad_src", e / IPv6(src="ff02::1", dst=US6) / ICMPv6EchoRequest()),
        ("ip6_bad_src", e / IPv6(src=US6, dst=US6) / ICMPv6EchoRequest()),   # our own
        ("ip6_bad_src", e / IPv6(src="::", dst=US6) / ICMPv6EchoRequest()),  # unspecified
        ("ip6_routing", e / IPv6(src=H6, dst=US6) /
         IPv6ExtHdrRouting(addresses=["2001:db8:c::10"], segleft=1) / ICMPv6EchoRequest()),
        ("ip6_fragment", e / IPv6(src=H6, dst=US6) / IPv6ExtHdrFragment(m=1) / ICMPv6EchoRequest()),
        ("l4_truncated", raw(e / IP(src=H4, dst=US4, proto=17, len=24) / Raw(b"\x00" * 4))),
        ("udp_bad_len", e / IP(src=H4, dst=US4) / UDP(dport=5060, len=200) / Raw(b"x" * 8)),
        ("tcp_bad_offset", e / IP(src=H4, dst=US4) / TCP(dport=22, dataofs=3)),
        ("icmp_bad_cksum", e / IP(src=H4, dst=US4) / ICMP(chksum=0x1111)),
        ("icmp_unhandled", e / IP(src=H4, dst=US4) / ICMP(type=13)),
        ("nd_invalid", eth(dst=SN_US_MAC) / IPv6(src=H6, dst=SN_US, hlim=64) /
         ICMPv6ND_NS(tgt=US6) / ICMPv6NDOptSrcLLAddr(lladdr=H_MAC)),
        ("nd_invalid", eth(dst=SN_US_MAC) / IPv6(src=H6, dst=SN_US, hlim=255) /
         ICMPv6ND_NS(tgt=US6) / ICMPv6NDOptSrcLLAddr(lladdr="ff:ff:ff:ff:ff:ff")),
        ("nd_not_for_us", eth() / IPv6(src=H6, dst=US6, hlim=255) /
         ICMPv6ND_NS(tgt="2001:db8:a::99") / ICMPv6NDOptSrcLLAddr(lladdr=H_MAC)),
        ("l3_multicast", e / IP(src=H4, dst="192.0.2.255") / ICMP()),
        ("not_local", e / IP(src=H4, dst="10.0.0.1") / ICMP()),
        ("no_service", e / IP(src=H4, dst=US4) / UDP(sport=5060, dport=5060) / Raw(b"OPTIONS")),
        ("no_route", e / IPv6(src="2001:db9::5", dst=US6) / ICMPv6EchoRequest()),
    ]


def sent(d):
    """Every frame sbcd wrote, from the TX pcaps of its three queues."""
    pkts = []
    for q in range(3):
        try:
            pkts += list(rdpcap("%s/out%d.pcap" % (d, q)))
        except FileNotFoundError:
            pass
    return pkts


def gen(d):
    frames = []
    events = {}

    def add(pkt, **ev):
        frames.append(pkt)
        for k, v in ev.items():
            events[k] = events.get(k, 0) + v

    # Neighbour H introduces itself and talks to us: answered directly.
    add(eth(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=US4, psrc=H4, hwsrc=H_MAC),
        arp_request_rx=1, arp_reply_tx=1)
    add(eth(dst=SN_US_MAC) / IPv6(src=H6, dst=SN_US, hlim=255) / ICMPv6ND_NS(tgt=US6) /
        ICMPv6NDOptSrcLLAddr(lladdr=H_MAC), nd_ns_rx=1, nd_na_tx=1)
    add(echo4(), icmp_echo_rx=1, icmp_echo_tx=1)
    add(eth() / IPv6(src=H6, dst=US6) / ICMPv6EchoRequest(id=1, data=b"y" * 24),
        icmp6_echo_rx=1, icmp6_echo_tx=1)
    add(eth() / ARP(op=2, pdst=US4, psrc=H4, hwsrc=H_MAC, hwdst=US_MAC), arp_reply_rx=1)
    add(eth() / IPv6(src=H6, dst=US6, hlim=255) / ICMPv6ND_NA(tgt=H6, S=1, O=1) /
        ICMPv6NDOptDstLLAddr(lladdr=H_MAC), nd_na_rx=1)
    add(eth(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=H4, psrc=H4, hwsrc=H_MAC))  # gratuitous

    # Echo requests whose reply needs a neighbour nobody answers for.
    unknown = 0
    for _ in range(2):                       # the second replaces the first one waiting
        add(echo4(src="192.0.2.20", mac="02:00:00:00:00:20"), icmp_echo_rx=1, icmp_echo_tx=1)
        unknown += 1
    add(echo4(src="203.0.113.5", mac="02:00:00:00:00:fe"), icmp_echo_rx=1, icmp_echo_tx=1)
    unknown += 1                              # off-link: through the unanswering gateway
    for i in range(UNKNOWN_HOSTS):           # more neighbours than the table holds
        add(echo4(src="192.0.2.%d" % (100 + i), mac="02:00:00:00:01:%02x" % i),
            icmp_echo_rx=1, icmp_echo_tx=1)
        unknown += 1

    drops = {}
    for reason, pkt in malformed():
        frames.append(pkt)
        drops[reason] = drops.get(reason, 0) + 1
    # The no_route case is an echo request for us: received, never answered.
    events["icmp6_echo_rx"] = events.get("icmp6_echo_rx", 0) + 1

    wrpcap("%s/in.pcap" % d, [Raw(load=p) if isinstance(p, bytes) else p for p in frames],
           linktype=1)
    with open("%s/expect.json" % d, "w") as f:
        json.dump({"frames": len(frames), "drops": drops, "events": events,
                   "unresolved_echo": unknown, "table": TABLE}, f, indent=1, sort_keys=True)


def gen_vlan(d):
    """Tagged requests for a port on VLAN 100; untagged, other-VLAN and QinQ frames."""
    def tag(vid=100):
        return Ether(dst=US_MAC, src=H_MAC) / Dot1Q(vlan=vid)
    frames = [
        Ether(dst="ff:ff:ff:ff:ff:ff", src=H_MAC) / Dot1Q(vlan=100) /
        ARP(pdst=US4, psrc=H4, hwsrc=H_MAC),
        Ether(dst=SN_US_MAC, src=H_MAC) / Dot1Q(vlan=100) / IPv6(src=H6, dst=SN_US, hlim=255) /
        ICMPv6ND_NS(tgt=US6) / ICMPv6NDOptSrcLLAddr(lladdr=H_MAC),
        tag() / IP(src=H4, dst=US4) / ICMP(id=5) / Raw(b"v" * 16),
        tag() / IPv6(src=H6, dst=US6) / ICMPv6EchoRequest(id=5, data=b"w" * 16),
        eth() / IP(src=H4, dst=US4) / ICMP(),                         # untagged
        tag(200) / IP(src=H4, dst=US4) / ICMP(),                      # other VLAN
        tag() / Dot1Q(vlan=5) / IP(src=H4, dst=US4) / ICMP(),         # two tags
    ]
    wrpcap("%s/in.pcap" % d, frames, linktype=1)
    with open("%s/expect.json" % d, "w") as f:
        json.dump({"frames": len(frames), "drops": {"vlan_mismatch": 3},
                   "events": {"arp_request_rx": 1, "nd_ns_rx": 1, "icmp_echo_rx": 1,
                              "icmp6_echo_rx": 1}}, f, indent=1, sort_keys=True)


def gen_neigh(d):
    """A sequence whose end state of the neighbour table is written to expect.json."""
    h2, mac_a, mac_b = "2001:db8:a::20", "02:00:00:00:00:0a", "02:00:00:00:00:0b"
    bc = "ff:ff:ff:ff:ff:ff"

    def na(mac, s, o):
        return (eth() / IPv6(src=h2, dst=US6, hlim=255) / ICMPv6ND_NA(tgt=h2, S=s, O=o, R=0) /
                ICMPv6NDOptDstLLAddr(lladdr=mac))
    frames = [
        # NS with A: created STALE/A. NA S=1 O=0 with B: a different MAC without Override
        # is not taken. NA S=1 O=1 with A: REACHABLE/A. NA S=0 O=0 with B: only doubt
        # (STALE/A). NA S=1 O=0 with A: same MAC confirmed, REACHABLE/A.
        eth(dst=SN_US_MAC, src=mac_a) / IPv6(src=h2, dst=SN_US, hlim=255) /
        ICMPv6ND_NS(tgt=US6) / ICMPv6NDOptSrcLLAddr(lladdr=mac_a),
        na(mac_b, 1, 0), na(mac_a, 1, 1), na(mac_b, 0, 0), na(mac_a, 1, 0),
        # Gratuitous ARP of an unknown host: nothing created.
        Ether(dst=bc, src="02:00:00:00:00:0c") /
        ARP(psrc="192.0.2.30", pdst="192.0.2.30", hwsrc="02:00:00:00:00:0c"),
        # ARP request (STALE/D), gratuitous ARP with E (override: STALE/E), reply (REACHABLE/E).
        Ether(dst=bc, src="02:00:00:00:00:0d") /
        ARP(psrc="192.0.2.40", pdst=US4, hwsrc="02:00:00:00:00:0d"),
        Ether(dst=bc, src="02:00:00:00:00:0e") /
        ARP(psrc="192.0.2.40", pdst="192.0.2.40", hwsrc="02:00:00:00:00:0e"),
        Ether(dst=US_MAC, src="02:00:00:00:00:0e") /
        ARP(op=2, psrc="192.0.2.40", pdst=US4, hwsrc="02:00:00:00:00:0e", hwdst=US_MAC),
    ]
    # 62 more hosts fill the 64-entry table with unused STALE entries; one more evicts one.
    for i in range(62):
        frames.append(Ether(dst=bc, src="02:00:00:00:02:%02x" % i) /
                      ARP(psrc="192.0.2.%d" % (100 + i), pdst=US4, hwsrc="02:00:00:00:02:%02x" % i))
    frames.append(Ether(dst=bc, src="02:00:00:00:02:ff") /
                  ARP(psrc="192.0.2.200", pdst=US4, hwsrc="02:00:00:00:02:ff"))
    wrpcap("%s/in.pcap" % d, frames, linktype=1)
    with open("%s/expect.json" % d, "w") as f:
        json.dump({"frames": len(frames), "entries": TABLE, "neigh": {
            h2: {"mac": mac_a, "state": "reachable"},
            "192.0.2.40": {"mac": "02:00:00:00:00:0e", "state": "reachable"},
            "192.0.2.200": {"mac": "02:00:00:00:02:ff", "state": "stale"},
            "192.0.2.30": None}}, f, indent=1, sort_keys=True)


def check_vlan(d):
    pkts = sent(d)
    checks = [
        ("4 answers sent (ARP, NA, echo, echo6): %d" % len(pkts), len(pkts) == 4),
        ("every answer tagged with VLAN 100",
         all(p.haslayer(Dot1Q) and p[Dot1Q].vlan == 100 and not p[Dot1Q].payload.haslayer(Dot1Q)
             for p in pkts) and len(pkts) > 0),
        ("tagged ARP reply", any(p.haslayer(ARP) and p[ARP].op == 2 for p in pkts)),
        ("tagged neighbour advertisement", any(p.haslayer(ICMPv6ND_NA) for p in pkts)),
        ("tagged echo reply", any(p.haslayer(ICMP) and p[ICMP].type == 0 and
                                  bytes(p[Raw].load) == b"v" * 16 for p in pkts)),
        ("tagged ICMPv6 echo reply", any(p.haslayer(ICMPv6EchoReply) for p in pkts)),
    ]
    for name, cond in checks:
        print(("PASS " if cond else "FAIL ") + name)
    return 0 if all(c for _, c in checks) else 1


def check(d):
    pkts = sent(d)
    results = []

    def expect(name, cond):
        results.append(("PASS " if cond else "FAIL ") + name)

    ours = [p for p in pkts if p.haslayer(Ether) and p[Ether].src == US_MAC]
    expect("every frame sbcd sent has its MAC as source (%d frames)" % len(pkts),
           len(ours) == len(pkts) and len(pkts) > 0)
    expect("ARP reply to H: is-at our MAC for 192.0.2.1",
           any(p.haslayer(ARP) and p[ARP].op == 2 and p[ARP].psrc == US4 and
               p[ARP].hwsrc == US_MAC and p[ARP].pdst == H4 and p[ARP].hwdst == H_MAC and
               p[Ether].dst == H_MAC for p in pkts))
    expect("neighbour advertisement to H: solicited, override, our MAC",
           any(p.haslayer(ICMPv6ND_NA) and p[ICMPv6ND_NA].tgt == US6 and p[ICMPv6ND_NA].S == 1 and
               p[ICMPv6ND_NA].O == 1 and p[IPv6].dst == H6 and p[IPv6].hlim == 255 and
               p.haslayer(ICMPv6NDOptDstLLAddr) and
               p[ICMPv6NDOptDstLLAddr].lladdr == US_MAC for p in pkts))
    expect("ICMP echo reply to H, payload intact",
           any(p.haslayer(ICMP) and p[ICMP].type == 0 and p[IP].src == US4 and p[IP].dst == H4 and
               p[Ether].dst == H_MAC and bytes(p[Raw].load) == b"x" * 32 for p in pkts))
    expect("ICMPv6 echo reply to H, payload intact",
           any(p.haslayer(ICMPv6EchoReply) and p[IPv6].src == US6 and p[IPv6].dst == H6 and
               p[ICMPv6EchoReply].data == b"y" * 24 for p in pkts))
    expect("ARP request from sbcd to resolve 192.0.2.20",
           any(p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == "192.0.2.20" and
               p[ARP].psrc == US4 and p[Ether].dst == "ff:ff:ff:ff:ff:ff" for p in pkts))
    expect("ARP request from sbcd for the gateway 192.0.2.254",
           any(p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == "192.0.2.254" for p in pkts))
    # Checksums of everything sent: scapy recomputes them when the field is deleted.
    bad = 0
    for p in pkts:
        for layer in (IP, ICMP, ICMPv6EchoReply, ICMPv6ND_NA):
            if p.haslayer(layer) and hasattr(p[layer], "chksum" if layer is not ICMPv6ND_NA
                                             and layer is not ICMPv6EchoReply else "cksum"):
                field = "chksum" if layer in (IP, ICMP) else "cksum"
                q = p.copy()
                setattr(q[layer], field, None)
                if getattr(Ether(bytes(q))[layer], field) != getattr(p[layer], field):
                    bad += 1
    expect("every IP/ICMP/ICMPv6 checksum sbcd wrote is right", bad == 0)
    for r in results:
        print(r)
    return 0 if all(r.startswith("PASS") for r in results) else 1


if __name__ == "__main__":
    modes = {"gen": gen, "check": check, "gen-vlan": gen_vlan, "check-vlan": check_vlan,
             "gen-neigh": gen_neigh}
    if len(sys.argv) != 3 or sys.argv[1] not in modes:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(modes[sys.argv[1]](sys.argv[2]))
