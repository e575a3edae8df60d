"""Rights and privilege against a real vpcd (issue 6, item 3).

vpcd runs in a network namespace with `-g nogroup` on a socket in the
test's scratch directory, made reachable by everyone (the directory 0711,
the socket 0666) so that unprivileged processes can connect.  Callers run
as separate processes through setpriv: uid nobody with gid daemon and no
supplementary group (unprivileged), or uid nobody with gid nogroup
(privileged through -g).  Everything is spoken in the raw protocol of
vpc_proto.h (test/lib/rights_util.py), so requests reach vpcd exactly as
written, and every test compares a dump of the whole registry (every
object, every read op) before and after.

  unprivileged   cannot create (EPERM) or open for writing (EPERM); on a
                 read-only descriptor every mutating op is EBADF; reads
                 work; -g membership does grant privilege
  restricted fd  READ|WRITE restricted to READ, passed with SCM_RIGHTS to
                 an unprivileged process: rights stay READ, RESTRICT to
                 WRITE or READ|WRITE is EPERM, every mutation EBADF, reads
                 work, and the sender's copy is restricted too
  malformed      every op with its input one byte short and one long, its
                 fixed output one byte short (ERANGE, size needed), every
                 flag bit flipped, reserved bits, unknown numbers, ops of
                 other types, oversize input, bad enum values and bad
                 addresses: the precise errno, and the registry unchanged
"""

import ctypes
import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time
import uuid

import pytest

import rights_util as ru
import topo
import vpc
from rights_util import OP, OPS, T_EL, T_MG, T_PT, T_SW, T_VI, T_VL, T_VM

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "lib")
UNDERLAY = "198.51.100.1"
FLOOD_VNIS = (100, 200)

CHILD = r"""
import errno, json, os, socket, struct, sys, uuid
sys.path.insert(0, sys.argv[1])
import rights_util as ru
from rights_util import OP, OPS
path, mode, ids = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
res = {"uid": os.getuid(), "gid": os.getgid(), "groups": os.getgroups()}

def payload(op):
    return bytes(op.insize)     # rights are checked before sizes anyway

def try_all(c, otype, res, key):
    out = {}
    for op in OPS:
        if otype not in op.types or op.name == "RESTRICT":
            continue
        err, n, data = c.ctl(op, payload(op), 1 << 20 if op.outlist
                             else op.outsize)
        out[op.name] = err
    res[key] = out

if mode == "unpriv":
    opens = {}
    for name, (oid, t) in ids.items():
        if name.startswith("_"):
            continue
        for fname, fl in (("create", ru.CRW), ("create_open",
                          ru.CRW | ru.vpc.F_OPEN), ("write", ru.RW),
                          ("write_only", ru.vpc.F_OPEN | ru.vpc.F_WRITE)):
            c = ru.Conn(path)
            opens["%s/%s" % (name, fname)] = c.open(oid, t, fl)
            c.close()
        c = ru.Conn(path)
        opens["%s/read" % name] = c.open(oid, t, ru.RD)
        if opens["%s/read" % name] == 0:
            try_all(c, t, res, "ops/" + name)
        c.close()
    c = ru.Conn(path)
    opens["new/create"] = c.open(uuid.UUID(ids["_new"][0]), ru.T_SW, ru.CRW)
    c.close()
    res["opens"] = opens
elif mode == "group":
    c = ru.Conn(path)
    res["create"] = c.open(uuid.UUID(ids["_new"][0]), ru.T_SW, ru.CRW)
    if res["create"] == 0:
        res["mode_set"] = c.ctl(OP["SW_MODE_SET"], ru.u32(2))[0]
    c.close()
elif mode == "passed":
    s = socket.socket(fileno=int(sys.argv[5]))
    fd = ru.recv_fd(s)
    c = ru.Conn.from_fd(fd)
    t = ids["_passed"][1]
    err, n, data = c.ctl(OP["RIGHTS_GET"], b"", 4)
    res["rights"] = struct.unpack("=I", data)[0] if err == 0 else -err
    res["restrict_rw"] = c.ctl(OP["RESTRICT"], ru.u32(3))[0]
    res["restrict_w"] = c.ctl(OP["RESTRICT"], ru.u32(2))[0]
    err, n, data = c.ctl(OP["RIGHTS_GET"], b"", 4)
    res["rights_after"] = struct.unpack("=I", data)[0]
    try_all(c, t, res, "ops")
    c2 = ru.Conn(path)
    res["reopen_write"] = c2.open(uuid.UUID(ids["_passed"][0]), t, ru.RW)
    c2.close()
    s.sendall(b"done")
print(json.dumps(res))
"""


@pytest.fixture
def vpcd(lab):
    """vpcd -g nogroup in a namespace, socket reachable by everyone."""
    ns = lab.netns("h1")
    lab.veth(ns, "ul0", ns, "ul1")
    ns.addr_add("ul0", UNDERLAY + "/24")
    os.chmod(lab.dir, 0o711)
    sock = lab.path("vpcd.sock")
    env = dict(os.environ)
    env.pop("VPC_SOCKET", None)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    proc = ns.spawn([topo.vpcd_path(), "-s", sock, "-g", "nogroup"],
                    "vpcd", env=env)
    _wait(proc, sock)
    os.chmod(sock, 0o666)
    yield Vpcd(sock, proc)
    rc = proc.stop()
    log = proc.log()
    assert rc == 0, "vpcd exit status %s:\n%s" % (rc, log[-2000:])
    assert not topo.SANITIZER_RE.search(log), log[-4000:]


def _wait(proc, sock):
    end = time.monotonic() + 15
    while time.monotonic() < end:
        assert proc.alive(), "vpcd died:\n" + proc.log()[-2000:]
        if os.path.exists(sock):
            try:
                ru.Conn(sock).close()
                return
            except OSError:
                pass
        time.sleep(0.05)
    raise AssertionError("vpcd socket never came up:\n" + proc.log())


class Vpcd:
    """The daemon, and a topology built on it as root."""

    def __init__(self, sock, proc):
        self.sock = sock
        self.proc = proc
        self.conns = {}         # name -> Conn (RW descriptor, root)
        self.ids = {}           # name -> (uuid, type)

    def make(self, name, otype, commit=True):
        oid = uuid.uuid4()
        c = ru.Conn(self.sock)
        assert c.open(oid, otype, ru.CRW) == 0
        if commit:
            c.call(OP["COMMIT"])
        self.conns[name] = c
        self.ids[name] = (oid, otype)
        return c

    def build(self):
        """A switch with a vmnic port and a vpclink uplink, and more."""
        sw = self.make("sw", T_SW)
        pt = self.make("pt", T_PT)
        nic = self.make("nic", T_VM)
        vl = self.make("vl", T_VL)
        up = self.make("up", T_PT)
        self.make("el", T_EL)
        self.make("vpci", T_VI)
        self.make("loose", T_PT, commit=False)
        pt.call(OP["PORT_VNI_SET"], ru.u32(100))
        up.call(OP["PORT_VNI_SET"], ru.u32(100))
        vl.call(OP["VPCLINK_LOCAL_SET"], ru.udpaddr(UNDERLAY))
        sw.call(OP["SW_PORT_ADD"], self.ids["pt"][0].bytes)
        sw.call(OP["SW_PORT_ADD"], self.ids["up"][0].bytes)
        pt.call(OP["PORT_CONNECT"], self.ids["nic"][0].bytes)
        up.call(OP["PORT_CONNECT"], self.ids["vl"][0].bytes)
        sw.call(OP["SW_ARP_ADD"], ru.neigh(100, "192.0.2.1",
                                           "02:00:00:00:01:01"))
        vl.call(OP["VPCLINK_FWD_SET"], ru.fwd(100, "02:00:00:00:0a:01",
                                              "198.51.100.2"))
        sw.call(OP["SW_FLOOD_SET"], struct.pack("=II", 100, 2) +
                ru.ipaddr("198.51.100.2") + ru.ipaddr("198.51.100.3"))
        return self

    def dump(self):
        extra = [(c, OP["RIGHTS_GET"]) for _, c in sorted(self.conns.items())]
        return ru.registry_dump(self.sock, FLOOD_VNIS, extra)

    def close(self):
        for c in self.conns.values():
            c.close()


def _child(vpcd, mode, ids, gid, pass_fd=None):
    argv = ["setpriv", "--reuid=nobody", "--regid=%s" % gid,
            "--clear-groups", sys.executable, "-c", CHILD, LIB, vpcd.sock,
            mode, json.dumps(ids)]
    if pass_fd is not None:
        argv.append(str(pass_fd))
    env = dict(os.environ)
    env["LIBVPC"] = vpc.library_path()
    return subprocess.Popen(argv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            pass_fds=(pass_fd,) if pass_fd is not None
                            else ())


def _result(p, timeout=60):
    out, err = p.communicate(timeout=timeout)
    assert p.returncode == 0, "child failed (%d):\n%s" % (p.returncode,
                                                          err[-3000:])
    return json.loads(out.strip().splitlines()[-1])


def _ids(vpcd):
    d = {k: (str(v[0]), v[1]) for k, v in vpcd.ids.items()}
    d["_new"] = (str(uuid.uuid4()), T_SW)
    return d


def _expect_ops(result, otype, rights, priv=False):
    """Every op of 'otype' on a descriptor with 'rights': EBADF if it
    needs a right the descriptor lacks, else anything but EBADF/EPERM."""
    bad = []
    for op in OPS:
        if otype not in op.types or op.name == "RESTRICT":
            continue
        got = result.get(op.name, "missing")
        need = vpc.R_WRITE if op.mutate else vpc.R_READ
        if not rights & need:
            if got != errno.EBADF:
                bad.append("%s: %s, want EBADF" % (op.name, ru.ename(got)))
        elif op.priv and not priv:
            if got != errno.EPERM:
                bad.append("%s: %s, want EPERM" % (op.name, ru.ename(got)))
        elif not op.mutate and got != 0 and (op.name, got) not in (
                ("PORT_PEER_GET", errno.ENOTCONN),     # vpc_ctl(2)
                ("PORT_SWITCH_GET", errno.ENOENT)):
            bad.append("%s: read failed with %s" % (op.name, ru.ename(got)))
    assert not bad, "\n".join(bad)


@pytest.mark.sanitizer
def test_unprivileged_cannot_create_or_mutate(vpcd):
    vpcd.build()
    before = vpcd.dump()
    res = _result(_child(vpcd, "unpriv", _ids(vpcd), "daemon"))
    assert res["uid"] == 65534 and res["gid"] == 1 and \
        65534 not in res["groups"], res
    bad = []
    for key, err in sorted(res["opens"].items()):
        want = 0 if key.endswith("/read") else errno.EPERM
        if err != want:
            bad.append("open %s: %s, want %s" % (key, ru.ename(err),
                                                  ru.ename(want)))
    assert not bad, "\n".join(bad)
    for name, (oid, t) in vpcd.ids.items():
        _expect_ops(res.get("ops/" + name, {}), t, vpc.R_READ)
    after = vpcd.dump()
    assert after == before, ru.dump_diff(before, after)
    # -g nogroup does make its members privileged.
    res = _result(_child(vpcd, "group", _ids(vpcd), "nogroup"))
    assert res["create"] == 0 and res["mode_set"] == 0, res
    assert vpcd.dump() == before        # closed uncommitted: gone again
    vpcd.close()


@pytest.mark.sanitizer
def test_restricted_descriptor_passed_cannot_regain_write(vpcd):
    vpcd.build()
    sw = ru.connect_open(vpcd.sock, vpcd.ids["sw"][0], T_SW, ru.RW)
    assert struct.unpack("=I", sw.call(OP["RIGHTS_GET"]))[0] == 3
    sw.call(OP["RESTRICT"], ru.u32(vpc.R_READ))
    before = vpcd.dump()
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    ids = _ids(vpcd)
    ids["_passed"] = (str(vpcd.ids["sw"][0]), T_SW)
    p = _child(vpcd, "passed", ids, "daemon", pass_fd=b.fileno())
    b.close()
    ru.send_fd(a, sw.s.fileno())
    a.settimeout(60)
    assert a.recv(4) == b"done"
    res = _result(p)
    a.close()
    assert res["rights"] == vpc.R_READ, res
    assert res["restrict_rw"] == errno.EPERM, res
    assert res["restrict_w"] == errno.EPERM, res
    assert res["rights_after"] == vpc.R_READ, res
    assert res["reopen_write"] == errno.EPERM, res
    # The descriptor was opened by root: privilege is the opener's, but
    # the rights are the descriptor's, so every mutation is EBADF.
    _expect_ops(res["ops"], T_SW, vpc.R_READ, priv=True)
    # The sender's copy is the same descriptor: restricted too.
    for op in OPS:
        if T_SW in op.types and op.mutate:
            err = sw.ctl(op, bytes(op.insize))[0]
            assert err == errno.EBADF, "%s: %s" % (op.name, ru.ename(err))
    after = vpcd.dump()
    assert after == before, ru.dump_diff(before, after)
    sw.close()
    vpcd.close()


def _size_cases(op):
    """(payload, outcap, expected errno) for sizes off by one."""
    out = op.outsize if not op.outlist else 1 << 20
    cases = []
    if op.inlist:
        entry, _, mx = op.inlist
        hdr = struct.pack("=II", 100, 1) + ru.ipaddr("198.51.100.9")
        cases += [(hdr[:7], out, errno.EINVAL),
                  (hdr[:-1], out, errno.EINVAL),
                  (hdr + b"\0", out, errno.EINVAL),
                  (struct.pack("=II", 100, mx + 1) +
                   ru.ipaddr("198.51.100.9") * (mx + 1), out, errno.EINVAL)]
    else:
        if op.insize > 0:
            cases.append((bytes(op.insize - 1), out, errno.EINVAL))
        cases.append((bytes(op.insize + 1), out, errno.EINVAL))
    return cases


@pytest.mark.sanitizer
def test_malformed_requests_precise_errno_state_unchanged(vpcd):
    v = vpcd.build()
    before = v.dump()
    by_type = {T_SW: "sw", T_PT: "pt", T_VM: "nic", T_VL: "vl", T_EL: "el",
               T_VI: "vpci"}
    mg = ru.connect_open(v.sock, ru.NIL, T_MG, ru.RD)
    conn = {t: v.conns[n] for t, n in by_type.items()}
    conn[T_MG] = mg
    bad = []

    def check(c, what, op, payload, outcap, want, want_outlen=None):
        err, outlen, _ = c.ctl(op, payload, outcap)
        if err != want or (want_outlen is not None and outlen != want_outlen):
            bad.append("%s: %s outlen %d, want %s%s" % (
                what, ru.ename(err), outlen, ru.ename(want),
                "" if want_outlen is None else " outlen %d" % want_outlen))

    ops_done = 0
    for op in OPS:
        for t in op.types:
            c = conn[t]
            tag = "%s on type %d" % (op.name, t)
            for payload, cap, want in _size_cases(op):
                check(c, "%s in %d" % (tag, len(payload)), op, payload,
                      cap, want)
            if op.outsize and not op.outlist:
                good = bytes(op.insize)
                if op.name in ("MGMT_COUNT",):
                    good = ru.u32(T_SW)
                if op.name == "RESTRICT":
                    continue
                check(c, "%s out %d" % (tag, op.outsize - 1), op, good,
                      op.outsize - 1, errno.ERANGE, op.outsize)
            for bit in (ru.OPF_IN, ru.OPF_OUT, ru.OPF_MUTATE, ru.OPF_PRIV):
                check(c, "%s ^%#x" % (tag, bit), op.word ^ bit,
                      bytes(op.insize), 1 << 16, errno.EINVAL)
            check(c, "%s rsvd" % tag, op.word | 0x00010000, bytes(op.insize),
                  1 << 16, errno.EINVAL)
            check(c, "%s too big" % tag, op, bytes(ru.CTL_IN_MAX + 1),
                  1 << 16, errno.E2BIG)
            ops_done += 1
        for t in conn:
            if t not in op.types:
                check(conn[t], "%s on type %d" % (op.name, t), op,
                      bytes(op.insize), 1 << 16, errno.ENOTTY)
    assert ops_done >= len(OPS)
    for t, c in conn.items():
        for num in (0, 13, 200):
            tb = 0 if num == 0 else (t if num != 13 else 0)
            check(c, "unknown op %d/%d" % (tb, num),
                  (tb << 8) | num | ru.OPF_OUT, b"", 64, errno.EOPNOTSUPP)

    # Bad values: enums, ranges, addresses.
    sw, pt, nic, vl, el = (v.conns[n] for n in ("sw", "pt", "nic", "vl",
                                                 "el"))
    loose = v.conns["loose"]
    E = errno
    cases = [
        (sw, "SW_MODE_SET", ru.u32(0), E.EINVAL),
        (sw, "SW_MODE_SET", ru.u32(3), E.EINVAL),
        (loose, "PORT_VNI_SET", ru.u32(1 << 24), E.EINVAL),
        (loose, "PORT_VLAN_SET", ru.u32(4095), E.EINVAL),
        (pt, "PORT_VNI_SET", ru.u32(7), E.EBUSY),
        (el, "ETHLINK_VLAN_SET", ru.u32(4095), E.EINVAL),
        (nic, "MTU_SET", ru.u32(575), E.EINVAL),
        (nic, "MTU_SET", ru.u32(9001), E.EINVAL),
        (nic, "VMNIC_QUEUES_SET", ru.u32(0), E.EINVAL),
        (nic, "VMNIC_QUEUES_SET", ru.u32(17), E.EINVAL),
        (nic, "MAC_SET", ru.macb("03:00:00:00:00:01"), E.EINVAL),
        (nic, "MAC_SET", ru.macb("00:00:00:00:00:00"), E.EINVAL),
        (nic, "MAC_SET", ru.macb("02:00:00:00:00:09", b"\0\1"), E.EINVAL),
        (sw, "RESTRICT", ru.u32(4), E.EINVAL),
        (sw, "SW_ARP_ADD", ru.neigh(100, "2001:db8::1",
                                    "02:00:00:00:00:05"), E.EAFNOSUPPORT),
        (sw, "SW_ARP_ADD", ru.neigh(100, "192.0.2.5", "02:00:00:00:00:05",
                                    family=5), E.EINVAL),
        (sw, "SW_ARP_ADD", ru.neigh(1 << 24, "192.0.2.5",
                                    "02:00:00:00:00:05"), E.EINVAL),
        (sw, "SW_ARP_ADD", ru.neigh(100, "192.0.2.5", "01:00:5e:00:00:05"),
         E.EINVAL),
        (sw, "SW_ARP_ADD", ru.neigh(100, "192.0.2.5", "02:00:00:00:00:05",
                                    pad=1), E.EINVAL),
        (sw, "SW_ARP_DEL", ru.neigh(100, "192.0.2.77", "02:00:00:00:00:05"),
         E.ENOENT),
        (sw, "SW_PORT_ADD", uuid.uuid4().bytes, E.ENOENT),
        (sw, "SW_PORT_ADD", v.ids["nic"][0].bytes, E.EPROTOTYPE),
        (sw, "SW_PORT_ADD", v.ids["pt"][0].bytes, E.EEXIST),
        (sw, "SW_FLOOD_SET", struct.pack("=II", 100, 2) +
         ru.ipaddr("198.51.100.9") * 2, E.EINVAL),
        (sw, "SW_FLOOD_SET", struct.pack("=II", 100, 1) +
         ru.ipaddr("224.0.0.1"), E.EINVAL),
        (sw, "SW_FLOOD_SET", struct.pack("=II", 100, 1) +
         ru.ipaddr(family=7), E.EINVAL),
        (sw, "SW_FLOOD_SET", struct.pack("=II", 100, 1) +
         ru.ipaddr("198.51.100.9", pad=b"\0\0\1"), E.EINVAL),
        (vl, "VPCLINK_FWD_SET", ru.fwd(100, "02:00:00:00:0a:09",
                                       "198.51.100.2", flags=1), E.EINVAL),
        (vl, "VPCLINK_FWD_SET", ru.fwd(100, "02:00:00:00:0a:09", None),
         E.EINVAL),
        (vl, "VPCLINK_FWD_SET", ru.fwd(100, "02:00:00:00:0a:09",
                                       "255.255.255.255"), E.EINVAL),
        (vl, "VPCLINK_FWD_DEL", ru.fwd(100, "02:00:00:00:0a:77", None),
         E.ENOENT),
        (vl, "VPCLINK_LOCAL_SET", ru.udpaddr("224.0.0.1"), E.EINVAL),
        (vl, "VPCLINK_LOCAL_SET", ru.udpaddr(UNDERLAY, pad=1), E.EINVAL),
        (vl, "VPCLINK_LOCAL_SET", ru.udpaddr("0.0.0.0"), E.EINVAL),
        (el, "ETHLINK_ATTACH", b"e" * 16, E.EINVAL),
        (pt, "PORT_CONNECT", v.ids["nic"][0].bytes, E.EISCONN),
        (loose, "PORT_CONNECT", v.ids["sw"][0].bytes, None),
        (loose, "PORT_CONNECT", v.ids["nic"][0].bytes, E.EBUSY),
        (loose, "PORT_DISCONNECT", b"", E.ENOTCONN),
        (mg, "MGMT_COUNT", ru.u32(99), E.EINVAL),
    ]
    for c, name, payload, want in cases:
        op = OP[name]
        err, _, _ = c.ctl(op, payload, 1 << 16)
        if want is None:        # some refusal; which one is not pinned
            if err == 0:
                bad.append("%s %s: succeeded" % (name, payload.hex()))
        elif err != want:
            bad.append("%s %s: %s, want %s" % (name, payload.hex(),
                                                 ru.ename(err),
                                                 ru.ename(want)))
    # vpc_proto.h: a nonzero pad word in a CTL request.
    err = sw.ctl(OP["SW_MODE_GET"], b"", 4, pad=1)[0]
    if err != errno.EINVAL:
        bad.append("CTL with rq_pad 1: %s, want EINVAL" % ru.ename(err))

    # Bad addresses through libvpc's vpc_ctl(2): NULL buffers with sizes,
    # and an input pointer into unmapped memory (on a throwaway
    # descriptor: libvpc shuts a stream down once a message went astray).
    os.environ["VPC_SOCKET"] = v.sock
    L = vpc.lib()
    L.vpc_open.restype = ctypes.c_int
    L.vpc_open.argtypes = [ctypes.POINTER(vpc.VpcId), ctypes.c_uint32,
                           ctypes.c_uint32]
    fd = L.vpc_open(ctypes.byref(vpc.VpcId.of(v.ids["sw"][0])), T_SW, ru.RW)
    assert fd >= 0, "vpc_open through libvpc failed"
    n = ctypes.c_size_t(4)
    got = ru.raw_vpc_ctl(fd, OP["SW_MODE_SET"].word, 4, None, None, None)
    if got != errno.EFAULT:
        bad.append("vpc_ctl(in=NULL, 4): %s" % ru.ename(got))
    got = ru.raw_vpc_ctl(fd, OP["SW_MODE_GET"].word, 0, None,
                         ctypes.addressof(n), None)
    if got != errno.EFAULT:
        bad.append("vpc_ctl(out=NULL, cap 4): %s" % ru.ename(got))
    got = ru.raw_vpc_ctl(fd, OP["SW_MODE_SET"].word, 4, 16, None, None)
    if got != errno.EFAULT:
        bad.append("vpc_ctl(in=0x10, 4): %s" % ru.ename(got))
    os.close(fd)

    after = v.dump()
    assert not bad, "%d wrong answers:\n%s" % (len(bad), "\n".join(bad))
    assert after == before, ru.dump_diff(before, after)
    # The dump does see a change (or the comparisons prove nothing).
    assert before.count(b"obj ") == 8
    sw.call(OP["SW_MODE_SET"], ru.u32(vpc.SW_MODE_LEARNING))
    assert v.dump() != before
    sw.call(OP["SW_MODE_SET"], ru.u32(vpc.SW_MODE_PROGRAMMED))
    assert v.dump() == before
    assert v.proc.alive()
    mg.close()
    v.close()
