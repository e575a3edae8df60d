#!/usr/bin/python3
"""demo.py: `make demo`: two hosts, two tenants, the same addresses.

Builds, in network namespaces, two hosts each running vpcd, joined by a
VXLAN underlay, and two tenants A and B that use the same addresses
(192.0.2.1 on host h1, 192.0.2.2 on host h2).  Shows who can reach whom,
who answers a ping to a shared address, and the counters of every port,
then removes everything.  Exits 0 when the tenants behaved as isolated
tenants should, 1 otherwise.  Run as root from the repository root.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "test", "lib"))

from netns import Lab, Terminated  # noqa: E402
from topo import two_tenant_topology, TopologyError  # noqa: E402


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


def echo_requests(ns):
    """ICMP echo requests this namespace's stack has received so far."""
    snmp = ns.run(["cat", "/proc/net/snmp"]).stdout.splitlines()
    names = [l for l in snmp if l.startswith("Icmp:")]
    head, vals = names[0].split()[1:], names[1].split()[1:]
    return int(dict(zip(head, vals))["InEchos"])


def unique_ip(g):
    return g.ips[1]


def main():
    if os.geteuid() != 0:
        print("demo: needs root (it creates network namespaces)",
              file=sys.stderr)
        return 2
    ok = True
    try:
        with Lab("demo") as lab:
            t = two_tenant_topology(lab, extra=True)
            try:
                with t:
                    ok = run(t)
            except TopologyError as e:
                print("\nvpcd did not shut down cleanly:\n%s" % e)
                ok = False
    except (KeyboardInterrupt, Terminated):
        print("\nInterrupted; everything was removed.")
        return 130
    print()
    print("Everything removed (namespaces, vpcd processes, sockets).")
    print("Result: %s" % ("tenants isolated, as expected" if ok
                          else "UNEXPECTED results, see above"))
    return 0 if ok else 1


def run(t):
    print("vpc demo: two hosts, two tenants with overlapping addresses")
    print("Building the topology in network namespaces ...", end=" ",
          flush=True)
    t0 = time.monotonic()
    t.build()
    print("done in %.1f s." % (time.monotonic() - t0))
    guests = [t.guest(n, h) for n in ("A", "B") for h in ("h1", "h2")]

    heading("The topology")
    print("  Each host is a network namespace running its own vpcd; the "
          "hosts talk\n  VXLAN over an underlay veth. Each guest is a "
          "namespace holding a vpci\n  interface. Both tenants use the "
          "same addresses; every guest also has\n  a unique address, "
          "used below to tell the guests apart.")
    print()
    rows = [["h%d" % i, str(h.underlay_ip), h.mtu]
            for i, h in enumerate(t.hosts, 1)]
    print(table(["host", "underlay address", "vpclink MTU"], rows))
    print()
    rows = [[g.name, g.tenant.name, g.tenant.vni, g.host.role, g.ip,
             unique_ip(g), g.mac] for g in guests]
    print(table(["guest", "tenant", "VNI", "host", "shared address",
                 "unique address", "MAC"], rows))

    ok = True
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
            got, _ = src.ns.ping(unique_ip(dst), count=2, interval=0.2,
                                 wait=1)
            want = dst.tenant is src.tenant
            cell = "yes" if got else "no"
            if bool(got) != want:
                cell += " (UNEXPECTED)"
                ok = False
            row.append(cell)
        rows.append(row)
    print(table(["from \\ to"] + [g.name for g in guests], rows))

    heading("Who answers a ping to the shared address on the other host")
    print("  Every guest pings 192.0.2.1 or 192.0.2.2 on the other host, "
          "an address\n  both tenants use. The guest whose stack received "
          "the echo requests is\n  shown: it must be the pinging "
          "guest's own tenant.\n")
    rows = []
    for src in guests:
        dst_ip = "192.0.2.2" if src.host.role == "h1" else "192.0.2.1"
        before = {g.name: echo_requests(g.ns) for g in guests}
        got, _ = src.ns.ping(dst_ip, count=3, interval=0.2, wait=1)
        after = {g.name: echo_requests(g.ns) for g in guests}
        answered = [n for n in after if after[n] > before[n]]
        want = [g.name for g in guests
                if g.tenant is src.tenant and g.ip == dst_ip]
        verdict = "ok" if (answered == want and got == 3) else "UNEXPECTED"
        ok = ok and verdict == "ok"
        rows.append([src.name, dst_ip, "%d/3" % got,
                     ", ".join(answered) or "nobody", verdict])
    print(table(["from", "pinged", "replies", "received by", "check"],
                rows))

    heading("Counters of every switch, port and vpclink (read through "
            "libvpc)")
    print("  rx/tx: frames into/out of the object. Drops are counted by "
          "reason where\n  they were detected. The cross-tenant pings "
          "above show up as\n  arp_proxy_miss on the pinging tenant's "
          "switch: it has no ARP answer\n  for the other tenant's "
          "addresses, so nothing left the host.\n")
    rows = []
    for h in t.hosts:
        for label, s in h.counters().items():
            drops = ", ".join("%s %d" % kv for kv in
                              sorted(s.nonzero_drops().items())) or "-"
            rows.append([h.role, label, s.rx_pkts, s.tx_pkts, drops])
    print(table(["host", "object", "rx pkts", "tx pkts", "drops"], rows))

    heading("Tearing down")
    print("  vpcd gets SIGTERM on each host and must exit 0.")
    t.assert_alive()
    return ok


if __name__ == "__main__":
    sys.exit(main())
