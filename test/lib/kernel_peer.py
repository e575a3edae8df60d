"""kernel_peer.py: a "host" made of the Linux kernel's bridge and vxlan.

The reference peer for interoperability tests and the benchmark: in its
host namespace, one bridge and one vxlan device per VNI

    ip link add vx100 type vxlan id 100 local <underlay> dstport 4789 \\
        nolearning
    ip link add br100 type bridge; ip link set vx100 master br100

and per guest a namespace joined to the bridge by a veth.  Remote guests
are programmed like vpcd's programmed mode: static fdb entries (MAC ->
remote VTEP) and permanent neighbour entries in the guests, so no ARP
crosses the underlay; or, in learning mode, the vxlan device learns and
floods to an all-zero fdb entry per remote.  It has the same interface as
topo.VpcdHost (start, add_guest, program_remote, set_flood, finish).
"""

import ipaddress

from netns import set_tx_checksum


class KernelHost:
    """A host whose VTEP is the kernel's vxlan driver."""

    kind = "kernel"

    def __init__(self, topo, role, underlay_ip, underlay_dev="ul0"):
        self.topo = topo
        self.role = role
        self.ns = topo.lab.netns(role)
        self.underlay_ip = ipaddress.ip_address(underlay_ip)
        self.underlay_dev = underlay_dev
        self.guests = []
        self.vnis = {}          # vni -> (vxlan dev, bridge dev)
        self._nguest = 0
        self.mtu = None

    def __repr__(self):
        return "KernelHost(%s %s)" % (self.role, self.underlay_ip)

    def start(self):
        """Nothing to start: the kernel is always there.

        When a vpcd host shares the underlay, transmit checksum offload is
        turned off on our underlay device, so inner checksums are complete
        on the wire as a real NIC would make them (see
        netns.set_tx_checksum); kernel-only topologies keep it.
        """
        over = 50 if self.underlay_ip.version == 4 else 70
        self.mtu = self.ns.mtu(self.underlay_dev) - over
        if any(h.kind != "kernel" for h in self.topo.hosts):
            set_tx_checksum(self.ns, self.underlay_dev, False)

    def _segment(self, vni):
        if vni in self.vnis:
            return self.vnis[vni]
        vx, br = "vx%d" % vni, "br%d" % vni
        learn = ("learning" if self.topo.mode == "learning"
                 else "nolearning")
        self.ns.ip("link", "add", vx, "type", "vxlan", "id", str(vni),
                   "local", str(self.underlay_ip), "dstport", "4789",
                   "dev", self.underlay_dev, learn)
        self.ns.ip("link", "add", br, "type", "bridge")
        self.ns.ip("link", "set", vx, "master", br)
        self.ns.link_up(vx, self.mtu)
        self.ns.link_up(br, self.mtu)
        self.vnis[vni] = (vx, br)
        return vx, br

    def add_guest(self, guest):
        """Give 'guest' (a topo.Guest) a veth into this host's bridge."""
        _, br = self._segment(guest.tenant.vni)
        self._nguest += 1
        hdev = "gv%d" % self._nguest
        guest.ifname = "eth0"
        # a fixed, locally administered MAC: 02:4b:<host>:<vni>:<n>
        v = guest.tenant.vni
        guest.mac = "02:4b:%02x:%02x:%02x:%02x" % (
            self.topo.hosts.index(self) + 1, (v >> 8) & 0xff, v & 0xff,
            self._nguest)
        self.topo.lab.veth(guest.ns, "eth0", self.ns, hdev, mtu=self.mtu,
                           up=False)
        guest.ns.ip("link", "set", "eth0", "address", guest.mac)
        self.ns.ip("link", "set", hdev, "master", br)
        self.ns.link_up(hdev, self.mtu)
        guest.mtu = self.mtu
        self.guests.append(guest)

    def program_remote(self, guest, remote_ip):
        """Static fdb for remote 'guest' behind 'remote_ip', and a
        permanent neighbour entry for it in our guests of its tenant."""
        vx, _ = self._segment(guest.tenant.vni)
        self.ns.run(["bridge", "fdb", "replace", guest.mac, "dev", vx,
                     "dst", str(remote_ip), "self", "permanent"])
        for g in self.guests:
            if g.tenant is guest.tenant:
                for ip in guest.ips:
                    g.ns.ip("neigh", "replace", ip, "lladdr", guest.mac,
                            "dev", g.ifname, "nud", "permanent")

    def set_flood(self, tenant, remotes):
        """BUM of 'tenant' to each address in 'remotes' (head-end)."""
        vx, _ = self._segment(tenant.vni)
        for r in remotes:
            self.ns.run(["bridge", "fdb", "append", "00:00:00:00:00:00",
                         "dev", vx, "dst", str(r), "self", "permanent"])

    def counters(self):
        """The kernel has no vpc counters."""
        return {}

    def finish(self):
        """Nothing to stop; no problems to report."""
        return []
