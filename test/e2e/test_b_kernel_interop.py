"""(b) vpcd interoperates with the Linux kernel's VXLAN.

Host h1 runs vpcd; host h2 is a Linux bridge + vxlan device
(`ip link add vx100 type vxlan id 100 local 198.51.100.2 dstport 4789
nolearning`, static fdb entries, permanent neighbours).  Tenant A (VNI 100)
has 192.0.2.1 behind vpcd and 192.0.2.2 behind the kernel.  Proves: ping and
TCP (iperf3) work in both directions between our guest and the kernel's,
i.e. vpcd's VXLAN encapsulation is accepted by an independent
implementation and it decapsulates what that implementation sends.
"""

from netns import iperf3, iperf3_bps
from topo import Topology


def test_b_interop_with_kernel_vxlan(lab):
    with Topology(lab) as t:
        h1 = t.add_vpcd_host("h1")
        h2 = t.add_kernel_host("h2")
        t.add_tenant("A", 100)
        ours = t.add_guest("A", h1, "192.0.2.1")
        theirs = t.add_guest("A", h2, "192.0.2.2")
        t.build()

        got, out = ours.ns.ping(theirs.ip, count=3)
        assert got == 3, "vpcd guest -> kernel guest: %d/3\n%s" % (got, out)
        got, out = theirs.ns.ping(ours.ip, count=3)
        assert got == 3, "kernel guest -> vpcd guest: %d/3\n%s" % (got, out)

        # TCP: vpcd guest as client, then as server
        for srv, cli, port in ((theirs, ours, 5401), (ours, theirs, 5402)):
            res = iperf3(srv.ns, cli.ns, srv.ip, port=port, seconds=2)
            assert res["end"]["sum_received"]["bytes"] > 0
            assert iperf3_bps(res) > 0
        # the vpclink really carried it
        s = h1.link.stats()
        assert s.rx_pkts > 0 and s.tx_pkts > 0, s
        t.assert_alive()
