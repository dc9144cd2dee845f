#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Reads a classic pcap file (dumpcap -P) of a lab interface, for the call tests.

  capture.py count PCAP SRC DST   UDP datagrams from SRC to DST; each "ip:port", the
                                  port may be "*" (IPv6 as [addr]:port)
  capture.py sip PCAP             the text of every SIP datagram (UDP port 5060)
  capture.py ids PCAP             Call-IDs and tags seen in SIP, one per line
  capture.py srcs PCAP DST        the sources ("ip:port") of datagrams to DST, counted
  capture.py rtcp PCAP SRC DST    one line per RTCP datagram (RFC 3550 6: version 2,
                                  first packet type 192-223) from SRC to DST: its packet
                                  types, the CNAMEs of its SDES chunks, BYE reasons
  capture.py leaks PCAP ADDR...   one line per datagram whose UDP payload holds one of
                                  the addresses: as text (dotted quad; IPv6 compressed,
                                  full and zero-padded, any case) or its 4 / 16 octets

Only Ethernet (optionally VLAN tagged), IPv4 and IPv6 without extension headers, UDP.
"""
import ipaddress
import re
import struct
import sys


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise SystemExit("%s: not a classic pcap file" % path)
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        u = udp(frame)
        if u is not None:
            yield u


def udp(frame):
    if len(frame) < 14:
        return None
    etype = struct.unpack("!H", frame[12:14])[0]
    p = 14
    while etype in (0x8100, 0x88A8) and len(frame) >= p + 4:
        etype = struct.unpack("!H", frame[p + 2:p + 4])[0]
        p += 4
    if etype == 0x0800 and len(frame) >= p + 20:
        ihl = (frame[p] & 0xF) * 4
        if frame[p + 9] != 17 or struct.unpack("!H", frame[p + 6:p + 8])[0] & 0x3FFF:
            return None
        src = str(ipaddress.IPv4Address(frame[p + 12:p + 16]))
        dst = str(ipaddress.IPv4Address(frame[p + 16:p + 20]))
        p += ihl
    elif etype == 0x86DD and len(frame) >= p + 40:
        if frame[p + 6] != 17:
            return None
        src = "[%s]" % ipaddress.IPv6Address(frame[p + 8:p + 24])
        dst = "[%s]" % ipaddress.IPv6Address(frame[p + 24:p + 40])
        p += 40
    else:
        return None
    if len(frame) < p + 8:
        return None
    sport, dport, ulen = struct.unpack("!HHH", frame[p:p + 6])
    return (src, sport, dst, dport, frame[p + 8:p + ulen])


def match(spec, ip, port):
    host, _, want = spec.rpartition(":")
    return host == ip and (want == "*" or int(want) == port)


def rtcp_summary(payload):
    """Packet types, SDES CNAMEs and BYE reasons of a compound RTCP packet (as far as it
    parses)."""
    types, cnames, reasons = [], [], []
    off = 0
    while off + 4 <= len(payload):
        pt = payload[off + 1]
        plen = 4 * (struct.unpack("!H", payload[off + 2:off + 4])[0] + 1)
        pkt = payload[off:off + plen]
        types.append(str(pt))
        if pt == 202:
            p = 4
            for _ in range(pkt[0] & 0x1F):
                p += 4
                while p + 1 < len(pkt) and pkt[p] != 0:
                    if pkt[p] == 1:
                        cnames.append(pkt[p + 2:p + 2 + pkt[p + 1]].decode("latin-1"))
                    p += 2 + pkt[p + 1]
                p = (p + 4) & ~3
        elif pt == 203:
            p = 4 + 4 * (pkt[0] & 0x1F)
            if p < len(pkt) - (pkt[-1] if pkt[0] & 0x20 else 0):
                reasons.append(pkt[p + 1:p + 1 + pkt[p]].decode("latin-1"))
        off += plen
    return types, cnames, reasons


def address_patterns(addrs):
    """(name, compiled pattern) for each form of each address."""
    pats = []
    for x in addrs:
        a = ipaddress.ip_address(x)
        forms = {str(a)}
        if a.version == 6:
            forms.add(a.exploded)
            forms.add(":".join("%x" % int(g, 16) for g in a.exploded.split(":")))
        for t in sorted(forms):
            pats.append((t, re.compile(re.escape(t.encode()), re.I)))
        pats.append(("%s (%d octets)" % (a, len(a.packed)), re.compile(re.escape(a.packed))))
    return pats


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "count":
        n = sum(1 for s, sp, d, dp, _ in packets(path)
                if match(sys.argv[3], s, sp) and match(sys.argv[4], d, dp))
        print(n)
    elif cmd == "sip":
        for s, sp, d, dp, payload in packets(path):
            if 5060 in (sp, dp):
                sys.stdout.write(payload.decode("latin-1") + "\n")
    elif cmd == "ids":
        seen = set()
        for s, sp, d, dp, payload in packets(path):
            if 5060 not in (sp, dp):
                continue
            text = payload.decode("latin-1")
            for m in re.finditer(r"^(?:Call-ID|i)\s*:\s*(\S+)", text, re.M | re.I):
                seen.add(m.group(1))
            for m in re.finditer(r"^(?:From|To|f|t)\s*:.*?;\s*tag=([^;\s>,]+)", text,
                                 re.M | re.I):
                seen.add(m.group(1))
        for v in sorted(seen):
            print(v)
    elif cmd == "srcs":
        counts = {}
        for s, sp, d, dp, _ in packets(path):
            if match(sys.argv[3], d, dp):
                k = "%s:%d" % (s, sp)
                counts[k] = counts.get(k, 0) + 1
        for k, v in sorted(counts.items()):
            print(k, v)
    elif cmd == "rtcp":
        for s, sp, d, dp, payload in packets(path):
            if not (match(sys.argv[3], s, sp) and match(sys.argv[4], d, dp)):
                continue
            if len(payload) < 4 or payload[0] >> 6 != 2 or not 192 <= payload[1] <= 223:
                continue
            types, cnames, reasons = rtcp_summary(payload)
            print(" ".join(["%s:%d>%s:%d" % (s, sp, d, dp), "types=" + ",".join(types)] +
                           ["cname=" + c.replace(" ", "_") for c in cnames] +
                           ["reason=" + r.replace(" ", "_") for r in reasons]))
    elif cmd == "leaks":
        pats = address_patterns(sys.argv[3:])
        for s, sp, d, dp, payload in packets(path):
            for name, rx in pats:
                if rx.search(payload):
                    print("%s:%d>%s:%d holds %s" % (s, sp, d, dp, name))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
