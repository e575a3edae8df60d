"""(j) Guests' offloads: one vpcd cannot take in costs that frame only; an
ECN mark on a TCP super-frame is carried to the receiving guest.

One vpcd host; a vmnic on a port of tenant A's switch.  Inside the host's
namespace the test opens the vmnic's TAP as a hypervisor does
(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR) and writes, as the guest:
    3 ordinary frames,
    1 frame whose virtio-net header says UDP fragmentation offload (UFO,
      gso_type 3), which the tun driver accepts but the packet socket vpcd
      reads the vmnic with cannot describe back (recvmsg fails, EINVAL),
    3 ordinary frames again.
Proves: the vmnic received all 6 ordinary frames (before the fix vpcd
stopped reading the vmnic for good at the UFO frame: 0 of the last 3),
the UFO frame is counted once as rx_unsupported on the vmnic, and vpcd
is still running.

The other cases: a TCP super-frame keeps its ECN mark on its way to
another vmnic; and UDP datagrams from a remote host reach vmnics joined
into USO frames by a vpcd that has vmnics only (its hypervisor asked for
USO), or cut back by the kernel (it did not).
"""

import signal
import time
import uuid

import pytest

import vpc
from guest_udp import json_result, wait_ready
from topo import Topology

GUEST = r"""
import fcntl, os, struct, sys, time
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, TUNSETIFF = 0x2, 0x1000, 0x4000, 0x400454ca
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", sys.argv[1].encode(),
            IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))

def frame(n, gso_size=0):
    eth = b"\xff" * 6 + b"\x02\x00\x00\x00\x0a\x01" + b"\x08\x00"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + n, 0, 0, 64, 17, 0,
                     bytes([192, 0, 2, 1]), bytes([192, 0, 2, 255]))
    udp = struct.pack("!HHHH", 9, 9, 8 + n, 0)
    if gso_size:    # NEEDS_CSUM, GSO_UDP, hdr_len, gso_size, csum at 34+6
        vh = struct.pack("<BBHHHH", 1, 3, 42, gso_size, 34, 6)
    else:
        vh = bytes(10)
    return vh + eth + ip + udp + b"x" * n

for f in [frame(20)] * 3 + [frame(3000, 1400)] + [frame(20)] * 3:
    os.write(fd, f)
    time.sleep(0.05)
print("written")
"""


def _vmnics(t, n):
    """One vpcd host of topology 't' (built here) with 'n' committed
    vmnics on ports of tenant A's switch; returns (host, [vmnic])."""
    h = t.add_vpcd_host("h1")
    tenant = t.add_tenant("A", 100)
    t.build()
    return h, [_vmnic(h, tenant) for _ in range(n)]


def _vmnic(h, tenant):
    """A committed vmnic on a port of 'tenant''s switch on host 'h'."""
    nic = h.h.create(uuid.uuid4(), vpc.TYPE_VMNIC)
    nic.commit()
    port = h.h.create(uuid.uuid4(), vpc.TYPE_PORT)
    port.vni_set(tenant.vni)
    h.switch(tenant).port_add(port.id)
    port.connect(nic.id)
    port.commit()
    return nic


@pytest.mark.sanitizer
def test_j_ufo_frame_from_guest_costs_that_frame_only(lab):
    with Topology(lab) as t:
        h, (nic,) = _vmnics(t, 1)
        before = nic.stats()
        p = h.ns.run(["/usr/bin/python3", "-c", GUEST, nic.ifname()],
                     timeout=30)
        assert "written" in p.stdout, p.stdout + p.stderr

        deadline = time.monotonic() + 5
        while True:
            after = nic.stats()
            got = after.rx_pkts - before.rx_pkts
            bad = (after.drops["rx_unsupported"] -
                   before.drops["rx_unsupported"])
            if (got >= 6 and bad >= 1) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert got == 6, "vmnic received %d of 6 ordinary frames: %r" % (
            got, after)
        assert bad == 1, after
        t.assert_alive()


GUESTS_ECN = r"""
import fcntl, os, struct, sys, time
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, TUNSETIFF = 0x2, 0x1000, 0x4000, 0x400454ca

def tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(),
                IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    return fd

a, b = tap(sys.argv[1]), tap(sys.argv[2])
# B's hypervisor takes super-frames: TUN_F_CSUM | TSO4 | TSO6 | TSO_ECN
fcntl.ioctl(b, 0x400454d0, 0x01 | 0x02 | 0x04 | 0x08)
dst = bytes.fromhex(sys.argv[3].replace(":", ""))
n = 4000                                   # TCP payload: 3 segments
eth = dst + b"\x02\x00\x00\x00\x0a\x01" + b"\x08\x00"
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + n, 1, 0x4000, 64, 6, 0,
                 bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
tcp = struct.pack("!HHIIBBHHH", 40000, 5001, 1, 1, 5 << 4, 0x80 | 0x10,
                  65535, 0, 0)             # CWR|ACK
# NEEDS_CSUM, GSO TCPV4 | ECN, hdr_len 54, gso_size 1400, csum at 34+16
vh = struct.pack("<BBHHHH", 1, 1 | 0x80, 54, 1400, 34, 16)
time.sleep(0.3)
os.write(a, vh + eth + ip + tcp + b"e" * n)
end = time.time() + 3
while time.time() < end:
    try:
        d = os.read(b, 70000)
    except BlockingIOError:
        time.sleep(0.02)
        continue
    if d[10:16] == dst and len(d) > 10 + 54:
        print("gso_type %#x gso_size %d len %d" %
              (d[1], struct.unpack("<H", d[4:6])[0], len(d) - 10))
        break
else:
    print("nothing")
"""


@pytest.mark.sanitizer
def test_j_tso_frame_keeps_its_ecn_flag(lab):
    """A guest's TCP super-frame marked GSO_ECN (CWR set: whoever cuts it
    keeps CWR in the first segment only) reaches another guest's vmnic
    still marked so.  Before, vpcd dropped the mark, so whoever cut the
    frame later would copy CWR into every segment."""
    with Topology(lab) as t:
        h, nics = _vmnics(t, 2)
        p = h.ns.run(["/usr/bin/python3", "-c", GUESTS_ECN,
                      nics[0].ifname(), nics[1].ifname(), nics[1].mac()],
                     timeout=30)
        assert "gso_type 0x81 gso_size 1400 len 4054" in p.stdout, (
            p.stdout + p.stderr + repr([n.stats() for n in nics]))
        t.assert_alive()


# Datagram 'i' for address 'ip': equal sizes, each one's bytes its own.
UDP_PAYLOAD = """
def payload(ip, i):
    head = b"%s:%03d;" % (ip.encode(), i)
    return head + bytes((i * 13 + k) & 0xff for k in range(1000 - len(head)))
"""

UDP_SENDER = UDP_PAYLOAD + r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n = int(sys.argv[1])
for ip in sys.argv[2:]:
    for i in range(n):
        s.sendto(payload(ip, i), (ip, 9200))
print("sent")
"""

# The hypervisor of a vmnic: opens its TAP with a virtio-net header, asks
# for USO (TUN_F_CSUM | USO4 | USO6) or for nothing, and reads the frames
# for UDP port 9200 until it has 'want' datagrams or 15 s have passed,
# cutting USO frames (gso_type 5) at gso_size; prints one JSON line.
HYPERVISOR = r"""
import fcntl, json, os, struct, sys, time
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, TUNSETIFF = 0x2, 0x1000, 0x4000, 0x400454ca
fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", sys.argv[1].encode(),
            IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
fcntl.ioctl(fd, 0x400454d0, 0x01 | 0x20 | 0x40 if sys.argv[2] == "uso"
            else 0)
want = int(sys.argv[3])
print("ready", flush=True)
frames, dgrams = [], []
end = time.time() + 15
while len(dgrams) < want and time.time() < end:
    try:
        d = os.read(fd, 70000)
    except BlockingIOError:
        time.sleep(0.01)
        continue
    vh, f = d[:10], d[10:]
    if f[12:14] != b"\x08\x00" or f[23] != 17:
        continue
    l4 = 14 + (f[14] & 15) * 4
    if struct.unpack("!H", f[l4 + 2:l4 + 4])[0] != 9200:
        continue
    size = struct.unpack("<H", vh[4:6])[0]
    data = f[l4 + 8:]
    frames.append(vh[1])
    if vh[1] == 5:
        dgrams += [data[i:i + size] for i in range(0, len(data), size)]
    else:
        dgrams.append(data[:struct.unpack("!H", f[l4 + 4:l4 + 6])[0] - 8])
print(json.dumps({"gso_types": frames, "datagrams": [x.hex() for x in dgrams]}))
"""


@pytest.mark.sanitizer
def test_j_vmnic_only_host_joins_udp_for_its_guests(lab):
    """Host h2 has vmnics only (no vpci).  Datagrams from a guest on h1
    that wait in h2's vpclink socket (h2's vpcd stopped) reach the vmnic
    whose hypervisor asked for USO joined into USO frames, and the vmnic
    whose hypervisor did not cut back by the kernel into ordinary frames;
    both get every datagram, byte for byte, in order.  Before, only a
    vpci's TAP told vpcd that the kernel takes USO frames, so a host with
    vmnics only never joined UDP (the first vmnic got 0 USO frames)."""
    count = 40
    with Topology(lab) as t:
        h1, h2 = t.add_vpcd_host("h1"), t.add_vpcd_host("h2")
        tenant = t.add_tenant("A", 100)
        g1 = t.add_guest("A", h1, "192.0.2.1")
        t.build()
        ips = ["192.0.2.2", "192.0.2.3"]
        nics = [_vmnic(h2, tenant) for _ in ips]
        for nic, ip in zip(nics, ips):
            h1.link.fwd_set(tenant.vni, nic.mac(), str(h2.underlay_ip))
            h1.switch(tenant).arp_add(tenant.vni, ip, nic.mac())

        hv = {}
        for nic, mode in zip(nics, ("uso", "none")):
            hv[mode] = h2.ns.spawn(["/usr/bin/python3", "-u", "-c",
                                    HYPERVISOR, nic.ifname(), mode,
                                    str(count)], "hv-%s" % mode)
        for proc in hv.values():
            wait_ready(proc)
        # warm: the guest resolves both addresses (h1's ARP proxy)
        g1.ns.run(["/usr/bin/python3", "-c", UDP_SENDER.replace(
            "9200", "9201"), "1"] + ips)
        time.sleep(0.5)

        before = h1.link.stats()
        h2.proc.popen.send_signal(signal.SIGSTOP)
        try:
            p = g1.ns.run(["/usr/bin/python3", "-c", UDP_SENDER,
                           str(count)] + ips, timeout=60)
            end = time.monotonic() + 10
            while h1.link.stats().tx_pkts - before.tx_pkts < 2 * count:
                assert time.monotonic() < end, "h1 did not send them all"
                time.sleep(0.1)
        finally:
            h2.proc.popen.send_signal(signal.SIGCONT)
        assert "sent" in p.stdout, p.stdout + p.stderr

        ns = {}
        exec(UDP_PAYLOAD, ns)
        for (mode, proc), ip in zip(hv.items(), ips):
            r = json_result(proc, timeout=30)
            want = [ns["payload"](ip, i).hex() for i in range(count)]
            assert r["datagrams"] == want, (
                "vmnic (%s): %d datagrams, not those sent in order; gso "
                "types %r" % (mode, len(r["datagrams"]), r["gso_types"]))
            print("%s: %d datagrams in %d frames, gso types %r" % (
                mode, count, len(r["gso_types"]), r["gso_types"]))
            if mode == "uso":
                assert r["gso_types"].count(5) >= 1, (
                    "no USO frame reached the vmnic whose hypervisor "
                    "asked for them: %r" % r["gso_types"])
                assert len(r["gso_types"]) <= count * 2 // 3, r
            else:
                assert set(r["gso_types"]) == {0}, r
        t.assert_alive()
