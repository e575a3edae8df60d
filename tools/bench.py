#!/usr/bin/python3
"""bench.py: `make bench`: vpcd against the Linux kernel bridge+vxlan path.

One run measures, with the machine and the date:

 e2e      two hosts in network namespaces joined by a veth underlay, one
          tenant (VNI 100), one guest per host: first with a vpcd on each
          host, then with the kernel's bridge + vxlan devices (the peer).
          Both topologies exist at once and the measurements alternate
          (vpcd, kernel, vpcd, kernel, ...), so that load from other
          processes on the machine falls on both alike.  Per path, RUNS
          times: iperf3 TCP 1 stream and 8 streams (SECONDS s), iperf3 UDP
          with 64-byte and 1400-byte payloads at full speed (packets per
          second received), ping RTT (PINGS pings), and the CPU used.
 core     build/rel/bin/core-bench (bench/core_bench.c): the core in
          memory, packets per second for encap / decap / ARP proxy at 1k,
          64k and 1M table entries, 64- and 1514-byte frames, heap
          allocations per packet; and under valgrind --tool=callgrind the
          instructions per packet; each case with one frame per core call
          and in bursts of 32 (vpc_input_*_burst(), which prefetches the
          table lookups of the burst); every size is measured in each
          repeat, one after the other, and the time per packet at 64k and
          1M entries is divided by the 1k one of the same repeat (the
          1M/1k target).  build/rel/bin/mem-floor
          (bench/mem_floor.c): the same random cache-line accesses as the
          burst path at 1k and 1M entries, without the core: what the
          accesses alone cost per frame on this machine.
 control  build/rel/bin/ctl-bench (bench/ctl_bench.c): 10,000 objects
          created (and destroyed) through vpc_ctl against a vpcd, by one
          client thread (each object waits for the last: round-trip
          latency), by CTL_THREADS threads at once (throughput), by
          one thread with it and vpcd on one CPU, and by one thread
          with neither libvpc nor vpcd looking for the next message
          before sleeping (VPC_SPIN_US=0, vpcd -P 0); and
          vpcctl apply of a 1,000-guest topology (vmnic, port, ARP and
          forwarding entry per guest, 10 tenants), then its no-op re-apply
          (the whole vpcctl process), from JSON and from YAML.

CPU: for the vpcd path, the user+system time of both vpcd processes
(/proc/<pid>/stat) during the iperf3 run; for both paths, the time all
CPUs spent in softirq (/proc/stat) during it, which is where the kernel
path forwards (and where both paths receive from the veths).  The kernel
path's forwarding done in the sending process's system calls is not
separable and is not counted.  Each is given in CPU-seconds per second.

Every figure is the median of RUNS runs with min and max.  Results go to
build/bench/bench-<date>.json and latest.json, with a chart (SVG) next to
them; nothing is estimated and no target is asserted.  Exit status 1 if a
path failed to carry traffic.
"""

import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(REPO, "test", "lib"))
sys.path.insert(0, os.path.join(REPO, "bench"))

from netns import Lab, iperf3  # noqa: E402
from topo import Topology, vpcd_path  # noqa: E402
import bench_chart  # noqa: E402

RUNS = 3
CTL_THREADS = 4         # concurrent ctl-bench clients
BURSTS = "1,32"          # frames per core call: one, and a burst
GUESTS = 1000           # guests of the re-apply topology
SECONDS = 5
UDP_SECONDS = 3
PINGS = 50
CLK_TCK = os.sysconf("SC_CLK_TCK")
BIN = os.path.join(REPO, "build", "rel", "bin")
OUT = os.path.join(REPO, "build", "bench")


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
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    return {"nproc": os.cpu_count(), "cpu": model, "mem_mib": mem,
            "kernel": platform.release(), "machine": platform.machine(),
            "loadavg_start": os.getloadavg()[0]}


def summary(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"median": statistics.median(vals), "min": min(vals),
            "max": max(vals), "runs": vals}


# CPU accounting ---------------------------------------------------------------
def proc_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])      # utime + stime


def sys_ticks():
    """(softirq, busy, total) ticks of all CPUs."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return v[6], sum(v[:8]) - idle, sum(v[:8])


class CpuMeter:
    """CPU-seconds per second of the given pids and of softirq."""

    def __init__(self, pids):
        self.pids = pids

    def __enter__(self):
        self.t0 = time.monotonic()
        self.p0 = sum(proc_ticks(p) for p in self.pids)
        self.s0 = sys_ticks()
        return self

    def __exit__(self, *a):
        dt = time.monotonic() - self.t0
        p = sum(proc_ticks(p) for p in self.pids) - self.p0
        s = [b - a for a, b in zip(self.s0, sys_ticks())]
        self.result = {
            "vpcd_cpu": (p / CLK_TCK / dt) if self.pids else None,
            "softirq_cpu": s[0] / CLK_TCK / dt,
            "busy_cpu": s[1] / CLK_TCK / dt}
        return False


# e2e --------------------------------------------------------------------------
def build(lab, kind):
    t = Topology(lab)
    add = t.add_vpcd_host if kind == "vpcd" else t.add_kernel_host
    h1, h2 = add("h1"), add("h2")
    t.add_tenant("A", 100)
    g1 = t.add_guest("A", h1, "192.0.2.1")
    g2 = t.add_guest("A", h2, "192.0.2.2")
    t.build()
    got, out = g1.ns.ping(g2.ip, count=3)
    if got == 0:
        raise RuntimeError("%s path: ping fails\n%s" % (kind, out))
    pids = [h.proc.pid for h in t.vpcd_hosts()]
    return t, g1, g2, pids


def udp_pps(res):
    s = res["end"]["sum"]
    got = s["packets"] - s.get("lost_packets", 0)
    return got / s["seconds"]


def one_round(kind, g1, g2, pids, port):
    """One measurement of every e2e figure on one path."""
    r = {}
    # Idle RTT first: the floods below leave queues behind them.
    p = g1.ns.run(["ping", "-n", "-q", "-c", str(PINGS), "-i", "0.01",
                   "-W", "1", g2.ip], check=False, timeout=60)
    m = re.search(r"= [\d.]+/([\d.]+)/[\d.]+/", p.stdout)
    r["ping_rtt_ms"] = float(m.group(1)) if m else None
    for name, streams in (("tcp1", 1), ("tcp8", 8)):
        with CpuMeter(pids) as cm:
            res = iperf3(g2.ns, g1.ns, g2.ip, port=port, seconds=SECONDS,
                         streams=streams)
        end = res["end"]
        gbps = float(end["sum_received"]["bits_per_second"]) / 1e9
        r[name + "_gbit_s"] = gbps
        r[name + "_retransmits"] = end.get("sum_sent", {}).get(
            "retransmits")
        r[name + "_cpu"] = cm.result
        own = (cm.result["vpcd_cpu"] or 0) + cm.result["softirq_cpu"]
        r[name + "_cpu_per_gbit"] = own / gbps if gbps else None
    for size in (64, 1400):
        with CpuMeter(pids) as cm:
            res = iperf3(g2.ns, g1.ns, g2.ip, port=port,
                         seconds=UDP_SECONDS, udp=True,
                         extra=["-b", "0", "-l", str(size)])
        r["udp%d_pps" % size] = udp_pps(res)
        r["udp%d_cpu" % size] = cm.result
    print("  %-6s TCP %6.2f Gbit/s, 8x %6.2f Gbit/s, UDP64 %7.0f pps, "
          "UDP1400 %7.0f pps, RTT %s ms, CPU/Gbit %.3f" % (
              kind, r["tcp1_gbit_s"], r["tcp8_gbit_s"], r["udp64_pps"],
              r["udp1400_pps"], r["ping_rtt_ms"],
              r["tcp1_cpu_per_gbit"] or 0), flush=True)
    return r


E2E_KEYS = ["tcp1_gbit_s", "tcp8_gbit_s", "udp64_pps", "udp1400_pps",
            "ping_rtt_ms", "tcp1_cpu_per_gbit", "tcp8_cpu_per_gbit"]


def e2e():
    rounds = {"vpcd": [], "kernel": []}
    with Lab("benchv") as labv, Lab("benchk") as labk:
        tv, v1, v2, vpids = build(labv, "vpcd")
        tk, k1, k2, _ = build(labk, "kernel")
        with tv, tk:
            port = 5201
            for i in range(RUNS):
                print(" round %d/%d" % (i + 1, RUNS), flush=True)
                for kind, g1, g2, pids in (("vpcd", v1, v2, vpids),
                                           ("kernel", k1, k2, [])):
                    rounds[kind].append(one_round(kind, g1, g2, pids,
                                                  port))
                    port += 1
            counters = {h.role: {k: str(v) for k, v in
                                 h.counters().items()}
                        for h in tv.vpcd_hosts()}
    out = {"rounds": rounds, "vpcd_counters": counters, "paths": {}}
    for kind in rounds:
        out["paths"][kind] = {k: summary([r[k] for r in rounds[kind]])
                              for k in E2E_KEYS}
        for k in ("tcp1_cpu", "tcp8_cpu"):
            for part in ("vpcd_cpu", "softirq_cpu", "busy_cpu"):
                out["paths"][kind]["%s_%s" % (k, part)] = summary(
                    [r[k][part] for r in rounds[kind]])
    out["ratio"] = {}
    for k in E2E_KEYS:
        v, kk = out["paths"]["vpcd"][k], out["paths"]["kernel"][k]
        if v and kk and kk["median"]:
            out["ratio"][k] = v["median"] / kk["median"]
    return out


# core and control ---------------------------------------------------------------
def make_progs():
    subprocess.run(["make", "--no-print-directory", "-f", "Makefile", "-f",
                    "bench/bench.mk", "bench-progs"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)


def core():
    res = {}
    p = subprocess.run([os.path.join(BIN, "core-bench"), "-r", str(RUNS),
                        "-n", "2000000", "-b", BURSTS],
                       stdout=subprocess.PIPE, text=True, check=True,
                       timeout=900)
    for line in p.stdout.splitlines():
        d = json.loads(line)
        if d["kind"] != "core":
            continue
        key = "%s/%d/%d/b%d" % (d["case"], d["frame"], d["entries"],
                                d["burst"])
        e = res.setdefault(key, {"case": d["case"], "frame": d["frame"],
                                 "entries": d["entries"],
                                 "burst": d["burst"], "mpps": [],
                                 "ns_per_pkt": [], "prep_ns": [],
                                 "allocs_per_pkt": []})
        e["mpps"].append(d["packets"] / d["seconds"] / 1e6)
        e["ns_per_pkt"].append(d["seconds"] / d["packets"] * 1e9)
        e["prep_ns"].append(d["prep_seconds"] / d["packets"] * 1e9)
        e["allocs_per_pkt"].append(d["allocs"] / d["packets"])
    # Time per packet against 1k entries, repeat by repeat: core-bench
    # measures every size in each repeat, one after the other.
    for e in res.values():
        base = res.get("%s/%d/1000/b%d" % (e["case"], e["frame"],
                                           e["burst"]))
        if base is not None and e["entries"] != 1000:
            e["vs_1k"] = summary([a / b for a, b in
                                  zip(e["ns_per_pkt"],
                                      base["ns_per_pkt"])])
    for e in res.values():
        for k in ("mpps", "ns_per_pkt", "prep_ns", "allocs_per_pkt"):
            e[k] = summary(e[k])
    return res


def mem_floor():
    """mem-floor's ns per frame, {pattern: {entries: summary}}."""
    p = subprocess.run([os.path.join(BIN, "mem-floor"), "-r", str(RUNS)],
                       stdout=subprocess.PIPE, text=True, check=True,
                       timeout=300)
    res = {}
    for line in p.stdout.splitlines():
        d = json.loads(line)
        res.setdefault(d["pattern"], {}).setdefault(
            str(d["entries"]), []).append(d["seconds"] / d["frames"] * 1e9)
    return {pat: {n: summary(v) for n, v in by_n.items()}
            for pat, by_n in res.items()}


def callgrind(res):
    """Instructions per packet under callgrind, into 'res'."""
    import glob
    import shutil
    import tempfile
    if not shutil.which("valgrind"):
        return "valgrind not installed"
    d = tempfile.mkdtemp(prefix="vpc-cg.")
    npkt = 100000
    try:
        subprocess.run(["valgrind", "--tool=callgrind",
                        "--collect-atstart=no",
                        "--callgrind-out-file=%s/cg.%%p" % d,
                        os.path.join(BIN, "core-bench"), "-c", "-n",
                        str(npkt), "-b", BURSTS],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True, timeout=1200)
        counts = {}
        for f in glob.glob(os.path.join(d, "cg.*")):
            with open(f) as fh:
                txt = fh.read(1 << 16)
            m = re.search(r"Client Request: (\S+)", txt)
            s = re.search(r"^summary: (\d+)", txt, re.M)
            if m and s:
                counts[m.group(1)] = int(s.group(1))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    for key, e in res.items():
        name = "%s-%d-%d-b%d" % (e["case"], e["frame"], e["entries"],
                                 e["burst"])
        if name in counts:
            e["instr_per_pkt"] = counts[name] / npkt
            e["prep_instr_per_pkt"] = counts.get("prep-" + name, 0) / npkt
    return None


def guests_topology(n, tenants=10):
    """A vpcctl topology of 'n' guests on one host: per guest a vmnic, a
    port on its tenant's switch, an ARP proxy entry and a forwarding entry
    for a remote guest; per tenant a switch and an uplink port."""
    import uuid

    def uid(*k):
        return str(uuid.uuid5(uuid.NAMESPACE_OID,
                              "vpc-bench-" + "-".join(map(str, k))))

    def mac(h, i):
        return "02:%02x:00:00:%02x:%02x" % (h, i >> 8, i & 255)
    topo = {"version": 1, "host": "h1",
            "vpclinks": [{"name": "underlay", "id": uid("vl"),
                          "local": "198.51.100.1", "port": 4789,
                          "fwd": [{"vni": 1000 + i % tenants,
                                   "mac": mac(2, i),
                                   "remote": "198.51.100.%d" % (2 + i % 50)}
                                  for i in range(n)]}],
            "nics": [{"name": "g%d" % i, "id": uid("nic", i),
                      "type": "vmnic", "mtu": 1450, "mac": mac(1, i)}
                     for i in range(n)],
            "switches": []}
    for t in range(tenants):
        mine = range(t, n, tenants)
        topo["switches"].append({
            "name": "t%d" % t, "id": uid("sw", t), "mode": "programmed",
            "arp": [{"vni": 1000 + t, "ip": "192.0.2.%d" % (1 + i // tenants),
                     "mac": mac(2, i)} for i in mine],
            "ports": [{"name": "up%d" % t, "id": uid("up", t),
                       "vni": 1000 + t, "peer": "underlay"}] +
            [{"name": "p%d" % i, "id": uid("port", i), "vni": 1000 + t,
              "peer": "g%d" % i} for i in mine]})
    return topo


def vpcctl_apply(sock, path):
    """Seconds of one `vpcctl apply -f path` against the vpcd at 'sock'
    (the process, start to end) and its JSON result."""
    env = dict(os.environ, VPC_SOCKET=sock)
    t0 = time.monotonic()
    p = subprocess.run(["node", os.path.join(REPO, "ts", "bin", "vpcctl.js"),
                        "apply", "-f", path, "--json"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=600)
    t = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError("vpcctl apply -f %s: exit %d: %s" % (
            path, p.returncode, p.stderr.strip()))
    return t, json.loads(p.stdout)


def control():
    with Lab("benchc") as lab:
        ns = lab.netns("h1")
        sock = lab.path("ctl.sock")
        proc = ns.spawn([vpcd_path(), "-s", sock], "ctl.vpcd")
        why = proc.wait_unix_socket(sock)
        if why is not None:
            raise RuntimeError("vpcd " + why)
        env = dict(os.environ, VPC_SOCKET=sock)
        runs, conc, pinned = [], [], []
        for i in range(RUNS):
            for jobs, out in ((1, runs), (CTL_THREADS, conc)):
                p = subprocess.run([os.path.join(BIN, "ctl-bench"), "-j",
                                    str(jobs), "10000"],
                                   stdout=subprocess.PIPE, text=True,
                                   env=env, check=True, timeout=300)
                out.append(json.loads(p.stdout))
        # Again with ctl-bench and vpcd on one CPU: each object is several
        # request/reply round trips, and a wakeup on the other CPU costs
        # tens of microseconds on a VM (the host's IPI), not on one CPU.
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(proc.pid, {cpu})
        try:
            for i in range(RUNS):
                p = subprocess.run(["taskset", "-c", str(cpu),
                                    os.path.join(BIN, "ctl-bench"), "-j",
                                    "1", "10000"],
                                   stdout=subprocess.PIPE, text=True,
                                   env=env, check=True, timeout=300)
                pinned.append(json.loads(p.stdout))
        finally:
            os.sched_setaffinity(proc.pid, os.sched_getaffinity(0))
        # And without either side looking for the next message before it
        # sleeps (vpcd -P 0, VPC_SPIN_US=0): what that looking saves.
        sock0 = lab.path("ctl0.sock")
        proc0 = ns.spawn([vpcd_path(), "-P", "0", "-s", sock0], "ctl0.vpcd")
        why = proc0.wait_unix_socket(sock0)
        if why is not None:
            raise RuntimeError("vpcd -P 0 " + why)
        env0 = dict(os.environ, VPC_SOCKET=sock0, VPC_SPIN_US="0")
        sleepy = []
        for i in range(RUNS):
            p = subprocess.run([os.path.join(BIN, "ctl-bench"), "-j", "1",
                                "10000"], stdout=subprocess.PIPE, text=True,
                               env=env0, check=True, timeout=300)
            sleepy.append(json.loads(p.stdout))
        proc0.stop()
        # The re-apply of a 1,000-guest topology, JSON and YAML; the
        # vpclink binds the host's underlay address.
        ns.link_up("lo")
        ns.ip("addr", "add", "198.51.100.1/24", "dev", "lo")
        topo = guests_topology(GUESTS)
        paths = {"json": lab.path("guests.json"),
                 "yaml": lab.path("guests.yaml")}
        with open(paths["json"], "w") as f:
            json.dump(topo, f)
        with open(paths["yaml"], "w") as f:
            yaml.safe_dump(topo, f, default_flow_style=False,
                           sort_keys=False)
        first, r = vpcctl_apply(sock, paths["json"])
        made = r["changes"]
        noop = {"json": [], "yaml": []}
        for i in range(RUNS):
            for fmt_ in ("json", "yaml"):
                t, r = vpcctl_apply(sock, paths[fmt_])
                if r["changes"] != 0:
                    raise RuntimeError("re-apply made %d changes" %
                                       r["changes"])
                noop[fmt_].append(t)
        objects = len(r["unchanged"])
    n = runs[0]["objects"]
    return {"objects": n,
            "create_per_s": summary([n / r["create_seconds"]
                                     for r in runs]),
            "create_seconds": summary([r["create_seconds"] for r in runs]),
            "destroy_per_s": summary([n / r["destroy_seconds"]
                                      for r in runs]),
            "threads": CTL_THREADS,
            "create_seconds_threads": summary([r["create_seconds"]
                                               for r in conc]),
            "create_per_s_threads": summary([n / r["create_seconds"]
                                             for r in conc]),
            "create_seconds_one_cpu": summary([r["create_seconds"]
                                               for r in pinned]),
            "create_seconds_no_spin": summary([r["create_seconds"]
                                               for r in sleepy]),
            "reapply": {"guests": GUESTS, "objects": objects,
                        "first_apply_changes": made,
                        "first_apply_seconds": first,
                        "noop_json_seconds": summary(noop["json"]),
                        "noop_yaml_seconds": summary(noop["yaml"])}}


def fmt(s, f="%.2f"):
    if s is None:
        return "n/a"
    return (f + " [" + f + " .. " + f + "]") % (s["median"], s["min"],
                                               s["max"])


def main():
    if os.geteuid() != 0:
        print("bench: needs root (network namespaces)", file=sys.stderr)
        return 2
    t_start = time.monotonic()
    now = datetime.datetime.now().astimezone()
    m = machine()
    print("vpc bench   %s" % now.isoformat(timespec="seconds"))
    print("  machine: %d CPUs, %s, %d MiB, Linux %s, load average %.2f" %
          (m["nproc"], m["cpu"], m["mem_mib"], m["kernel"],
           m["loadavg_start"]))
    make_progs()
    result = {"date": now.isoformat(timespec="seconds"), "machine": m,
              "settings": {"runs": RUNS, "tcp_seconds": SECONDS,
                           "udp_seconds": UDP_SECONDS, "pings": PINGS,
                           "vni": 100, "underlay": "IPv4 veth, MTU 1500",
                           "guest_mtu": 1450},
              "vpcd_binary": os.path.relpath(vpcd_path(), REPO)}
    rc = 0
    print("\ne2e: vpcd and kernel bridge+vxlan, alternating, %d rounds" %
          RUNS, flush=True)
    try:
        result["e2e"] = e2e()
    except Exception as e:
        print("  e2e FAILED: %s" % e)
        result["e2e"] = {"error": str(e)}
        rc = 1
    print("\ncore in memory (core-bench)", flush=True)
    result["core"] = core()
    err = callgrind(result["core"])
    if err:
        result["core_callgrind"] = err
    result["mem_floor"] = mem_floor()
    print("\ncontrol (ctl-bench, 10,000 objects)", flush=True)
    try:
        result["control"] = control()
    except Exception as e:
        print("  control FAILED: %s" % e)
        result["control"] = {"error": str(e)}
        rc = 1
    m["loadavg_end"] = os.getloadavg()[0]
    result["seconds"] = time.monotonic() - t_start
    report(result)
    os.makedirs(OUT, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    path = os.path.join(OUT, "bench-%s.json" % stamp)
    for f in (path, os.path.join(OUT, "latest.json")):
        with open(f, "w") as fh:
            json.dump(result, fh, indent=1)
            fh.write("\n")
    svg = bench_chart.write(result, os.path.join(OUT, "bench-%s.svg" %
                                                 stamp))
    bench_chart.write(result, os.path.join(OUT, "latest.svg"))
    print("\nwritten: %s, %s (%.0f s)" % (os.path.relpath(path, REPO),
                                          os.path.relpath(svg, REPO),
                                          result["seconds"]))
    return rc


def report(r):
    print("\nResults: median [min .. max] of %d runs" % RUNS)
    e = r.get("e2e", {})
    if "paths" in e:
        names = [("tcp1_gbit_s", "TCP 1 stream, Gbit/s", "%.2f"),
                 ("tcp8_gbit_s", "TCP 8 streams, Gbit/s", "%.2f"),
                 ("udp64_pps", "UDP 64 B, pps received", "%.0f"),
                 ("udp1400_pps", "UDP 1400 B, pps received", "%.0f"),
                 ("ping_rtt_ms", "ping RTT, ms", "%.3f"),
                 ("tcp1_cpu_per_gbit", "TCP 1: CPU-s/s per Gbit/s", "%.3f"),
                 ("tcp8_cpu_per_gbit", "TCP 8: CPU-s/s per Gbit/s", "%.3f")]
        print("  %-28s %-30s %-30s %s" % ("e2e", "vpcd", "kernel",
                                          "vpcd/kernel"))
        for k, label, f in names:
            v, kk = e["paths"]["vpcd"][k], e["paths"]["kernel"][k]
            ratio = e["ratio"].get(k)
            print("  %-28s %-30s %-30s %s" % (
                label, fmt(v, f), fmt(kk, f),
                "%.2f" % ratio if ratio is not None else "n/a"))
        for k in ("tcp1", "tcp8"):
            p = e["paths"]
            print("  %s CPU-s/s: vpcd daemons %s, softirq (vpcd path) %s, "
                  "softirq (kernel path) %s" % (
                      k, fmt(p["vpcd"][k + "_cpu_vpcd_cpu"]),
                      fmt(p["vpcd"][k + "_cpu_softirq_cpu"]),
                      fmt(p["kernel"][k + "_cpu_softirq_cpu"])))
    print("  %-8s %6s %8s %5s  %-26s %-10s %-10s %s" % (
        "core", "frame", "entries", "burst", "Mpps (1 core)", "instr/pkt",
        "prep/pkt", "allocs/pkt"))
    for key, c in r["core"].items():
        print("  %-8s %6d %8d %5d  %-26s %-10s %-10s %s" % (
            c["case"], c["frame"], c["entries"], c["burst"],
            fmt(c["mpps"]),
            "%.0f" % c["instr_per_pkt"] if "instr_per_pkt" in c else "n/a",
            "%.0f" % c["prep_instr_per_pkt"] if "instr_per_pkt" in c
            else "n/a", "%g" % c["allocs_per_pkt"]["max"]))
    print("  core: time per packet against 1k entries, repeat by repeat "
          "(target: 1M at most 1.5x)")
    for key, c in r["core"].items():
        if "vs_1k" in c:
            print("  %-8s %6d %8d %5d  %s" % (
                c["case"], c["frame"], c["entries"], c["burst"],
                fmt(c["vs_1k"], "%.2f")))
    f = r.get("mem_floor")
    if f:
        print("  mem-floor: the burst path's table accesses alone (no "
              "core), ns per frame")
        for pat in ("encap", "line"):
            if pat in f:
                print("    %-7s 1k %-24s 1M %s" % (
                    pat, fmt(f[pat]["1000"], "%.1f"),
                    fmt(f[pat]["1000000"], "%.1f")))
    c = r.get("control", {})
    if "create_per_s" in c:
        print("  control: %d objects created in %s s (%s objects/s); "
              "destroyed at %s objects/s" % (
                  c["objects"], fmt(c["create_seconds"], "%.3f"),
                  fmt(c["create_per_s"], "%.0f"),
                  fmt(c["destroy_per_s"], "%.0f")))
        print("  control: the same by %d client threads at once: %s s "
              "(%s objects/s)" % (c["threads"],
                                  fmt(c["create_seconds_threads"], "%.3f"),
                                  fmt(c["create_per_s_threads"], "%.0f")))
        print("  control: one thread, with ctl-bench and vpcd on one CPU: "
              "%s s" % fmt(c["create_seconds_one_cpu"], "%.3f"))
        if "create_seconds_no_spin" in c:
            print("  control: one thread, neither side looking for the "
                  "next message before sleeping (vpcd -P 0, "
                  "VPC_SPIN_US=0): %s s" % fmt(c["create_seconds_no_spin"],
                                               "%.3f"))
    a = c.get("reapply")
    if a:
        print("  control: vpcctl apply of %d guests (%d objects): first "
              "%.2f s (%d changes); no-op re-apply %s s (JSON), %s s "
              "(YAML)" % (a["guests"], a["objects"],
                          a["first_apply_seconds"],
                          a["first_apply_changes"],
                          fmt(a["noop_json_seconds"]),
                          fmt(a["noop_yaml_seconds"])))


if __name__ == "__main__":
    sys.exit(main())
