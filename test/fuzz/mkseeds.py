#!/usr/bin/env python3
"""mkseeds.py: write the hand-made seed inputs of the packet harnesses.

Each seed is the 5-byte header of fz_pkt.h (modes, selector, flags, GSO
size / 8, window) and a frame built for the topology of fz_pkt.c: ARP
requests for proxied and unknown addresses, unicast to local, remote and
unknown MACs, broadcast, tagged frames, IPv6/TCP, an oversize GSO frame,
and for the VXLAN harness the same frames encapsulated for every VNI the
vpclink knows plus malformed headers.  Run from the repository root;
libFuzzer's own finds are added with -merge (see README.md).
"""

import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
BCAST = b"\xff" * 6


def mac(*b):
    return bytes([2, 0, 0, 0] + list(b))


def eth(dst, src, etype, vlan=0):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan else b""
    return dst + src + tag + struct.pack("!H", etype)


def arp(src, spa, tpa, vlan=0, op=1):
    a = struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + src + bytes(spa) + \
        b"\0" * 6 + bytes(tpa)
    f = eth(BCAST, src, 0x0806, vlan) + a
    return f + b"\0" * max(0, 60 - len(f))


def udp4(dst, src, n=32, vlan=0):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + n, 1, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    return eth(dst, src, 0x0800, vlan) + ip + \
        struct.pack("!HHHH", 1000, 2000, 8 + n, 0) + bytes(i % 256 for i in range(n))


def tcp6(dst, src, n=20):
    ip = struct.pack("!IHBB16s16s", 0x60000000, 20 + n, 6, 64,
                     b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\1",
                     b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\2")
    tcp = struct.pack("!HHIIBBHHH", 1, 2, 0, 0, 0x50, 0x18, 1000, 0, 0)
    return eth(dst, src, 0x86dd) + ip + tcp + bytes(n)


def vxlan(vni, inner, flags=0x08):
    return struct.pack("!B3xI", flags, vni << 8) + inner


def write(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    frames = {
        "arp-proxied": (0, arp(mac(1, 1), [192, 0, 2, 1], [192, 0, 2, 2])),
        "arp-miss": (0, arp(mac(1, 1), [192, 0, 2, 1], [192, 0, 2, 77])),
        "arp-tagged": (2, arp(mac(1, 3), [192, 0, 2, 3], [192, 0, 2, 1],
                              vlan=10)),
        "arp-vni200": (3, arp(mac(2, 1), [192, 0, 2, 9], [192, 0, 2, 1])),
        "udp-local": (0, udp4(mac(1, 2), mac(1, 1))),
        "udp-remote": (0, udp4(mac(10, 1), mac(1, 1))),
        "udp-remote-v6underlay": (1, udp4(mac(10, 2), mac(1, 2))),
        "udp-unknown": (3, udp4(mac(7, 7), mac(2, 1))),
        "udp-bcast": (5, udp4(BCAST, mac(3, 1))),
        "udp-ethlink": (7, udp4(mac(9, 9), mac(4, 1))),
        "udp-tagged": (4, udp4(mac(2, 1), mac(2, 2), vlan=20)),
        "udp-noswitch": (9, udp4(mac(1, 1), mac(9, 1))),
        "udp-noport": (10, udp4(mac(1, 1), mac(9, 2))),
        "tcp6-remote": (0, tcp6(mac(10, 1), mac(1, 1))),
        "udp-big": (0, udp4(mac(10, 1), mac(1, 1), n=1480)),
    }
    for name, (sel, f) in frames.items():
        for modes in (0, 3):
            hdr = bytes([modes, sel, 0, 0, 0])
            write("ingress", "seed-%s-m%d" % (name, modes), hdr + f)
    # GSO super-frame over the MTU, and a small window.
    write("ingress", "seed-gso-tcp6",
          bytes([0, 0, 0x04 | 0x08, 150, 0]) + tcp6(mac(10, 1), mac(1, 1),
                                                     n=3000))
    write("ingress", "seed-window", bytes([0, 0, 0x10, 0, 40]) +
          udp4(mac(10, 1), mac(1, 1), n=400))
    write("ingress", "seed-outfail-flood", bytes([1, 0, 0x01, 0, 0]) +
          udp4(BCAST, mac(1, 1)))

    inner = {
        "bcast": udp4(BCAST, mac(10, 1)),
        "local": udp4(mac(1, 1), mac(10, 1)),
        "arp": arp(mac(10, 1), [192, 0, 2, 10], [192, 0, 2, 1]),
        "tagged": udp4(mac(1, 1), mac(10, 1), vlan=5),
    }
    for vni in (100, 200, 300, 400, 500, 600, 999):
        for name, f in inner.items():
            for modes in (0, 3):
                write("vxlan", "seed-vni%d-%s-m%d" % (vni, name, modes),
                      bytes([modes, vni % 5, 0, 0, 0]) + vxlan(vni, f))
    write("vxlan", "seed-badflags", bytes(5) + vxlan(100, inner["local"],
                                                     flags=0))
    write("vxlan", "seed-short", bytes(5) + b"\x08\0\0\0\0\0")
    write("vxlan", "seed-inner-short", bytes(5) + vxlan(100, b"\1" * 10))

    # ARP harness: control byte, then the fields it asks for.
    for i, (ctl, sel) in enumerate([(0, 0), (0x02, 2), (0x10, 3),
                                    (0x80, 1), (0x20, 5), (0x08, 0)]):
        body = bytes([ctl]) + mac(1, 1) + (b"\x00\x0a" if ctl & 2 else
                                           b"") + \
            (bytes([0, 1, 8, 0, 6, 4]) if ctl & 8 else b"") + b"\1" + \
            mac(1, 1) + bytes([192, 0, 2, 9]) + bytes(6) + \
            (bytes([192, 0, 2, 1]) if ctl & 0x10 else b"\0") + \
            (b"\x20\x00" if ctl & 0x20 else b"")
        write("arp", "seed-%d" % i, bytes([0, sel, 0, 0, 0]) + body)


if __name__ == "__main__":
    main()
