"""(e) Learning mode: head-end replication sends one copy per remote.

Three hosts h1, h2, h3 on a bridged underlay (198.51.100.1-3), a vpcd each,
tenant A (VNI 100) in learning mode with a guest on every host
(192.0.2.1-3); each switch's flood list for VNI 100 holds the two other
hosts.  The guest on h1 sends one UDP broadcast with a unique payload.
Proves: each remote host's underlay carries exactly 1 VXLAN copy of it (VNI
100), h1's underlay carries exactly 2 (one per remote), and each remote
guest receives it exactly once.  Then ping works from h1 to both remotes
through learned addresses, and h1's vpclink lists the remote guests' MACs
as learned forwarding entries pointing to the right host.
"""

import uuid

import pytest
from scapy.layers.inet import UDP
from scapy.layers.l2 import Ether
from scapy.layers.vxlan import VXLAN

import vpc
from topo import Topology

BROADCAST = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.sendto(sys.argv[1].encode(), ("192.0.2.255", 9999))
"""


def _copies(pkts, marker):
    """VXLAN datagrams carrying 'marker': a list of their VNIs."""
    vnis = []
    for p in pkts:
        if UDP in p and p[UDP].dport == 4789:
            v = VXLAN(bytes(p[UDP].payload))
            if marker in bytes(v):
                vnis.append(v.vni)
    return vnis


@pytest.mark.sanitizer
def test_e_broadcast_once_per_remote(lab):
    with Topology(lab, mode="learning") as t:
        hosts = [t.add_vpcd_host("h%d" % i) for i in (1, 2, 3)]
        t.add_tenant("A", 100)
        guests = [t.add_guest("A", h, "192.0.2.%d" % (i + 1))
                  for i, h in enumerate(hosts)]
        t.build()
        for h in hosts:
            others = sorted(str(o.underlay_ip) for o in hosts if o is not h)
            got = sorted(str(a) for a in h.switches["A"].flood_get(100))
            assert got == others, (h.role, got)

        marker = ("vpc-bcast-%s" % uuid.uuid4().hex).encode()
        ucap = {h.role: h.ns.capture(h.underlay_dev, "ul-%s" % h.role,
                                     bpf="udp port 4789") for h in hosts}
        gcap = {g.name: g.ns.capture(g.ifname, "in-%s" % g.ns.role,
                                     bpf="udp port 9999")
                for g in guests[1:]}
        guests[0].ns.run(["/usr/bin/python3", "-c", BROADCAST,
                          marker.decode()])

        counts = {r: _copies(c.packets(), marker) for r, c in ucap.items()}
        assert counts["h1"] == [100, 100], (
            "h1 sent %d copies (VNIs %s), want 2: one per remote" %
            (len(counts["h1"]), counts["h1"]))
        for r in ("h2", "h3"):
            assert counts[r] == [100], (
                "%s's underlay carried %d copies (VNIs %s), want exactly 1"
                % (r, len(counts[r]), counts[r]))
        for g in guests[1:]:
            n = sum(1 for p in gcap[g.name].packets()
                    if Ether in p and p[Ether].dst == "ff:ff:ff:ff:ff:ff"
                    and marker in bytes(p))
            assert n == 1, "%s received the broadcast %d times" % (g.name,
                                                                  n)

        # learned forwarding: unicast reaches both remotes
        for g in guests[1:]:
            got, out = guests[0].ns.ping(g.ip, count=3)
            assert got == 3, "learning-mode ping %s -> %s: %d/3\n%s" % (
                guests[0].name, g.name, got, out)
        fwd = {(vni, mac): (flags, str(remote))
               for vni, mac, flags, remote in hosts[0].link.fwd_list()}
        for g in guests[1:]:
            assert (100, g.mac) in fwd, (
                "h1 did not learn %s: %r" % (g.mac, fwd))
            flags, remote = fwd[(100, g.mac)]
            assert flags & vpc.FWD_F_LEARNED and remote == str(
                g.host.underlay_ip), (g.name, flags, remote)
        t.assert_alive()
