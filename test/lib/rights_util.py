"""rights_util.py: raw vpcd protocol, the op table and registry dumps.

The rights and malformed-request tests need what libvpc will not send:
any op word, any payload size, any output capacity.  Conn speaks
lib/libvpc/vpc_proto.h directly on vpcd's socket (one connection = one
descriptor), so a request reaches vpcd exactly as written.  OPS lists
every op of sys/net/vpc.h with its type, flags and payload sizes;
registry_dump() writes the whole registry (every object of every type,
every read op on each, flood lists of given VNIs) as bytes, for
before/after comparisons.  Conn objects wrap a socket and can be sent to
another process (SCM_RIGHTS) with send_fd()/recv_fd().
"""

import ctypes
import errno
import socket
import struct
import uuid

import vpc

MAGIC = 0x56504331
MSG_OPEN = 1
MSG_CTL = 2
REQ = struct.Struct("=IIIIII16sQQ")      # struct vpc_msg_req, 56 bytes
REP = struct.Struct("=IIQ")              # struct vpc_msg_rep, 16 bytes
assert REQ.size == 56 and REP.size == 16

OPF_IN = 0x10000000
OPF_OUT = 0x20000000
OPF_MUTATE = 0x40000000
OPF_PRIV = 0x80000000
OP_RSVD = 0x0fff0000
CTL_IN_MAX = 64 * 1024
FLOOD_MAX = 1024

T_SW, T_PT, T_VL, T_VM, T_MG, T_EL, T_VI = (
    vpc.TYPE_SWITCH, vpc.TYPE_PORT, vpc.TYPE_VPCLINK, vpc.TYPE_VMNIC,
    vpc.TYPE_MGMT, vpc.TYPE_ETHLINK, vpc.TYPE_VPCI)
ALL = (T_SW, T_PT, T_VL, T_VM, T_MG, T_EL, T_VI)
OBJ = tuple(t for t in ALL if t != T_MG)
MACT = (T_SW, T_VM, T_VI, T_EL, T_VL)
STATS = 8 * (5 + vpc.DROP_SLOTS)


class Op:
    """One row of the dispatch table, as vpc.h and vpc_ctl(2) give it."""

    def __init__(self, name, otype, num, flags, types, insize=0, outsize=0,
                 outlist=False, inlist=None):
        self.name = name
        self.word = (otype << 8) | num | flags
        self.flags = flags
        self.types = types
        self.insize = insize      # fixed input, or the list header
        self.outsize = outsize    # fixed output, or list entry size
        self.outlist = outlist
        self.inlist = inlist      # (entry size, count offset, max)

    @property
    def mutate(self):
        return bool(self.flags & OPF_MUTATE)

    @property
    def priv(self):
        return bool(self.flags & OPF_PRIV)

    def __repr__(self):
        return self.name


I, O, M, P = OPF_IN, OPF_OUT, OPF_MUTATE, OPF_PRIV
OPS = [
    Op("TYPE_GET", 0, 1, O, ALL, outsize=4),
    Op("ID_GET", 0, 2, O, ALL, outsize=16),
    Op("COMMIT", 0, 3, M, OBJ),
    Op("DESTROY", 0, 4, M, OBJ),
    Op("MAC_GET", 0, 5, O, MACT, outsize=8),
    Op("MAC_SET", 0, 6, I | M, MACT, insize=8),
    Op("MTU_GET", 0, 7, O, MACT, outsize=4),
    Op("MTU_SET", 0, 8, I | M, (T_SW, T_VM, T_VI, T_EL), insize=4),
    Op("RIGHTS_GET", 0, 9, O, ALL, outsize=4),
    Op("RESTRICT", 0, 10, I, ALL, insize=4),
    Op("ABI_VERSION", 0, 11, O, ALL, outsize=4),
    Op("COMMITTED_GET", 0, 12, O, ALL, outsize=4),
    Op("MGMT_COUNT", T_MG, 1, I | O, (T_MG,), insize=4, outsize=4),
    Op("MGMT_LIST", T_MG, 2, I | O, (T_MG,), insize=4, outsize=16,
       outlist=True),
    Op("MGMT_DUMP", T_MG, 3, O, (T_MG,), outsize=8, outlist=True),
    Op("SW_PORT_ADD", T_SW, 1, I | M, (T_SW,), insize=16),
    Op("SW_PORT_DEL", T_SW, 2, I | M, (T_SW,), insize=16),
    Op("SW_PORT_LIST", T_SW, 3, O, (T_SW,), outsize=16, outlist=True),
    Op("SW_MODE_GET", T_SW, 4, O, (T_SW,), outsize=4),
    Op("SW_MODE_SET", T_SW, 5, I | M, (T_SW,), insize=4),
    Op("SW_FLOOD_SET", T_SW, 6, I | M, (T_SW,), insize=8,
       inlist=(20, 4, FLOOD_MAX)),
    Op("SW_FLOOD_GET", T_SW, 7, I | O, (T_SW,), insize=4, outsize=20,
       outlist=True),
    Op("SW_ARP_ADD", T_SW, 8, I | M, (T_SW,), insize=32),
    Op("SW_ARP_DEL", T_SW, 9, I | M, (T_SW,), insize=32),
    Op("SW_ARP_LIST", T_SW, 10, O, (T_SW,), outsize=32, outlist=True),
    Op("SW_STATS", T_SW, 11, O, (T_SW,), outsize=STATS),
    Op("SW_MAC_LIST", T_SW, 12, O, (T_SW,), outsize=28, outlist=True),
    Op("PORT_CONNECT", T_PT, 1, I | M, (T_PT,), insize=16),
    Op("PORT_DISCONNECT", T_PT, 2, M, (T_PT,)),
    Op("PORT_VNI_GET", T_PT, 3, O, (T_PT,), outsize=4),
    Op("PORT_VNI_SET", T_PT, 4, I | M, (T_PT,), insize=4),
    Op("PORT_VLAN_GET", T_PT, 5, O, (T_PT,), outsize=4),
    Op("PORT_VLAN_SET", T_PT, 6, I | M, (T_PT,), insize=4),
    Op("PORT_PEER_GET", T_PT, 7, O, (T_PT,), outsize=16),
    Op("PORT_SWITCH_GET", T_PT, 8, O, (T_PT,), outsize=16),
    Op("PORT_STATS", T_PT, 9, O, (T_PT,), outsize=STATS),
    Op("VMNIC_IFNAME_GET", T_VM, 1, O, (T_VM,), outsize=16),
    Op("VMNIC_QUEUES_GET", T_VM, 2, O, (T_VM,), outsize=4),
    Op("VMNIC_QUEUES_SET", T_VM, 3, I | M, (T_VM,), insize=4),
    Op("VPCI_IFNAME_GET", T_VI, 1, O, (T_VI,), outsize=16),
    Op("VPCI_QUEUES_GET", T_VI, 2, O, (T_VI,), outsize=4),
    Op("VPCI_QUEUES_SET", T_VI, 3, I | M, (T_VI,), insize=4),
    Op("ETHLINK_ATTACH", T_EL, 1, I | M | P, (T_EL,), insize=16),
    Op("ETHLINK_IFNAME_GET", T_EL, 2, O, (T_EL,), outsize=16),
    Op("ETHLINK_VLAN_GET", T_EL, 3, O, (T_EL,), outsize=4),
    Op("ETHLINK_VLAN_SET", T_EL, 4, I | M, (T_EL,), insize=4),
    Op("ETHLINK_STATS", T_EL, 5, O, (T_EL,), outsize=STATS),
    Op("VPCLINK_LOCAL_SET", T_VL, 1, I | M | P, (T_VL,), insize=24),
    Op("VPCLINK_LOCAL_GET", T_VL, 2, O, (T_VL,), outsize=24),
    Op("VPCLINK_FWD_SET", T_VL, 3, I | M, (T_VL,), insize=32),
    Op("VPCLINK_FWD_DEL", T_VL, 4, I | M, (T_VL,), insize=32),
    Op("VPCLINK_FWD_LIST", T_VL, 5, O, (T_VL,), outsize=32, outlist=True),
    Op("VPCLINK_STATS", T_VL, 6, O, (T_VL,), outsize=STATS),
]
del I, O, M, P
OP = {op.name: op for op in OPS}


def ops_for(otype):
    return [op for op in OPS if otype in op.types]


class ProtoError(AssertionError):
    pass


class Conn:
    """One connection to vpcd: after open(), one descriptor."""

    def __init__(self, path=None, sock=None):
        if sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(10)
            sock.connect(path)
        self.s = sock

    @classmethod
    def from_fd(cls, fd):
        s = socket.socket(fileno=fd)
        s.settimeout(10)
        return cls(sock=s)

    def close(self):
        self.s.close()

    def _recv(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise ProtoError("vpcd closed the connection")
            b += c
        return b

    def open(self, oid, otype, flags):
        """OPEN; returns the errno (0: this connection is the descriptor)."""
        oid = oid if isinstance(oid, uuid.UUID) else uuid.UUID(str(oid))
        self.s.sendall(REQ.pack(MAGIC, MSG_OPEN, 0, otype, flags, 0,
                                oid.bytes, 0, 0))
        magic, err, outlen = REP.unpack(self._recv(REP.size))
        if magic != MAGIC or outlen != 0:
            raise ProtoError("bad OPEN reply %#x %d" % (magic, outlen))
        return err

    def ctl(self, op, payload=b"", outcap=0, inlen=None, pad=0):
        """CTL; returns (errno, outlen, output bytes).

        'inlen' (default len(payload)) is what the header claims; a
        payload longer than VPC_CTL_IN_MAX is streamed for vpcd to drain.
        """
        word = op.word if isinstance(op, Op) else op
        inlen = len(payload) if inlen is None else inlen
        self.s.sendall(REQ.pack(MAGIC, MSG_CTL, word & 0xffffffff, 0, 0,
                                pad, bytes(16), inlen, outcap) + payload)
        magic, err, outlen = REP.unpack(self._recv(REP.size))
        if magic != MAGIC:
            raise ProtoError("bad CTL reply magic %#x" % magic)
        out = self._recv(outlen) if err == 0 and outlen else b""
        return err, outlen, out

    def call(self, op, payload=b"", outcap=None):
        """CTL that must succeed; returns the output."""
        if outcap is None:
            outcap = (1 << 20) if isinstance(op, Op) and op.outlist else \
                (op.outsize if isinstance(op, Op) else 0)
        err, _, out = self.ctl(op, payload, outcap)
        if err != 0:
            raise AssertionError("%s failed: %s" % (op, errno.errorcode.get(
                err, err)))
        return out

    def u32(self, op, payload=b""):
        return struct.unpack("=I", self.call(op, payload))[0]


def connect_open(path, oid, otype, flags):
    """A new connection with a descriptor on it, or raise."""
    c = Conn(path)
    err = c.open(oid, otype, flags)
    if err != 0:
        c.close()
        raise AssertionError("open %s type %d flags %#x: %s" % (
            oid, otype, flags, errno.errorcode.get(err, err)))
    return c


NIL = uuid.UUID(int=0)
RD = vpc.F_OPEN | vpc.F_READ
RW = vpc.F_OPEN | vpc.F_READ | vpc.F_WRITE
CRW = vpc.F_CREATE | vpc.F_READ | vpc.F_WRITE


def registry_dump(path, flood_vnis=(), extra=()):
    """Bytes describing every object and relation vpcd has.

    For each object type: MGMT_COUNT and the sorted MGMT_LIST; for each
    object: every read op of the table that needs no input (not the
    statistics, which traffic may move), with its errno and sorted
    output; for switches SW_FLOOD_GET of 'flood_vnis'.  'extra' is a list
    of (Conn, op) whose results are added (the rights of descriptors).
    """
    out = []
    mg = connect_open(path, NIL, T_MG, RD)
    try:
        for t in OBJ:
            tb = struct.pack("=I", t)
            n = struct.unpack("=I", mg.call(OP["MGMT_COUNT"], tb))[0]
            ids = mg.call(OP["MGMT_LIST"], tb)
            ids = sorted(ids[i:i + 16] for i in range(0, len(ids), 16))
            out.append(b"type %d count %d\n" % (t, n))
            assert len(ids) == n
            for raw in ids:
                out.append(b"obj " + raw.hex().encode() + b"\n")
                c = connect_open(path, uuid.UUID(bytes=raw), t, RD)
                try:
                    out.append(_dump_obj(c, t, flood_vnis))
                finally:
                    c.close()
        for c, op in extra:
            err, n, data = c.ctl(op, outcap=op.outsize)
            out.append(b"extra %s %d %s\n" % (op.name.encode(), err,
                                               data.hex().encode()))
    finally:
        mg.close()
    return b"".join(out)


def _dump_obj(c, t, flood_vnis):
    out = []
    for op in ops_for(t):
        if op.flags & (OPF_IN | OPF_MUTATE) or op.name.endswith("STATS") \
                or op.name == "RIGHTS_GET":
            continue
        cap = (1 << 20) if op.outlist else op.outsize
        err, n, data = c.ctl(op, outcap=cap)
        if op.outlist and err == 0:
            data = b"".join(sorted(data[i:i + op.outsize]
                                   for i in range(0, len(data), op.outsize)))
        out.append(b"%s %d %s\n" % (op.name.encode(), err,
                                    data.hex().encode()))
    if t == T_SW:
        for vni in flood_vnis:
            err, n, data = c.ctl(OP["SW_FLOOD_GET"], struct.pack("=I", vni),
                                 1 << 20)
            data = b"".join(sorted(data[i:i + 20]
                                   for i in range(0, len(data), 20)))
            out.append(b"flood %d %d %s\n" % (vni, err, data.hex().encode()))
    return b"".join(out)


def dump_diff(a, b):
    """The first differing lines of two dumps, for assertion messages."""
    la, lb = a.splitlines(), b.splitlines()
    diff = [(x, y) for x, y in zip(la, lb) if x != y]
    if len(la) != len(lb):
        diff.append((b"%d lines" % len(la), b"%d lines" % len(lb)))
    return "\n".join("- %r\n+ %r" % d for d in diff[:5])


# --- payloads ----------------------------------------------------------

def ipaddr(addr=None, family=None, pad=b"\0\0\0"):
    """A struct vpc_ipaddr (20 bytes)."""
    if addr is None:
        return bytes([family or 0]) + pad + bytes(16)
    v = vpc.VpcIpaddr.of(addr)
    b = bytearray(bytes(v))
    if family is not None:
        b[0] = family
    b[1:4] = pad
    return bytes(b)


def neigh(vni, ip, mac, pad=0, family=None):
    return struct.pack("=I", vni) + ipaddr(ip, family) + vpc.mac_bytes(mac) + \
        struct.pack("=H", pad)


def fwd(vni, mac, remote, flags=0):
    return struct.pack("=I", vni) + vpc.mac_bytes(mac) + \
        struct.pack("=H", flags) + (ipaddr(remote) if remote else bytes(20))


def udpaddr(addr, port=0, pad=0):
    return ipaddr(addr) + struct.pack("=HH", port, pad)


def macb(mac, pad=b"\0\0"):
    return vpc.mac_bytes(mac) + pad


def u32(v):
    return struct.pack("=I", v)


# --- descriptor passing ------------------------------------------------

def send_fd(sock, fd):
    sock.sendmsg([b"F"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                           struct.pack("=i", fd))])


def recv_fd(sock):
    msg, anc, _, _ = sock.recvmsg(1, socket.CMSG_SPACE(4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            return struct.unpack("=i", data[:4])[0]
    raise AssertionError("no descriptor received")


# --- libvpc's vpc_ctl(2) with raw pointers ------------------------------

def raw_vpc_ctl(vd, op, innbyte, inp, outnbyte, outp):
    """libvpc's vpc_ctl() with pointers as given; returns the errno."""
    lib = vpc.lib()
    fn = lib.vpc_ctl
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_int, ctypes.c_uint32, ctypes.c_size_t,
                   ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    ctypes.set_errno(0)
    rc = fn(vd, op, innbyte, inp, outnbyte, outp)
    return 0 if rc == 0 else ctypes.get_errno()


def ename(e):
    return errno.errorcode.get(e, str(e)) if e else "OK"
