"""(i) When the kernel refuses UDP_SEGMENT, vpcd sends datagram by datagram.

Two vpcd hosts h1, h2, tenant A (VNI 100), a guest on each (192.0.2.1,
192.0.2.2).  The test reaches into h1's vpcd (pidfd_getfd(2)) and sets
SO_NO_CHECK on its vpclink's UDP sockets: Linux then refuses every
UDP_SEGMENT send on them with EINVAL (the test checks this on a socket of
its own first), as a kernel or device without UDP segmentation would.
Proves, with every UDP_SEGMENT message refused:
- gathered datagrams: 200 datagrams queued while h1's vpcd is stopped
  (which test (h) shows go out gathered) reach g2 whole, in order, and
  left h1 as at least 200 UDP messages (one each: the fallback);
- super-frames: 8 MiB of TCP from g1 (whose stack hands the TAP 64 KiB
  TSO frames) reach g2 intact;
- h1's vpclink counted no tx_error drop.
Without the fallback, both transfers lose (nearly) everything.
"""

import ctypes
import errno
import hashlib
import json
import os
import signal
import socket
import time

import pytest

from guest_udp import udp_receiver
from topo import Topology

COUNT = 200
UDP_PORT = 9200
TCP_PORT = 9201
TCP_BYTES = 8 << 20
SO_NO_CHECK = 11        # <asm-generic/socket.h>
UDP_SEGMENT = 103       # <linux/udp.h>
SYS_PIDFD_GETFD = 438   # the same number on every architecture

PAYLOAD = """
def payload(seq):
    head = b"seq:%05d;" % seq
    return head + bytes((seq + i) & 0xff for i in range(1000 - len(head)))
"""

UDP_SENDER = PAYLOAD + """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for seq in range(%d):
    s.sendto(payload(seq), (sys.argv[1], %d))
print("sent")
""" % (COUNT, UDP_PORT)

UDP_RECEIVER = udp_receiver(UDP_PORT, PAYLOAD)

# The byte at offset i of the TCP stream.
TCP_SENDER = """
import socket, sys
block = bytes(i * 7 & 0xff for i in range(1 << 16))
s = socket.create_connection((sys.argv[1], %d), timeout=20)
for _ in range(%d >> 16):
    s.sendall(block)
s.shutdown(socket.SHUT_WR)
s.recv(1)
print("sent")
""" % (TCP_PORT, TCP_BYTES)

TCP_RECEIVER = """
import hashlib, json, socket
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("0.0.0.0", %d))
l.listen(1)
print("ready", flush=True)
c, _ = l.accept()
c.settimeout(20)
h, n = hashlib.sha256(), 0
while True:
    try:
        b = c.recv(1 << 20)
    except socket.timeout:
        break
    if not b:
        break
    h.update(b)
    n += len(b)
c.close()
print(json.dumps({"bytes": n, "sha256": h.hexdigest()}), flush=True)
""" % TCP_PORT

# Does this kernel refuse UDP_SEGMENT on a socket with SO_NO_CHECK?  Sends
# one 2-datagram message to the address given (port 9, the discard port).
PROBE = """
import errno, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, %d, 1)
try:
    s.sendmsg([bytes(20)], [(socket.SOL_UDP, %d, struct.pack("H", 10))],
              0, (sys.argv[1], 9))
    print("accepted")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))
""" % (SO_NO_CHECK, UDP_SEGMENT)

# Udp OutDatagrams of the namespace it runs in.
OUT_DATAGRAMS = """
rows = [r.split() for r in open("/proc/net/snmp") if r.startswith("Udp:")]
print(int(rows[1][rows[0].index("OutDatagrams")]))
"""


def _vpcd_udp_sockets(pid, addr):
    """Duplicates (pidfd_getfd) of process 'pid''s IPv4 UDP sockets bound
    to 'addr': the same sockets, so an option set on one is set on the
    process's."""
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    socks = []
    try:
        for name in os.listdir("/proc/%d/fd" % pid):
            try:
                if not os.readlink("/proc/%d/fd/%s" % (
                        pid, name)).startswith("socket:"):
                    continue
            except FileNotFoundError:
                continue
            fd = libc.syscall(SYS_PIDFD_GETFD, pidfd, int(name), 0)
            if fd < 0:
                e = ctypes.get_errno()
                raise OSError(e, "pidfd_getfd(%d, %s): %s" % (
                    pid, name, os.strerror(e)))
            s = socket.socket(fileno=fd)
            if (s.family == socket.AF_INET and
                    s.type == socket.SOCK_DGRAM and
                    s.getsockname()[0] == addr):
                socks.append(s)
            else:
                s.close()
    finally:
        os.close(pidfd)
    return socks


def _wait_line(proc, prefix, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for line in proc.log().splitlines():
            if line.startswith(prefix):
                return line
        time.sleep(0.1)
    raise AssertionError("%s printed no %r line:\n%s" % (
        proc.name, prefix, proc.log()))


def _out_datagrams(ns):
    return int(ns.run(["/usr/bin/python3", "-c", OUT_DATAGRAMS]).stdout)


@pytest.mark.sanitizer
def test_i_refused_udp_segment_goes_one_by_one(lab):
    with Topology(lab) as t:
        h1, h2 = t.add_vpcd_host("h1"), t.add_vpcd_host("h2")
        t.add_tenant("A", 100)
        g1 = t.add_guest("A", h1, "192.0.2.1")
        g2 = t.add_guest("A", h2, "192.0.2.2")
        t.build()
        assert g1.ns.ping(g2.ip, count=1)[0] == 1

        probe = h1.ns.run(["/usr/bin/python3", "-c", PROBE,
                           str(h2.underlay_ip)]).stdout.strip()
        assert probe == errno.errorcode[errno.EINVAL], (
            "this kernel answers %r, not EINVAL, to UDP_SEGMENT with "
            "SO_NO_CHECK: the test cannot make it refuse" % probe)
        socks = _vpcd_udp_sockets(h1.proc.pid, str(h1.underlay_ip))
        try:
            # the receiving socket and the pool of sending ones
            assert len(socks) >= 2, socks
            for s in socks:
                s.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
        finally:
            for s in socks:
                s.close()
        before = h1.link.stats()

        # Gathered datagrams.
        recv = g2.ns.spawn(["/usr/bin/python3", "-u", "-c", UDP_RECEIVER],
                           "udp-recv")
        _wait_line(recv, "ready", 10)
        out_before = _out_datagrams(h1.ns)
        h1.proc.popen.send_signal(signal.SIGSTOP)
        try:
            p = g1.ns.run(["/usr/bin/python3", "-c", UDP_SENDER, g2.ip],
                          timeout=60)
        finally:
            h1.proc.popen.send_signal(signal.SIGCONT)
        assert "sent" in p.stdout, p.stdout + p.stderr
        r = json.loads(_wait_line(recv, "{"))
        assert r["bad"] == [], "datagrams with wrong bytes: %r" % r["bad"]
        got = [seq for _, seq in r["got"]]
        assert got == list(range(COUNT)), (
            "g2 received %d of %d datagrams (in order: %s)" % (
                len(got), COUNT, got == sorted(got)))
        msgs = _out_datagrams(h1.ns) - out_before
        assert msgs >= COUNT, (
            "h1 sent %d datagrams in %d UDP messages: not one by one" % (
                COUNT, msgs))

        # Super-frames.
        recv = g2.ns.spawn(["/usr/bin/python3", "-u", "-c", TCP_RECEIVER],
                           "tcp-recv")
        _wait_line(recv, "ready", 10)
        p = g1.ns.run(["/usr/bin/python3", "-c", TCP_SENDER, g2.ip],
                      check=False, timeout=60)
        r = json.loads(_wait_line(recv, "{", 30))
        block = bytes(i * 7 & 0xff for i in range(1 << 16))
        want = hashlib.sha256(block * (TCP_BYTES >> 16)).hexdigest()
        assert r == {"bytes": TCP_BYTES, "sha256": want}, (
            r, p.stdout + p.stderr)

        after = h1.link.stats()
        assert after.drops["tx_error"] == before.drops["tx_error"], (
            before, after)
        assert after.tx_pkts - before.tx_pkts >= COUNT, (before, after)
