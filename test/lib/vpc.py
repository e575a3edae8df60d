"""vpc.py: a ctypes binding of libvpc.so for the tests and tools.

The structures mirror sys/net/vpc.h field for field; at import their sizes
are checked against the header's VPC_ABI_ASSERT lines, and the constants
written out below are checked against the header's #defines, so a change of
the ABI that this file does not follow fails loudly instead of corrupting
requests.  A Handle wraps one libvpc handle talking to one vpcd (chosen by
its socket path); every failed call raises VpcError carrying the errno, the
name of the op that failed and libvpc_errstr()'s text.

    h = Handle("h1.sock")          # the socket of one vpcd
    sw = h.create(uuid.uuid4(), TYPE_SWITCH)
    sw.commit()
    s = sw.stats()
    s.drops["vxlan_short"]
"""

import ctypes
import ctypes.util
import ipaddress
import os
import re
import uuid

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HEADER = os.path.join(REPO, "sys", "net", "vpc.h")

# Constants of sys/net/vpc.h (checked against the header at import).
TYPE_SWITCH = 1
TYPE_PORT = 2
TYPE_VPCLINK = 5
TYPE_VMNIC = 6
TYPE_MGMT = 7
TYPE_ETHLINK = 8
TYPE_VPCI = 9

F_CREATE = 0x1
F_OPEN = 0x2
F_READ = 0x4
F_WRITE = 0x8

R_READ = 0x1
R_WRITE = 0x2

SW_MODE_PROGRAMMED = 1
SW_MODE_LEARNING = 2

AF_INET = 4
AF_INET6 = 6

VXLAN_PORT = 4789
IFNAMSIZ = 16
DROP_SLOTS = 48
FWD_F_LEARNED = 0x1
SWE_F_LEARNED = 0x1

_CHECKED_DEFINES = {
    "VPC_TYPE_SWITCH": TYPE_SWITCH, "VPC_TYPE_PORT": TYPE_PORT,
    "VPC_TYPE_VPCLINK": TYPE_VPCLINK, "VPC_TYPE_VMNIC": TYPE_VMNIC,
    "VPC_TYPE_MGMT": TYPE_MGMT, "VPC_TYPE_ETHLINK": TYPE_ETHLINK,
    "VPC_TYPE_VPCI": TYPE_VPCI,
    "VPC_F_CREATE": F_CREATE, "VPC_F_OPEN": F_OPEN, "VPC_F_READ": F_READ,
    "VPC_F_WRITE": F_WRITE, "VPC_R_READ": R_READ, "VPC_R_WRITE": R_WRITE,
    "VPC_SW_MODE_PROGRAMMED": SW_MODE_PROGRAMMED,
    "VPC_SW_MODE_LEARNING": SW_MODE_LEARNING,
    "VPC_AF_INET": AF_INET, "VPC_AF_INET6": AF_INET6,
    "VPC_VXLAN_PORT": VXLAN_PORT, "VPC_IFNAMSIZ": IFNAMSIZ,
    "VPC_DROP_SLOTS": DROP_SLOTS, "VPC_FWD_F_LEARNED": FWD_F_LEARNED,
    "VPC_SWE_F_LEARNED": SWE_F_LEARNED,
}


class VpcError(OSError):
    """A failed libvpc call: errno, the op that failed, libvpc's message."""

    def __init__(self, errno_, op, message, call):
        super().__init__(errno_, "%s (%s)" % (message, call))
        self.op = op          # "VPC_OP_PORT_VNI_SET", or "" for open
        self.call = call      # the libvpc function, "libvpc_port_vni_set"


# --- structures (sys/net/vpc.h) -------------------------------------------

class VpcId(ctypes.Structure):
    """vpc_id_t: a UUID in RFC 4122 byte order."""
    _fields_ = [("vi_bytes", ctypes.c_uint8 * 16)]

    @classmethod
    def of(cls, u):
        u = u if isinstance(u, uuid.UUID) else uuid.UUID(str(u))
        v = cls()
        ctypes.memmove(v.vi_bytes, u.bytes, 16)
        return v

    def uuid(self):
        return uuid.UUID(bytes=bytes(self.vi_bytes))


class VpcMac(ctypes.Structure):
    _fields_ = [("vm_octet", ctypes.c_uint8 * 6),
                ("vm_pad", ctypes.c_uint8 * 2)]


class VpcIpaddr(ctypes.Structure):
    _fields_ = [("va_family", ctypes.c_uint8),
                ("va_pad", ctypes.c_uint8 * 3),
                ("va_addr", ctypes.c_uint8 * 16)]

    @classmethod
    def of(cls, addr):
        """From "198.51.100.1", "2001:db8::1" or an ipaddress object."""
        a = ipaddress.ip_address(addr)
        v = cls()
        v.va_family = AF_INET if a.version == 4 else AF_INET6
        ctypes.memmove(v.va_addr, a.packed, len(a.packed))
        return v

    def address(self):
        if self.va_family == AF_INET:
            return ipaddress.IPv4Address(bytes(self.va_addr[:4]))
        if self.va_family == AF_INET6:
            return ipaddress.IPv6Address(bytes(self.va_addr))
        return None


class VpcUdpaddr(ctypes.Structure):
    _fields_ = [("vu_addr", VpcIpaddr),
                ("vu_port", ctypes.c_uint16),
                ("vu_pad", ctypes.c_uint16)]


class VpcIfname(ctypes.Structure):
    _fields_ = [("vn_name", ctypes.c_char * IFNAMSIZ)]


class VpcFloodHdr(ctypes.Structure):
    _fields_ = [("vfh_vni", ctypes.c_uint32),
                ("vfh_count", ctypes.c_uint32)]


class VpcNeigh(ctypes.Structure):
    _fields_ = [("vn_vni", ctypes.c_uint32),
                ("vn_ip", VpcIpaddr),
                ("vn_mac", ctypes.c_uint8 * 6),
                ("vn_pad", ctypes.c_uint16)]


class VpcFwd(ctypes.Structure):
    _fields_ = [("vf_vni", ctypes.c_uint32),
                ("vf_mac", ctypes.c_uint8 * 6),
                ("vf_flags", ctypes.c_uint16),
                ("vf_remote", VpcIpaddr)]


class VpcSwentry(ctypes.Structure):
    _fields_ = [("se_vni", ctypes.c_uint32),
                ("se_mac", ctypes.c_uint8 * 6),
                ("se_flags", ctypes.c_uint16),
                ("se_port", VpcId)]


class VpcStats(ctypes.Structure):
    _fields_ = [("vs_rx_pkts", ctypes.c_uint64),
                ("vs_rx_bytes", ctypes.c_uint64),
                ("vs_tx_pkts", ctypes.c_uint64),
                ("vs_tx_bytes", ctypes.c_uint64),
                ("vs_drops_total", ctypes.c_uint64),
                ("vs_drops", ctypes.c_uint64 * DROP_SLOTS)]


# The name each structure has in the header's VPC_ABI_ASSERT lines.
ABI_STRUCTS = {
    "vpc_id_t": VpcId, "struct vpc_mac": VpcMac,
    "struct vpc_ipaddr": VpcIpaddr, "struct vpc_udpaddr": VpcUdpaddr,
    "struct vpc_ifname": VpcIfname, "struct vpc_flood_hdr": VpcFloodHdr,
    "struct vpc_neigh": VpcNeigh, "struct vpc_fwd": VpcFwd,
    "struct vpc_swentry": VpcSwentry, "struct vpc_stats": VpcStats,
}


# --- the header, parsed ---------------------------------------------------

def _int_expr(text, known):
    """Evaluate a #define value such as "(64 * 1024)" or "0x8u"."""
    text = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", text.strip())
    for name in re.findall(r"\b[A-Z_][A-Z0-9_]*\b", text):
        if name not in known:
            raise ValueError(name)
        text = re.sub(r"\b%s\b" % name, str(known[name]), text)
    if not re.fullmatch(r"[0-9a-fA-Fx()+*\-<>| ]+", text):
        raise ValueError(text)
    return int(eval(text, {"__builtins__": {}}))  # digits and operators only


def parse_header(path=HEADER):
    """Read vpc.h: integer #defines and enums, ABI sizes, drop reasons.

    Returns (defines, abi_sizes, drops): defines maps a name to an int,
    abi_sizes maps "struct vpc_fwd" to its asserted size, drops maps a
    reason number to its printed name ("vxlan_short").
    """
    with open(path) as f:
        text = f.read()
    defines = {}
    for m in re.finditer(r"^\s*(VPC_TYPE_\w+)\s*=\s*(\d+)", text, re.M):
        defines[m.group(1)] = int(m.group(2))
    for m in re.finditer(r"^#define\s+(VPC_\w+)\s+([^/\n]+?)\s*(?:/\*.*)?$",
                         text, re.M):
        try:
            defines[m.group(1)] = _int_expr(m.group(2), defines)
        except (ValueError, SyntaxError):
            pass
    sizes = {}
    for m in re.finditer(r"^VPC_ABI_ASSERT\((.+?),\s*(.+)\);", text, re.M):
        sizes[m.group(1).strip()] = _int_expr(m.group(2), defines)
    drops = {}
    for m in re.finditer(r'X\((\w+),\s*(\d+),\s*"([^"]+)"\)', text):
        drops[int(m.group(2))] = m.group(3)
        defines["VPC_DROP_" + m.group(1)] = int(m.group(2))
    return defines, sizes, drops


def check_abi(path=HEADER):
    """Raise AssertionError if this module disagrees with the header."""
    defines, sizes, _ = parse_header(path)
    for name, struct in ABI_STRUCTS.items():
        if name not in sizes:
            raise AssertionError("vpc.h has no VPC_ABI_ASSERT for %s" % name)
        if ctypes.sizeof(struct) != sizes[name]:
            raise AssertionError("%s: vpc.h says %d bytes, vpc.py has %d" %
                                 (name, sizes[name], ctypes.sizeof(struct)))
    for name, value in _CHECKED_DEFINES.items():
        if defines.get(name) != value:
            raise AssertionError("%s: vpc.h says %r, vpc.py has %r" %
                                 (name, defines.get(name), value))
    return sizes


_DEFINES, ABI_SIZES, _DROPS = parse_header()
check_abi()

# Drop reasons: DROP["vxlan_short"] == 16, DROP_NAMES[16] == "vxlan_short".
DROP_NAMES = dict(_DROPS)
DROP = {name: num for num, name in DROP_NAMES.items()}


# --- the library ----------------------------------------------------------

def library_path():
    """$LIBVPC, else build/rel/lib/libvpc.so of this repository."""
    return os.environ.get("LIBVPC") or os.path.join(
        REPO, "build", "rel", "lib", "libvpc.so")


_lib = None
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None

_P = ctypes.POINTER
_I = ctypes.c_int
_H = ctypes.c_void_p
_U32 = ctypes.c_uint32
_SZ = ctypes.c_size_t

# name: (restype, argtypes)
_PROTOS = {
    "libvpc_open": (_H, []),
    "libvpc_close": (None, [_H]),
    "libvpc_errno": (_I, [_H]),
    "libvpc_err_op": (_U32, [_H]),
    "libvpc_errstr": (ctypes.c_char_p, [_H]),
    "libvpc_backend": (_I, []),
    "libvpc_socket_path": (ctypes.c_char_p, []),
    "libvpc_op_name": (ctypes.c_char_p, [_U32]),
    "libvpc_type_name": (ctypes.c_char_p, [_U32]),
    "libvpc_drop_name": (ctypes.c_char_p, [_U32]),
    "libvpc_obj_open": (_I, [_H, _P(VpcId), _U32, _U32]),
    "libvpc_obj_close": (_I, [_H, _I]),
    "libvpc_type_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_id_get": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_commit": (_I, [_H, _I]),
    "libvpc_committed_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_destroy": (_I, [_H, _I]),
    "libvpc_mac_get": (_I, [_H, _I, _P(ctypes.c_uint8 * 6)]),
    "libvpc_mac_set": (_I, [_H, _I, _P(ctypes.c_uint8 * 6)]),
    "libvpc_mtu_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_mtu_set": (_I, [_H, _I, _U32]),
    "libvpc_rights_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_restrict": (_I, [_H, _I, _U32]),
    "libvpc_abi_version": (_I, [_H, _I, _P(_U32)]),
    "libvpc_stats_get": (_I, [_H, _I, _P(VpcStats)]),
    "libvpc_mgmt_count": (_I, [_H, _I, _U32, _P(_U32)]),
    "libvpc_mgmt_list": (_I, [_H, _I, _U32, _P(_P(VpcId)), _P(_SZ)]),
    "libvpc_switch_port_add": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_switch_port_del": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_switch_port_list": (_I, [_H, _I, _P(_P(VpcId)), _P(_SZ)]),
    "libvpc_switch_mode_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_switch_mode_set": (_I, [_H, _I, _U32]),
    "libvpc_switch_flood_set": (_I, [_H, _I, _U32, _P(VpcIpaddr), _SZ]),
    "libvpc_switch_flood_get": (_I, [_H, _I, _U32, _P(_P(VpcIpaddr)),
                                     _P(_SZ)]),
    "libvpc_switch_arp_add": (_I, [_H, _I, _P(VpcNeigh)]),
    "libvpc_switch_arp_del": (_I, [_H, _I, _P(VpcNeigh)]),
    "libvpc_switch_arp_list": (_I, [_H, _I, _P(_P(VpcNeigh)), _P(_SZ)]),
    "libvpc_switch_mac_list": (_I, [_H, _I, _P(_P(VpcSwentry)), _P(_SZ)]),
    "libvpc_port_connect": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_port_disconnect": (_I, [_H, _I]),
    "libvpc_port_vni_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_port_vni_set": (_I, [_H, _I, _U32]),
    "libvpc_port_vlan_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_port_vlan_set": (_I, [_H, _I, _U32]),
    "libvpc_port_peer_get": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_port_switch_get": (_I, [_H, _I, _P(VpcId)]),
    "libvpc_nic_ifname_get": (_I, [_H, _I, ctypes.c_char_p]),
    "libvpc_nic_queues_get": (_I, [_H, _I, _P(_U32)]),
    "libvpc_nic_queues_set": (_I, [_H, _I, _U32]),
    "libvpc_ethlink_attach": (_I, [_H, _I, ctypes.c_char_p]),
    "libvpc_vpclink_local_set": (_I, [_H, _I, _P(VpcUdpaddr)]),
    "libvpc_vpclink_local_get": (_I, [_H, _I, _P(VpcUdpaddr)]),
    "libvpc_vpclink_fwd_set": (_I, [_H, _I, _P(VpcFwd)]),
    "libvpc_vpclink_fwd_del": (_I, [_H, _I, _P(VpcFwd)]),
    "libvpc_vpclink_fwd_list": (_I, [_H, _I, _P(_P(VpcFwd)), _P(_SZ)]),
}


def lib():
    """Load libvpc.so once and declare the prototypes used here."""
    global _lib
    if _lib is None:
        path = library_path()
        if not os.path.exists(path):
            raise FileNotFoundError(
                "libvpc.so not found at %s (run `make rel`, or set "
                "$LIBVPC)" % path)
        so = ctypes.CDLL(path, use_errno=True)
        for name, (res, args) in _PROTOS.items():
            fn = getattr(so, name)
            fn.restype = res
            fn.argtypes = args
        _lib = so
    return _lib


def drop_name(reason):
    """The library's name for a drop reason number."""
    return lib().libvpc_drop_name(reason).decode()


def op_name(op):
    return lib().libvpc_op_name(op).decode()


def mac_str(mac):
    return ":".join("%02x" % b for b in bytes(mac))


def mac_bytes(mac):
    if isinstance(mac, str):
        return bytes(int(x, 16) for x in mac.split(":"))
    return bytes(mac)


class Stats:
    """A vpc_stats snapshot: rx/tx counters and drops by name."""

    def __init__(self, s):
        self.rx_pkts = s.vs_rx_pkts
        self.rx_bytes = s.vs_rx_bytes
        self.tx_pkts = s.vs_tx_pkts
        self.tx_bytes = s.vs_tx_bytes
        self.drops_total = s.vs_drops_total
        self.drop_slots = list(s.vs_drops)
        # every reason the header names, zero or not
        self.drops = {name: s.vs_drops[num]
                      for num, name in DROP_NAMES.items()}

    def nonzero_drops(self):
        return {k: v for k, v in self.drops.items() if v and k != "none"}

    def __repr__(self):
        return ("Stats(rx=%d tx=%d drops=%d %r)" %
                (self.rx_pkts, self.tx_pkts, self.drops_total,
                 self.nonzero_drops()))


class Handle:
    """One libvpc handle bound to one vpcd socket.

    libvpc finds vpcd through $VPC_SOCKET; a test talks to several vpcds,
    so the handle sets it before each call that connects (libvpc_open and
    every object open: one connection is one descriptor).
    """

    def __init__(self, socket_path=None):
        self.socket_path = socket_path
        self._select()
        self._h = lib().libvpc_open()
        if not self._h:
            raise VpcError(ctypes.get_errno() or 0, "",
                           "libvpc_open failed", "libvpc_open")
        self.objects = []

    def _select(self):
        if self.socket_path is not None:
            os.environ["VPC_SOCKET"] = self.socket_path

    def call(self, name, *args):
        """Call libvpc function 'name' with this handle; raise on -1."""
        if self._h is None:
            raise ValueError("handle is closed")
        rc = getattr(lib(), name)(self._h, *args)
        if rc == -1:
            L = lib()
            err = L.libvpc_errno(self._h)
            op = L.libvpc_err_op(self._h)
            raise VpcError(err, L.libvpc_op_name(op).decode() if op else "",
                           L.libvpc_errstr(self._h).decode(), name)
        return rc

    def open(self, oid, otype, flags=F_OPEN | F_READ | F_WRITE):
        """Open (or with F_CREATE create) object 'oid' of type 'otype'."""
        self._select()
        oid = oid if isinstance(oid, uuid.UUID) else uuid.UUID(str(oid))
        vd = self.call("libvpc_obj_open", ctypes.byref(VpcId.of(oid)),
                       otype, flags)
        obj = Obj(self, vd, oid, otype)
        self.objects.append(obj)
        return obj

    def create(self, oid, otype):
        return self.open(oid, otype, F_CREATE | F_READ | F_WRITE)

    def mgmt(self):
        return self.open(uuid.UUID(int=0), TYPE_MGMT, F_OPEN | F_READ)

    def close(self):
        if self._h is None:
            return
        for obj in self.objects:
            obj.close()
        lib().libvpc_close(self._h)
        self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _array(ptr, n, ctype):
    """Copy 'n' items at 'ptr' (malloc'd by libvpc) out, then free it."""
    try:
        return [ctype.from_buffer_copy(ptr[i]) for i in range(n)]
    finally:
        if ptr:
            _libc.free(ctypes.cast(ptr, ctypes.c_void_p))


class Obj:
    """An open descriptor on one object."""

    def __init__(self, handle, vd, oid, otype):
        self.h = handle
        self.vd = vd
        self.id = oid
        self.type = otype

    def _c(self, name, *args):
        if self.vd is None:
            raise ValueError("descriptor is closed")
        return self.h.call(name, self.vd, *args)

    def _u32(self, name):
        v = _U32()
        self._c(name, ctypes.byref(v))
        return v.value

    def _list(self, name, ctype, *args):
        p = _P(ctype)()
        n = _SZ()
        self._c(name, *args, ctypes.byref(p), ctypes.byref(n))
        return _array(p, n.value, ctype)

    def close(self):
        if self.vd is not None:
            vd, self.vd = self.vd, None
            self.h.call("libvpc_obj_close", vd)

    # any object
    def commit(self):
        self._c("libvpc_commit")

    def committed(self):
        return bool(self._u32("libvpc_committed_get"))

    def destroy(self):
        self._c("libvpc_destroy")

    def type_get(self):
        return self._u32("libvpc_type_get")

    def mac(self):
        m = (ctypes.c_uint8 * 6)()
        self._c("libvpc_mac_get", ctypes.byref(m))
        return mac_str(m)

    def mac_set(self, mac):
        m = (ctypes.c_uint8 * 6)(*mac_bytes(mac))
        self._c("libvpc_mac_set", ctypes.byref(m))

    def mtu(self):
        return self._u32("libvpc_mtu_get")

    def mtu_set(self, mtu):
        self._c("libvpc_mtu_set", mtu)

    def abi_version(self):
        return self._u32("libvpc_abi_version")

    def stats(self):
        s = VpcStats()
        self._c("libvpc_stats_get", ctypes.byref(s))
        return Stats(s)

    # management
    def mgmt_count(self, otype):
        v = _U32()
        self._c("libvpc_mgmt_count", otype, ctypes.byref(v))
        return v.value

    def mgmt_list(self, otype):
        return [i.uuid() for i in self._list("libvpc_mgmt_list", VpcId,
                                             otype)]

    # switch
    def port_add(self, port_id):
        self._c("libvpc_switch_port_add", ctypes.byref(VpcId.of(port_id)))

    def port_del(self, port_id):
        self._c("libvpc_switch_port_del", ctypes.byref(VpcId.of(port_id)))

    def port_list(self):
        return [i.uuid() for i in self._list("libvpc_switch_port_list",
                                             VpcId)]

    def mode(self):
        return self._u32("libvpc_switch_mode_get")

    def mode_set(self, mode):
        self._c("libvpc_switch_mode_set", mode)

    def flood_set(self, vni, addrs):
        arr = (VpcIpaddr * max(1, len(addrs)))(
            *[VpcIpaddr.of(a) for a in addrs])
        self._c("libvpc_switch_flood_set", vni, arr, len(addrs))

    def flood_get(self, vni):
        return [a.address() for a in self._list("libvpc_switch_flood_get",
                                                VpcIpaddr, vni)]

    @staticmethod
    def _neigh(vni, ip, mac=None):
        n = VpcNeigh()
        n.vn_vni = vni
        n.vn_ip = VpcIpaddr.of(ip)
        if mac is not None:
            ctypes.memmove(n.vn_mac, mac_bytes(mac), 6)
        return n

    def arp_add(self, vni, ip, mac):
        self._c("libvpc_switch_arp_add", ctypes.byref(self._neigh(vni, ip,
                                                                  mac)))

    def arp_del(self, vni, ip):
        self._c("libvpc_switch_arp_del", ctypes.byref(self._neigh(vni, ip)))

    def arp_list(self):
        return [(n.vn_vni, n.vn_ip.address(), mac_str(n.vn_mac))
                for n in self._list("libvpc_switch_arp_list", VpcNeigh)]

    def mac_list(self):
        return [(e.se_vni, mac_str(e.se_mac), e.se_flags, e.se_port.uuid())
                for e in self._list("libvpc_switch_mac_list", VpcSwentry)]

    # port
    def connect(self, obj_id):
        self._c("libvpc_port_connect", ctypes.byref(VpcId.of(obj_id)))

    def disconnect(self):
        self._c("libvpc_port_disconnect")

    def vni(self):
        return self._u32("libvpc_port_vni_get")

    def vni_set(self, vni):
        self._c("libvpc_port_vni_set", vni)

    def vlan(self):
        return self._u32("libvpc_port_vlan_get")

    def vlan_set(self, vlan):
        self._c("libvpc_port_vlan_set", vlan)

    def peer(self):
        v = VpcId()
        self._c("libvpc_port_peer_get", ctypes.byref(v))
        return v.uuid()

    # vmnic / vpci
    def ifname(self):
        buf = ctypes.create_string_buffer(IFNAMSIZ)
        self._c("libvpc_nic_ifname_get", buf)
        return buf.value.decode()

    # vpclink
    def local_set(self, addr, port=0):
        u = VpcUdpaddr()
        u.vu_addr = VpcIpaddr.of(addr)
        u.vu_port = port
        self._c("libvpc_vpclink_local_set", ctypes.byref(u))

    def local_get(self):
        u = VpcUdpaddr()
        self._c("libvpc_vpclink_local_get", ctypes.byref(u))
        return u.vu_addr.address(), u.vu_port

    @staticmethod
    def _fwd(vni, mac, remote=None):
        f = VpcFwd()
        f.vf_vni = vni
        ctypes.memmove(f.vf_mac, mac_bytes(mac), 6)
        if remote is not None:
            f.vf_remote = VpcIpaddr.of(remote)
        return f

    def fwd_set(self, vni, mac, remote):
        self._c("libvpc_vpclink_fwd_set",
                ctypes.byref(self._fwd(vni, mac, remote)))

    def fwd_del(self, vni, mac):
        self._c("libvpc_vpclink_fwd_del", ctypes.byref(self._fwd(vni, mac)))

    def fwd_list(self):
        return [(f.vf_vni, mac_str(f.vf_mac), f.vf_flags,
                 f.vf_remote.address())
                for f in self._list("libvpc_vpclink_fwd_list", VpcFwd)]
