/*
 * test_obj.c: the registry: vpc_open semantics and errnos, COMMIT,
 * DESTROY, teardown of uncommitted objects, EBUSY while in use, the
 * relations between objects and the table entries they imply (learned
 * forwarding entries that go with their port), aging, and registry
 * teardown.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpct.h"
#include "vpct_reg.h"
#include "vpc_obj.h"

/* What the test host saw. */
static unsigned	th_creates, th_destroys;

static int	th_create(void *host, struct vpc_obj *o, void **devp);
static void	th_destroy(void *host, struct vpc_obj *o, void *dev);
static int	th_get(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
static uint32_t	mgmt_count(struct vpc_registry *rg, uint32_t type);
static size_t	mac_list(struct vpc_desc *sw, struct vpc_swentry *e,
		    size_t max);
static bool	has_l2(struct vpc_desc *sw, uint32_t vni,
		    const uint8_t mac[6], unsigned port);
static void	learned_fwd(struct vpc_vpclink *vl, uint32_t vni, uint8_t m,
		    uint16_t flags, uint64_t seen);
static bool	has_fwd(struct vpc_vpclink *vl, uint32_t vni, uint8_t m);

static const struct vpc_host_ops th_ops = {
	.ho_create = th_create,
	.ho_destroy = th_destroy,
	.ho_get = th_get,
};

static int
th_create(void *host __unused, struct vpc_obj *o, void **devp)
{
	/* Like vpcd: switches and ports are announced but have no device. */
	if (o->o_type == VPC_TYPE_SWITCH || o->o_type == VPC_TYPE_PORT) {
		*devp = NULL;
		return (0);
	}
	*devp = (void *)(uintptr_t)++th_creates;
	return (0);
}

static void
th_destroy(void *host __unused, struct vpc_obj *o, void *dev)
{
	if (o->o_type == VPC_TYPE_SWITCH || o->o_type == VPC_TYPE_PORT) {
		VPCT_CHECK(dev == NULL);
		return;
	}
	VPCT_CHECK(dev != NULL);
	th_destroys++;
}

static int
th_get(void *host __unused, struct vpc_obj *o __unused, enum vpc_attr a,
    void *val, size_t len)
{
	uint32_t mtu = 1500;

	if (a == VPC_ATTR_UNDERLAY_MTU && len == sizeof(mtu)) {
		memcpy(val, &mtu, sizeof(mtu));
		return (0);
	}
	if (a == VPC_ATTR_IFNAME && len == VPC_IFNAMSIZ) {
		memset(val, 0, len);
		strcpy(val, "tap7");
		return (0);
	}
	return (ENXIO);
}

static uint32_t
mgmt_count(struct vpc_registry *rg, uint32_t type)
{
	struct vpc_desc *m = NULL;
	vpc_id_t nil;
	uint32_t n = 0xdeadbeef;
	size_t len = sizeof(n);

	memset(&nil, 0, sizeof(nil));
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT, VPC_F_OPEN | VPC_F_READ,
	    &vpct_user, &m), 0);
	VPCT_REQUIRE(m != NULL);
	VPCT_EQ(vpc_desc_ctl(m, VPC_OP_MGMT_COUNT, &type, sizeof(type), &n,
	    &len, &vpct_user), 0);
	vpc_desc_close(m);
	return (n);
}

static size_t
mac_list(struct vpc_desc *sw, struct vpc_swentry *e, size_t max)
{
	size_t n;

	VPCT_EQ(vpct_ctl_out(sw, VPC_OP_SW_MAC_LIST, NULL, 0, e,
	    max * sizeof(*e), &n), 0);
	return (n / sizeof(*e));
}

static bool
has_l2(struct vpc_desc *sw, uint32_t vni, const uint8_t mac[6], unsigned port)
{
	struct vpc_swentry e[16];
	vpc_id_t pid = vpct_id(port);
	size_t i, n;

	n = mac_list(sw, e, 16);
	for (i = 0; i < n; i++)
		if (e[i].se_vni == vni && memcmp(e[i].se_mac, mac, 6) == 0 &&
		    memcmp(&e[i].se_port, &pid, sizeof(pid)) == 0)
			return (true);
	return (false);
}

VPCT_CASE(obj_open_errors)
{
	struct vpc_registry *rg;
	struct vpc_desc *d, *d2;
	vpc_id_t id = vpct_id(1), nil;
	const vpc_flags_t rw = VPC_F_READ | VPC_F_WRITE;

	memset(&nil, 0, sizeof(nil));
	rg = vpc_registry_create(NULL, NULL);
	VPCT_REQUIRE(rg != NULL);
	d = (struct vpc_desc *)&d;

	/* Flags. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | rw | 0x10, &vpct_priv, &d), EINVAL);
	VPCT_CHECK(d == NULL);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH, rw, &vpct_priv, &d),
	    EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH, VPC_F_CREATE,
	    &vpct_priv, &d), EINVAL);
	/* Types. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_INVALID, VPC_F_CREATE | rw,
	    &vpct_priv, &d), EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_MAX, VPC_F_CREATE | rw,
	    &vpct_priv, &d), EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &id, 200, VPC_F_CREATE | rw, &vpct_priv, &d),
	    EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_ROUTER, VPC_F_CREATE | rw,
	    &vpct_priv, &d), EINVAL);
	/* Nil id and management. */
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_SWITCH, VPC_F_CREATE | rw,
	    &vpct_priv, &d), EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_MGMT, VPC_F_OPEN | rw,
	    &vpct_priv, &d), EINVAL);
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
	    VPC_F_CREATE | VPC_F_OPEN | VPC_F_READ, &vpct_priv, &d), EINVAL);
	/* Privilege: create, or write. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | VPC_F_READ, &vpct_user, &d), EPERM);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | VPC_F_READ, NULL, &d), EPERM);
	/* Absent. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH, VPC_F_OPEN | rw,
	    &vpct_priv, &d), ENOENT);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_SWITCH), 0);

	/* Present. */
	d = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH, VPC_F_CREATE | rw,
	    &vpct_priv, &d2), EEXIST);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_PORT, VPC_F_OPEN | rw,
	    &vpct_priv, &d2), EPROTOTYPE);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_PORT,
	    VPC_F_CREATE | VPC_F_OPEN | rw, &vpct_priv, &d2), EPROTOTYPE);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_WRITE, &vpct_user, &d2), EPERM);
	/* Open for reading needs no privilege; create-or-open opens. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_READ, &vpct_user, &d2), 0);
	VPCT_EQ(vpct_get32(d2, VPC_OP_RIGHTS_GET), VPC_R_READ);
	vpc_desc_close(d2);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | VPC_F_OPEN | rw, &vpct_priv, &d2), 0);
	VPCT_EQ(vpct_get32(d2, VPC_OP_RIGHTS_GET), VPC_R_ALL);
	VPCT_CHECK(d2->d_obj == d->d_obj);
	vpc_desc_close(d2);
	/* The management object: nil id, OPEN, reading. */
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
	    VPC_F_OPEN | VPC_F_READ, &vpct_user, &d2), 0);
	VPCT_EQ(vpct_get32(d2, VPC_OP_TYPE_GET), VPC_TYPE_MGMT);
	vpc_desc_close(d2);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_SWITCH), 1);
	vpc_desc_close(d);
	/* Uncommitted: gone with its descriptor. */
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_SWITCH), 0);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH, VPC_F_OPEN | rw,
	    &vpct_priv, &d), ENOENT);
	vpc_registry_destroy(rg);
}

VPCT_CASE(obj_defaults)
{
	struct vpc_registry *rg;
	struct vpc_desc *sw, *nic, *vl, *el, *pt;
	struct vpc_mac m;
	vpc_id_t id;
	size_t n;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	sw = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	nic = vpct_open(rg, 0x0301, VPC_TYPE_VMNIC);
	vl = vpct_open(rg, 3, VPC_TYPE_VPCLINK);
	el = vpct_open(rg, 4, VPC_TYPE_ETHLINK);
	pt = vpct_open(rg, 5, VPC_TYPE_PORT);
	/* MAC from the UUID's node bytes 10..15, unicast, local. */
	id = vpct_id(0x0301);
	VPCT_EQ(vpct_ctl_out(nic, VPC_OP_MAC_GET, NULL, 0, &m, sizeof(m), &n),
	    0);
	VPCT_EQ(n, sizeof(m));
	VPCT_EQ(m.vm_octet[0], (id.vi_bytes[10] & ~1) | 2);
	VPCT_CHECK(memcmp(&m.vm_octet[1], &id.vi_bytes[11], 5) == 0);
	VPCT_EQ(m.vm_pad[0] | m.vm_pad[1], 0);
	VPCT_EQ(vpct_get32(nic, VPC_OP_MTU_GET), 1500);
	VPCT_EQ(vpct_get32(sw, VPC_OP_MTU_GET), 1500);
	VPCT_EQ(vpct_get32(el, VPC_OP_MTU_GET), 1500);
	VPCT_EQ(vpct_get32(nic, VPC_OP_VMNIC_QUEUES_GET), 1);
	VPCT_EQ(vpct_get32(sw, VPC_OP_SW_MODE_GET), VPC_SW_MODE_PROGRAMMED);
	VPCT_EQ(vpct_get32(pt, VPC_OP_PORT_VNI_GET), 0);
	VPCT_EQ(vpct_get32(pt, VPC_OP_PORT_VLAN_GET), 0);
	VPCT_EQ(vpct_get32(sw, VPC_OP_ABI_VERSION), VPC_ABI_VERSION);
	VPCT_EQ(vpct_get32(sw, VPC_OP_COMMITTED_GET), 0);
	/* Devices for NICs and links only. */
	VPCT_EQ(th_creates, 3);
	/* vpclink MTU: unbound, then derived by family. */
	{
		struct vpc_udpaddr ua;
		uint32_t mtu;

		VPCT_EQ(vpct_ctl_out(vl, VPC_OP_MTU_GET, NULL, 0, &mtu, 4, &n),
		    ENOTCONN);
		VPCT_EQ(n, 0);
		memset(&ua, 0, sizeof(ua));
		ua.vu_addr.va_family = VPC_AF_INET;
		memcpy(ua.vu_addr.va_addr, "\xc6\x33\x64\x01", 4);
		VPCT_EQ(vpct_ctl(vl, VPC_OP_VPCLINK_LOCAL_SET, &ua,
		    sizeof(ua)), 0);
		VPCT_EQ(vpct_get32(vl, VPC_OP_MTU_GET),
		    1500 - VPC_VXLAN_OVERHEAD4);
		VPCT_EQ(VPC_VL(vl->d_obj)->vl_obj.o_mtu, 1450);
		VPCT_EQ(vpct_ctl_out(vl, VPC_OP_VPCLINK_LOCAL_GET, NULL, 0, &ua,
		    sizeof(ua), &n), 0);
		VPCT_EQ(ua.vu_port, VPC_VXLAN_PORT);
		memset(&ua, 0, sizeof(ua));
		ua.vu_addr.va_family = VPC_AF_INET6;
		memcpy(ua.vu_addr.va_addr, "\x20\x01\x0d\xb8", 4);
		ua.vu_addr.va_addr[15] = 1;
		ua.vu_port = 4790;
		VPCT_EQ(vpct_ctl(vl, VPC_OP_VPCLINK_LOCAL_SET, &ua,
		    sizeof(ua)), 0);
		VPCT_EQ(vpct_get32(vl, VPC_OP_MTU_GET),
		    1500 - VPC_VXLAN_OVERHEAD6);
	}
	{
		struct vpc_ifname ifn;

		VPCT_EQ(vpct_ctl_out(nic, VPC_OP_VMNIC_IFNAME_GET, NULL, 0,
		    &ifn, sizeof(ifn), &n), 0);
		VPCT_CHECK(strcmp(ifn.vn_name, "tap7") == 0);
	}
	vpc_desc_close(sw);
	vpc_desc_close(nic);
	vpc_desc_close(vl);
	vpc_desc_close(el);
	vpc_desc_close(pt);
	VPCT_EQ(th_destroys, 3);
	vpc_registry_destroy(rg);
	th_creates = th_destroys = 0;
}

VPCT_CASE(obj_commit_destroy)
{
	struct vpc_registry *rg;
	struct vpc_desc *d, *d2, *d3;
	vpc_id_t id = vpct_id(9);
	uint32_t v;
	size_t n;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	d = vpct_open(rg, 9, VPC_TYPE_VPCI);
	VPCT_EQ(vpct_ctl(d, VPC_OP_COMMIT, NULL, 0), 0);
	VPCT_EQ(vpct_ctl(d, VPC_OP_COMMIT, NULL, 0), 0);	/* idempotent */
	VPCT_EQ(vpct_get32(d, VPC_OP_COMMITTED_GET), 1);
	vpc_desc_close(d);
	/* Committed: it outlives its descriptor. */
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_VPCI), 1);
	VPCT_EQ(th_destroys, 0);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_VPCI,
	    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_VPCI,
	    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &d2), 0);
	VPCT_EQ(vpct_ctl(d, VPC_OP_DESTROY, NULL, 0), 0);
	/* Unlinked and its device gone at once. */
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_VPCI), 0);
	VPCT_EQ(th_destroys, 1);
	/* Dead: identity ops work, everything else is ENXIO. */
	VPCT_EQ(vpct_get32(d, VPC_OP_TYPE_GET), VPC_TYPE_VPCI);
	VPCT_EQ(vpct_get32(d, VPC_OP_COMMITTED_GET), 0);
	VPCT_EQ(vpct_ctl_out(d, VPC_OP_MTU_GET, NULL, 0, &v, 4, &n), ENXIO);
	VPCT_EQ(vpct_ctl(d, VPC_OP_DESTROY, NULL, 0), ENXIO);
	VPCT_EQ(vpct_ctl(d, VPC_OP_COMMIT, NULL, 0), ENXIO);
	VPCT_EQ(vpct_set32(d, VPC_OP_MTU_SET, 1400), ENXIO);
	/* The id is free again while old descriptors are open. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_VPCI, VPC_F_OPEN | VPC_F_READ,
	    &vpct_priv, &d3), ENOENT);
	d3 = vpct_open(rg, 9, VPC_TYPE_VPCI);
	VPCT_CHECK(d3->d_obj != d->d_obj);
	vpc_desc_close(d3);
	VPCT_EQ(th_destroys, 2);
	vpc_desc_close(d);
	vpc_desc_close(d2);
	VPCT_EQ(th_destroys, 2);
	d = vpct_open(rg, 9, VPC_TYPE_SWITCH);
	vpc_desc_close(d);
	vpc_registry_destroy(rg);
	th_creates = th_destroys = 0;
}

/*
 * A topology: switch 1; ports 11 (vni 5) and 12 (vni 5); vmnic 21; vpclink
 * 31; ethlink 41.  Port 11 -> vmnic 21, port 12 -> vpclink 31.
 */
VPCT_CASE(obj_relations)
{
	struct vpc_registry *rg;
	struct vpc_desc *sw, *p11, *p12, *p13, *nic, *nic2, *vl, *vl2, *el;
	struct vpc_desc *sw2;
	struct vpc_mac m;
	struct vpc_switch *s;
	uint8_t mac[6];
	vpc_id_t ids[4], want;
	size_t n;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	sw = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	sw2 = vpct_open(rg, 2, VPC_TYPE_SWITCH);
	p11 = vpct_open(rg, 11, VPC_TYPE_PORT);
	p12 = vpct_open(rg, 12, VPC_TYPE_PORT);
	p13 = vpct_open(rg, 13, VPC_TYPE_PORT);
	nic = vpct_open(rg, 21, VPC_TYPE_VMNIC);
	nic2 = vpct_open(rg, 22, VPC_TYPE_VPCI);
	vl = vpct_open(rg, 31, VPC_TYPE_VPCLINK);
	vl2 = vpct_open(rg, 32, VPC_TYPE_VPCLINK);
	el = vpct_open(rg, 41, VPC_TYPE_ETHLINK);
	s = VPC_SW(sw->d_obj);
	VPCT_EQ(vpct_set32(p11, VPC_OP_PORT_VNI_SET, 5), 0);
	VPCT_EQ(vpct_set32(p12, VPC_OP_PORT_VNI_SET, 5), 0);
	VPCT_EQ(vpct_set32(p13, VPC_OP_PORT_VNI_SET, 5), 0);

	/* Port add: wrong type, absent, twice, in another switch. */
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 21), EPROTOTYPE);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 99), ENOENT);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 11), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 11), EEXIST);
	VPCT_EQ(vpct_idop(sw2, VPC_OP_SW_PORT_ADD, 11), EBUSY);
	VPCT_EQ(s->sw_ports->ps_count, 1);
	VPCT_CHECK(VPC_PT(p11->d_obj)->pt_sw == s);
	VPCT_EQ(vpct_set32(p11, VPC_OP_PORT_VNI_SET, 6), EBUSY);
	VPCT_EQ(vpct_set32(p11, VPC_OP_PORT_VLAN_SET, 6), EBUSY);

	/* Connect 11 -> vmnic: the automatic entry appears. */
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 1), EPROTOTYPE);
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 12), EPROTOTYPE);
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 98), ENOENT);
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 21), 0);
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 22), EISCONN);
	VPCT_CHECK(VPC_NIC(nic->d_obj)->nic_port == VPC_PT(p11->d_obj));
	memcpy(mac, nic->d_obj->o_mac, 6);
	VPCT_CHECK(has_l2(sw, 5, mac, 11));
	VPCT_EQ(vpc_htab_count(s->sw_l2), 1);
	/* A NIC has one port. */
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 21), EBUSY);
	/* MAC_SET moves the entry. */
	memset(&m, 0, sizeof(m));
	memcpy(m.vm_octet, "\x02\x00\x00\x00\x00\x42", 6);
	VPCT_EQ(vpct_ctl(nic, VPC_OP_MAC_SET, &m, sizeof(m)), 0);
	VPCT_CHECK(has_l2(sw, 5, m.vm_octet, 11));
	VPCT_CHECK(!has_l2(sw, 5, mac, 11));
	VPCT_EQ(vpc_htab_count(s->sw_l2), 1);
	/* A second NIC with that MAC on the same VNI collides. */
	VPCT_EQ(vpct_ctl(nic2, VPC_OP_MAC_SET, &m, sizeof(m)), 0);
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 22), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 13), EEXIST);
	VPCT_EQ(vpct_ctl(p13, VPC_OP_PORT_DISCONNECT, NULL, 0), 0);
	VPCT_EQ(vpct_ctl(p13, VPC_OP_PORT_DISCONNECT, NULL, 0), ENOTCONN);

	/* Port 12 -> vpclink 31, then into the switch: the uplink. */
	VPCT_EQ(vpct_idop(p12, VPC_OP_PORT_CONNECT, 31), 0);
	VPCT_EQ(vpc_htab_count(VPC_VL(vl->d_obj)->vl_ports), 1);
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 31),
	    EEXIST);	/* VNI 5 */
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 12), 0);
	VPCT_EQ(vpc_htab_count(s->sw_uplink), 1);
	/* A second uplink for VNI 5 in this switch. */
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 32), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 13), EEXIST);
	VPCT_EQ(vpct_ctl(p13, VPC_OP_PORT_DISCONNECT, NULL, 0), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 13), 0);
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 32), EEXIST);
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 41), EEXIST);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 13), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 13), ENOENT);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 99), ENOENT);

	/* ethlink: one port per effective VLAN. */
	VPCT_EQ(vpct_set32(p13, VPC_OP_PORT_VLAN_SET, 7), 0);
	VPCT_EQ(vpct_set32(el, VPC_OP_ETHLINK_VLAN_SET, 7), 0);
	VPCT_EQ(vpct_idop(p13, VPC_OP_PORT_CONNECT, 41), 0);
	VPCT_EQ(vpct_set32(el, VPC_OP_ETHLINK_VLAN_SET, 8), EBUSY);
	{
		struct vpc_desc *p14 = vpct_open(rg, 14, VPC_TYPE_PORT);

		/* Untagged port: the link's VLAN 7, taken. */
		VPCT_EQ(vpct_idop(p14, VPC_OP_PORT_CONNECT, 41), EEXIST);
		VPCT_EQ(vpct_set32(p14, VPC_OP_PORT_VLAN_SET, 8), 0);
		VPCT_EQ(vpct_idop(p14, VPC_OP_PORT_CONNECT, 41), 0);
		VPCT_EQ(vpc_htab_count(VPC_EL(el->d_obj)->el_ports), 2);
		vpc_desc_close(p14);	/* uncommitted: disconnected */
		VPCT_EQ(vpc_htab_count(VPC_EL(el->d_obj)->el_ports), 1);
	}

	/* Listings. */
	VPCT_EQ(vpct_ctl_out(sw, VPC_OP_SW_PORT_LIST, NULL, 0, ids, sizeof(ids),
	    &n), 0);
	VPCT_EQ(n, 2 * sizeof(vpc_id_t));
	want = vpct_id(11);
	VPCT_CHECK(memcmp(&ids[0], &want, sizeof(want)) == 0);
	VPCT_EQ(vpct_ctl_out(p12, VPC_OP_PORT_PEER_GET, NULL, 0, &ids[0],
	    sizeof(ids[0]), &n), 0);
	want = vpct_id(31);
	VPCT_CHECK(memcmp(&ids[0], &want, sizeof(want)) == 0);
	VPCT_EQ(vpct_ctl_out(p12, VPC_OP_PORT_SWITCH_GET, NULL, 0, &ids[0],
	    sizeof(ids[0]), &n), 0);
	want = vpct_id(1);
	VPCT_CHECK(memcmp(&ids[0], &want, sizeof(want)) == 0);
	VPCT_EQ(vpct_ctl_out(p13, VPC_OP_PORT_SWITCH_GET, NULL, 0, &ids[0],
	    sizeof(ids[0]), &n), ENOENT);
	VPCT_EQ(vpct_ctl(p11, VPC_OP_PORT_DISCONNECT, NULL, 0), 0);
	VPCT_EQ(vpct_ctl_out(p11, VPC_OP_PORT_PEER_GET, NULL, 0, &ids[0],
	    sizeof(ids[0]), &n), ENOTCONN);

	/* Disconnect removes the automatic entry; reconnect restores. */
	VPCT_EQ(vpc_htab_count(s->sw_l2), 0);
	VPCT_CHECK(VPC_NIC(nic->d_obj)->nic_port == NULL);
	VPCT_EQ(vpct_idop(p11, VPC_OP_PORT_CONNECT, 21), 0);
	VPCT_CHECK(has_l2(sw, 5, m.vm_octet, 11));
	/* Port del while connected: allowed, entries go. */
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 11), 0);
	VPCT_EQ(vpc_htab_count(s->sw_l2), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 12), 0);
	VPCT_EQ(vpc_htab_count(s->sw_uplink), 0);
	VPCT_EQ(s->sw_ports->ps_count, 0);
	/* Re-add in the other order: entry on the later event. */
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 11), 0);
	VPCT_CHECK(has_l2(sw, 5, m.vm_octet, 11));

	vpc_desc_close(sw);
	vpc_desc_close(sw2);
	vpc_desc_close(p11);
	vpc_desc_close(p12);
	vpc_desc_close(p13);
	vpc_desc_close(nic);
	vpc_desc_close(nic2);
	vpc_desc_close(vl);
	vpc_desc_close(vl2);
	vpc_desc_close(el);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_PORT), 0);
	VPCT_EQ(th_destroys, th_creates);
	vpc_registry_destroy(rg);
	th_creates = th_destroys = 0;
}

VPCT_CASE(obj_busy_and_teardown)
{
	struct vpc_registry *rg;
	struct vpc_desc *sw, *pt, *nic, *vl, *d;
	vpc_id_t id;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	sw = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	pt = vpct_open(rg, 2, VPC_TYPE_PORT);
	nic = vpct_open(rg, 3, VPC_TYPE_VMNIC);
	vl = vpct_open(rg, 4, VPC_TYPE_VPCLINK);
	VPCT_EQ(vpct_ctl(sw, VPC_OP_COMMIT, NULL, 0), 0);
	VPCT_EQ(vpct_ctl(pt, VPC_OP_COMMIT, NULL, 0), 0);
	VPCT_EQ(vpct_ctl(nic, VPC_OP_COMMIT, NULL, 0), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 2), 0);
	VPCT_EQ(vpct_idop(pt, VPC_OP_PORT_CONNECT, 3), 0);
	/* In use. */
	VPCT_EQ(vpct_ctl(sw, VPC_OP_DESTROY, NULL, 0), EBUSY);
	VPCT_EQ(vpct_ctl(pt, VPC_OP_DESTROY, NULL, 0), EBUSY);
	VPCT_EQ(vpct_ctl(nic, VPC_OP_DESTROY, NULL, 0), EBUSY);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 2), 0);
	VPCT_EQ(vpct_ctl(pt, VPC_OP_DESTROY, NULL, 0), EBUSY);	/* connected */
	VPCT_EQ(vpct_ctl(sw, VPC_OP_DESTROY, NULL, 0), 0);
	VPCT_EQ(vpct_ctl(sw, VPC_OP_PORT_DISCONNECT, NULL, 0), ENOTTY);
	VPCT_EQ(vpct_ctl(pt, VPC_OP_PORT_DISCONNECT, NULL, 0), 0);
	VPCT_EQ(vpct_idop(pt, VPC_OP_PORT_CONNECT, 4), 0);
	VPCT_EQ(vpct_ctl(vl, VPC_OP_DESTROY, NULL, 0), EBUSY);
	VPCT_EQ(vpct_ctl(nic, VPC_OP_DESTROY, NULL, 0), 0);
	VPCT_EQ(th_destroys, 1);
	vpc_desc_close(sw);
	vpc_desc_close(nic);
	/* The uncommitted vpclink goes with its descriptor: port freed. */
	vpc_desc_close(vl);
	VPCT_EQ(th_destroys, 2);
	VPCT_CHECK(VPC_PT(pt->d_obj)->pt_peer == NULL);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_VPCLINK), 0);
	vpc_desc_close(pt);
	/* The committed port survives; reopen and destroy it. */
	id = vpct_id(2);
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_PORT,
	    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
	VPCT_EQ(vpct_ctl(d, VPC_OP_DESTROY, NULL, 0), 0);
	vpc_desc_close(d);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_PORT), 0);
	/* An uncommitted switch with a committed port: port released. */
	sw = vpct_open(rg, 5, VPC_TYPE_SWITCH);
	pt = vpct_open(rg, 6, VPC_TYPE_PORT);
	VPCT_EQ(vpct_ctl(pt, VPC_OP_COMMIT, NULL, 0), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 6), 0);
	vpc_desc_close(sw);
	VPCT_CHECK(VPC_PT(pt->d_obj)->pt_sw == NULL);
	VPCT_EQ(pt->d_obj->o_refs, 2);	/* descriptor and commit */
	vpc_desc_close(pt);
	vpc_registry_destroy(rg);
	th_creates = th_destroys = 0;
}

VPCT_CASE(obj_registry_destroy)
{
	struct vpc_registry *rg;
	struct vpc_desc *d[6];
	unsigned i;
	static const uint32_t types[6] = { VPC_TYPE_SWITCH, VPC_TYPE_PORT,
	    VPC_TYPE_PORT, VPC_TYPE_VMNIC, VPC_TYPE_VPCLINK, VPC_TYPE_ETHLINK };

	th_creates = th_destroys = 0;
	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	for (i = 0; i < 6; i++) {
		d[i] = vpct_open(rg, 100 + i, types[i]);
		VPCT_EQ(vpct_ctl(d[i], VPC_OP_COMMIT, NULL, 0), 0);
	}
	VPCT_EQ(vpct_set32(d[2], VPC_OP_PORT_VNI_SET, 3), 0);
	VPCT_EQ(vpct_idop(d[1], VPC_OP_PORT_CONNECT, 103), 0);
	VPCT_EQ(vpct_idop(d[2], VPC_OP_PORT_CONNECT, 104), 0);
	VPCT_EQ(vpct_idop(d[0], VPC_OP_SW_PORT_ADD, 101), 0);
	VPCT_EQ(vpct_idop(d[0], VPC_OP_SW_PORT_ADD, 102), 0);
	for (i = 0; i < 6; i++)
		vpc_desc_close(d[i]);
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_PORT), 2);
	VPCT_EQ(th_destroys, 0);
	/* Everything goes, devices included (ASan checks the memory). */
	vpc_registry_destroy(rg);
	VPCT_EQ(th_destroys, 3);
	VPCT_EQ(th_creates, 3);
	th_creates = th_destroys = 0;
}

/* Put entry (vni, 02:..:'m') with 'flags', seen at 'seen', on 'vl'. */
static void
learned_fwd(struct vpc_vpclink *vl, uint32_t vni, uint8_t m, uint16_t flags,
    uint64_t seen)
{
	struct vpc_fwdent *fw;
	struct vpc_ipaddr ra;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, m };

	memset(&ra, 0, sizeof(ra));
	ra.va_family = VPC_AF_INET;
	memcpy(ra.va_addr, "\xcb\x00\x71\x05", 4);
	fw = vpc_fwdent_alloc(vni, mac, &ra, flags);
	VPCT_REQUIRE(fw != NULL);
	fw->fw_seen_ms = seen;
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	VPCT_EQ(vpc_htab_insert(vl->vl_fwd, &fw->fw_h, NULL), 0);
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
}

static bool
has_fwd(struct vpc_vpclink *vl, uint32_t vni, uint8_t m)
{
	struct vpc_epoch_tracker et;
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, m };
	bool found;

	vpc_os_epoch_enter(&et);
	found = vpc_htab_lookup(vl->vl_fwd, VPC_L2KEY(vni,
	    vpc_mac48(mac))) != NULL;
	vpc_os_epoch_exit(&et);
	return (found);
}

VPCT_CASE(obj_aging_and_mode)
{
	struct vpc_registry *rg;
	struct vpc_desc *sw, *pt, *vl;
	struct vpc_switch *s;
	struct vpc_vpclink *l;
	struct vpc_l2ent *old, *fresh;
	struct vpc_swentry e[4];
	uint64_t now;

	rg = vpc_registry_create(NULL, NULL);
	VPCT_REQUIRE(rg != NULL);
	sw = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	pt = vpct_open(rg, 2, VPC_TYPE_PORT);
	vl = vpct_open(rg, 3, VPC_TYPE_VPCLINK);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 2), 0);
	VPCT_EQ(vpct_set32(sw, VPC_OP_SW_MODE_SET, VPC_SW_MODE_LEARNING), 0);
	s = VPC_SW(sw->d_obj);
	l = VPC_VL(vl->d_obj);
	now = vpc_os_uptime_ms();
	/* Learned entries as the data path would insert them. */
	old = vpc_l2ent_alloc(1, (const uint8_t *)"\x02\0\0\0\0\1",
	    VPC_PT(pt->d_obj), VPC_SWE_F_LEARNED);
	fresh = vpc_l2ent_alloc(1, (const uint8_t *)"\x02\0\0\0\0\2",
	    VPC_PT(pt->d_obj), VPC_SWE_F_LEARNED);
	VPCT_REQUIRE(old != NULL && fresh != NULL);
	old->l2_seen_ms = now - VPC_LEARN_AGE_MS - 1;
	fresh->l2_seen_ms = now;
	vpc_os_mtx_lock(s->sw_obj.o_mtx);
	VPCT_EQ(vpc_htab_insert(s->sw_l2, &old->l2_h, NULL), 0);
	VPCT_EQ(vpc_htab_insert(s->sw_l2, &fresh->l2_h, NULL), 0);
	vpc_os_mtx_unlock(s->sw_obj.o_mtx);
	learned_fwd(l, 1, 3, VPC_FWD_F_LEARNED, now - VPC_LEARN_AGE_MS - 1);
	VPCT_EQ(mac_list(sw, e, 4), 2);
	vpc_registry_tick(rg);
	VPCT_EQ(mac_list(sw, e, 4), 1);
	VPCT_EQ(e[0].se_mac[5], 2);
	VPCT_EQ(e[0].se_flags, VPC_SWE_F_LEARNED);
	VPCT_EQ(vpc_htab_count(l->vl_fwd), 0);
	/* Back to PROGRAMMED: learned entries are forgotten. */
	VPCT_EQ(vpct_set32(sw, VPC_OP_SW_MODE_SET, VPC_SW_MODE_PROGRAMMED), 0);
	VPCT_EQ(mac_list(sw, e, 4), 0);
	vpc_desc_close(sw);
	vpc_desc_close(pt);
	vpc_desc_close(vl);
	vpc_registry_destroy(rg);
}

/*
 * The forwarding entries a switch learned through a port on a vpclink
 * go when the port leaves the link or the switch (they were learned for
 * that switch, in that port's VNI); static entries and entries of other
 * VNIs stay.
 */
VPCT_CASE(obj_port_leaving_forgets_learned_fwd)
{
	struct vpc_registry *rg;
	struct vpc_desc *sw, *pt, *vl;
	struct vpc_vpclink *l;
	uint64_t now;

	rg = vpc_registry_create(NULL, NULL);
	VPCT_REQUIRE(rg != NULL);
	sw = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	pt = vpct_open(rg, 2, VPC_TYPE_PORT);
	vl = vpct_open(rg, 3, VPC_TYPE_VPCLINK);
	l = VPC_VL(vl->d_obj);
	VPCT_EQ(vpct_set32(pt, VPC_OP_PORT_VNI_SET, 7), 0);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_ADD, 2), 0);
	VPCT_EQ(vpct_idop(pt, VPC_OP_PORT_CONNECT, 3), 0);
	now = vpc_os_uptime_ms();
	learned_fwd(l, 7, 1, VPC_FWD_F_LEARNED, now);
	learned_fwd(l, 7, 2, 0, now);			/* static */
	learned_fwd(l, 8, 1, VPC_FWD_F_LEARNED, now);	/* another VNI */
	VPCT_EQ(vpct_ctl(pt, VPC_OP_PORT_DISCONNECT, NULL, 0), 0);
	VPCT_CHECK(!has_fwd(l, 7, 1));
	VPCT_CHECK(has_fwd(l, 7, 2));
	VPCT_CHECK(has_fwd(l, 8, 1));
	/* Out of the switch while connected: likewise. */
	VPCT_EQ(vpct_idop(pt, VPC_OP_PORT_CONNECT, 3), 0);
	learned_fwd(l, 7, 1, VPC_FWD_F_LEARNED, now);
	VPCT_EQ(vpct_idop(sw, VPC_OP_SW_PORT_DEL, 2), 0);
	VPCT_CHECK(!has_fwd(l, 7, 1));
	VPCT_CHECK(has_fwd(l, 7, 2));
	VPCT_CHECK(has_fwd(l, 8, 1));
	vpc_desc_close(sw);
	vpc_desc_close(pt);
	vpc_desc_close(vl);
	vpc_registry_destroy(rg);
}

/*
 * The tick compares ages signed: an entry learned or refreshed after the
 * tick read the clock (while it waited for the registry lock, on a host
 * whose data path runs on other CPUs) is fresh, not 2^64 ms old.
 */
VPCT_CASE(obj_tick_keeps_entries_seen_after_its_clock)
{
	struct vpc_registry *rg;
	struct vpc_desc *vl;
	struct vpc_vpclink *l;
	uint64_t now;

	rg = vpc_registry_create(NULL, NULL);
	VPCT_REQUIRE(rg != NULL);
	vl = vpct_open(rg, 3, VPC_TYPE_VPCLINK);
	l = VPC_VL(vl->d_obj);
	now = vpc_os_uptime_ms();
	learned_fwd(l, 7, 1, VPC_FWD_F_LEARNED, now + 60 * 1000);
	learned_fwd(l, 7, 2, VPC_FWD_F_LEARNED, now - VPC_LEARN_AGE_MS - 1);
	vpc_registry_tick(rg);
	VPCT_CHECK(has_fwd(l, 7, 1));
	VPCT_CHECK(!has_fwd(l, 7, 2));
	vpc_desc_close(vl);
	vpc_registry_destroy(rg);
}

VPCT_CASE(obj_many)
{
	struct vpc_registry *rg;
	struct vpc_desc *d;
	vpc_id_t id;
	unsigned i;

	/* Enough objects to grow the index several times. */
	rg = vpc_registry_create(NULL, NULL);
	VPCT_REQUIRE(rg != NULL);
	for (i = 1; i <= 2000; i++) {
		d = vpct_open(rg, i, VPC_TYPE_PORT);
		VPCT_EQ(vpct_ctl(d, VPC_OP_COMMIT, NULL, 0), 0);
		vpc_desc_close(d);
	}
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_PORT), 2000);
	for (i = 1; i <= 2000; i += 7) {
		id = vpct_id(i);
		VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_PORT,
		    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
		VPCT_EQ(vpct_ctl(d, VPC_OP_DESTROY, NULL, 0), 0);
		vpc_desc_close(d);
	}
	VPCT_EQ(mgmt_count(rg, VPC_TYPE_PORT), 2000 - 286);
	vpc_registry_destroy(rg);
}
