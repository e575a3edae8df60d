"""(restart) vpcd restarts without losing committed state or guest traffic.

Topology (a) in programmed mode, every vpcd with its own state directory
(-S, in the test's scratch directory).  On h1 a thread applies a large
configuration through libvpc (new committed switches with ARP entries,
committed ports added to them, forwarding and ARP entries on existing
objects, deletions, port removals and DESTROYs: several thousand requests)
while guest A@h1 pings A@h2 every 10 ms.  At a random point of the apply,
h1's vpcd gets SIGKILL and is started again with the same state directory.

Proves:
 (a) nothing is torn or lost: a full dump of h1 through list/get ops
     equals the model of the committed state after every acknowledged
     request, or after those plus the one in flight when vpcd died (it
     may or may not have been applied), and the dump taken before the
     apply agrees with the model's start;
 (b) the vpci TAPs survived (same ifindex inside the guests) and guest
     traffic resumed within 1 s of the restart (measured from starting
     vpcd to the first ping reply; printed);
 (c) a torn journal batch (garbage appended) is detected and reported in
     the log, and the state before it is restored;
 (d) after SIGTERM (clean stop) and a start, the same state comes back
     and the guests still talk;
 (e) a setting a start cannot replay (its address is not there yet) is
     kept, and comes back at the next start;
 (f) a hostile snapshot record is skipped, not read past its end.
"""

import os
import random
import re
import signal
import struct
import threading
import time
import uuid
import zlib

import pytest

import rights_util as ru
import topo
import vpc
from topo import two_tenant_topology

TYPES = (vpc.TYPE_SWITCH, vpc.TYPE_PORT, vpc.TYPE_VPCLINK, vpc.TYPE_VMNIC,
         vpc.TYPE_ETHLINK, vpc.TYPE_VPCI)
VNIS = (100, 200, 300)


def _spawn(h, n):
    """Start vpcd for host 'h' with its state directory (run number n)."""
    env = dict(os.environ)
    env.pop("VPC_SOCKET", None)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    t0 = time.time()
    h.proc = h.ns.spawn([h.topo.vpcd, "-s", h.sock, "-S", h.state_dir],
                        "%s.vpcd.%d" % (h.role, n), env=env)
    h._wait_socket(timeout=15)
    h.h = vpc.Handle(h.sock)
    return t0


def _start_with_state(h):
    """VpcdHost.start() with -S: start vpcd, create the vpclink."""
    h.state_dir = h.topo.lab.path("%s.state" % h.role)
    h.runs = 1
    _spawn(h, 1)
    h.link = h.h.create(uuid.uuid4(), vpc.TYPE_VPCLINK)
    h.link.local_set(str(h.underlay_ip), h.link_port)
    h.link.commit()
    h.mtu = h.link.mtu()


def _restart(h, sig):
    """Stop h's vpcd with 'sig', start it again; returns the start time."""
    rc = h.proc.stop(sig, timeout=15)
    if sig == signal.SIGTERM:
        assert rc == 0, "vpcd exit status %s on SIGTERM" % rc
    try:
        h.h.close()
    except Exception:
        pass
    h.runs += 1
    return _spawn(h, h.runs)


def _mac_of(u):
    """The default MAC of object id 'u' (UUID node, unicast, local)."""
    b = bytearray(u.bytes[10:16])
    b[0] = (b[0] & ~1) | 2
    return ":".join("%02x" % x for x in b)


def _peer(o):
    try:
        return o.peer()
    except vpc.VpcError:
        return None


def _dump_obj(o, t):
    d = {"type": t}
    if t != vpc.TYPE_PORT:
        d["mac"] = o.mac()
    if t in (vpc.TYPE_SWITCH, vpc.TYPE_VPCI, vpc.TYPE_VMNIC,
             vpc.TYPE_ETHLINK):
        d["mtu"] = o.mtu()
    if t == vpc.TYPE_SWITCH:
        d["mode"] = o.mode()
        d["arp"] = frozenset((v, str(ip), m) for v, ip, m in o.arp_list())
        d["ports"] = frozenset(o.port_list())
        d["flood"] = frozenset((v, tuple(sorted(str(a) for a in
                                                o.flood_get(v))))
                               for v in VNIS if o.flood_get(v))
    elif t == vpc.TYPE_PORT:
        d["vni"] = o.vni()
        d["vlan"] = o.vlan()
        d["peer"] = _peer(o)
    elif t == vpc.TYPE_VPCLINK:
        addr, port = o.local_get()
        d["local"] = (str(addr), port)
        d["fwd"] = frozenset((v, m, str(r)) for v, m, f, r in o.fwd_list()
                             if f == 0)
    if t in (vpc.TYPE_VPCI, vpc.TYPE_VMNIC):
        d["ifname"] = o.ifname()
    d["committed"] = o.committed()
    return d


def dump(handle):
    """{id: settings} of every object vpcd has, through list/get ops."""
    m = handle.mgmt()
    out = {}
    for t in TYPES:
        for oid in m.mgmt_list(t):
            o = handle.open(oid, t, vpc.F_OPEN | vpc.F_READ)
            try:
                out[oid] = _dump_obj(o, t)
            finally:
                o.close()
    m.close()
    return out


class Apply:
    """A large apply: a list of (description, action, model update)."""

    def __init__(self, h, sw_a, link, n):
        self.h = h
        self.steps = []
        self.done = 0           # acknowledged steps
        self.inflight = None    # index of the step that failed
        self.error = None
        self.stop = threading.Event()
        self._build(sw_a, link, n)

    def _build(self, sw_a, link, n):
        st = self.steps
        cur = {}

        def step(desc, fn, upd=None):
            st.append((desc, fn, upd))

        for i in range(n):
            mac = "02:5e:%02x:%02x:%02x:01" % (i >> 16 & 255, i >> 8 & 255,
                                                 i & 255)
            ip = "192.0.2.%d" % (10 + i % 240)
            kind = i % 4
            if kind == 0:
                xid = uuid.uuid4()

                def mk(xid=xid):
                    cur["x"] = self.h.create(xid, vpc.TYPE_SWITCH)
                step("create switch %s" % xid, mk)
                step("mode", lambda: cur["x"].mode_set(
                    vpc.SW_MODE_LEARNING))
                step("arp", lambda ip=ip, mac=mac: cur["x"].arp_add(
                    300, ip, mac))

                def commit_x(m, xid=xid, ip=ip, mac=mac):
                    m[xid] = {"type": vpc.TYPE_SWITCH, "mac": _mac_of(xid),
                              "mtu": 1500, "mode": vpc.SW_MODE_LEARNING,
                              "arp": frozenset({(300, ip, mac)}),
                              "ports": frozenset(), "flood": frozenset(),
                              "committed": True}
                step("commit switch %s" % xid, lambda: cur["x"].commit(),
                     commit_x)
                cur["xid"] = xid
            elif kind == 1:
                pid = uuid.uuid4()
                xid = cur["xid"]

                def mkp(pid=pid):
                    cur["p"] = self.h.create(pid, vpc.TYPE_PORT)
                step("create port %s" % pid, mkp)
                step("vni", lambda: cur["p"].vni_set(300))

                def commit_p(m, pid=pid):
                    m[pid] = {"type": vpc.TYPE_PORT, "vni": 300, "vlan": 0,
                              "peer": None, "committed": True}
                step("commit port %s" % pid, lambda: cur["p"].commit(),
                     commit_p)

                def add_p(m, pid=pid, xid=xid):
                    m[xid] = dict(m[xid], ports=m[xid]["ports"] | {pid})
                step("port_add %s" % pid,
                     lambda pid=pid: cur["x"].port_add(pid), add_p)
                if i % 12 == 5:
                    # take it out again and destroy it
                    def del_p(m, pid=pid, xid=xid):
                        m[xid] = dict(m[xid], ports=m[xid]["ports"] - {pid})
                    step("port_del %s" % pid,
                         lambda pid=pid: cur["x"].port_del(pid), del_p)

                    def gone(m, pid=pid):
                        del m[pid]
                    step("destroy port %s" % pid,
                         lambda: cur["p"].destroy(), gone)
                step("close port", lambda: cur["p"].close())
                step("close switch", lambda: cur["x"].close())
            elif kind == 2:
                lid = link.id

                def fwd(m, lid=lid, mac=mac):
                    m[lid] = dict(m[lid], fwd=m[lid]["fwd"] | {
                        (100, mac, "198.51.100.2")})
                step("fwd_set %s" % mac, lambda mac=mac: link.fwd_set(
                    100, mac, "198.51.100.2"), fwd)
                if i % 10 == 6:
                    old = "02:5e:%02x:%02x:%02x:01" % (
                        (i - 4) >> 16 & 255, (i - 4) >> 8 & 255,
                        (i - 4) & 255)

                    def unfwd(m, lid=lid, old=old):
                        m[lid] = dict(m[lid], fwd=m[lid]["fwd"] - {
                            (100, old, "198.51.100.2")})
                    step("fwd_del %s" % old, lambda old=old: link.fwd_del(
                        100, old), unfwd)
            else:
                sid = sw_a.id
                aip = "198.18.%d.%d" % (i >> 8 & 255, i & 255)

                def arp(m, sid=sid, aip=aip, mac=mac):
                    m[sid] = dict(m[sid], arp=m[sid]["arp"] | {
                        (200, aip, mac)})
                step("arp_add %s" % aip, lambda aip=aip, mac=mac:
                     sw_a.arp_add(200, aip, mac), arp)

    def run(self):
        for i, (desc, fn, _) in enumerate(self.steps):
            if self.stop.is_set():
                return
            try:
                fn()
            except Exception as e:
                self.inflight = i
                self.error = e
                return
            self.done = i + 1

    def model(self, start, k):
        m = dict(start)
        for _, _, upd in self.steps[:k]:
            if upd is not None:
                upd(m)
        return m


def _diff(a, b):
    out = []
    for k in sorted(set(a) | set(b), key=str):
        if a.get(k) != b.get(k):
            out.append("%s:\n  got  %r\n  want %r" % (k, a.get(k), b.get(k)))
    return "\n".join(out[:10])


def _ifindex(g):
    out = g.ns.ip("-o", "link", "show", g.ifname).stdout
    return int(out.split(":")[0])


def _ping_gap(log, t0):
    """Seconds from 't0' (epoch) to the first reply after it, from the
    output of ping -D; and the replies before and after."""
    times = [float(m.group(1)) for m in
             re.finditer(r"^\[(\d+\.\d+)\] \d+ bytes from", log, re.M)]
    before = [x for x in times if x < t0]
    after = [x for x in times if x >= t0]
    return (after[0] - t0 if after else None), len(before), len(after)


@pytest.mark.sanitizer
def test_restart_sigkill_mid_apply(lab):
    t = two_tenant_topology(lab)
    for h in t.hosts:
        h.start = _start_with_state.__get__(h)
    with t:
        t.build()
        h1 = t.hosts[0]
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        got, out = a1.ns.ping(a2.ip, count=2)
        assert got == 2, out
        idx_before = {g.name: _ifindex(g) for g in t.guests}

        start = dump(h1.h)
        assert len(start) == 9, start      # link, 2 x (switch, uplink,
        # guest port, vpci)
        sw_a = h1.switches["A"]
        w = vpc.Handle(h1.sock)
        ap = Apply(w, sw_a, h1.link, 1500)
        n = len(ap.steps)
        assert n > 3000, n

        ping = a1.ns.spawn(["ping", "-n", "-D", "-i", "0.01", "-W", "1",
                            a2.ip], "ping-restart")
        time.sleep(0.3)
        target = random.randint(n // 5, 4 * n // 5)
        th = threading.Thread(target=ap.run, daemon=True)
        t_apply = time.monotonic()
        th.start()
        while ap.done < target and th.is_alive():
            time.sleep(0.001)
        rate = ap.done / (time.monotonic() - t_apply)
        assert th.is_alive(), "apply ended early: %r" % ap.error
        t_kill = time.time()
        h1.proc.stop(signal.SIGKILL)
        th.join(10)
        assert not th.is_alive()
        assert ap.inflight is not None, "apply did not notice the kill"
        print("\napply: %d requests acknowledged at %.0f/s when vpcd got "
              "SIGKILL; request %d (%s) in flight" %
              (ap.done, rate, ap.inflight, ap.steps[ap.inflight][0]))
        w.close()

        t0 = _restart(h1, signal.SIGKILL)
        restarted = time.time()
        got_state = dump(h1.h)
        # (a) the old or the new state of the request in flight, no other
        want_old = ap.model(start, ap.done)
        want_new = ap.model(start, ap.done + 1)
        assert got_state in (want_old, want_new), (
            "restored state is neither before nor after request %d (%s):\n"
            "%s" % (ap.inflight, ap.steps[ap.inflight][0],
                    _diff(got_state, want_old)))
        assert any(d["type"] == vpc.TYPE_SWITCH and d["mode"] == 2
                   for d in got_state.values()), "no new switch restored"

        # (b) guests kept their interfaces; traffic resumed within 1 s
        time.sleep(max(0.0, 1.5 - (time.time() - restarted)))
        ping.stop(signal.SIGINT)
        gap, nbefore, nafter = _ping_gap(ping.log(), t0)
        assert nbefore > 10, ping.log()[-2000:]
        assert gap is not None, "no ping reply after the restart:\n%s\n%s" % (
            ping.log()[-1500:], h1.log()[-3000:])
        print("traffic resumed %.3f s after vpcd was started again (%.3f s "
              "after SIGKILL); %d replies before, %d after" %
              (gap, gap + t0 - t_kill, nbefore, nafter))
        assert gap < 1.0, "traffic resumed only after %.3f s" % gap
        assert {g.name: _ifindex(g) for g in t.guests} == idx_before
        log = h1.log()
        assert "state: restored" in log, log[-2000:]
        assert "failed) in" in log and " 0 failed)" in log, log[-3000:]
        for g in (a1, t.guest("B", "h1")):
            # found again inside the guest's namespace, not made anew
            assert "vpci %s: TAP found as %s in /run/netns/%s" % (
                g.ifname, g.ifname, g.ns.name) in log, log[-3000:]

        # (c) a torn journal batch is reported; the state before it stays
        sw_a = h1.h.open(sw_a.id, vpc.TYPE_SWITCH)
        sw_a.arp_add(200, "198.19.0.1", "02:5e:ff:ff:ff:01")
        before = dump(h1.h)
        with open(os.path.join(h1.state_dir, "journal"), "ab") as f:
            f.write(b"VPCS" + os.urandom(60))
        _restart(h1, signal.SIGKILL)
        assert dump(h1.h) == before
        assert re.search(r"journal batch at offset \d+ is damaged",
                         h1.log()), h1.log()[-2000:]

        # (d) clean stop and start: same state, guests still talk
        _restart(h1, signal.SIGTERM)
        assert dump(h1.h) == before
        got, out = a1.ns.ping(a2.ip, count=3, interval=0.1)
        assert got == 3, out + h1.log()[-2000:]
        b1, b2 = t.guest("B", "h1"), t.guest("B", "h2")
        got, out = b1.ns.ping(b2.ip, count=3, interval=0.1)
        assert got == 3, out
        assert {g.name: _ifindex(g) for g in t.guests} == idx_before


@pytest.mark.sanitizer
def test_restart_keeps_what_failed_to_restore(lab):
    """(e) A start that cannot replay a committed setting (the vpclink's
    underlay address is not on the host yet, a common boot race) keeps it
    in the state: once the address is back, the next start binds the
    vpclink again.  Before, the start wrote a snapshot of the live
    objects, which lacked the setting, and it was lost for good."""
    with two_tenant_topology(lab) as t:
        h1 = t.hosts[0]
        h1.start = _start_with_state.__get__(h1)
        t.build()
        link_id = h1.link.id
        addr = "%s/24" % h1.underlay_ip
        want = (h1.underlay_ip, h1.link_port)
        assert h1.link.local_get() == want

        h1.ns.ip("addr", "del", addr, "dev", h1.underlay_dev)
        _restart(h1, signal.SIGTERM)
        h1.proc.wait_log(r"state: restoring \S+: \S*LOCAL_SET")
        link = h1.h.open(link_id, vpc.TYPE_VPCLINK)
        assert link.local_get()[1] == 0, "bound without its address?"
        link.close()

        h1.ns.addr_add(h1.underlay_dev, addr)
        _restart(h1, signal.SIGTERM)
        link = h1.h.open(link_id, vpc.TYPE_VPCLINK)
        assert link.local_get() == want, h1.proc.log()[-2000:]
        link.close()
        # and the next start, from a snapshot of the live objects, too
        _restart(h1, signal.SIGTERM)
        h1.link = h1.h.open(link_id, vpc.TYPE_VPCLINK)
        assert h1.link.local_get() == want
        a1, a2 = t.guest("A", "h1"), t.guest("A", "h2")
        assert a1.ns.ping(a2.ip, count=3, wait=2)[0] >= 1


def _state_batch(kind, gen, recs):
    """A state batch as vpcd_state.c writes it: header (magic "VPCS",
    version 1, kind, generation, record count, length, CRC-32), then
    records (id, type, op, input length, pad, input padded to 8)."""
    body = b""
    for oid, otype, op, data, rlen in recs:
        body += struct.pack("<16sIIII", oid.bytes, otype, op, rlen, 0)
        body += data + bytes(-len(data) % 8)
    fmt = "<IHHIIQII"
    hdr = struct.pack(fmt, 0x56504353, 1, kind, gen, len(recs), len(body),
                      0, 0)
    crc = zlib.crc32(hdr + body) & 0xffffffff
    return struct.pack(fmt, 0x56504353, 1, kind, gen, len(recs), len(body),
                       crc, 0) + body


@pytest.mark.sanitizer
def test_restart_hostile_state_records(lab):
    """(f) A snapshot whose CRC is right but whose PORT_CONNECT record is
    cut short (no peer id: the last record of the file) is skipped as not
    understood, and vpcd starts with the rest.  Before, the restore read
    the missing 16-byte id past the end of the file's buffer (ASan:
    heap-buffer-overflow in st_valid)."""
    ns = lab.netns("h1")
    state = lab.path("h1.state")
    os.mkdir(state, 0o700)
    port = uuid.uuid4()
    commit = ru.OP["COMMIT"].word
    connect = ru.OP["PORT_CONNECT"].word
    with open(os.path.join(state, "state"), "wb") as f:
        f.write(_state_batch(1, 5, [(port, vpc.TYPE_PORT, commit, b"", 0),
                                    (port, vpc.TYPE_PORT, connect, b"",
                                     0)]))
    sock = lab.path("h1.sock")
    proc = ns.spawn([topo.vpcd_path(), "-s", sock, "-S", state],
                    "h1.vpcd", env=dict(os.environ, ASAN_OPTIONS=
                                        "detect_leaks=1:abort_on_error=0"))
    why = proc.wait_unix_socket(sock, 15)
    assert why is None, "vpcd %s\n%s" % (why, proc.log()[-3000:])
    proc.wait_log(r"not understood; skipped")
    h = vpc.Handle(sock)
    try:
        o = h.open(port, vpc.TYPE_PORT)
        assert o.committed()
    finally:
        h.close()
    assert proc.stop(signal.SIGTERM, timeout=15) == 0, proc.log()[-3000:]
    assert not topo.SANITIZER_RE.search(proc.log()), proc.log()[-3000:]
