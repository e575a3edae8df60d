"""topo.py: multi-host tenant topologies with vpcd, in network namespaces.

A Topology lives inside a netns.Lab.  Hosts are namespaces on a shared
underlay (one host: a veth to itself; two: a veth pair; more: a bridge in
an "ul" namespace); each VpcdHost runs its own vpcd with its own socket and
log under the lab's scratch directory and is configured only through
libvpc (test/lib/vpc.py):

    vpclink  bound to the host's underlay address, UDP 4789
    per tenant: a switch, and an uplink port (tenant VNI) -> the vpclink
    per guest:  a vpci (MTU = the vpclink's), a port (tenant VNI) -> it;
                the vpci's interface is moved into the guest's namespace
    programmed mode: ARP proxy entries on the switch and forwarding entries
                (VNI, MAC) -> remote VTEP on the vpclink, for remote guests
    learning mode:   the switch learns; flood list = the other hosts

A kernel_peer.KernelHost can stand in for a VpcdHost (interop, bench).

    with Lab("a") as lab, Topology(lab, vpcd_bin) as t:
        h1 = t.add_vpcd_host("h1", "198.51.100.1")
        ...
        t.build()
    # leaving: vpcds get SIGTERM; exit status 0 and a log free of
    # sanitizer reports are asserted (TopologyError otherwise)
"""

import ipaddress
import os
import re
import signal
import uuid

import vpc
from kernel_peer import KernelHost

REPO = vpc.REPO
SANITIZER_RE = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|"
    r"SUMMARY: (Address|Undefined|Leak)Sanitizer")


def vpcd_path():
    """$VPCD (relative to the repository root if relative), else rel."""
    p = os.environ.get("VPCD", "build/rel/bin/vpcd")
    return p if os.path.isabs(p) else os.path.join(REPO, p)


class TopologyError(AssertionError):
    """A vpcd misbehaved: bad exit status, sanitizer report, died."""


class Tenant:
    def __init__(self, name, vni):
        self.name = name        # "A"
        self.vni = vni          # 100
        self.guests = []

    def __repr__(self):
        return "Tenant(%s vni %d)" % (self.name, self.vni)


class Guest:
    """A guest: a namespace whose interface belongs to a host's VTEP."""

    def __init__(self, tenant, host, ns, ip, extra_ips=()):
        self.tenant = tenant
        self.host = host
        self.ns = ns
        self.ip = ip            # primary overlay address "192.0.2.1"
        self.ips = [ip] + list(extra_ips)
        self.prefixlen = 24
        self.ifname = None      # inside ns
        self.mac = None         # "02:..."
        self.mtu = None         # the MTU its interface got
        self.nic_mtu = None     # vpci MTU as vpcd created it (vpcd hosts)
        self.port = None        # vpc.Obj of its port (vpcd hosts)
        self.nic = None         # vpc.Obj of its vpci (vpcd hosts)

    @property
    def name(self):
        return "%s@%s" % (self.tenant.name, self.host.role)

    def __repr__(self):
        return "Guest(%s %s %s)" % (self.name, self.ip, self.mac)


class VpcdHost:
    """A host whose VTEP is a vpcd configured through libvpc."""

    kind = "vpcd"

    def __init__(self, topo, role, underlay_ip, underlay_dev="ul0"):
        self.topo = topo
        self.role = role
        self.ns = topo.lab.netns(role)
        self.underlay_ip = ipaddress.ip_address(underlay_ip)
        self.underlay_dev = underlay_dev
        self.sock = topo.lab.path("%s.sock" % role)
        self.proc = None
        self.h = None           # vpc.Handle
        self.link = None        # vpc.Obj of the vpclink
        self.link_port = vpc.VXLAN_PORT
        self.mtu = None         # the vpclink's MTU
        self.switches = {}      # tenant name -> vpc.Obj
        self.uplinks = {}       # tenant name -> vpc.Obj (port)
        self.guests = []
        self.exit_status = None

    def __repr__(self):
        return "VpcdHost(%s %s)" % (self.role, self.underlay_ip)

    # daemon ---------------------------------------------------------------
    def start(self):
        """Start vpcd in the host namespace; create the vpclink."""
        env = dict(os.environ)
        env.pop("VPC_SOCKET", None)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
        self.proc = self.ns.spawn([self.topo.vpcd, "-s", self.sock],
                                  "%s.vpcd" % self.role, env=env)
        self._wait_socket(timeout=15)
        self.h = vpc.Handle(self.sock)
        self.link = self.h.create(uuid.uuid4(), vpc.TYPE_VPCLINK)
        self.link.local_set(str(self.underlay_ip), self.link_port)
        self.link.commit()
        self.mtu = self.link.mtu()

    def _wait_socket(self, timeout):
        why = self.proc.wait_unix_socket(self.sock, timeout)
        if why is not None:
            raise TopologyError("%s: vpcd %s" % (self.role, why))

    def alive(self):
        return self.proc is not None and self.proc.alive()

    def log(self):
        return self.proc.log() if self.proc else ""

    def finish(self):
        """Close descriptors, SIGTERM vpcd; return a list of problems."""
        problems = []
        if self.h is not None:
            try:
                self.h.close()
            except Exception as e:
                problems.append("%s: closing libvpc handle: %s" %
                                (self.role, e))
            self.h = None
        if self.proc is None:
            return problems
        if not self.proc.alive():
            problems.append("%s: vpcd died before teardown (status %s)" %
                            (self.role, self.proc.popen.returncode))
        rc = self.proc.stop(signal.SIGTERM, timeout=15)
        self.exit_status = rc
        if rc != 0:
            problems.append("%s: vpcd exit status %s on SIGTERM (want 0)" %
                            (self.role, rc))
        log = self.proc.log()
        m = SANITIZER_RE.search(log)
        if m:
            start = max(0, m.start() - 200)
            problems.append("%s: sanitizer report in vpcd log:\n%s" %
                            (self.role, log[start:start + 4000]))
        if problems:
            problems.append("%s: vpcd log tail:\n%s" %
                            (self.role, log[-2000:]))
        return problems

    # tenants and guests -----------------------------------------------------
    def switch(self, tenant):
        """The tenant's switch on this host, with its uplink port."""
        if tenant.name in self.switches:
            return self.switches[tenant.name]
        sw = self.h.create(uuid.uuid4(), vpc.TYPE_SWITCH)
        if self.topo.mode == "learning":
            sw.mode_set(vpc.SW_MODE_LEARNING)
        sw.commit()
        up = self.h.create(uuid.uuid4(), vpc.TYPE_PORT)
        up.vni_set(tenant.vni)
        sw.port_add(up.id)
        up.connect(self.link.id)
        up.commit()
        self.switches[tenant.name] = sw
        self.uplinks[tenant.name] = up
        return sw

    def add_guest(self, guest):
        """A vpci for 'guest', wired to a port of its tenant's switch and
        moved into the guest's namespace with the vpclink's MTU."""
        sw = self.switch(guest.tenant)
        nic = self.h.create(uuid.uuid4(), vpc.TYPE_VPCI)
        nic.mtu_set(self.mtu)
        nic.commit()
        port = self.h.create(uuid.uuid4(), vpc.TYPE_PORT)
        port.vni_set(guest.tenant.vni)
        sw.port_add(port.id)
        port.connect(nic.id)
        port.commit()
        ifname = nic.ifname()
        self.ns.ip("link", "set", ifname, "netns", guest.ns.name)
        guest.ifname = ifname
        guest.mac = nic.mac()
        guest.nic = nic
        guest.port = port
        # The vpci's MTU was set through libvpc, so its interface should
        # have it; if not, set it in the guest (and let tests see that).
        guest.nic_mtu = guest.ns.mtu(ifname)
        if guest.nic_mtu != self.mtu:
            guest.ns.ip("link", "set", ifname, "mtu", str(self.mtu))
        guest.mtu = self.mtu
        self.guests.append(guest)

    def program_remote(self, guest, remote_ip):
        """Programmed mode: reach remote 'guest' through 'remote_ip'."""
        t = guest.tenant
        self.link.fwd_set(t.vni, guest.mac, str(remote_ip))
        sw = self.switch(t)
        for ip in guest.ips:
            sw.arp_add(t.vni, ip, guest.mac)

    def set_flood(self, tenant, remotes):
        self.switch(tenant).flood_set(tenant.vni, [str(r) for r in remotes])

    def counters(self):
        """{label: vpc.Stats}: per tenant its switch, its guests' ports
        and its uplink port; then the vpclink."""
        out = {}
        for tname, sw in self.switches.items():
            out["tenant %s switch" % tname] = sw.stats()
            for g in self.guests:
                if g.tenant.name == tname:
                    out["tenant %s port to guest %s (%s)" % (
                        tname, g.name, g.ifname)] = g.port.stats()
            out["tenant %s uplink port (VNI %d)" % (
                tname, self.uplinks[tname].vni())] = \
                self.uplinks[tname].stats()
        out["vpclink %s:%d" % (self.underlay_ip, self.link_port)] = \
            self.link.stats()
        return out


class Topology:
    """Hosts, tenants and guests; build() wires them, exit tears down."""

    def __init__(self, lab, vpcd=None, mode="programmed", family=4,
                 guest_ipv6=False):
        self.lab = lab
        self.vpcd = vpcd or vpcd_path()
        self.mode = mode                # "programmed" or "learning"
        self.family = family            # underlay: 4 or 6
        self.guest_ipv6 = guest_ipv6
        self.hosts = []
        self.tenants = {}
        self.guests = []
        self.ul = None                  # the underlay bridge namespace
        self._finished = False
        self.problems = []

    # declaration ------------------------------------------------------------
    def underlay_addr(self, n):
        """The n-th host's underlay address (n from 1)."""
        return ("198.51.100.%d" % n if self.family == 4
                else "2001:db8::%x" % n)

    def add_vpcd_host(self, role, underlay_ip=None):
        ip = underlay_ip or self.underlay_addr(len(self.hosts) + 1)
        h = VpcdHost(self, role, ip)
        self.hosts.append(h)
        return h

    def add_kernel_host(self, role, underlay_ip=None):
        ip = underlay_ip or self.underlay_addr(len(self.hosts) + 1)
        h = KernelHost(self, role, ip)
        self.hosts.append(h)
        return h

    def add_tenant(self, name, vni):
        t = Tenant(name, vni)
        self.tenants[name] = t
        return t

    def add_guest(self, tenant, host, ip, extra_ips=()):
        """Declare a guest; its namespace is made now, wired in build()."""
        t = self.tenants[tenant] if isinstance(tenant, str) else tenant
        ns = self.lab.netns("%s%s" % (host.role, t.name))
        g = Guest(t, host, ns, ip, extra_ips)
        t.guests.append(g)
        self.guests.append(g)
        return g

    def guest(self, tenant, host_role):
        for g in self.guests:
            if g.tenant.name == tenant and g.host.role == host_role:
                return g
        raise KeyError((tenant, host_role))

    # building ---------------------------------------------------------------
    def _underlay(self):
        plen = 24 if self.family == 4 else 64
        if len(self.hosts) == 1:
            h = self.hosts[0]
            self.lab.veth(h.ns, h.underlay_dev, h.ns, "ulpeer")
        elif len(self.hosts) == 2:
            a, b = self.hosts
            self.lab.veth(a.ns, a.underlay_dev, b.ns, b.underlay_dev)
        else:
            self.ul = self.lab.netns("ul")
            self.ul.ip("link", "add", "br0", "type", "bridge")
            self.ul.link_up("br0")
            for i, h in enumerate(self.hosts):
                self.lab.veth(h.ns, h.underlay_dev, self.ul, "p%d" % i)
                self.ul.ip("link", "set", "p%d" % i, "master", "br0")
        for h in self.hosts:
            h.ns.addr_add(h.underlay_dev, "%s/%d" % (h.underlay_ip, plen))
        # underlay reachability before any VTEP is configured
        for h in self.hosts[1:]:
            self.hosts[0].ns.ping(h.underlay_ip, count=1, wait=2,
                                  check=True)

    def _guest_up(self, g):
        ns = g.ns
        if not self.guest_ipv6:
            ns.sysctl("net.ipv6.conf.%s.disable_ipv6" % g.ifname, 1)
        for ip in g.ips:
            ns.addr_add(g.ifname, "%s/%d" % (ip, g.prefixlen))
        ns.link_up(g.ifname)

    def build(self):
        self._underlay()
        for h in self.hosts:
            h.start()
        for g in self.guests:
            if not self.guest_ipv6:
                g.ns.sysctl("net.ipv6.conf.all.disable_ipv6", 1)
                g.ns.sysctl("net.ipv6.conf.default.disable_ipv6", 1)
            g.host.add_guest(g)
            self._guest_up(g)
        for t in self.tenants.values():
            for h in self.hosts:
                others = [o for o in self.hosts
                          if o is not h and any(g.host is o
                                                for g in t.guests)]
                if self.mode == "learning":
                    if any(g.host is h for g in t.guests):
                        h.set_flood(t, [o.underlay_ip for o in others])
                    continue
                for g in t.guests:
                    if g.host is not h and any(x.host is h
                                               for x in t.guests):
                        h.program_remote(g, g.host.underlay_ip)
        return self

    # checks -----------------------------------------------------------------
    def vpcd_hosts(self):
        return [h for h in self.hosts if h.kind == "vpcd"]

    def assert_alive(self):
        for h in self.vpcd_hosts():
            if not h.alive():
                raise TopologyError("%s: vpcd is not running (status %s)\n"
                                    "%s" % (h.role, h.proc.popen.returncode,
                                            h.log()[-3000:]))

    def finish(self):
        """Stop every vpcd; return the problems found (see VpcdHost)."""
        if self._finished:
            return self.problems
        self._finished = True
        for h in self.hosts:
            try:
                self.problems += h.finish()
            except Exception as e:
                self.problems.append("%s: teardown: %r" % (h.role, e))
        return self.problems

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        problems = self.finish()
        if exc_type is None and problems:
            raise TopologyError("\n".join(problems))
        if exc_type is not None and problems and exc is not None:
            # keep the original failure; add what the daemons said
            try:
                exc.add_note("\n".join(problems))
            except AttributeError:
                pass
        return False


def two_tenant_topology(lab, family=4, mode="programmed", extra=False,
                        vpcd=None):
    """Topology (a): hosts h1, h2; tenants A (VNI 100) and B (VNI 200),
    each with 192.0.2.1 on h1 and 192.0.2.2 on h2.  With 'extra', each
    guest also has a unique address 192.0.2.1x: A@h1 .11, A@h2 .12,
    B@h1 .21, B@h2 .22.  Not built yet: call build()."""
    t = Topology(lab, vpcd=vpcd, family=family, mode=mode)
    h1 = t.add_vpcd_host("h1")
    h2 = t.add_vpcd_host("h2")
    for name, vni, n in (("A", 100, 1), ("B", 200, 2)):
        t.add_tenant(name, vni)
        for i, h in ((1, h1), (2, h2)):
            ex = ["192.0.2.%d%d" % (n, i)] if extra else []
            t.add_guest(name, h, "192.0.2.%d" % i, ex)
    return t
