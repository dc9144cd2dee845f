#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Traffic and control for the firewall's lab test (tests/integration/firewall.sh).

  fw_tool.py options SRC DST N RATE [UA]   N OPTIONS to DST:5060 from SRC at RATE/s;
                                           prints "sent N answered A" (200 OK, by Call-ID)
  fw_tool.py flood SRC DST SECONDS RATE    new INVITEs (no To tag) at RATE/s; prints the
                                           start time (ms since the epoch) and the count
  fw_tool.py malformed SRC DST N           N requests the message layer answers 400;
                                           prints the number of answers
  fw_tool.py udp SRC DST PORT N            N UDP datagrams
  fw_tool.py icmp-error SRC DST SPORT      an ICMP "fragmentation needed" (MTU 1280) to DST
                                           about a TCP segment DST:SPORT sent to SRC:40000
  fw_tool.py tcp SRC DST PORT [TIMEOUT]    connects; prints the server's first line, or
                                           "timeout"/"refused" (exit 1)
  fw_tool.py server PORT                   a TCP server (IPv4 and IPv6) greeting each
                                           client with "hello ADDR"
  fw_tool.py reloads PREFIX TARGET A B N   N reloads through the telemetry socket, the
                                           configuration file TARGET alternately a copy
                                           of A and of B; prints a summary line, exit 1
                                           unless every reload succeeded in order
"""
import json
import random
import shutil
import socket
import struct
import sys
import time


def udp_socket(src, port=0):
    fam = socket.AF_INET6 if ":" in src else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, port))
    return s


def host(a):
    return "[%s]" % a if ":" in a else a


def request(method, src, lport, dst, n, extra="", to_tag=False):
    return ("%s sip:fw@%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bKfw%d;rport\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:fw@%s>;tag=f%d\r\n"
            "To: <sip:fw@%s>%s\r\n"
            "Call-ID: fw%d@%s\r\n"
            "CSeq: 1 %s\r\n"
            "Contact: <sip:fw@%s:%d>\r\n"
            "%s"
            "Content-Length: 0\r\n\r\n") % (
                method, host(dst), host(src), lport, n, host(src), n, host(dst),
                ";tag=t%d" % n if to_tag else "", n, host(src), method, host(src), lport,
                extra)


def answers(s, wait, want_ok=True):
    """Call-IDs answered (200 only when want_ok), reading until wait seconds of silence."""
    got = set()
    s.settimeout(wait)
    try:
        while True:
            d = s.recv(65535).decode("latin-1")
            first = d.split("\r\n", 1)[0]
            if want_ok and not first.startswith("SIP/2.0 200 "):
                continue
            if not want_ok and first.startswith("SIP/2.0 100 "):
                continue
            for line in d.split("\r\n"):
                if line.lower().startswith("call-id:"):
                    got.add(line.split(":", 1)[1].strip())
    except socket.timeout:
        pass
    return got


def cmd_options(src, dst, n, rate, ua=None):
    s = udp_socket(src)
    lport = s.getsockname()[1]
    base = random.randrange(1 << 30)
    extra = "User-Agent: %s\r\n" % ua if ua else ""
    t0 = time.monotonic()
    s.setblocking(False)
    got = set()
    for i in range(int(n)):
        s.sendto(request("OPTIONS", src, lport, dst, base + i, extra).encode(), (dst, 5060))
        # Read what came back meanwhile, then keep the pace.
        try:
            while True:
                d = s.recv(65535).decode("latin-1")
                if d.startswith("SIP/2.0 200 "):
                    for line in d.split("\r\n"):
                        if line.lower().startswith("call-id:"):
                            got.add(line.split(":", 1)[1].strip())
        except (BlockingIOError, socket.timeout):
            pass
        delay = t0 + (i + 1) / float(rate) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    s.setblocking(True)
    got |= answers(s, 1.0)
    print("sent %d answered %d" % (int(n), len(got)))


def cmd_flood(src, dst, seconds, rate):
    s = udp_socket(src)
    lport = s.getsockname()[1]
    base = random.randrange(1 << 30)
    start = time.time()
    t0 = time.monotonic()
    i = 0
    while time.monotonic() - t0 < float(seconds):
        s.sendto(request("INVITE", src, lport, dst, base + i).encode(), (dst, 5060))
        i += 1
        delay = t0 + i / float(rate) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("%d %d" % (int(start * 1000), i))


def cmd_malformed(src, dst, n):
    s = udp_socket(src)
    lport = s.getsockname()[1]
    base = random.randrange(1 << 30)
    for i in range(int(n)):
        # A CSeq without a number: the message layer answers 400 Bad Request.
        msg = request("OPTIONS", src, lport, dst, base + i).replace("CSeq: 1 ", "CSeq: x ")
        s.sendto(msg.encode(), (dst, 5060))
        time.sleep(0.02)
    s.settimeout(1.0)
    k = 0
    try:
        while True:
            if s.recv(65535).startswith(b"SIP/2.0 400 "):
                k += 1
    except socket.timeout:
        pass
    print(k)


def cmd_udp(src, dst, port, n):
    s = udp_socket(src)
    for i in range(int(n)):
        s.sendto(b"\x80\x00" + bytes(170), (dst, int(port)))
    print(n)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def cmd_icmp_error(src, dst, sport):
    # The segment the host would have sent: IPv4 header (no checksum needed) + 8 TCP octets.
    inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000, 64, 6, 0,
                        socket.inet_aton(dst), socket.inet_aton(src))
    inner += struct.pack("!HHI", int(sport), 40000, 0)
    icmp = struct.pack("!BBHHH", 3, 4, 0, 0, 1280) + inner
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.bind((src, 0))
    s.sendto(icmp, (dst, 0))
    time.sleep(0.3)


def cmd_tcp(src, dst, port, timeout=3):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.bind((src, 0))
    s.settimeout(float(timeout))
    try:
        s.connect((dst, int(port)))
        print(s.recv(200).decode().strip())
        return 0
    except socket.timeout:
        print("timeout")
    except ConnectionRefusedError:
        print("refused")
    return 1


def cmd_server(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", int(port)))
    s.listen(16)
    while True:
        c, a = s.accept()
        peer = a[0][7:] if a[0].startswith("::ffff:") else a[0]
        c.sendall(("hello %s\n" % peer).encode())
        c.close()


def cmd_reloads(prefix, target, a, b, n):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    t = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    t.connect(path)
    hello = json.loads(t.recv(1 << 16).decode())
    size = hello.get("max_output_len", 1 << 16)
    gens, worst_publish, worst_build, bad = [], 0, 0, []
    for i in range(int(n)):
        shutil.copyfile(a if i % 2 == 0 else b, target + ".tmp")
        shutil.move(target + ".tmp", target)
        t.send(b"/sbc/fw/reload")
        r = json.loads(t.recv(size).decode())["/sbc/fw/reload"]
        if r.get("result") != "ok":
            bad.append(r)
            continue
        gens.append(r["generation"])
        worst_publish = max(worst_publish, r["publish_us"])
        worst_build = max(worst_build, r["build_us"])
    in_order = all(y == x + 1 for x, y in zip(gens, gens[1:]))
    print("reloads %d ok %d in_order %d generations %s-%s max_build_us %d max_publish_us %d%s" % (
        int(n), len(gens), in_order, gens[0] if gens else "-", gens[-1] if gens else "-",
        worst_build, worst_publish, " errors %s" % bad[:2] if bad else ""))
    return 0 if len(gens) == int(n) and in_order else 1


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    rc = {
        "options": cmd_options, "flood": cmd_flood, "malformed": cmd_malformed,
        "udp": cmd_udp, "tcp": cmd_tcp, "server": cmd_server, "reloads": cmd_reloads,
        "icmp-error": cmd_icmp_error,
    }[cmd](*args)
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
