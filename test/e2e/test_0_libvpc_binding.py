"""(0) The Python binding of libvpc agrees with the ABI and with vpcd.

Proves, before any topology test relies on test/lib/vpc.py: its ctypes
structures have the sizes sys/net/vpc.h asserts; its drop-reason names
(read from the header) are the names libvpc prints; against a live vpcd a
rejected request raises VpcError carrying the errno, the op's name and
libvpc's message, and a rejected request changes nothing.
"""

import errno
import uuid

import pytest

import vpc
from topo import Topology


def test_0_structs_match_header():
    sizes = vpc.check_abi()
    for name, struct in vpc.ABI_STRUCTS.items():
        assert vpc.ctypes.sizeof(struct) == sizes[name], name
    for num, name in vpc.DROP_NAMES.items():
        assert vpc.drop_name(num) == name, num


@pytest.mark.sanitizer
def test_0_errors_carry_errno_and_op(lab):
    with Topology(lab) as t:
        h = t.add_vpcd_host("h1")
        t.build()
        port = h.h.create(uuid.uuid4(), vpc.TYPE_PORT)
        port.vni_set(100)
        with pytest.raises(vpc.VpcError) as ei:
            port.vni_set(1 << 24)
        assert ei.value.errno == errno.EINVAL
        assert ei.value.op == "VPC_OP_PORT_VNI_SET"
        assert "VPC_OP_PORT_VNI_SET" in str(ei.value)
        assert port.vni() == 100            # no state changed
        with pytest.raises(vpc.VpcError) as ei:
            h.h.create(port.id, vpc.TYPE_PORT)
        assert ei.value.errno == errno.EEXIST
        with pytest.raises(vpc.VpcError) as ei:
            h.h.open(uuid.uuid4(), vpc.TYPE_SWITCH)
        assert ei.value.errno == errno.ENOENT
        # the vpclink's MTU derives from the underlay (veth: 1500)
        assert h.link.mtu() == 1450
        assert str(h.link.local_get()[0]) == "198.51.100.1"
