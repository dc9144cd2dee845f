#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Sends RTP or RTCP datagrams for the media relay tests (plain UDP sockets).

  rtp_tool.py SRC_IP SRC_PORT DST_IP DST_PORT COUNT [--ssrc N] [--seq N] [--rtcp]
              [--interval SECONDS] [--payload OCTETS]

RTP: version 2, PCMU (payload type 0), sequence numbers from --seq, timestamps 160
apart, --payload octets of 0xd5 (G.711 silence). RTCP: receiver reports (PT 201) with
the given SSRC. Prints how many datagrams went out.
"""
import argparse
import socket
import struct
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src_ip")
    ap.add_argument("src_port", type=int)
    ap.add_argument("dst_ip")
    ap.add_argument("dst_port", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--ssrc", type=lambda v: int(v, 0), default=0x5bc0001)
    ap.add_argument("--seq", type=int, default=1000)
    ap.add_argument("--rtcp", action="store_true")
    ap.add_argument("--interval", type=float, default=0.005)
    ap.add_argument("--payload", type=int, default=160)
    a = ap.parse_args()
    fam = socket.AF_INET6 if ":" in a.src_ip else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.src_ip, a.src_port))
    sent = 0
    for i in range(a.count):
        if a.rtcp:
            pkt = struct.pack("!BBHI", 0x80, 201, 1, a.ssrc)
        else:
            seq = (a.seq + i) & 0xffff
            pkt = struct.pack("!BBHII", 0x80, 0, seq, (i * 160) & 0xffffffff, a.ssrc)
            pkt += b"\xd5" * a.payload
        s.sendto(pkt, (a.dst_ip, a.dst_port))
        sent += 1
        if a.interval:
            time.sleep(a.interval)
    print(sent)


if __name__ == "__main__":
    main()
