"""Isolation under hostile traffic: a property test over random topologies.

A seed (in the test id and in the line printed per run) decides the
topology: 2 or 3 hosts on one underlay (198.51.100.0/24), a vpcd each;
three tenants A, B, C with distinct VNIs (two of them adjacent, and the
third equal to the first in its low 16 bits: VNIs have 24), each on
2 or more of the hosts, all with the same addresses (the guest on host n
is 192.0.2.n in every tenant); PROGRAMMED or LEARNING mode; one switch per
tenant per host, or one switch per host shared by all its tenants (the
(VNI, MAC)-keyed tables and per-VNI uplinks then carry the isolation).
A guest is a namespace per (tenant, host) on a vpci.

tcpdump runs in EVERY guest from the start (ready when it says it is
listening; at the end its summary must report 0 frames dropped by the
kernel, every frame the guest sent must be in its own capture, and the
capture must hold its tenant's canary pings).  Then four phases, each
followed by the same-tenant ping matrix (valid traffic must keep flowing)
and a liveness check of every vpcd:

  crafted   from every guest (raw frames built with scapy, sent with an
            AF_PACKET socket on the guest's interface): runts and
            zero-length frames, bogus ethertypes, header-only frames,
            another tenant's source MAC and IP, 802.1Q tags, QinQ (88a8
            and 8100x2), short tags, truncated ARP/IPv4/IPv6/L4 headers,
            lying lengths, group source MACs, frames to itself, ARP for
            other tenants' addresses; and frames beyond the MTU (the guest
            raises its interface MTU to send them)
  storm     every guest at once: broadcast UDP, IPv4 multicast, ARP
  underlay  a rogue node with an unknown underlay address sends VXLAN to
            every vpclink: short, I flag clear, inner frame truncated,
            VNIs the host lacks (other tenants' and random), and frames
            in VNIs it has: broadcast, to its guest, to ANOTHER tenant's
            guest MAC, tagged, QinQ, truncated IP, group source
  fuzz      random mutations (truncate, flip, retype, tag, untag,
            replace) of crafted frames

Every frame carries its tenant's marker (MARK + run nonce + letter) when
it has room; every frame sent is also remembered by its exact bytes.

Isolation (from the captures): a frame in a guest of tenant Y is a leak if
it holds the marker of any other tenant (or of no tenant: VNIs nobody
has), or is byte-for-byte a frame sent into another tenant and not into
Y, or has the real MAC of another tenant's guest as its source and is not
a frame sent into Y (Y's own guests may spoof X's MAC, and that frame may
then legitimately reach Y's guests).  There must be no leak.

Drop accounting: a reference model (test/lib/hostile.py, written from the
documented rules) gives each frame sent its fate: dropped on a given
object for a named reason, delivered (PASS), or UNSURE (LEARNING mode,
destination possibly learned).  Counters are read through libvpc from
every object (vpclinks, switches, uplink ports, guest ports, vpcis):
  - for each (object, reason) the model predicts, the counter grows by at
    least that many; for reasons only hostile frames can cause
    (hostile.EXACT_REASONS: eth_short, vlan_short, vlan_stacked,
    vlan_mismatch, src_mac_multicast, *_malformed, mtu_exceeded, vxlan_*)
    by exactly that many, and by 0 on every other object;
  - the sum over all objects of vs_drops_total grows by at least the
    number of frames predicted undeliverable, and on every object
    vs_drops_total equals the sum of its per-reason counters.
Frames the sending kernel refuses (shorter than the 14-byte Ethernet
header: EINVAL) never reach vpcd; they are counted apart and must be the
only refused ones.  If the kernel ever accepted one, the model expects it
counted as eth_short on the vpci.

The vpcds must stay up, and exit 0 on SIGTERM with no sanitizer report
(topo.Topology).  Seeds: FIXED_SEEDS always; VPC_ISO_SEEDS=N adds N random
ones, VPC_ISO_SEED=S runs seed S alone.  test_isolation_quick (marker
sanitizer) is a smaller run that make test repeats under ASan+UBSan.
"""

import collections
import os
import random
import secrets
import time
import uuid

import pytest
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw

import hostile
import topo
import vpc

FIXED_SEEDS = (4242, 39)
QUICK_SEED = 31337
TENANTS = ("A", "B", "C")


# Every reason the model names must be one vpc.h defines.
_MODEL_REASONS = hostile.EXACT_REASONS | {
    "bum_programmed_mode", "arp_proxy_miss", "hairpin", "no_fwd_entry"}
assert _MODEL_REASONS <= set(vpc.DROP), _MODEL_REASONS - set(vpc.DROP)


def _seeds():
    if os.environ.get("VPC_ISO_SEED"):
        return [int(os.environ["VPC_ISO_SEED"])]
    extra = int(os.environ.get("VPC_ISO_SEEDS", "0") or 0)
    return list(FIXED_SEEDS) + [secrets.randbelow(1 << 31)
                                for _ in range(extra)]


class SharedSwitchHost(topo.VpcdHost):
    """A vpcd host with ONE switch for all its tenants: one uplink port
    per VNI on the shared vpclink (topo.VpcdHost makes one per tenant)."""

    shared = None

    def switch(self, tenant):
        if tenant.name in self.switches:
            return self.switches[tenant.name]
        if self.shared is None:
            sw = self.h.create(uuid.uuid4(), vpc.TYPE_SWITCH)
            if self.topo.mode == "learning":
                sw.mode_set(vpc.SW_MODE_LEARNING)
            sw.commit()
            self.shared = sw
        up = self.h.create(uuid.uuid4(), vpc.TYPE_PORT)
        up.vni_set(tenant.vni)
        self.shared.port_add(up.id)
        up.connect(self.link.id)
        up.commit()
        self.switches[tenant.name] = self.shared
        self.uplinks[tenant.name] = up
        return self.shared


class Run:
    """One seed: the topology, its objects, the model's bookkeeping."""

    def __init__(self, lab, seed, scale):
        self.lab = lab
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(seed)
        self.nonce = self.rng.randbytes(4)
        rng = self.rng
        self.nhosts = rng.choice((2, 3))
        self.mode = rng.choice(("programmed", "learning"))
        self.shared = rng.random() < 0.5
        base = rng.randrange(2, (1 << 24) - 4)
        vnis = [base, base + 1, base ^ rng.randrange(1, 256) << 16]
        while vnis[2] in vnis[:2]:
            vnis[2] = base ^ rng.randrange(1, 256) << 16
        rng.shuffle(vnis)
        self.vni = dict(zip(TENANTS, vnis))
        self.place = {}
        for name in TENANTS:
            k = rng.randint(2, self.nhosts)
            self.place[name] = sorted(rng.sample(range(self.nhosts), k))
        self.t = None
        self.sent_by = collections.defaultdict(set)   # letter -> frames
        self.unsure = collections.defaultdict(set)    # letter -> MACs
        self.summary = collections.Counter()
        self.refused = collections.Counter()
        self.expected_total = collections.Counter()

    def describe(self):
        return "seed %d: %d hosts, %s mode, %s; %s" % (
            self.seed, self.nhosts, self.mode,
            "one shared switch per host" if self.shared
            else "one switch per tenant per host",
            ", ".join("%s(VNI %d)@%s" % (n, self.vni[n], ",".join(
                "h%d" % (i + 1) for i in self.place[n])) for n in TENANTS))

    def mark(self, letter):
        return hostile.marker(self.nonce, letter)

    # building ---------------------------------------------------------------
    def build(self):
        t = topo.Topology(self.lab, mode=self.mode)
        self.t = t
        hosts = []
        for i in range(self.nhosts):
            if self.shared:
                h = SharedSwitchHost(t, "h%d" % (i + 1),
                                     t.underlay_addr(i + 1))
                t.hosts.append(h)
            else:
                h = t.add_vpcd_host("h%d" % (i + 1))
            hosts.append(h)
        for name in TENANTS:
            t.add_tenant(name, self.vni[name])
            for i in self.place[name]:
                t.add_guest(name, hosts[i], "192.0.2.%d" % (i + 1))
        return t

    def real_macs(self, letter):
        return {hostile.mac_b(g.mac) for g in self.t.guests
                if g.tenant.name == letter}

    def objects(self):
        """{object id: (label, vpc.Obj)} of every object of every vpcd."""
        objs = {}
        for h in self.t.hosts:
            objs[h.link.id] = ("%s vpclink" % h.role, h.link)
            for tname, sw in h.switches.items():
                objs.setdefault(sw.id, ("%s switch (%s)" % (
                    h.role, "shared" if self.shared else tname), sw))
                up = h.uplinks[tname]
                objs[up.id] = ("%s uplink port VNI %d" % (
                    h.role, self.vni[tname]), up)
            for g in h.guests:
                objs[g.port.id] = ("port of %s" % g.name, g.port)
                objs[g.nic.id] = ("vpci of %s" % g.name, g.nic)
        return objs

    def snapshot(self):
        out = {}
        for k, (label, o) in self.objects().items():
            try:
                out[k] = o.stats()
            except vpc.VpcError as e:
                # The data path counts ingress parse drops on the vmnic/
                # vpci; without a stats op for them those drops are
                # counted but invisible, which this test must not accept.
                self.fail("cannot read the counters of the %s: %s" % (
                    label, e))
        return out

    # the model --------------------------------------------------------------
    def guest_site(self, g):
        h, tn = g.host, g.tenant.name
        same_remote = [x for x in g.tenant.guests if x.host is not h]
        prog = self.mode == "programmed"
        return hostile.GuestSite(
            self.mode, g.mac, h.mtu,
            [x.mac for x in same_remote] if prog else [],
            {x.ip: x.mac for x in same_remote} if prog else {},
            self.unsure[tn], g.nic.id, g.port.id, h.switches[tn].id,
            h.link.id)

    def link_site(self, h):
        tenants = {}
        for tn, sw in h.switches.items():
            local = {hostile.mac_b(g.mac) for g in h.guests
                     if g.tenant.name == tn}
            tenants[self.vni[tn]] = (sw.id, h.uplinks[tn].id, local,
                                     self.unsure[tn])
        return hostile.LinkSite(self.mode, h.link.id, tenants)

    def note_sources(self, letter, frames):
        """LEARNING: every source MAC sent into a tenant may be learned
        (its guests' own MACs are static and never move)."""
        real = self.real_macs(letter)
        for f in frames:
            if len(f) >= 12 and bytes(f[6:12]) not in real:
                self.unsure[letter].add(bytes(f[6:12]))

    def view(self, g):
        same = [(x.mac, x.ip) for x in g.tenant.guests if x is not g]
        others = [(x.mac, x.ip) for x in self.t.guests
                  if x.tenant is not g.tenant]
        return hostile.GuestView(g.mac, g.ip, g.tenant.name,
                                 self.mark(g.tenant.name), same, others)

    # checks -----------------------------------------------------------------
    def fail(self, msg):
        pytest.fail("[%s] %s" % (self.describe(), msg), pytrace=False)

    def ping_matrix(self, when):
        """Every pair of same-tenant guests, both ways, 2 of 2 replies;
        the ping payload is the tenant's marker."""
        for tn in TENANTS:
            gs = [g for g in self.t.guests if g.tenant.name == tn]
            for a in gs:
                for b in gs:
                    if a is b:
                        continue
                    got, out = a.ns.ping(b.ip, count=2, interval=0.1,
                                         wait=1,
                                         pattern=self.mark(tn).hex())
                    if got != 2:
                        # one retry: the first may wait for ARP/learning
                        got, out = a.ns.ping(b.ip, count=2, interval=0.1,
                                             wait=1,
                                             pattern=self.mark(tn).hex())
                    if got != 2:
                        self.fail("%s: ping %s -> %s (%s): %d/2 replies\n%s"
                                  % (when, a.name, b.name, b.ip, got, out))
        try:
            self.t.assert_alive()
        except topo.TopologyError as e:
            self.fail("%s: %s" % (when, e))

    def phase(self, name, sends):
        """Run senders, then check counters against the model.

        'sends': [(ns, dev, [(kind, frame)], site, fate_fn, letter_of)],
        where fate_fn(frame, site) gives a Fate and letter_of(i) the
        tenant letter frame i was sent into (for the leak check).
        """
        for ns, dev, frames, site, fate_fn, letter_of in sends:
            for i, (_, f) in enumerate(frames):
                key = letter_of(i)
                if key is not None and key != hostile.UNKNOWN_TENANT:
                    self.note_sources(key, [self._inner(f, fate_fn)])
        before = self.snapshot()
        procs = []
        for n, (ns, dev, frames, site, fate_fn, letter_of) in \
                enumerate(sends):
            procs.append(hostile.start_sender(
                ns, "send-%s-%d" % (name, n), dev, [f for _, f in frames],
                burst=16, gap=0.002))
        results = [hostile.finish_sender(p, out) for p, out in procs]
        expect = collections.Counter()
        kinds = collections.Counter()
        for (ns, dev, frames, site, fate_fn, letter_of), res in \
                zip(sends, results):
            if res["tx_dropped"]:
                self.fail("%s: the kernel dropped %d frames on %s in %s "
                          "before vpcd read them; the accounting cannot be "
                          "checked" % (name, res["tx_dropped"], dev,
                                       ns.role))
            for i, ((kind, f), err) in enumerate(zip(frames,
                                                     res["errno"])):
                if err:
                    if len(f) >= hostile.ETH_HLEN:
                        self.fail("%s: the kernel refused a %d-byte %s "
                                  "frame (errno %d)" % (name, len(f), kind,
                                                        err))
                    self.refused[kind] += 1
                    continue
                letter = letter_of(i)
                if letter is not None:
                    self.sent_by[letter].add(self._inner(f, fate_fn))
                fate = fate_fn(f, site)
                kinds[(kind, fate.verdict)] += 1
                if fate.verdict == "drop":
                    expect[(fate.obj, fate.reason)] += 1
        self._check_counters(name, before, expect)
        for k, n in kinds.items():
            self.summary[k] += n
        for (_, r), n in expect.items():
            self.expected_total[r] += n

    @staticmethod
    def _inner(f, fate_fn):
        """The frame a guest may see: underlay datagrams carry it after
        Ethernet, IPv4, UDP and VXLAN headers."""
        if isinstance(fate_fn, VxlanFate):
            return bytes(f[VxlanFate.HDRS + 8:])
        return bytes(f)

    def _check_counters(self, name, before, expect):
        objs = self.objects()

        def deltas(after):
            d = collections.Counter()
            for k in objs:
                for r, v in after[k].drops.items():
                    if v != before[k].drops[r]:
                        d[(k, r)] = v - before[k].drops[r]
            return d

        def satisfied(d):
            for (k, r), n in expect.items():
                if d[(k, r)] < n:
                    return False
            return True

        end = time.monotonic() + 8
        while True:
            after = self.snapshot()
            d = deltas(after)
            if satisfied(d) or time.monotonic() > end:
                break
            time.sleep(0.1)
        time.sleep(0.3)                 # late arrivals would show now
        after = self.snapshot()
        d = deltas(after)
        bad = []
        for (k, r), n in sorted(expect.items(), key=str):
            got = d[(k, r)]
            if got < n or (r in hostile.EXACT_REASONS and got != n):
                bad.append("%s %s: grew by %d, model says %s%d" % (
                    objs[k][0], r, got,
                    "exactly " if r in hostile.EXACT_REASONS else ">= ", n))
        for (k, r), got in sorted(d.items(), key=str):
            if r in hostile.EXACT_REASONS and (k, r) not in expect:
                bad.append("%s %s: grew by %d, model says 0" % (
                    objs[k][0], r, got))
        total = sum(after[k].drops_total - before[k].drops_total
                    for k in objs)
        if total < sum(expect.values()):
            bad.append("all objects' vs_drops_total grew by %d < %d frames "
                       "the model says are undeliverable" % (
                           total, sum(expect.values())))
        for k in objs:
            s = after[k]
            if s.drops_total != sum(s.drop_slots):
                bad.append("%s: vs_drops_total %d != sum of reasons %d" % (
                    objs[k][0], s.drops_total, sum(s.drop_slots)))
        if bad:
            self.fail("%s phase: drop accounting:\n  %s\nall counters "
                      "that grew: %s\nmodel: %s" % (
                          name, "\n  ".join(bad), "; ".join(
                              "%s %s +%d" % (objs[k][0], r, n)
                              for (k, r), n in sorted(d.items(), key=str)),
                          "; ".join("%s %s %d" % (objs[k][0], r, n)
                                    for (k, r), n in sorted(
                                        expect.items(), key=str))))

    def check_captures(self, caps):
        letters = set(TENANTS) | {hostile.UNKNOWN_TENANT}
        real = {x: self.real_macs(x) for x in TENANTS}
        n_frames = 0
        for g, cap in caps:
            path = cap.stop()
            log = cap.proc.log()
            dropped = hostile.tcpdump_dropped(log)
            if dropped is None or dropped != 0:
                self.fail("capture in %s: tcpdump reports %s frames dropped "
                          "by the kernel; the capture is incomplete\n%s" % (
                              g.name, dropped, log[-500:]))
            frames = hostile.read_pcap(path)
            n_frames += len(frames)
            y = g.tenant.name
            own_mark = self.mark(y)
            if not any(own_mark in f for f in frames):
                self.fail("capture in %s holds none of its tenant's canary "
                          "pings: it did not capture" % g.name)
            seen = collections.Counter(frames)
            missing = [f for f, n in self._sent_here[g.name].items()
                       if seen[f] < n]
            if missing:
                self.fail("capture in %s lacks %d of the frames the guest "
                          "sent itself: it did not capture everything" % (
                              g.name, len(missing)))
            marks = {x: self.mark(x) for x in letters if x != y}
            leaks = []
            for f in frames:
                mine = f in self.sent_by[y]
                why = None
                for x, m in marks.items():
                    if m in f:
                        why = "carries tenant %s's marker" % x
                if why is None and not mine:
                    for x in TENANTS:
                        if x != y and f in self.sent_by[x]:
                            why = "is a frame sent into tenant %s" % x
                        elif (x != y and len(f) >= 12 and
                              bytes(f[6:12]) in real[x]):
                            why = ("has tenant %s's guest MAC %s as source"
                                   % (x, hostile.mac_s(f[6:12])))
                if why:
                    leaks.append("%s (%d bytes%s): %s" % (
                        why, len(f), ", sent as such into %s" % ",".join(
                            x for x in TENANTS if f in self.sent_by[x])
                        if any(f in self.sent_by[x] for x in TENANTS)
                        else ", not byte-equal to any frame sent",
                        f[:96].hex()))
            if leaks:
                self.fail("%d frames crossed into tenant %s's guest %s; "
                          "first ones:\n  %s" % (len(leaks), y, g.name,
                                                 "\n  ".join(leaks[:5])))
        return n_frames

    # the scenario -------------------------------------------------------------
    def run(self):
        rng, scale = self.rng, self.scale
        with self.build() as t:
            t.build()
            caps = [(g, hostile.BigCapture(g.ns, g.ifname,
                                           "cap-%s" % g.ns.role))
                    for g in t.guests]
            self._sent_here = collections.defaultdict(collections.Counter)
            self.ping_matrix("canary, before any hostile frame")

            def guest_sends(gen):
                out = []
                for g in t.guests:
                    frames = gen(g)
                    self._sent_here[g.name].update(
                        f for _, f in frames if len(f) >= hostile.ETH_HLEN)
                    out.append((g.ns, g.ifname, frames, self.guest_site(g),
                                hostile.guest_fate,
                                lambda i, x=g.tenant.name: x))
                return out

            # 1. crafted, with oversize frames past a raised MTU
            n = max(1, round(3 * scale))
            sends = guest_sends(lambda g: hostile.gen_crafted(
                rng, self.view(g), n) + hostile.gen_oversize(
                rng, self.view(g), max(2, round(4 * scale)), g.host.mtu))
            for g in t.guests:
                g.ns.ip("link", "set", g.ifname, "mtu", "9000")
            try:
                self.phase("crafted", sends)
            finally:
                for g in t.guests:
                    g.ns.ip("link", "set", g.ifname, "mtu", str(g.mtu))
            self.ping_matrix("after the crafted frames")

            # 2. broadcast storm from every guest at once
            n = max(30, round(150 * scale))
            self.phase("storm", guest_sends(
                lambda g: hostile.gen_storm(rng, self.view(g), n)))
            self.ping_matrix("after the broadcast storm")

            # 3. a rogue underlay node sends VXLAN to every vpclink
            self.phase("underlay", self._underlay_sends(
                max(1, round(2 * scale))))
            self.ping_matrix("after the underlay injection")

            # 4. random mutations
            n = max(40, round(150 * scale))
            self.phase("fuzz", guest_sends(
                lambda g: hostile.gen_fuzz(rng, self.view(g), n)))
            self.ping_matrix("after the fuzz frames")

            n_frames = self.check_captures(caps)
            self.captured = n_frames
        # Topology.__exit__: every vpcd exit 0 on SIGTERM, no sanitizer

    def _underlay_sends(self, n_each):
        rng, t = self.rng, self.t
        sends = []
        vni_tenant = {v: n for n, v in self.vni.items()}
        for i, h in enumerate(t.hosts):
            rogue = t.hosts[(i + 1) % len(t.hosts)]
            here = sorted(self.vni[tn] for tn in h.switches)
            local = {self.vni[tn]: [g.mac for g in h.guests
                                    if g.tenant.name == tn]
                     for tn in h.switches}
            payloads = hostile.gen_underlay(
                rng, lambda v: self.mark(vni_tenant.get(
                    v, hostile.UNKNOWN_TENANT)),
                here, sorted(self.vni.values()), local, n_each)
            dmac = h.ns.mac(h.underlay_dev)
            smac = rogue.ns.mac(rogue.underlay_dev)
            frames, letters = [], []
            for kind, vni, p in payloads:
                src = "198.51.100.%d" % rng.randrange(200, 250)
                frames.append((kind, bytes(
                    Ether(src=smac, dst=dmac) /
                    IP(src=src, dst=str(h.underlay_ip)) /
                    UDP(sport=rng.randrange(1024, 65535),
                        dport=h.link_port) / Raw(p))))
                if vni is None or len(p) < 8 + hostile.ETH_HLEN:
                    letters.append(None)
                elif vni in vni_tenant and vni in here:
                    letters.append(vni_tenant[vni])
                else:
                    letters.append(hostile.UNKNOWN_TENANT)
            sends.append((rogue.ns, rogue.underlay_dev, frames,
                          self.link_site(h), VxlanFate(),
                          lambda j, ls=letters: ls[j]))
        return sends

    def report(self):
        sent = sum(self.summary.values())
        by_verdict = collections.Counter()
        for (kind, verdict), n in self.summary.items():
            by_verdict[verdict] += n
        return ("isolation %s -> %d frames reached vpcd (%d predicted "
                "dropped, %d delivered, %d unsure), %d refused by the kernel "
                "(< 14 bytes), %d frames captured in guests, 0 leaks; "
                "drops by reason: %s" % (
                    self.describe(), sent, by_verdict["drop"],
                    by_verdict["pass"], by_verdict["unsure"],
                    sum(self.refused.values()), self.captured,
                    ", ".join("%s %d" % kv for kv in
                              sorted(self.expected_total.items()))))


class VxlanFate:
    """fate_fn of underlay frames: the model on their UDP payload."""

    HDRS = 14 + 20 + 8          # Ethernet, IPv4, UDP

    def __call__(self, f, site):
        return hostile.vxlan_fate(f[self.HDRS:], site)


def _run(lab, seed, scale, capsys):
    r = Run(lab, seed, scale)
    with capsys.disabled():
        print("\n[isolation %s]" % r.describe(), flush=True)
    r.run()
    with capsys.disabled():
        print("[%s]" % r.report(), flush=True)


@pytest.mark.parametrize("seed", _seeds(), ids=lambda s: "seed%d" % s)
def test_isolation(lab, seed, capsys):
    _run(lab, seed, 1.0, capsys)


@pytest.mark.sanitizer
def test_isolation_quick(lab, capsys):
    _run(lab, QUICK_SEED, 0.35, capsys)
