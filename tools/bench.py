#!/usr/bin/python3
"""bench.py: `make bench`: guest-to-guest TCP across VXLAN, vpcd vs kernel.

In one run, builds two hosts in network namespaces twice: first with a
vpcd on each host, then with the Linux kernel's bridge + vxlan device on
each host (the reference path).  Each time one guest per host, tenant VNI
100, and three single-stream `iperf3 -t 5` runs from the h1 guest to the h2
guest; the median is reported.  Prints both figures, their ratio, the
machine (nproc, CPU model, kernel) and the date, and writes the same as
JSON to build/bench/tcp-<date>.json (and build/bench/latest.json).  No
target is asserted; a path that fails to carry traffic is reported as
such and the exit status is 1.
"""

import datetime
import json
import os
import platform
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(REPO, "test", "lib"))

from netns import Lab, iperf3, iperf3_bps  # noqa: E402
from topo import Topology, vpcd_path  # noqa: E402

RUNS = 3
SECONDS = 5


def machine():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model,
            "kernel": platform.release(), "machine": platform.machine()}


def measure(kind):
    """Median receiver Gbit/s of RUNS iperf3 runs across 'kind' hosts."""
    with Lab("bench%s" % kind) as lab, Topology(lab) as t:
        add = t.add_vpcd_host if kind == "vpcd" else t.add_kernel_host
        h1, h2 = add("h1"), add("h2")
        t.add_tenant("A", 100)
        g1 = t.add_guest("A", h1, "192.0.2.1")
        g2 = t.add_guest("A", h2, "192.0.2.2")
        t.build()
        got, out = g1.ns.ping(g2.ip, count=3)
        if got == 0:
            raise RuntimeError("%s path: ping fails\n%s" % (kind, out))
        runs = []
        for i in range(RUNS):
            res = iperf3(g2.ns, g1.ns, g2.ip, port=5201 + i,
                         seconds=SECONDS)
            gbps = iperf3_bps(res) / 1e9
            retr = res["end"].get("sum_sent", {}).get("retransmits")
            runs.append({"gbit_s": round(gbps, 3), "retransmits": retr})
            print("  %-6s run %d: %6.2f Gbit/s  (%s retransmits)" %
                  (kind, i + 1, gbps, retr), flush=True)
        med = statistics.median(r["gbit_s"] for r in runs)
        return {"median_gbit_s": med, "runs": runs, "mtu": g1.mtu}


def main():
    if os.geteuid() != 0:
        print("bench: needs root (network namespaces)", file=sys.stderr)
        return 2
    now = datetime.datetime.now().astimezone()
    m = machine()
    print("vpc bench: guest-to-guest TCP across VXLAN between two hosts")
    print("  (network namespaces; iperf3 -t %d, one stream, median of %d "
          "runs)" % (SECONDS, RUNS))
    print("  machine: %d CPUs, %s, Linux %s" % (m["nproc"], m["cpu"],
                                                m["kernel"]))
    print("  date:    %s" % now.isoformat(timespec="seconds"))
    print()
    result = {"date": now.isoformat(timespec="seconds"), "machine": m,
              "test": {"tool": "iperf3", "seconds": SECONDS, "runs": RUNS,
                       "streams": 1, "vni": 100,
                       "underlay": "IPv4, veth between two namespaces"},
              "vpcd_binary": os.path.relpath(vpcd_path(), REPO),
              "paths": {}}
    rc = 0
    for kind in ("vpcd", "kernel"):
        try:
            result["paths"][kind] = measure(kind)
        except Exception as e:          # report, go on with the other path
            print("  %s: FAILED: %s" % (kind, e))
            result["paths"][kind] = {"error": str(e)}
            rc = 1
    p = result["paths"]
    v = p["vpcd"].get("median_gbit_s")
    k = p["kernel"].get("median_gbit_s")
    ratio = (v / k) if v is not None and k else None
    result["ratio_vpcd_to_kernel"] = round(ratio, 3) if ratio else ratio

    print()
    print("Result (median receiver throughput)")
    print("  vpcd               : %s" % ("%.2f Gbit/s" % v if v is not None
                                         else "failed"))
    print("  kernel bridge+vxlan: %s" % ("%.2f Gbit/s" % k if k is not None
                                         else "failed"))
    print("  ratio vpcd/kernel  : %s" % ("%.2f" % ratio if ratio
                                         else "n/a"))

    out = os.path.join(REPO, "build", "bench")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "tcp-%s.json" % now.strftime("%Y%m%dT%H%M%S"))
    for f in (path, os.path.join(out, "latest.json")):
        with open(f, "w") as fh:
            json.dump(result, fh, indent=2)
            fh.write("\n")
    print("  written to %s" % os.path.relpath(path, REPO))
    return rc


if __name__ == "__main__":
    sys.exit(main())
