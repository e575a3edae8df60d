#!/usr/bin/python3
"""demo.py: `make demo`: two hosts, two tenants, the same addresses.

Builds, in network namespaces, two hosts each running vpcd, joined by a
VXLAN underlay, and configures each one the way an operator would: with
`vpcctl apply -f` of a shipped topology file (ts/examples/demo-host1.yaml,
demo-host2.yaml), then applies them again to show that nothing changes.
Tenants A and B use the same addresses (192.0.2.1 on host h1, 192.0.2.2 on
host h2).  Everything the demo needs to know (object ids, MACs, guest
addresses, which port is whose) comes from the topology files and from
`vpcctl ... --json`.  Shows who can reach whom, who answers a ping to a
shared address, and the counters of every switch, port and vpclink; then
removes it all with `vpcctl delete -f`, stops the daemons and deletes the
namespaces (also on Ctrl-C or SIGTERM).  Exits 0 when the tenants behaved
as isolated tenants should, 1 otherwise.  Run as root; `make demo` builds
vpcd and vpcctl first.
"""

import concurrent.futures
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time

import yaml

REPO = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(REPO, "test", "lib"))

from netns import Lab, Terminated  # noqa: E402

TOPOLOGY_FILES = ("ts/examples/demo-host1.yaml",
                  "ts/examples/demo-host2.yaml")
VPCCTL = ["node", os.path.join(REPO, "ts", "bin", "vpcctl.js")]
UUID_RE = re.compile(r" \([0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\)")
STEP_RE = re.compile(r"^\s*\[\s*\d+/\d+\]")
PREFIXLEN = 24          # underlay and tenant subnets of the example files


class DemoError(Exception):
    """Something the demo relies on did not work; the message says what."""


# presentation -----------------------------------------------------------
def table(headers, rows, indent="  "):
    """Format rows as an aligned text table."""
    cols = [headers] + [[str(c) for c in r] for r in rows]
    w = [max(len(r[i]) for r in cols) for i in range(len(headers))]
    line = lambda r: indent + "  ".join(c.ljust(w[i])  # noqa: E731
                                        for i, c in enumerate(r)).rstrip()
    out = [line(headers), indent + "  ".join("-" * x for x in w)]
    out += [line(r) for r in cols[1:]]
    return "\n".join(out)


def heading(text):
    print()
    print(text)
    print("=" * len(text))


def pmap(fn, items):
    """[fn(x) for x in items], four at a time (vpcctl starts slowly)."""
    ex = concurrent.futures.ThreadPoolExecutor(4)
    try:
        return list(ex.map(fn, items))
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


# the model: hosts and guests, from the topology files -------------------
class Host:
    """One host: its topology file, namespace, vpcd and socket."""

    def __init__(self, lab, path):
        self.lab = lab
        self.path = path                # relative to the repository
        with open(os.path.join(REPO, path)) as f:
            self.doc = yaml.safe_load(f)
        self.role = str(self.doc["host"])
        links = self.doc.get("vpclinks") or []
        if len(links) != 1:
            raise DemoError("%s: the demo wants exactly one vpclink, the "
                            "file has %d" % (path, len(links)))
        self.link = links[0]
        self.underlay_ip = ipaddress.ip_address(self.link["local"])
        self.link_port = self.link.get("port", 4789)
        self.names = {o["name"]: o for o in
                      links + (self.doc.get("nics") or [])
                      if "name" in o}
        self.ns = None
        self.sock = None
        self.proc = None
        self.mtu = None                 # the vpclink's, from vpcd

    def vpcctl(self, *args):
        """Run `vpcctl args --json` against this host's vpcd; the result."""
        env = dict(os.environ, VPC_SOCKET=self.sock)
        p = subprocess.run(VPCCTL + list(args) + ["--json"], env=env,
                           cwd=REPO, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=60)
        if p.returncode != 0:
            raise DemoError("%s: vpcctl %s failed (exit %d):\n%s%s" %
                            (self.role, " ".join(args), p.returncode,
                             p.stdout, p.stderr))
        return json.loads(p.stdout)

    def start(self):
        """The namespace, its underlay address, and vpcd."""
        self.ns = self.lab.netns(self.role)
        self.sock = self.lab.path("%s.sock" % self.role)
        if self.underlay_ip.version == 4:
            # no IPv6 chatter from the vpci interfaces vpcd creates here
            for k in ("all", "default"):
                self.ns.sysctl("net.ipv6.conf.%s.disable_ipv6" % k, 1)
        env = dict(os.environ)
        env.pop("VPC_SOCKET", None)
        vpcd = os.environ.get("VPCD", "build/rel/bin/vpcd")
        self.proc = self.ns.spawn([os.path.join(REPO, vpcd), "-s",
                                   self.sock], "%s.vpcd" % self.role,
                                  env=env)

    def wait_ready(self, timeout=15):
        why = self.proc.wait_unix_socket(self.sock, timeout)
        if why is not None:
            raise DemoError("%s: vpcd %s" % (self.role, why))

    def apply(self, show_steps):
        """`vpcctl apply -f`, its progress printed as it comes (ids left
        out); with 'show_steps' false only its first and last lines."""
        print("  $ VPC_SOCKET=%s vpcctl apply -f %s" % (self.sock,
                                                        self.path))
        env = dict(os.environ, VPC_SOCKET=self.sock)
        p = subprocess.Popen(VPCCTL + ["apply", "-f", self.path], env=env,
                             cwd=REPO, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        try:
            hidden = 0
            for line in p.stdout:
                line = UUID_RE.sub("", line.rstrip())
                if STEP_RE.match(line) and not show_steps:
                    hidden += 1
                    continue
                if hidden:
                    print("      ... %d steps of the same kinds as above"
                          % hidden)
                    hidden = 0
                print("    " + line, flush=True)
            rc = p.wait(60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        if rc != 0:
            raise DemoError("%s: vpcctl apply -f %s failed (exit %d)" %
                            (self.role, self.path, rc))

    def switches(self):
        return self.doc.get("switches") or []

    def stop(self):
        """SIGTERM vpcd; its exit status."""
        return self.proc.stop(signal.SIGTERM, timeout=15)


class Guest:
    """A guest: a namespace holding the interface of one of a host's
    vpcis, wired by its file to a port of a tenant's switch."""

    def __init__(self, host, switch, port, nic):
        self.host = host
        self.switch = switch            # the file's switch, port and nic
        self.port = port
        self.nic = nic
        self.vni = port["vni"]
        name = switch.get("name", switch["id"])
        self.tenant = (name[len("tenant-"):].upper()
                       if name.startswith("tenant-") else name)
        self.ips = []                   # from the other hosts' ARP entries
        self.shared = []                # those another tenant also uses
        self.unique = []
        self.ns = None
        self.ifname = None              # from vpcctl vpci show
        self.mac = None

    @property
    def name(self):
        return "%s@%s" % (self.tenant, self.host.role)


def guests_of(hosts):
    """The guests the files describe: a port whose peer is a vpci.  Their
    addresses are the ones the other hosts' switches answer ARP for with
    the vpci's MAC in the port's VNI."""
    guests = []
    for h in hosts:
        for sw in h.switches():
            for port in sw.get("ports") or []:
                nic = h.names.get(port.get("peer"))
                if nic is None:
                    nic = next((n for n in h.doc.get("nics") or []
                                if n["id"] == port.get("peer")), None)
                if nic is not None and nic.get("type") == "vpci":
                    guests.append(Guest(h, sw, port, nic))
    # tenant by tenant, host by host
    guests.sort(key=lambda g: (g.tenant, hosts.index(g.host)))
    for g in guests:
        mac = str(g.nic.get("mac", "")).lower()
        for h in hosts:
            if h is g.host:
                continue
            for sw in h.switches():
                for e in sw.get("arp") or []:
                    if (e["vni"] == g.vni and str(e["mac"]).lower() == mac
                            and e["ip"] not in g.ips):
                        g.ips.append(e["ip"])
        if not g.ips:
            raise DemoError("%s: no host's file has an ARP entry for %s's "
                            "MAC %s in VNI %d, so the demo does not know "
                            "its address" % (g.host.path, g.nic["name"],
                                             mac or "(none)", g.vni))
    for g in guests:
        others = {ip for o in guests if o.tenant != g.tenant for ip in o.ips}
        g.shared = [ip for ip in g.ips if ip in others]
        g.unique = [ip for ip in g.ips if ip not in others]
        if not g.shared or not g.unique:
            raise DemoError("%s: the demo wants each guest to have an "
                            "address another tenant also uses and one of "
                            "its own; %s has %s" % (g.host.path, g.name,
                                                    ", ".join(g.ips)))
    return guests


def attach(g):
    """Move the guest's vpci interface into its namespace; address it."""
    info = g.host.vpcctl("vpci", "show", g.nic["id"])
    g.ifname, g.mac = info["ifname"], info["mac"]
    want = str(g.nic.get("mac", g.mac)).lower()
    if g.mac.lower() != want:
        raise DemoError("%s: vpci %s has MAC %s, the file says %s" %
                        (g.host.role, g.nic["name"], g.mac, want))
    g.host.ns.ip("link", "set", g.ifname, "netns", g.ns.name)
    for ip in g.ips:
        g.ns.addr_add(g.ifname, "%s/%d" % (ip, PREFIXLEN))
    g.ns.link_up(g.ifname)


def link_mtu(h):
    """The MTU vpcd gave the host's vpclink."""
    h.mtu = h.vpcctl("vpclink", "show", h.link["id"])["mtu"]


def echo_requests(ns):
    """ICMP echo requests this namespace's stack has received so far."""
    snmp = ns.run(["cat", "/proc/net/snmp"]).stdout.splitlines()
    names = [line for line in snmp if line.startswith("Icmp:")]
    head, vals = names[0].split()[1:], names[1].split()[1:]
    return int(dict(zip(head, vals))["InEchos"])


# the demo ---------------------------------------------------------------
def main():
    if os.geteuid() != 0:
        print("demo: needs root (it creates network namespaces)",
              file=sys.stderr)
        return 2
    os.chdir(REPO)
    ok = False
    try:
        with Lab("demo") as lab:
            try:
                ok = run(lab)
            except DemoError as e:
                print("\ndemo: %s" % e, file=sys.stderr)
                ok = False
    except (KeyboardInterrupt, Terminated):
        print("\nInterrupted; everything was removed.")
        return 130
    print()
    print("Everything removed (namespaces, vpcd processes, sockets).")
    print("Result: %s" % ("tenants isolated, as expected" if ok
                          else "UNEXPECTED results, see above"))
    return 0 if ok else 1


def run(lab):
    ok = True
    print("vpc demo: two hosts, two tenants with overlapping addresses")
    hosts = [Host(lab, p) for p in TOPOLOGY_FILES]
    guests = guests_of(hosts)
    print("Starting a vpcd in each host's network namespace ...", end=" ",
          flush=True)
    t0 = time.monotonic()
    for h in hosts:
        h.start()
    a, b = hosts
    lab.veth(a.ns, "ul0", b.ns, "ul0")
    for h in hosts:
        h.ns.addr_add("ul0", "%s/%d" % (h.underlay_ip, PREFIXLEN))
    for h in hosts:
        h.wait_ready()
    for g in guests:
        g.ns = lab.netns("%s%s" % (g.host.role, g.tenant))
        for k in ("all", "default"):
            g.ns.sysctl("net.ipv6.conf.%s.disable_ipv6" % k, 1)
    print("done in %.1f s." % (time.monotonic() - t0))

    heading("Configuring each host with vpcctl apply")
    print("  Each host's objects are described by a topology file: its "
          "vpclink, one\n  vpci per guest, one switch per tenant with a "
          "port to the vpclink and\n  one to the guest, ARP answers and "
          "forwarding entries for the other\n  host's guests. vpcctl "
          "reaches the host's vpcd through VPC_SOCKET and\n  creates "
          "what the file describes in dependency order.\n")
    for i, h in enumerate(hosts):
        h.apply(show_steps=(i == 0))
    print("\n  Applying the same files again changes nothing:\n")
    rows = []
    for h, res in zip(hosts, pmap(lambda h: h.vpcctl("apply", "-f",
                                                     h.path), hosts)):
        verdict = "ok" if res["changes"] == 0 else "UNEXPECTED"
        ok = ok and verdict == "ok"
        rows.append([h.role, "vpcctl apply -f %s" % h.path, res["changes"],
                     len(res["unchanged"]), verdict])
    print(table(["host", "command", "changes", "objects unchanged",
                 "check"], rows))

    pmap(lambda job: job(), [lambda g=g: attach(g) for g in guests] +
         [lambda h=h: link_mtu(h) for h in hosts])

    heading("The topology")
    print("  Each host is a network namespace running its own vpcd; the "
          "hosts talk\n  VXLAN over an underlay veth. Each guest is a "
          "namespace holding a vpci\n  interface (its name and MAC from "
          "`vpcctl vpci show --json`). Both\n  tenants use the same "
          "addresses; every guest also has a unique one,\n  used below "
          "to tell the guests apart.\n")
    rows = [[h.role, h.path, "%s:%d" % (h.underlay_ip, h.link_port), h.mtu]
            for h in hosts]
    print(table(["host", "topology file", "vpclink (underlay)",
                 "vpclink MTU"], rows))
    print()
    rows = [[g.name, g.tenant, g.vni, g.host.role, g.ifname,
             ", ".join(g.shared), ", ".join(g.unique), g.mac]
            for g in guests]
    print(table(["guest", "tenant", "VNI", "host", "interface",
                 "shared address", "unique address", "MAC"], rows))

    heading("Who can reach whom (ping of each guest's unique address)")
    print("  Row: the guest that pings. Column: the guest whose unique "
          "address is\n  pinged. Same tenant: must answer. Other tenant: "
          "must not.\n")
    rows = []
    for src in guests:
        row = [src.name]
        for dst in guests:
            if dst is src:
                row.append("-")
                continue
            got, _ = src.ns.ping(dst.unique[0], count=2, interval=0.2,
                                 wait=1)
            want = dst.tenant == src.tenant
            cell = "yes" if got else "no"
            if bool(got) != want:
                cell += " (UNEXPECTED)"
                ok = False
            row.append(cell)
        rows.append(row)
    print(table(["from \\ to"] + [g.name for g in guests], rows))

    heading("Who answers a ping to the shared address on the other host")
    print("  Every guest pings the shared address of its tenant's guest on "
          "the other\n  host, an address both tenants use. The guest whose "
          "stack received the\n  echo requests is shown: it must be that "
          "guest, of the pinging guest's\n  own tenant.\n")
    rows = []
    for src in guests:
        dst = next(g for g in guests
                   if g.tenant == src.tenant and g.host is not src.host)
        before = {g.name: echo_requests(g.ns) for g in guests}
        got, _ = src.ns.ping(dst.shared[0], count=3, interval=0.2, wait=1)
        after = {g.name: echo_requests(g.ns) for g in guests}
        answered = [n for n in after if after[n] > before[n]]
        verdict = ("ok" if answered == [dst.name] and got == 3
                   else "UNEXPECTED")
        ok = ok and verdict == "ok"
        rows.append([src.name, dst.shared[0], "%d/3" % got,
                     ", ".join(answered) or "nobody", verdict])
    print(table(["from", "pinged", "replies", "received by", "check"],
                rows))

    heading("Counters of every switch, port and vpclink "
            "(vpcctl ... stats --json)")
    print("  rx/tx: frames into/out of the object. Drops are counted by "
          "reason where\n  they were detected. The cross-tenant pings "
          "above show up as\n  arp_proxy_miss on the pinging tenant's "
          "switch: it has no ARP answer\n  for the other tenant's "
          "addresses, so nothing left the host.\n")
    counters(hosts, guests)

    heading("Tearing down")
    print("  vpcctl delete -f removes what each file describes; then vpcd "
          "gets\n  SIGTERM on each host and must exit 0.\n")
    for h in hosts:
        if not h.proc.alive():
            raise DemoError("%s: vpcd is not running (status %s):\n%s" %
                            (h.role, h.proc.popen.returncode,
                             h.proc.log()[-3000:]))
    rows = []
    for h, res in zip(hosts, pmap(lambda h: (
            h.vpcctl("delete", "-f", h.path), h.vpcctl("status")), hosts)):
        deleted, status = res
        left = sum(status["counts"].values())
        rc = h.stop()
        verdict = "ok" if left == 0 and rc == 0 else "UNEXPECTED"
        ok = ok and verdict == "ok"
        rows.append([h.role, "vpcctl delete -f %s" % h.path,
                     deleted["changes"], left, rc, verdict])
    print(table(["host", "command", "changes", "objects left",
                 "vpcd exit", "check"], rows))
    return ok


def counters(hosts, guests):
    """Print the counters table, from vpcctl ... stats --json."""
    jobs = []           # (host, label, vpcctl args)
    for h in hosts:
        for sw in h.switches():
            name = sw.get("name", sw["id"])
            jobs.append((h, "switch %s" % name, ("switch", "stats",
                                                  sw["id"])))
            for port in sw.get("ports") or []:
                peer = port.get("peer")
                g = next((g for g in guests if g.port is port), None)
                what = ("guest %s (%s)" % (g.name, g.ifname) if g
                        else "%s, VNI %d" % (peer, port["vni"]))
                jobs.append((h, "  port %s -> %s" % (
                    port.get("name", port["id"]), what),
                    ("port", "stats", port["id"])))
        jobs.append((h, "vpclink %s %s:%d" % (
            h.link.get("name", ""), h.underlay_ip, h.link_port),
            ("vpclink", "stats", h.link["id"])))
    stats = pmap(lambda j: j[0].vpcctl(*j[2]), jobs)
    rows = []
    for (h, label, _), s in zip(jobs, stats):
        drops = ", ".join("%s %d" % (k, v) for k, v in
                          sorted(s["drops"].items())
                          if v and k != "none") or "-"
        rows.append([h.role, label, s["rxPkts"], s["txPkts"], drops])
    print(table(["host", "object", "rx pkts", "tx pkts", "drops"], rows))


if __name__ == "__main__":
    sys.exit(main())
