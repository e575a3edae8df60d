"""(f) Malformed VXLAN at the vpclink is dropped and counted by reason.

Topology (a).  From h2's underlay namespace, scapy sends UDP datagrams to
h1's vpclink (198.51.100.1:4789), a different number of each kind so that
a miscount between reasons shows:
    5 x payload shorter than the 8-byte VXLAN header   -> vxlan_short
    6 x flags byte 0x00 (I bit clear), valid frame     -> vxlan_bad_flags
    7 x VNI 4242, which h1 has no port for             -> vxlan_unknown_vni
    8 x valid header, 10-byte inner frame              -> vxlan_inner_truncated
Proves: h1's vpclink stats (read through libvpc) grew by exactly that many
under each named reason, vs_drops_total grew by at least their sum, no
guest of either tenant received any of it, vpcd is still running and
valid traffic still flows (ping after the storm).
"""

import pytest

from topo import two_tenant_topology

SENDER = r"""
import sys
from scapy.all import IP, IPv6, UDP, Ether, Raw, VXLAN, send, conf
conf.verb = 0
dst, family = sys.argv[1], sys.argv[2]
inner = Ether(src="02:00:00:00:0f:01", dst="ff:ff:ff:ff:ff:ff") / \
    IP(src="192.0.2.99", dst="192.0.2.255") / UDP(dport=9) / Raw(b"bad")
kinds = {
    "short": (5, b"\x08\x00\x00\x00"),
    "flags": (6, bytes(VXLAN(flags=0x00, vni=100) / inner)),
    "vni": (7, bytes(VXLAN(flags=0x08, vni=4242) / inner)),
    "inner": (8, bytes(VXLAN(flags=0x08, vni=100)) + bytes(inner)[:10]),
}
L3 = IP if family == "4" else IPv6
for name, (n, payload) in kinds.items():
    send(L3(dst=dst) / UDP(sport=43210, dport=4789) / Raw(payload), count=n)
print("sent")
"""

EXPECT = {"vxlan_short": 5, "vxlan_bad_flags": 6, "vxlan_unknown_vni": 7,
          "vxlan_inner_truncated": 8}


@pytest.mark.sanitizer
def test_f_bad_vxlan_dropped_and_counted(lab):
    with two_tenant_topology(lab) as t:
        t.build()
        h1, h2 = t.hosts
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        assert a2.ns.ping(a1.ip, count=1)[0] == 1    # warm: ARP, paths

        before = h1.link.stats()
        gcaps = [g.ns.capture(g.ifname, "in-%s" % g.ns.role,
                              bpf="udp port 9")
                 for g in t.guests if g.host is h1]
        p = h2.ns.run(["/usr/bin/python3", "-c", SENDER,
                       str(h1.underlay_ip), str(t.family)], timeout=60)
        assert "sent" in p.stdout, p.stdout + p.stderr

        # the daemon handles them asynchronously: wait for the counters
        import time
        end = time.monotonic() + 5
        while True:
            after = h1.link.stats()
            delta = {k: after.drops[k] - before.drops[k] for k in EXPECT}
            if delta == EXPECT or time.monotonic() > end:
                break
            time.sleep(0.1)
        assert delta == EXPECT, (
            "vpclink drops grew by %r, want %r (all drops now: %r)" % (
                delta, EXPECT, after.nonzero_drops()))
        assert (after.drops_total - before.drops_total
                >= sum(EXPECT.values())), (before, after)
        for c in gcaps:
            leaked = [x for x in c.packets() if b"bad" in bytes(x)]
            assert not leaked, "a malformed datagram reached %s" % c.dev

        t.assert_alive()
        for src, dst in ((a1, a2), (a2, a1)):
            got, out = src.ns.ping(dst.ip, count=3)
            assert got == 3, "after the storm %s -> %s: %d/3\n%s" % (
                src.name, dst.name, got, out)
        b1, b2 = t.guest("B", "h1"), t.guest("B", "h2")
        assert b1.ns.ping(b2.ip, count=3)[0] == 3
        t.assert_alive()
