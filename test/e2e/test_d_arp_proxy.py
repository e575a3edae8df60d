"""(d) Programmed mode answers ARP locally; no ARP crosses the underlay.

Topology (a) in programmed mode (ARP proxy entries on each switch,
forwarding entries on each vpclink).  The A guest on h1 starts with an
empty neighbour table and pings 192.0.2.2.  Proves: the guest's ARP request
is answered (the reply, captured inside the guest, carries the MAC of the A
guest on h2 and the guest's neighbour table holds it); the captures of both
hosts' underlay show VXLAN traffic (the ping works) but zero ARP frames
inside VXLAN; and the switch counted no ARP proxy miss.
"""

import pytest
from scapy.layers.inet import ICMP, UDP
from scapy.layers.l2 import ARP, Ether
from scapy.layers.vxlan import VXLAN

from topo import two_tenant_topology


def _inner(p):
    """The inner Ethernet frame of a VXLAN datagram, or None."""
    if UDP in p and 4789 in (p[UDP].dport, p[UDP].sport):
        v = VXLAN(bytes(p[UDP].payload))
        return v.payload if isinstance(v.payload, Ether) else None
    return None


@pytest.mark.sanitizer
def test_d_arp_answered_locally(lab):
    with two_tenant_topology(lab) as t:
        t.build()
        h1, h2 = t.hosts
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        a1.ns.ip("neigh", "flush", "dev", a1.ifname)
        a2.ns.ip("neigh", "flush", "dev", a2.ifname)
        ul = [h.ns.capture(h.underlay_dev, "underlay-%s" % h.role,
                           bpf="udp port 4789") for h in (h1, h2)]
        gcap = a1.ns.capture(a1.ifname, "in-%s" % a1.ns.role, bpf="arp")

        got, out = a1.ns.ping(a2.ip, count=3)
        assert got == 3, "ping A@h1 -> A@h2: %d/3\n%s" % (got, out)

        arps = [p[ARP] for p in gcap.packets() if ARP in p]
        asked = [a for a in arps if a.op == 1 and a.pdst == a2.ip]
        replies = [a for a in arps if a.op == 2 and a.psrc == a2.ip]
        assert asked, "the guest sent no ARP request for %s" % a2.ip
        assert replies, "no ARP reply for %s arrived in the guest" % a2.ip
        assert all(r.hwsrc == a2.mac for r in replies), (
            "ARP reply says %s, want %s" % ([r.hwsrc for r in replies],
                                            a2.mac))
        neigh = a1.ns.ip("neigh", "show", a2.ip, "dev", a1.ifname).stdout
        assert a2.mac in neigh, neigh

        for h, cap in zip((h1, h2), ul):
            inner = [i for i in map(_inner, cap.packets()) if i is not None]
            icmp = [i for i in inner if ICMP in i]
            arp = [i for i in inner if ARP in i]
            assert len(icmp) >= 6, (
                "%s underlay: only %d ICMP frames in VXLAN (capture broken?)"
                % (h.role, len(icmp)))
            assert not arp, "%s underlay: %d ARP frames inside VXLAN: %s" % (
                h.role, len(arp), [a.summary() for a in arp])
        for h, g in ((h1, a1), (h2, a2)):
            for obj in (h.switches["A"], g.port):
                s = obj.stats()
                assert s.drops["arp_proxy_miss"] == 0, (h.role, s)
        t.assert_alive()
