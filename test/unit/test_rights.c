/*
 * test_rights.c: every row of the dispatch table, called with every
 * descriptor rights set {none, READ, WRITE, READ|WRITE} by a privileged
 * and an unprivileged caller.  The expectation comes from the op word
 * (the ABI), not from the table: an op with VPC_OPF_MUTATE needs
 * VPC_R_WRITE, any other op VPC_R_READ (except RESTRICT, which needs
 * none: rights can always shrink), else EBADF; an op with VPC_OPF_PRIV
 * needs a privileged caller, else EPERM; otherwise the call, given a
 * valid input against a fresh topology, succeeds.  Also: the rows agree
 * with their op words, and RESTRICT only ever shrinks.
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

/* How a spec's input is made. */
enum in_kind {
	IN_NONE = 0,
	IN_U32,		/* sp_u32 */
	IN_ID,		/* vpct_id(sp_u32) */
	IN_RIGHTS,	/* the descriptor's current rights */
	IN_MAC,
	IN_FLOOD,
	IN_NEIGH_NEW,
	IN_NEIGH_OLD,
	IN_IFNAME,
	IN_UDPADDR,
	IN_FWD
};

/* A valid call of one op: the object it runs on and its input. */
struct spec {
	vpc_op_t	sp_op;
	unsigned	sp_obj;		/* object id, 0: management */
	enum in_kind	sp_in;
	uint32_t	sp_u32;
};

static const struct spec specs[] = {
	{ VPC_OP_TYPE_GET, 1, IN_NONE, 0 },
	{ VPC_OP_ID_GET, 1, IN_NONE, 0 },
	{ VPC_OP_COMMIT, 1, IN_NONE, 0 },
	{ VPC_OP_DESTROY, 22, IN_NONE, 0 },
	{ VPC_OP_MAC_GET, 1, IN_NONE, 0 },
	{ VPC_OP_MAC_SET, 21, IN_MAC, 0 },
	{ VPC_OP_MTU_GET, 31, IN_NONE, 0 },
	{ VPC_OP_MTU_SET, 21, IN_U32, 1400 },
	{ VPC_OP_RIGHTS_GET, 1, IN_NONE, 0 },
	{ VPC_OP_RESTRICT, 1, IN_RIGHTS, 0 },
	{ VPC_OP_ABI_VERSION, 0, IN_NONE, 0 },
	{ VPC_OP_COMMITTED_GET, 11, IN_NONE, 0 },
	{ VPC_OP_MGMT_COUNT, 0, IN_U32, VPC_TYPE_PORT },
	{ VPC_OP_MGMT_LIST, 0, IN_U32, VPC_TYPE_PORT },
	{ VPC_OP_MGMT_DUMP, 0, IN_NONE, 0 },
	{ VPC_OP_SW_PORT_ADD, 1, IN_ID, 14 },
	{ VPC_OP_SW_PORT_DEL, 1, IN_ID, 11 },
	{ VPC_OP_SW_PORT_LIST, 1, IN_NONE, 0 },
	{ VPC_OP_SW_MODE_GET, 1, IN_NONE, 0 },
	{ VPC_OP_SW_MODE_SET, 1, IN_U32, VPC_SW_MODE_LEARNING },
	{ VPC_OP_SW_FLOOD_SET, 1, IN_FLOOD, 0 },
	{ VPC_OP_SW_FLOOD_GET, 1, IN_U32, 1 },
	{ VPC_OP_SW_ARP_ADD, 1, IN_NEIGH_NEW, 0 },
	{ VPC_OP_SW_ARP_DEL, 1, IN_NEIGH_OLD, 0 },
	{ VPC_OP_SW_ARP_LIST, 1, IN_NONE, 0 },
	{ VPC_OP_SW_STATS, 1, IN_NONE, 0 },
	{ VPC_OP_SW_MAC_LIST, 1, IN_NONE, 0 },
	{ VPC_OP_PORT_CONNECT, 14, IN_ID, 22 },
	{ VPC_OP_PORT_DISCONNECT, 11, IN_NONE, 0 },
	{ VPC_OP_PORT_VNI_GET, 11, IN_NONE, 0 },
	{ VPC_OP_PORT_VNI_SET, 14, IN_U32, 9 },
	{ VPC_OP_PORT_VLAN_GET, 11, IN_NONE, 0 },
	{ VPC_OP_PORT_VLAN_SET, 14, IN_U32, 9 },
	{ VPC_OP_PORT_PEER_GET, 11, IN_NONE, 0 },
	{ VPC_OP_PORT_SWITCH_GET, 11, IN_NONE, 0 },
	{ VPC_OP_PORT_STATS, 11, IN_NONE, 0 },
	{ VPC_OP_VMNIC_IFNAME_GET, 21, IN_NONE, 0 },
	{ VPC_OP_VMNIC_QUEUES_GET, 21, IN_NONE, 0 },
	{ VPC_OP_VMNIC_QUEUES_SET, 21, IN_U32, 4 },
	{ VPC_OP_VPCI_IFNAME_GET, 22, IN_NONE, 0 },
	{ VPC_OP_VPCI_QUEUES_GET, 22, IN_NONE, 0 },
	{ VPC_OP_VPCI_QUEUES_SET, 22, IN_U32, 4 },
	{ VPC_OP_VMNIC_STATS, 21, IN_NONE, 0 },
	{ VPC_OP_VPCI_STATS, 22, IN_NONE, 0 },
	{ VPC_OP_ETHLINK_ATTACH, 41, IN_IFNAME, 0 },
	{ VPC_OP_ETHLINK_IFNAME_GET, 41, IN_NONE, 0 },
	{ VPC_OP_ETHLINK_VLAN_GET, 41, IN_NONE, 0 },
	{ VPC_OP_ETHLINK_VLAN_SET, 41, IN_U32, 5 },
	{ VPC_OP_ETHLINK_STATS, 41, IN_NONE, 0 },
	{ VPC_OP_VPCLINK_LOCAL_SET, 31, IN_UDPADDR, 0 },
	{ VPC_OP_VPCLINK_LOCAL_GET, 31, IN_NONE, 0 },
	{ VPC_OP_VPCLINK_FWD_SET, 31, IN_FWD, 0 },
	{ VPC_OP_VPCLINK_FWD_DEL, 31, IN_FWD, 0 },
	{ VPC_OP_VPCLINK_FWD_LIST, 31, IN_NONE, 0 },
	{ VPC_OP_VPCLINK_STATS, 31, IN_NONE, 0 },
};


static int	th_get(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
static struct vpc_desc *mk(struct vpc_registry *rg, unsigned n,
		    uint32_t type);
static struct vpc_desc *reopen(struct vpc_registry *rg, unsigned n);
static struct vpc_registry *fixture(void);
static size_t	mkinput(const struct spec *sp, struct vpc_desc *d,
		    uint8_t *buf);
static const struct spec *spec_of(vpc_op_t op);
static int	check_row(const struct vpc_ctl_op *co, void *arg);
static int	run_row(const struct vpc_ctl_op *co, void *arg);

static const struct vpc_host_ops th_ops = { .ho_get = th_get };

static int
th_get(void *host __unused, struct vpc_obj *o __unused, enum vpc_attr a,
    void *val, size_t len)
{
	uint32_t mtu = 1500;

	if (a == VPC_ATTR_UNDERLAY_MTU && len == 4) {
		memcpy(val, &mtu, 4);
		return (0);
	}
	if (a == VPC_ATTR_IFNAME && len == VPC_IFNAMSIZ) {
		memset(val, 0, len);
		strcpy(val, "tap0");
		return (0);
	}
	return (ENXIO);
}

static struct vpc_desc *
mk(struct vpc_registry *rg, unsigned n, uint32_t type)
{
	struct vpc_desc *d = NULL;
	vpc_id_t id = vpct_id(n);

	VPCT_EQ(vpc_desc_open(rg, &id, type,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
	VPCT_REQUIRE(d != NULL);
	VPCT_EQ(vpct_ctl(d, VPC_OP_COMMIT, NULL, 0), 0);
	return (d);
}

/* A read-write descriptor on existing object 'n' (0: management). */
static struct vpc_desc *
reopen(struct vpc_registry *rg, unsigned n)
{
	struct vpc_desc *d = NULL;
	vpc_id_t id = vpct_id(n);
	uint32_t type;

	if (n == 0) {
		VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_MGMT,
		    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
		VPCT_REQUIRE(d != NULL);
		return (d);
	}
	/* Find the type by trying them: the fixture knows its ids. */
	for (type = 1; type < VPC_TYPE_MAX; type++)
		if (vpc_desc_open(rg, &id, type,
		    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d) == 0)
			break;
	VPCT_REQUIRE(d != NULL);
	return (d);
}

/*
 * Switch 1; port 11 (vni 1) -> vmnic 21 and port 12 (vni 1) -> vpclink 31
 * (bound), both in the switch; free port 14, vpci 22, ethlink 41; an ARP
 * entry for 192.0.2.1, a forwarding entry, a flood list.  All committed.
 */
static struct vpc_registry *
fixture(void)
{
	struct vpc_registry *rg;
	struct vpc_desc *d[8];
	struct spec sp;
	uint8_t buf[64];
	size_t len, i;
	uint32_t one = 1;
	vpc_id_t id;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	d[0] = mk(rg, 1, VPC_TYPE_SWITCH);
	d[1] = mk(rg, 11, VPC_TYPE_PORT);
	d[2] = mk(rg, 12, VPC_TYPE_PORT);
	d[3] = mk(rg, 14, VPC_TYPE_PORT);
	d[4] = mk(rg, 21, VPC_TYPE_VMNIC);
	d[5] = mk(rg, 22, VPC_TYPE_VPCI);
	d[6] = mk(rg, 31, VPC_TYPE_VPCLINK);
	d[7] = mk(rg, 41, VPC_TYPE_ETHLINK);
	VPCT_EQ(vpct_ctl(d[1], VPC_OP_PORT_VNI_SET, &one, 4), 0);
	VPCT_EQ(vpct_ctl(d[2], VPC_OP_PORT_VNI_SET, &one, 4), 0);
	id = vpct_id(21);
	VPCT_EQ(vpct_ctl(d[1], VPC_OP_PORT_CONNECT, &id, 16), 0);
	id = vpct_id(31);
	VPCT_EQ(vpct_ctl(d[2], VPC_OP_PORT_CONNECT, &id, 16), 0);
	id = vpct_id(11);
	VPCT_EQ(vpct_ctl(d[0], VPC_OP_SW_PORT_ADD, &id, 16), 0);
	id = vpct_id(12);
	VPCT_EQ(vpct_ctl(d[0], VPC_OP_SW_PORT_ADD, &id, 16), 0);
	memset(&sp, 0, sizeof(sp));
	sp.sp_in = IN_UDPADDR;
	len = mkinput(&sp, d[6], buf);
	VPCT_EQ(vpct_ctl(d[6], VPC_OP_VPCLINK_LOCAL_SET, buf, len), 0);
	sp.sp_in = IN_NEIGH_OLD;
	len = mkinput(&sp, d[0], buf);
	VPCT_EQ(vpct_ctl(d[0], VPC_OP_SW_ARP_ADD, buf, len), 0);
	sp.sp_in = IN_FWD;
	len = mkinput(&sp, d[6], buf);
	VPCT_EQ(vpct_ctl(d[6], VPC_OP_VPCLINK_FWD_SET, buf, len), 0);
	sp.sp_in = IN_FLOOD;
	len = mkinput(&sp, d[0], buf);
	VPCT_EQ(vpct_ctl(d[0], VPC_OP_SW_FLOOD_SET, buf, len), 0);
	for (i = 0; i < nitems(d); i++)
		vpc_desc_close(d[i]);
	return (rg);
}

/* The input of 'sp' for descriptor 'd' in 'buf'; its length. */
static size_t
mkinput(const struct spec *sp, struct vpc_desc *d, uint8_t *buf)
{
	struct vpc_mac mac;
	struct vpc_neigh ne;
	struct vpc_ifname ifn;
	struct vpc_udpaddr ua;
	struct vpc_fwd fw;
	struct vpc_flood_hdr h;
	struct vpc_ipaddr a;
	vpc_id_t id;

	switch (sp->sp_in) {
	case IN_NONE:
		return (0);
	case IN_U32:
		memcpy(buf, &sp->sp_u32, 4);
		return (4);
	case IN_ID:
		id = vpct_id(sp->sp_u32);
		memcpy(buf, &id, 16);
		return (16);
	case IN_RIGHTS:
		memcpy(buf, &d->d_rights, 4);
		return (4);
	case IN_MAC:
		memset(&mac, 0, sizeof(mac));
		memcpy(mac.vm_octet, "\x02\0\0\0\0\x33", 6);
		memcpy(buf, &mac, sizeof(mac));
		return (sizeof(mac));
	case IN_FLOOD:
		h.vfh_vni = 1;
		h.vfh_count = 1;
		a = vpct_addr4(203, 0, 113, 1);
		memcpy(buf, &h, sizeof(h));
		memcpy(buf + sizeof(h), &a, sizeof(a));
		return (sizeof(h) + sizeof(a));
	case IN_NEIGH_NEW:
	case IN_NEIGH_OLD:
		memset(&ne, 0, sizeof(ne));
		ne.vn_vni = 1;
		ne.vn_ip = vpct_addr4(192, 0, 2,
		    sp->sp_in == IN_NEIGH_OLD ? 1 : 2);
		memcpy(ne.vn_mac, "\x02\0\0\0\0\x44", 6);
		memcpy(buf, &ne, sizeof(ne));
		return (sizeof(ne));
	case IN_IFNAME:
		memset(&ifn, 0, sizeof(ifn));
		strcpy(ifn.vn_name, "eth0");
		memcpy(buf, &ifn, sizeof(ifn));
		return (sizeof(ifn));
	case IN_UDPADDR:
		memset(&ua, 0, sizeof(ua));
		ua.vu_addr = vpct_addr4(198, 51, 100, 1);
		memcpy(buf, &ua, sizeof(ua));
		return (sizeof(ua));
	case IN_FWD:
		memset(&fw, 0, sizeof(fw));
		fw.vf_vni = 1;
		memcpy(fw.vf_mac, "\x02\0\0\0\0\x55", 6);
		fw.vf_remote = vpct_addr4(203, 0, 113, 1);
		memcpy(buf, &fw, sizeof(fw));
		return (sizeof(fw));
	}
	return (0);
}

static const struct spec *
spec_of(vpc_op_t op)
{
	size_t i;

	for (i = 0; i < nitems(specs); i++)
		if (specs[i].sp_op == op)
			return (&specs[i]);
	return (NULL);
}

/* The row agrees with its op word. */
static int
check_row(const struct vpc_ctl_op *co, void *arg)
{
	unsigned *rows = arg;
	vpc_op_t op = co->co_op;
	vpc_rights_t need;

	(*rows)++;
	need = (op & VPC_OPF_MUTATE) != 0 ? VPC_R_WRITE : VPC_R_READ;
	if (op == VPC_OP_RESTRICT)
		need = 0;
	if (co->co_rights != need || co->co_priv !=
	    ((op & VPC_OPF_PRIV) != 0) ||
	    ((op & VPC_OPF_IN) != 0) != (co->co_insize != 0) ||
	    ((op & VPC_OPF_OUT) != 0) != (co->co_outsize != 0) ||
	    (op & VPC_OP_RSVD) != 0 || vpc_ctl_find(op) != co ||
	    co->co_types == 0 || co->co_fn == NULL)
		vpct_fail(__FILE__, __LINE__, "row %s disagrees with its op",
		    co->co_name);
	if (spec_of(op) == NULL)
		vpct_fail(__FILE__, __LINE__, "row %s has no spec here",
		    co->co_name);
	return (0);
}

/* Every rights set x privileged/not for one row. */
static int
run_row(const struct vpc_ctl_op *co, void *arg)
{
	static const vpc_rights_t rsets[] = { 0, VPC_R_READ, VPC_R_WRITE,
	    VPC_R_READ | VPC_R_WRITE };
	static uint8_t out[4096];
	const struct spec *sp = spec_of(co->co_op);
	struct vpc_registry *rg;
	struct vpc_desc *d;
	vpc_rights_t need, r;
	uint8_t in[64];
	size_t len, n, ri;
	unsigned *calls = arg;
	int p, want, got;

	if (sp == NULL)
		return (0);
	need = (co->co_op & VPC_OPF_MUTATE) != 0 ? VPC_R_WRITE : VPC_R_READ;
	if (co->co_op == VPC_OP_RESTRICT)
		need = 0;
	for (ri = 0; ri < nitems(rsets); ri++) {
		for (p = 0; p < 2; p++) {
			r = rsets[ri];
			rg = fixture();
			d = reopen(rg, sp->sp_obj);
			VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &r, 4), 0);
			VPCT_EQ(d->d_rights, r);
			len = mkinput(sp, d, in);
			n = sizeof(out);
			got = vpc_desc_ctl(d, co->co_op, in, len, out, &n,
			    p ? &vpct_priv : &vpct_user);
			if ((need & ~r) != 0)
				want = EBADF;
			else if ((co->co_op & VPC_OPF_PRIV) != 0 && !p)
				want = EPERM;
			else
				want = 0;
			if (got != want)
				vpct_fail(__FILE__, __LINE__,
				    "%s rights %#x %s: %d, expected %d",
				    co->co_name, r, p ? "priv" : "user", got,
				    want);
			if (want != 0 && n != 0)
				vpct_fail(__FILE__, __LINE__,
				    "%s refused but wrote %zu", co->co_name, n);
			(*calls)++;
			vpc_desc_close(d);
			vpc_registry_destroy(rg);
		}
	}
	return (0);
}

VPCT_CASE(rights_rows_match_ops)
{
	unsigned rows = 0;

	VPCT_EQ(vpc_ctl_foreach_op(check_row, &rows), 0);
	/* Every op of the ABI has a row, and no row lacks a spec. */
	VPCT_EQ(rows, nitems(specs));
}

VPCT_CASE(rights_every_row)
{
	unsigned calls = 0;

	VPCT_EQ(vpc_ctl_foreach_op(run_row, &calls), 0);
	VPCT_EQ(calls, nitems(specs) * 8);
}

VPCT_CASE(rights_restrict_shrinks)
{
	struct vpc_registry *rg;
	struct vpc_desc *d = NULL;
	vpc_id_t id = vpct_id(1);
	uint32_t v, one = 1;
	size_t n;

	rg = fixture();
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_READ, &vpct_user, &d), 0);
	v = VPC_R_READ | VPC_R_WRITE;
	VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &v, 4), EPERM);
	v = 0x4;
	VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &v, 4), EINVAL);
	VPCT_EQ(d->d_rights, VPC_R_READ);
	VPCT_EQ(vpct_ctl(d, VPC_OP_SW_MODE_SET, &one, 4), EBADF);
	v = VPC_R_READ;
	VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &v, 4), 0);
	v = 0;
	VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &v, 4), 0);
	n = 4;
	VPCT_EQ(vpc_desc_ctl(d, VPC_OP_RIGHTS_GET, NULL, 0, &v, &n, &vpct_priv),
	    EBADF);
	v = VPC_R_READ;
	VPCT_EQ(vpct_ctl(d, VPC_OP_RESTRICT, &v, 4), EPERM);
	VPCT_EQ(d->d_rights, 0);
	vpc_desc_close(d);
	/* A write-only descriptor: mutate yes, read no. */
	VPCT_EQ(vpc_desc_open(rg, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_WRITE, &vpct_priv, &d), 0);
	VPCT_EQ(vpct_ctl(d, VPC_OP_SW_MODE_SET, &one, 4), 0);
	n = 4;
	VPCT_EQ(vpc_desc_ctl(d, VPC_OP_SW_MODE_GET, NULL, 0, &v, &n,
	    &vpct_user), EBADF);
	vpc_desc_close(d);
	vpc_registry_destroy(rg);
}
