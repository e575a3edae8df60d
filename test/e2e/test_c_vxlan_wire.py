"""(c) What vpcd puts on the wire is VXLAN, as tshark dissects it.

Topology (a).  While tenant A runs several flows (ping, 4 parallel TCP
streams, UDP datagrams from 6 source ports) and tenant B pings, tcpdump
records h2's underlay; tshark then dissects the file.  Proves: every
datagram from h1's vpcd to h2 is dissected as VXLAN with UDP destination
port 4789 and the VNI of the tenant whose inner frame it carries (inner
source MAC of an A guest -> VNI 100, of a B guest -> VNI 200); the outer UDP
source ports differ across flows (more than one distinct port) and stay
the same within one TCP flow (no reordering across paths).
"""

import collections

from netns import iperf3
from topo import two_tenant_topology

UDP_FLOWS = """
import socket, sys
for sport in range(40001, 40007):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    for _ in range(3):
        s.sendto(b"flow %d" % sport, (sys.argv[1], 9))
    s.close()
"""


def test_c_tshark_dissects_vxlan(lab):
    with two_tenant_topology(lab) as t:
        t.build()
        h1, h2 = t.hosts
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        b1, b2 = t.guest("B", "h1"), t.guest("B", "h2")
        cap = h2.ns.capture(h2.underlay_dev, "underlay-h2", bpf="udp")

        assert a1.ns.ping(a2.ip, count=3)[0] == 3
        assert b1.ns.ping(b2.ip, count=3)[0] == 3
        iperf3(a2.ns, a1.ns, a2.ip, port=5501, streams=4, nbytes="2M")
        a1.ns.run(["/usr/bin/python3", "-c", UDP_FLOWS, a2.ip])

        rows = cap.tshark(["ip.src", "udp.srcport", "udp.dstport",
                           "vxlan.vni", "eth.src", "ip.dst", "tcp.srcport",
                           "tcp.dstport"],
                          display_filter="ip.src == %s" % h1.underlay_ip)
        assert rows, "no datagrams from h1 captured on h2's underlay"
        tenant_of = {g.mac: g.tenant for g in t.guests}
        sports = set()
        per_flow = collections.defaultdict(set)
        seen_vni = collections.Counter()
        for (ipsrc, usport, udport, vni, esrc, ipdst, tsport,
             tdport) in rows:
            assert udport[:1] == ["4789"], (
                "outer UDP destination %s, want 4789" % udport)
            assert vni, "a datagram from h1 not dissected as VXLAN: %r" % (
                [ipsrc, usport, udport],)
            inner_src = esrc[-1]
            assert inner_src in tenant_of, (
                "inner source MAC %s is no guest's" % inner_src)
            want = tenant_of[inner_src].vni
            assert int(vni[0]) == want, (
                "frame from %s carried VNI %s, want %d" % (
                    inner_src, vni[0], want))
            seen_vni[want] += 1
            sports.add(usport[0])
            if tsport:
                per_flow[(ipsrc[-1], ipdst[-1], tsport[-1],
                          tdport[-1])].add(usport[0])
        assert seen_vni[100] > 0 and seen_vni[200] > 0, seen_vni
        assert len(sports) > 1, (
            "all flows left h1 from UDP source port %s: no entropy" % sports)
        assert len(per_flow) >= 4, per_flow
        split = {f: p for f, p in per_flow.items() if len(p) != 1}
        assert not split, "TCP flows spread over several source ports: %r" % (
            split,)
        t.assert_alive()
