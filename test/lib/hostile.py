"""hostile.py: hostile frames, a model of their fate, senders and pcaps.

Used by test/e2e/test_isolation.py.  Three parts:

 * Generators (scapy) of the frames a hostile guest or a rogue underlay
   node sends: spoofed MAC/IP, truncated headers, 802.1Q tags and QinQ
   stacks, bogus ethertypes, runts, oversize frames, broadcast storms,
   VXLAN for VNIs a host has or has not, and random mutations of all of
   these.  Every frame that has room for it carries a marker naming its
   tenant (marker()); the others are recognised by their exact bytes.

 * A naive reference model of the documented data path (see the design
   summary in the brief and vpc.h's drop reasons): for each frame, given
   where it enters, either the object and the named reason under which
   vpcd must drop and count it, or PASS (it may be delivered), or UNSURE
   (its fate depends on what LEARNING mode learned meanwhile).  It is
   written from the rules, not from the C code, so the test compares the
   two.

 * SENDER, a script run inside a namespace that sends raw frames with an
   AF_PACKET socket (scapy's sendp silently pads frames the kernel
   refuses as too short, which would change what is tested) and records
   the kernel's verdict on each; and read_pcap(), a small reader of the
   classic pcap files tcpdump writes (scapy's rdpcap is too slow for the
   tens of thousands of frames a storm leaves).
"""

import collections
import os
import struct
import time

import netns

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.layers.vxlan import VXLAN
from scapy.packet import Raw

BCAST = b"\xff" * 6
MARK = b"VPCISO"            # marker: MARK + 4-byte run nonce + tenant
UNKNOWN_TENANT = "U"        # tenant letter of frames for no tenant

# The fate of a frame: ("drop", obj_key, reason) | PASS | UNSURE.
Fate = collections.namedtuple("Fate", "verdict obj reason")
PASS = Fate("pass", None, None)
UNSURE = Fate("unsure", None, None)

# Reasons nothing but the hostile frames can produce in the test: their
# counters must grow by exactly what the model predicts, on every object.
# The others (BUM, misses, hairpin, tx errors) may also be caused by the
# guests' own stacks answering hostile frames, so they only have a floor.
EXACT_REASONS = frozenset((
    "eth_short", "vlan_short", "vlan_stacked", "vlan_mismatch",
    "src_mac_multicast", "arp_malformed", "ipv4_malformed",
    "ipv6_malformed", "l4_malformed", "mtu_exceeded", "vxlan_short",
    "vxlan_bad_flags", "vxlan_unknown_vni", "vxlan_inner_truncated"))

ETH_HLEN = 14
ET_IP4, ET_ARP, ET_IP6 = 0x0800, 0x0806, 0x86dd
ET_VLAN, ET_QINQ = 0x8100, 0x88a8
BOGUS_ETHERTYPES = (0x0000, 0x0001, 0x05dc, 0x0600, 0x1234, 0x22f0,
                    0x8035, 0x86de, 0x8808, 0x88b5, 0x88cc, 0x8847,
                    0x9100, 0xffff)


def marker(nonce, tenant):
    """The marker of 'tenant' (a letter) in run 'nonce' (4 bytes)."""
    return MARK + nonce + tenant.encode()


def mac_b(mac):
    return bytes(int(x, 16) for x in mac.split(":")) \
        if isinstance(mac, str) else bytes(mac)


def mac_s(mac):
    return ":".join("%02x" % b for b in mac_b(mac))


def rand_ucast_mac(rng):
    """A random locally administered unicast MAC."""
    b = bytearray(rng.randbytes(6))
    b[0] = (b[0] & 0xfc) | 0x02
    return bytes(b)


def rand_mcast_mac(rng):
    b = bytearray(rng.randbytes(6))
    b[0] |= 0x01
    return bytes(b)


def _be16(f, off):
    return (f[off] << 8) | f[off + 1]


# --- the reference model ----------------------------------------------------

def _l4(f, off, length, proto):
    need = {6: 20, 17: 8, 1: 4, 58: 4}.get(proto)
    if need is None:
        return None
    if length < need or off + need > len(f):
        return "l4_malformed"
    if proto == 6:
        doff = (f[off + 12] >> 4) * 4
        if doff < 20 or doff > length:
            return "l4_malformed"
    return None


def parse_eth(f):
    """(reason or None, ethertype, l3 offset, tagged) of frame 'f'."""
    if len(f) < ETH_HLEN:
        return "eth_short", None, 0, False
    et, off, tagged = _be16(f, 12), ETH_HLEN, False
    if et == ET_QINQ:
        return "vlan_stacked", et, off, False
    if et == ET_VLAN:
        if len(f) < 18:
            return "vlan_short", et, off, False
        et, off, tagged = _be16(f, 16), 18, True
        if et in (ET_VLAN, ET_QINQ):
            return "vlan_stacked", et, off, tagged
    n = len(f) - off
    why = None
    if et == ET_ARP:
        if n < 28:
            why = "arp_malformed"
        else:
            a = f[off:off + 28]
            if (_be16(a, 0) != 1 or _be16(a, 2) != ET_IP4 or a[4] != 6 or
                    a[5] != 4 or _be16(a, 6) not in (1, 2)):
                why = "arp_malformed"
    elif et == ET_IP4:
        if n < 20:
            why = "ipv4_malformed"
        else:
            hl, tot = (f[off] & 15) * 4, _be16(f, off + 2)
            if f[off] >> 4 != 4 or hl < 20 or hl > n or tot < hl or tot > n:
                why = "ipv4_malformed"
            elif _be16(f, off + 6) & 0x1fff == 0:
                why = _l4(f, off + hl, tot - hl, f[off + 9])
    elif et == ET_IP6:
        if n < 40:
            why = "ipv6_malformed"
        else:
            plen, avail = _be16(f, off + 4), n - 40
            if f[off] >> 4 != 6 or plen > avail:
                why = "ipv6_malformed"
            else:
                why = _l4(f, off + 40, plen or avail, f[off + 6])
    return why, et, off, tagged


class GuestSite:
    """Where a guest's frames enter: what the model needs to know.

    Object keys ('nic', 'port', 'switch', 'link') name the vpcd objects
    on which drops are counted (test_isolation uses object ids).
    """

    def __init__(self, mode, own_mac, mtu, fwd_macs, proxy, unsure_macs,
                 nic, port, switch, link):
        self.mode = mode                # "programmed" | "learning"
        self.own = mac_b(own_mac)       # the guest's MAC (static entry)
        self.mtu = mtu                  # the vpclink's MTU
        self.fwd = {mac_b(m) for m in fwd_macs}   # programmed fwd entries
        self.proxy = {bytes(map(int, ip.split("."))): mac_b(m)
                      for ip, m in proxy.items()}  # ARP proxy entries
        self.unsure = unsure_macs       # LEARNING: MACs maybe learned
        self.nic, self.port, self.switch, self.link = nic, port, switch, link


def _arp_proxy(f, off, et, site):
    if et != ET_ARP:
        return None
    a = f[off:off + 28]
    if _be16(a, 6) != 1 or a[14:18] == a[24:28] or a[8] & 1:
        return None
    mac = site.proxy.get(bytes(a[24:28]))
    if mac is None:
        return "miss"
    return None if mac == bytes(a[8:14]) else "reply"


def guest_fate(f, site):
    """The fate of frame 'f' sent by a guest whose port is untagged."""
    why, et, off, tagged = parse_eth(f)
    if why:
        return Fate("drop", site.nic, why)
    if tagged:
        return Fate("drop", site.port, "vlan_mismatch")
    dst, src = bytes(f[0:6]), bytes(f[6:12])
    if src[0] & 1:
        return Fate("drop", site.port, "src_mac_multicast")
    bum = bool(dst[0] & 1)
    big = len(f) - off > site.mtu
    if site.mode == "programmed":
        arp = _arp_proxy(f, off, et, site)
        if arp == "reply":
            return PASS                 # answered out of the same port
        if bum:
            return Fate("drop", site.switch, "arp_proxy_miss"
                        if arp == "miss" else "bum_programmed_mode")
        if dst == site.own:
            return Fate("drop", site.switch, "hairpin")
        # unicast miss -> the uplink -> the vpclink: MTU, then fwd entry
        if big:
            return Fate("drop", site.link, "mtu_exceeded")
        if dst in site.fwd:
            return PASS
        return Fate("drop", site.link, "no_fwd_entry")
    # LEARNING: flood or learned unicast; the uplink gets every frame
    # whose destination is not on this host (one guest per tenant/host).
    if not bum:
        if dst == site.own:
            return Fate("drop", site.switch, "hairpin")
        if dst in site.unsure:
            return UNSURE
    if big:
        return Fate("drop", site.link, "mtu_exceeded")
    return PASS


class LinkSite:
    """Where VXLAN from the underlay enters: a host's vpclink.

    'tenants' maps a VNI present on the host to (switch key, uplink key,
    set of local guest MACs of that VNI, set of MACs maybe learned).
    """

    def __init__(self, mode, link, tenants):
        self.mode = mode
        self.link = link
        self.tenants = tenants


def vxlan_fate(payload, site):
    """The fate of UDP payload 'payload' arriving at the vpclink."""
    if len(payload) < 8:
        return Fate("drop", site.link, "vxlan_short")
    if not payload[0] & 0x08:
        return Fate("drop", site.link, "vxlan_bad_flags")
    if len(payload) < 8 + ETH_HLEN:
        return Fate("drop", site.link, "vxlan_inner_truncated")
    vni = int.from_bytes(payload[4:7], "big")
    if vni not in site.tenants:
        return Fate("drop", site.link, "vxlan_unknown_vni")
    sw, up, local, unsure = site.tenants[vni]
    f = payload[8:]
    why, et, off, tagged = parse_eth(f)
    if why:
        return Fate("drop", site.link, why)
    if tagged:
        return Fate("drop", up, "vlan_mismatch")
    dst, src = bytes(f[0:6]), bytes(f[6:12])
    if src[0] & 1:
        return Fate("drop", up, "src_mac_multicast")
    if not dst[0] & 1 and dst in local:
        return PASS
    if site.mode == "programmed":
        return Fate("drop", sw, "bum_programmed_mode")   # split horizon
    if not dst[0] & 1 and dst in unsure:
        return UNSURE                   # learned on the uplink: hairpin
    return PASS                         # flooded to the local ports


# --- generators ---------------------------------------------------------------

class GuestView:
    """What a hostile guest knows: itself, its tenant, the others."""

    def __init__(self, mac, ip, tenant, mark, same, others):
        self.mac = mac_s(mac)           # own MAC
        self.ip = ip                    # own primary address
        self.tenant = tenant            # letter
        self.mark = mark                # its tenant's marker
        self.same = same                # [(mac, ip)] same tenant, remote
        self.others = others            # [(mac, ip)] other tenants


def _pick_other(rng, v):
    return rng.choice(v.others) if v.others else (
        mac_s(rand_ucast_mac(rng)), "192.0.2.77")


def _pick_dst(rng, v, fresh):
    """A destination MAC: own, same tenant, other tenant, broadcast,
    multicast or a fresh unknown unicast one."""
    k = rng.randrange(6)
    if k == 0:
        return v.mac
    if k == 1 and v.same:
        return rng.choice(v.same)[0]
    if k == 2:
        return _pick_other(rng, v)[0]
    if k == 3:
        return "ff:ff:ff:ff:ff:ff"
    if k == 4:
        return mac_s(rand_mcast_mac(rng))
    return mac_s(fresh)


def _payload(rng, v, n=None):
    """Marker, a sequence number, some random bytes."""
    tail = rng.randbytes(rng.randrange(0, 48) if n is None else n)
    return v.mark + rng.randbytes(4) + tail


def _valid_l3(rng, v, dst_ip=None):
    """A random valid IPv4 packet (UDP, TCP or ICMP) with the marker."""
    dip = dst_ip or "192.0.2.%d" % rng.randrange(1, 255)
    sip = v.ip if rng.random() < 0.5 else "192.0.2.%d" % rng.randrange(1, 255)
    l4 = rng.choice((UDP(sport=rng.randrange(1024, 65535), dport=9),
                     TCP(sport=rng.randrange(1024, 65535), dport=9,
                         flags="S"),
                     ICMP(type=8, id=rng.randrange(65536))))
    return IP(src=sip, dst=dip, ttl=rng.randrange(1, 256)) / l4 / \
        Raw(_payload(rng, v))


def gen_crafted(rng, v, n_each):
    """Crafted hostile frames of every kind; list of (kind, bytes)."""
    out = []

    def add(kind, pkt):
        out.append((kind, bytes(pkt)))

    def fresh():
        return rand_ucast_mac(rng)      # an unknown unicast destination

    for _ in range(n_each):
        # runts and zero-length frames: the kernel must refuse them
        add("runt", rng.randbytes(rng.randrange(0, ETH_HLEN)))
        # header-only and short frames, bogus ethertypes
        et = rng.choice(BOGUS_ETHERTYPES)
        add("bogus_ethertype", Ether(src=v.mac, dst=_pick_dst(rng, v,
                                                           fresh()),
                                     type=et) / Raw(_payload(rng, v)))
        add("header_only", Ether(src=v.mac, dst=mac_s(fresh()),
                                 type=rng.choice(BOGUS_ETHERTYPES)))
        # spoofed source MAC and IP of another tenant's guest
        om, oip = _pick_other(rng, v)
        add("spoof_mac_ip", Ether(src=om, dst=_pick_dst(rng, v, fresh())) /
            IP(src=oip, dst=rng.choice([oip, v.ip, "192.0.2.255"])) /
            UDP(sport=rng.randrange(1024, 65535), dport=9) /
            Raw(_payload(rng, v)))
        if v.same:
            sm, sip = rng.choice(v.same)
            add("spoof_to_peer", Ether(src=om, dst=sm) /
                IP(src=oip, dst=sip) / ICMP(type=8) / Raw(_payload(rng, v)))
        # 802.1Q: one tag (an untagged port refuses it), QinQ, short
        add("dot1q", Ether(src=v.mac, dst=_pick_dst(rng, v, fresh())) /
            Dot1Q(vlan=rng.randrange(0, 4096), prio=rng.randrange(8)) /
            _valid_l3(rng, v))
        add("qinq_88a8", Ether(src=v.mac, dst=_pick_dst(rng, v, fresh())) /
            Dot1AD(vlan=rng.randrange(1, 4095)) /
            Dot1Q(vlan=rng.randrange(1, 4095)) / _valid_l3(rng, v))
        add("qinq_8100x2", Ether(src=v.mac, dst=_pick_dst(rng, v,
                                                         fresh())) /
            Dot1Q(vlan=rng.randrange(1, 4095)) /
            Dot1Q(vlan=rng.randrange(1, 4095)) / _valid_l3(rng, v))
        add("dot1q_88a8_inside", Ether(src=v.mac, dst=mac_s(fresh())) /
            Dot1Q(vlan=7, type=ET_QINQ) / Raw(rng.randbytes(8)))
        add("vlan_short", Ether(src=v.mac, dst=mac_s(fresh()),
                                type=ET_VLAN) /
            Raw(rng.randbytes(rng.randrange(0, 4))))
        # truncated headers
        full = bytes(Ether(src=v.mac, dst=mac_s(fresh())) /
                     _valid_l3(rng, v))
        add("trunc_ipv4", full[:ETH_HLEN + rng.randrange(0, 20)])
        add("ipv4_len_lies", Ether(src=v.mac, dst=mac_s(fresh())) /
            IP(src=v.ip, dst="192.0.2.9", len=rng.randrange(200, 1400)) /
            UDP(dport=9) / Raw(_payload(rng, v, 4)))
        add("ipv4_bad_ihl", Ether(src=v.mac, dst=mac_s(fresh())) /
            IP(src=v.ip, dst="192.0.2.9", ihl=rng.randrange(0, 5)) /
            Raw(_payload(rng, v)))
        arp = bytes(Ether(src=v.mac, dst="ff:ff:ff:ff:ff:ff") /
                    ARP(op=1, hwsrc=v.mac, psrc="192.0.2.%d" %
                        rng.randrange(200, 250), pdst="192.0.2.1"))
        add("trunc_arp", arp[:ETH_HLEN + rng.randrange(0, 28)])
        add("arp_bad_htype", Ether(src=v.mac, dst="ff:ff:ff:ff:ff:ff") /
            ARP(hwtype=rng.choice((0, 6, 0x1234)), op=1, hwsrc=v.mac,
                psrc="192.0.2.%d" % rng.randrange(200, 250),
                pdst="192.0.2.1"))
        ip6 = bytes(Ether(src=v.mac, dst=mac_s(fresh())) /
                    IPv6(src="2001:db8::1", dst="2001:db8::2") /
                    UDP(dport=9) / Raw(_payload(rng, v)))
        add("trunc_ipv6", ip6[:ETH_HLEN + rng.randrange(0, 40)])
        add("ipv6_plen_lies", Ether(src=v.mac, dst=mac_s(fresh())) /
            IPv6(src="2001:db8::1", dst="2001:db8::2",
                 plen=rng.randrange(100, 1000)) / Raw(_payload(rng, v, 8)))
        proto = rng.choice((1, 6, 17, 58))
        k = rng.randrange(0, {6: 20, 17: 8, 1: 4, 58: 4}[proto])
        add("trunc_l4", Ether(src=v.mac, dst=mac_s(fresh())) /
            IP(src=v.ip, dst="192.0.2.9", proto=proto, len=20 + k) /
            Raw(rng.randbytes(k)))
        add("tcp_bad_doff", Ether(src=v.mac, dst=mac_s(fresh())) /
            IP(src=v.ip, dst="192.0.2.9") /
            TCP(dport=9, dataofs=rng.choice((0, 1, 4, 15))) /
            Raw(_payload(rng, v, 0)))
        # group address as source
        add("mcast_src", Ether(src=mac_s(rand_mcast_mac(rng)),
                               dst=_pick_dst(rng, v, fresh())) /
            _valid_l3(rng, v))
        # to itself (its own static entry: hairpin)
        add("to_self", Ether(src=v.mac, dst=v.mac) / _valid_l3(rng, v))
        # ARP for an address only another tenant has, or nobody
        add("arp_who_has", Ether(src=v.mac, dst="ff:ff:ff:ff:ff:ff") /
            ARP(op=1, hwsrc=v.mac, psrc="192.0.2.%d" %
                rng.randrange(200, 250),
                pdst=rng.choice([_pick_other(rng, v)[1], "192.0.2.%d" %
                                 rng.randrange(100, 200)])) /
            Raw(v.mark))
    return out


def gen_oversize(rng, v, n, mtu):
    """Frames whose IP payload exceeds the vpclink MTU 'mtu' (the guest
    raised its interface MTU to send them)."""
    out = []
    for _ in range(n):
        size = mtu + rng.randrange(1, 1500)
        dst = rng.choice([BCAST, rand_ucast_mac(rng)] +
                         [mac_b(m) for m, _ in v.same])
        hdr = Ether(src=v.mac, dst=mac_s(dst)) / IP(src=v.ip,
                                                   dst="192.0.2.9") / UDP(
            sport=rng.randrange(1024, 65535), dport=9)
        pad = size - 28 - len(v.mark) - 4
        out.append(("oversize", bytes(hdr / Raw(_payload(rng, v, pad)))))
    return out


def gen_storm(rng, v, n):
    """A broadcast/multicast storm: UDP broadcast, IPv4 multicast and
    ARP requests for addresses nobody has."""
    out = []
    for i in range(n):
        k = i % 3
        if k == 0:
            p = Ether(src=v.mac, dst="ff:ff:ff:ff:ff:ff") / IP(
                src=v.ip, dst="192.0.2.255") / UDP(
                sport=rng.randrange(1024, 65535), dport=9) / \
                Raw(_payload(rng, v))
        elif k == 1:
            g = rng.randrange(1, 255)
            p = Ether(src=v.mac, dst="01:00:5e:00:00:%02x" % g) / IP(
                src=v.ip, dst="224.0.0.%d" % g, ttl=1) / UDP(dport=9) / \
                Raw(_payload(rng, v))
        else:
            p = Ether(src=v.mac, dst="ff:ff:ff:ff:ff:ff") / ARP(
                op=1, hwsrc=v.mac, psrc="192.0.2.%d" % rng.randrange(200,
                                                                    250),
                pdst="192.0.2.%d" % rng.randrange(100, 200)) / Raw(v.mark)
        out.append(("storm", bytes(p)))
    return out


def mutate(rng, frame):
    """One random mutation of 'frame': truncate, flip bytes, rewrite the
    ethertype, insert or remove a tag, or replace it by random bytes."""
    f = bytearray(frame)
    k = rng.randrange(7)
    if k == 0:
        f = f[:rng.randrange(0, len(f) + 1)]
    elif k == 1:
        for _ in range(rng.randrange(1, 6)):
            if f:
                i = rng.randrange(min(len(f), 64))
                f[i] ^= 1 << rng.randrange(8)
    elif k == 2 and len(f) >= 14:
        f[12:14] = struct.pack("!H", rng.choice(
            BOGUS_ETHERTYPES + (ET_IP4, ET_ARP, ET_IP6, ET_VLAN, ET_QINQ)))
    elif k == 3 and len(f) >= 14:
        tag = struct.pack("!HH", rng.choice((ET_VLAN, ET_QINQ)),
                          rng.randrange(65536))
        f = f[:12] + tag + f[12:]
    elif k == 4 and len(f) >= 18:
        f = f[:12] + f[16:]
    elif k == 5:
        f = bytearray(rng.randbytes(rng.randrange(0, 100)))
    else:
        if len(f) > 20:
            i = rng.randrange(14, len(f))
            f[i:i + 2] = rng.randbytes(2)
    return bytes(f)


def gen_fuzz(rng, v, n):
    """'n' random mutations of crafted frames (sources: the guest's own
    MAC, another tenant's or random, as the mutation left them)."""
    pool = [f for _, f in gen_crafted(rng, v, 1) if f]
    out = []
    while len(out) < n:
        f = mutate(rng, rng.choice(pool))
        if not _forges_marker(f, v.mark):
            out.append(("fuzz", f))
    return out


def _forges_marker(f, mark):
    """Whether a bit flip turned 'f's marker into another tenant's."""
    prefix, i = mark[:-1], f.find(mark[:-1])
    while i != -1:
        j = i + len(prefix)
        if j < len(f) and f[j:j + 1] != mark[-1:]:
            return True
        i = f.find(prefix, i + 1)
    return False


def vxlan(vni, inner, flags=0x08):
    return bytes(VXLAN(flags=flags, vni=vni)) + bytes(inner)


def gen_underlay(rng, mark_of, vnis_here, vnis_all, local_macs, n_each):
    """UDP payloads a rogue underlay node sends to a vpclink.

    'mark_of(vni)' is the marker of the tenant owning 'vni' (or of no
    tenant); 'vnis_here' are the VNIs the target host has, 'vnis_all'
    every tenant's; 'local_macs' maps a VNI here to the MACs of its
    guests on the target host.  Returns [(kind, vni or None, payload)].
    """
    out = []
    absent = [x for x in vnis_all if x not in vnis_here]
    all_local = [m for ms in local_macs.values() for m in ms]
    for _ in range(n_each):
        # a host without tenants gets the malformed and unknown-VNI ones
        vni = rng.choice(vnis_here) if vnis_here else None
        mk = mark_of(vni)

        def inner(dst, src=None, tag=None):
            e = Ether(src=mac_s(src or rand_ucast_mac(rng)), dst=mac_s(dst))
            if tag:
                e = e / tag
            return e / IP(src="192.0.2.%d" % rng.randrange(200, 250),
                          dst="192.0.2.%d" % rng.randrange(1, 255)) / \
                UDP(sport=rng.randrange(1024, 65535), dport=9) / \
                Raw(mk + rng.randbytes(rng.randrange(4, 40)))

        out.append(("vxlan_short", None, rng.randbytes(rng.randrange(0, 8))))
        any_vni = vni if vni is not None else rng.randrange(1, 1 << 24)
        out.append(("vxlan_bad_flags", vni, vxlan(
            any_vni, inner(BCAST), flags=rng.randrange(256) & ~0x08)))
        out.append(("vxlan_inner_short", vni, vxlan(
            any_vni, bytes(inner(BCAST))[:rng.randrange(0, ETH_HLEN)])))
        # a VNI this host does not have: another tenant's or nobody's
        bad = rng.choice(absent + [rng.randrange(1, 1 << 24)]) \
            if absent else rng.randrange(1, 1 << 24)
        while bad in vnis_here:
            bad = rng.randrange(1, 1 << 24)
        mk = mark_of(bad)
        out.append(("vxlan_unknown_vni", bad, vxlan(bad, inner(
            rng.choice(all_local + [BCAST])))))
        if vni is None:
            continue
        mk = mark_of(vni)
        # a VNI it has: broadcast, to its guest, to another tenant's guest
        out.append(("inject_bcast", vni, vxlan(vni, inner(BCAST))))
        own = local_macs[vni]
        out.append(("inject_to_guest", vni, vxlan(vni, inner(
            mac_b(rng.choice(own))))))
        foreign = [m for x, ms in local_macs.items() if x != vni for m in ms]
        if foreign:
            out.append(("inject_cross_tenant", vni, vxlan(vni, inner(
                mac_b(rng.choice(foreign))))))
        out.append(("inject_tagged", vni, vxlan(vni, inner(
            BCAST, tag=Dot1Q(vlan=rng.randrange(1, 4095))))))
        out.append(("inject_qinq", vni, vxlan(vni, inner(
            BCAST, tag=Dot1AD(vlan=5) / Dot1Q(vlan=6)))))
        out.append(("inject_trunc_ip", vni, vxlan(vni, bytes(
            inner(BCAST))[:ETH_HLEN + rng.randrange(0, 20)])))
        out.append(("inject_mcast_src", vni, vxlan(vni, inner(
            BCAST, src=rand_mcast_mac(rng)))))
    return out


# --- sending and reading -----------------------------------------------------

SENDER = r"""
import json, os, socket, sys, time
spec = json.load(open(sys.argv[1]))
dev = spec["dev"]
def txdrop():
    with open("/sys/class/net/%s/statistics/tx_dropped" % dev) as f:
        return int(f.read())
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
before = txdrop()
res = []
for i, h in enumerate(spec["frames"]):
    try:
        s.send(bytes.fromhex(h))
        res.append(0)
    except OSError as e:
        res.append(e.errno)
    if spec["burst"] and (i + 1) % spec["burst"] == 0:
        time.sleep(spec["gap"])
time.sleep(0.05)
json.dump({"errno": res, "tx_dropped": txdrop() - before},
          open(spec["out"], "w"))
"""


def read_pcap(path):
    """The frames of classic pcap file 'path' (tcpdump -w), as bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("%s: not a pcap file" % path)
    rec = struct.Struct(end + "IIII")
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = rec.unpack_from(data, off)
        off += 16
        out.append(data[off:off + incl])
        off += incl
    return out


class BigCapture(netns.Capture):
    """netns.Capture with a large kernel buffer (-B, KiB): a guest that
    sees a flooded storm receives frames faster than tcpdump writes them
    with the default 2 MiB, and a capture with drops proves nothing."""

    def __init__(self, ns, dev, name, buffer_kib=65536):
        self.ns = ns
        self.dev = dev
        self.path = os.path.join(ns.lab.dir, "%s.pcap" % name)
        argv = ["tcpdump", "-n", "-U", "--immediate-mode", "-p",
                "-B", str(buffer_kib), "-s", "0", "-i", dev, "-w",
                self.path]
        self.proc = ns.spawn(argv, "%s.tcpdump" % name)
        self.proc.wait_log(r"listening on", timeout=10)
        time.sleep(0.1)


def tcpdump_dropped(log):
    """Frames tcpdump's summary says the kernel dropped (None if absent)."""
    import re
    m = re.search(r"(\d+) packets? dropped by kernel", log)
    return int(m.group(1)) if m else None


def write_spec(path, dev, frames, out, burst=16, gap=0.002):
    import json
    with open(path, "w") as f:
        json.dump({"dev": dev, "frames": [x.hex() for x in frames],
                   "burst": burst, "gap": gap, "out": out}, f)


def start_sender(ns, name, dev, frames, burst=16, gap=0.002):
    """Start SENDER in namespace 'ns'; returns (proc, result path)."""
    lab = ns.lab
    spec, out = lab.path("%s.json" % name), lab.path("%s.out.json" % name)
    write_spec(spec, dev, frames, out, burst, gap)
    if os.path.exists(out):
        os.unlink(out)
    proc = ns.spawn(["/usr/bin/python3", "-c", SENDER, spec], name)
    return proc, out


def finish_sender(proc, out, timeout=60):
    """Wait for a sender; its {"errno": [...], "tx_dropped": n}."""
    import json
    proc.popen.wait(timeout)
    if proc.popen.returncode != 0 or not os.path.exists(out):
        raise RuntimeError("sender %s failed (exit %s):\n%s" % (
            proc.name, proc.popen.returncode, proc.log()[-2000:]))
    with open(out) as f:
        return json.load(f)
