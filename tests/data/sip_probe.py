#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Sends one SIP datagram and prints the first answer (or "timeout").

  sip_probe.py SRC_IP DST_IP DST_PORT KIND

KIND: options (OPTIONS to the SBC), badversion (SIP/3.0), invite (a new call),
garbage (no start line), nul (OPTIONS with a NUL in a header value), del (the same with
DEL). The answer is printed whole; 100 Trying is skipped.
"""
import random
import socket
import sys

TEMPLATES = {
    "options": "OPTIONS sip:{dst} SIP/2.0",
    "badversion": "OPTIONS sip:{dst} SIP/3.0",
    "invite": "INVITE sip:probe@{dst} SIP/2.0",
    "nul": "OPTIONS sip:{dst} SIP/2.0",
    "del": "OPTIONS sip:{dst} SIP/2.0",
}
CONTROL = {"nul": "\x00", "del": "\x7f"}


def main():
    src, dst, port, kind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    host = "[%s]" % dst if fam == socket.AF_INET6 else dst
    shost = "[%s]" % src if fam == socket.AF_INET6 else src
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, 0))
    lport = s.getsockname()[1]
    n = random.randrange(1 << 30)
    if kind == "garbage":
        msg = "\x00\x01garbage, no start line\r\n\r\n"
    else:
        start = TEMPLATES[kind].format(dst=host)
        method = start.split()[0]
        msg = ("%s\r\n"
               "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKprobe%d;rport\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:probe@%s>;tag=p%d\r\n"
               "To: <sip:probe@%s>\r\n"
               "Call-ID: probe%d@%s\r\n"
               "CSeq: 1 %s\r\n"
               "Contact: <sip:probe@%s:%d>\r\n"
               "%s"
               "Content-Length: 0\r\n\r\n") % (start, shost, lport, n, shost, n, host, n,
                                               shost, method, shost, lport,
                                               "Subject: a%sb\r\n" % CONTROL[kind]
                                               if kind in CONTROL else "")
    s.sendto(msg.encode("latin-1"), (dst, port))
    s.settimeout(2.0)
    try:
        while True:
            data = s.recv(65535).decode("latin-1")
            if not data.startswith("SIP/2.0 100 "):
                break
    except socket.timeout:
        print("timeout")
        return
    sys.stdout.write(data)


if __name__ == "__main__":
    main()
