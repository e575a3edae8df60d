"""(a) Two tenants with the same addresses are isolated across two hosts.

Hosts h1 and h2 (underlay 198.51.100.1/.2 on a veth pair), one vpcd each.
Tenant A (VNI 100) and tenant B (VNI 200) each have 192.0.2.1 on h1 and
192.0.2.2 on h2.  Proves: A<->A and B<->B ping and TCP (iperf3) work in both
directions across the hosts, and nothing of tenant A ever arrives at a B
guest: tcpdump runs inside both B guests while A's traffic (ICMP with the
payload pattern a1a1.., TCP port 5301) flows; no frame from or to an A MAC,
with A's payload or A's port, is seen there.  The same captures must show
B's own traffic (pattern b2b2.., TCP port 5302), which proves they worked.
Teardown asserts vpcd exits 0 on SIGTERM with a log free of sanitizer
reports.  isolation_scenario() is reused over IPv6 by test (g).
"""

import pytest
from scapy.layers.inet import ICMP, TCP
from scapy.layers.l2 import Ether

from netns import iperf3, iperf3_bps
from topo import two_tenant_topology

A_PATTERN, B_PATTERN = "a1a1a1a1", "b2b2b2b2"
A_MARK, B_MARK = b"\xa1" * 8, b"\xb2" * 8
A_PORT, B_PORT = 5301, 5302


def _ping_both_ways(g1, g2, pattern):
    for src, dst in ((g1, g2), (g2, g1)):
        got, out = src.ns.ping(dst.ip, count=3, pattern=pattern)
        assert got == 3, "ping %s -> %s (%s): %d/3 replies\n%s" % (
            src.name, dst.name, dst.ip, got, out)


def _tcp_both_ways(g1, g2, port):
    for srv, cli in ((g2, g1), (g1, g2)):
        res = iperf3(srv.ns, cli.ns, srv.ip, port=port, seconds=2)
        bps = iperf3_bps(res)
        rx = res["end"]["sum_received"]["bytes"]
        assert rx > 0 and bps > 0, "iperf3 %s -> %s moved no data" % (
            cli.name, srv.name)


def isolation_scenario(lab, family):
    with two_tenant_topology(lab, family=family) as t:
        t.build()
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        b1, b2 = t.guest("B", "h1"), t.guest("B", "h2")
        for g in t.guests:
            # libvpc_mtu_set on the vpci reached its interface
            assert g.nic_mtu == g.host.mtu, (g, g.nic_mtu, g.host.mtu)
            assert g.ns.mtu(g.ifname) == g.host.mtu, g
        # the vpclink MTU comes from the underlay (1500 - 50 / - 70)
        want = 1450 if family == 4 else 1430
        assert [h.mtu for h in t.hosts] == [want, want]

        caps = {g.name: g.ns.capture(g.ifname, "in-%s" % g.ns.role,
                                     snaplen=256)
                for g in (b1, b2)}
        # tenant A first, while B's guests listen
        _ping_both_ways(a1, a2, A_PATTERN)
        _tcp_both_ways(a1, a2, A_PORT)
        # then tenant B's ping, which its own captures must see, and a
        # short TCP exchange; B's bulk TCP runs after the captures end
        # (reading 100k frames would only slow the test down).
        _ping_both_ways(b1, b2, B_PATTERN)
        iperf3(b2.ns, b1.ns, b2.ip, port=B_PORT, nbytes="64K")
        pkts_of = {g.name: caps[g.name].packets() for g in (b1, b2)}
        _tcp_both_ways(b1, b2, B_PORT)

        a_macs = {a1.mac, a2.mac}
        for g in (b1, b2):
            pkts = pkts_of[g.name]
            leaked = []
            for p in pkts:
                raw = bytes(p)
                if Ether in p and (p[Ether].src in a_macs or
                                   p[Ether].dst in a_macs):
                    leaked.append(p)
                elif A_MARK in raw:
                    leaked.append(p)
                elif TCP in p and A_PORT in (p[TCP].sport, p[TCP].dport):
                    leaked.append(p)
            assert not leaked, "%d frames of tenant A reached %s: %s" % (
                len(leaked), g.name, [x.summary() for x in leaked[:5]])
            own_icmp = [p for p in pkts if ICMP in p and B_MARK in bytes(p)]
            own_tcp = [p for p in pkts
                       if TCP in p and B_PORT in (p[TCP].sport,
                                                  p[TCP].dport)]
            # each B guest sends and receives 3 requests and 3 replies
            assert len(own_icmp) >= 12, (
                "capture in %s saw only %d of B's ICMP frames: the capture "
                "did not work" % (g.name, len(own_icmp)))
            assert own_tcp, "capture in %s saw none of B's TCP" % g.name
        t.assert_alive()


@pytest.mark.sanitizer
def test_a_two_tenants_isolated_ipv4(lab):
    isolation_scenario(lab, family=4)
