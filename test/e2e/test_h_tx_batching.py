"""(h) Datagrams gathered into one UDP_SEGMENT send arrive whole and in order.

Three vpcd hosts h1, h2, h3, tenant A (VNI 100), a guest on each
(192.0.2.1-3).  h1's vpcd is stopped (SIGSTOP) while its guest sends 300
UDP datagrams, so they wait in the TAP and the vpcd reads them in bursts
when it continues: the vpclink then gathers runs of equal-size datagrams
for one remote into single UDP_SEGMENT messages.  h2's and h3's vpcds are
stopped until h1 has sent everything, so each finds dozens of messages
waiting and hands them to its core in bursts, over several recvmmsg
batches in one wake-up.  The stream alternates
the two remote guests in runs of 3 from 32 source ports in turn (100
changes of remote between flows that the vpclink's flow hash spreads over
its 16 sending sockets: some consecutive pairs share one, so a message
that ignored the remote would be seen), mostly 1000-byte payloads with a shorter one every
37th (it can only end a message) and a longer one every 53rd (it cannot
join one), so every rule that ends a message is taken.  Proves: each
remote guest receives exactly the datagrams sent to it, byte for byte,
each flow (source port) in the order sent; h1's vpclink counted every one
as sent and none as a tx_error drop; they left h1 gathered: h1's
namespace counted at most half as many UDP messages (OutDatagrams, which
this kernel counts per message, as the test checks first) as datagrams;
and they reached the guests joined: the receiving vpcds wrote runs of
equal-size datagrams of one flow to the guests' TAPs as USO frames (the
stack cuts them back), so each guest's interface counted at most two
thirds as many frames received as it got datagrams.
"""

import signal
import time

import pytest

from guest_udp import json_result, udp_receiver, wait_ready
from topo import Topology

COUNT = 300
PORT = 9100

PAYLOADS = """
def payload(seq):
    if seq % 37 == 36:
        size = 200
    elif seq % 53 == 52:
        size = 1200
    else:
        size = 1000
    head = b"seq:%05d;" % seq
    fill = bytes((seq * 7 + i) & 0xff for i in range(size - len(head)))
    return head + fill


def dest(seq, ips):
    return ips[(seq // 3) % 2]


def sock(seq):
    return (seq // 3) % 32
"""

SENDER = PAYLOADS + """
import socket, sys
ips = sys.argv[1:3]
socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(32)]
for seq in range(%d):
    socks[sock(seq)].sendto(payload(seq), (dest(seq, ips), %d))
print("sent")
""" % (COUNT, PORT)

RECEIVER = udp_receiver(PORT, PAYLOADS)


# Udp OutDatagrams of the namespace it runs in; with an address argument,
# first the counter's growth for one 3-datagram UDP_SEGMENT message sent to
# that address (port 9), i.e. whether the kernel counts messages.
OUT_DATAGRAMS = """
import socket, struct, sys
def out():
    rows = [r.split() for r in open("/proc/net/snmp") if r.startswith("Udp:")]
    return int(rows[1][rows[0].index("OutDatagrams")])
if len(sys.argv) > 1:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    before = out()
    s.sendmsg([bytes(30)], [(socket.SOL_UDP, 103, struct.pack("H", 10))],
              0, (sys.argv[1], 9))
    print("per_message", out() - before)
print("out", out())
"""


def _out_datagrams(ns, calibrate_to=None):
    argv = ["/usr/bin/python3", "-c", OUT_DATAGRAMS]
    if calibrate_to is not None:
        argv.append(str(calibrate_to))
    res = dict(line.split() for line in ns.run(argv).stdout.splitlines())
    return {k: int(v) for k, v in res.items()}


def _expected(ips, ip):
    """{socket index: the sequence numbers it sent to 'ip', in order}."""
    ns = {}
    exec(PAYLOADS, ns)
    want = {}
    for q in range(COUNT):
        if ns["dest"](q, ips) == ip:
            want.setdefault(ns["sock"](q), []).append(q)
    return want


def _flows(got):
    """{sending socket index: sequence numbers received, in order}; the
    index is that of the first datagram seen from each source port."""
    ns = {}
    exec(PAYLOADS, ns)
    flows = {}
    for port, seq in got:
        flows.setdefault(port, []).append(seq)
    return {ns["sock"](seqs[0]): seqs for seqs in flows.values()}


def _rx_frames(g):
    """Frames guest 'g''s interface has received (a USO frame is one)."""
    return int(g.ns.run(["cat", "/sys/class/net/%s/statistics/rx_packets" %
                         g.ifname]).stdout)


@pytest.mark.sanitizer
def test_h_batched_datagrams_whole_and_in_order(lab):
    with Topology(lab) as t:
        hosts = [t.add_vpcd_host("h%d" % i) for i in (1, 2, 3)]
        t.add_tenant("A", 100)
        g1, g2, g3 = [t.add_guest("A", h, "192.0.2.%d" % (i + 1))
                      for i, h in enumerate(hosts)]
        t.build()
        for g in (g2, g3):      # warm: ARP answers, paths
            assert g1.ns.ping(g.ip, count=1)[0] == 1, g

        recv = {}
        for g in (g2, g3):
            recv[g.ip] = g.ns.spawn(["/usr/bin/python3", "-u", "-c",
                                     RECEIVER], "recv-%s" % g.ns.role)
        for g in (g2, g3):
            wait_ready(recv[g.ip])

        rx_before = {g.ip: _rx_frames(g) for g in (g2, g3)}
        h1 = hosts[0]
        cal = _out_datagrams(h1.ns, h1.underlay_ip)
        assert cal["per_message"] == 1, (
            "this kernel counts UDP_SEGMENT datagrams, not messages, in "
            "OutDatagrams (%d for one 3-datagram message): the batching "
            "check below needs another counter" % cal["per_message"])
        out_before = _out_datagrams(h1.ns)["out"]
        before = h1.link.stats()
        for h in (hosts[1], hosts[2], h1):
            h.proc.popen.send_signal(signal.SIGSTOP)
        try:
            p = g1.ns.run(["/usr/bin/python3", "-c", SENDER, g2.ip, g3.ip],
                          timeout=60)
            h1.proc.popen.send_signal(signal.SIGCONT)
            end = time.monotonic() + 10
            while h1.link.stats().tx_pkts - before.tx_pkts < COUNT:
                assert time.monotonic() < end, "h1 did not send them all"
                time.sleep(0.1)
        finally:
            for h in (h1, hosts[1], hosts[2]):
                h.proc.popen.send_signal(signal.SIGCONT)
        assert "sent" in p.stdout, p.stdout + p.stderr

        ips = [g2.ip, g3.ip]
        for g in (g2, g3):
            r = json_result(recv[g.ip])
            want = _expected(ips, g.ip)
            assert r["bad"] == [], "%s: datagrams with wrong bytes: %r" % (
                g.name, r["bad"])
            got = _flows(r["got"])
            assert len(r["got"]) == sum(map(len, want.values())), (
                "%s received %d datagrams, want %d" % (
                    g.name, len(r["got"]), sum(map(len, want.values()))))
            assert got == want, "%s: per flow, got %r, want %r" % (
                g.name, got, want)
            frames = _rx_frames(g) - rx_before[g.ip]
            print("%s got %d datagrams in %d frames" % (
                g.name, len(r["got"]), frames))
            assert frames <= len(r["got"]) * 2 // 3, (
                "%s's interface received %d frames for %d datagrams: the "
                "receiving vpcd did not join them" % (
                    g.name, frames, len(r["got"])))

        after = h1.link.stats()
        assert after.tx_pkts - before.tx_pkts >= COUNT, (before, after)
        # gathered: far fewer messages left h1 than datagrams
        msgs = _out_datagrams(h1.ns)["out"] - out_before
        print("h1 sent %d datagrams in %d UDP messages" % (
            after.tx_pkts - before.tx_pkts, msgs))
        assert msgs <= COUNT // 2, (
            "h1's vpcd sent %d messages for %d datagrams: not gathered" % (
                msgs, COUNT))
        assert after.drops["tx_error"] == before.drops["tx_error"], (
            before, after)
        t.assert_alive()
