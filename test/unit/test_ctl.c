/*
 * test_ctl.c: vpc_desc_ctl's generic rules (op word, type, sizes, output
 * capacity), every value error, list sizes, the switch and vpclink
 * tables, and "a failed op changes no state": the whole registry is
 * dumped through ctl ops before and after each failing call and the two
 * dumps must be identical.
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

#define	BIG	(64 * 1024)

/* The test host: ho_set fails with EIO for attribute th_fail. */
static int	th_fail;

static int	th_set(void *host, struct vpc_obj *o, enum vpc_attr a,
		    const void *val, size_t len);
static int	th_get(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
static int	cmpid(const void *a, const void *b);
static void	dump_op(FILE *f, struct vpc_desc *d, const char *what,
		    vpc_op_t op, const void *in, size_t len);
static char	*dump(struct vpc_registry *rg);
static struct vpc_registry *topo(struct vpc_desc **dv);
static void	topo_close(struct vpc_registry *rg, struct vpc_desc **dv);
static struct vpc_desc *desc_of(const vpc_id_t *ids, struct vpc_desc **dv,
		    size_t n, const vpc_id_t *id);

static const struct vpc_host_ops th_ops = {
	.ho_set = th_set,
	.ho_get = th_get,
};

static int
th_set(void *host __unused, struct vpc_obj *o __unused, enum vpc_attr a,
    const void *val __unused, size_t len __unused)
{
	return ((int)a == th_fail ? EIO : 0);
}

static int
th_get(void *host __unused, struct vpc_obj *o __unused, enum vpc_attr a,
    void *val, size_t len)
{
	uint32_t mtu = 9000;

	if (a == VPC_ATTR_UNDERLAY_MTU && len == sizeof(mtu)) {
		memcpy(val, &mtu, sizeof(mtu));
		return (0);
	}
	return (ENXIO);
}

static int
cmpid(const void *a, const void *b)
{
	return (memcmp(a, b, sizeof(vpc_id_t)));
}

/* One line: what, errno, and the output bytes in hex. */
static void
dump_op(FILE *f, struct vpc_desc *d, const char *what, vpc_op_t op,
    const void *in, size_t len)
{
	static uint8_t out[BIG];
	size_t n, i;
	int error;

	error = vpct_ctl_out(d, op, in, len, out, sizeof(out), &n);
	fprintf(f, "  %s: %d", what, error);
	for (i = 0; error == 0 && i < n; i++)
		fprintf(f, "%s%02x", i % 16 == 0 ? "\n    " : " ", out[i]);
	fputc('\n', f);
}

/* Every object, sorted by id, with every setting and table. */
static char *
dump(struct vpc_registry *rg)
{
	static const uint32_t types[] = { VPC_TYPE_SWITCH, VPC_TYPE_PORT,
	    VPC_TYPE_VMNIC, VPC_TYPE_VPCI, VPC_TYPE_ETHLINK, VPC_TYPE_VPCLINK };
	static const uint32_t vnis[] = { 0, 1, 5, 7, VPC_VNI_MAX };
	struct vpc_desc *m = NULL, *d;
	vpc_id_t ids[64], nil;
	char *buf = NULL;
	size_t len = 0, n, i, t, v;
	FILE *f;

	f = open_memstream(&buf, &len);
	VPCT_REQUIRE(f != NULL);
	memset(&nil, 0, sizeof(nil));
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
	    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &m), 0);
	for (t = 0; t < nitems(types); t++) {
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_LIST, &types[t], 4, ids,
		    sizeof(ids), &n), 0);
		n /= sizeof(vpc_id_t);
		qsort(ids, n, sizeof(ids[0]), cmpid);
		for (i = 0; i < n; i++) {
			VPCT_EQ(vpc_desc_open(rg, &ids[i], types[t],
			    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &d), 0);
			fprintf(f, "type %u id %u\n", types[t],
			    ids[i].vi_bytes[14] << 8 | ids[i].vi_bytes[15]);
			dump_op(f, d, "committed", VPC_OP_COMMITTED_GET,
			    NULL, 0);
			if (types[t] != VPC_TYPE_PORT) {
				dump_op(f, d, "mac", VPC_OP_MAC_GET, NULL, 0);
				dump_op(f, d, "mtu", VPC_OP_MTU_GET, NULL, 0);
			}
			switch (types[t]) {
			case VPC_TYPE_SWITCH:
				dump_op(f, d, "mode", VPC_OP_SW_MODE_GET,
				    NULL, 0);
				dump_op(f, d, "ports", VPC_OP_SW_PORT_LIST,
				    NULL, 0);
				dump_op(f, d, "arp", VPC_OP_SW_ARP_LIST,
				    NULL, 0);
				dump_op(f, d, "l2", VPC_OP_SW_MAC_LIST,
				    NULL, 0);
				for (v = 0; v < nitems(vnis); v++)
					dump_op(f, d, "flood",
					    VPC_OP_SW_FLOOD_GET, &vnis[v], 4);
				fprintf(f, "  uplinks %u\n", vpc_htab_count(
				    VPC_SW(d->d_obj)->sw_uplink));
				break;
			case VPC_TYPE_PORT:
				dump_op(f, d, "vni", VPC_OP_PORT_VNI_GET,
				    NULL, 0);
				dump_op(f, d, "vlan", VPC_OP_PORT_VLAN_GET,
				    NULL, 0);
				dump_op(f, d, "peer", VPC_OP_PORT_PEER_GET,
				    NULL, 0);
				dump_op(f, d, "switch",
				    VPC_OP_PORT_SWITCH_GET, NULL, 0);
				break;
			case VPC_TYPE_VMNIC:
				dump_op(f, d, "queues",
				    VPC_OP_VMNIC_QUEUES_GET, NULL, 0);
				fprintf(f, "  port %d\n",
				    VPC_NIC(d->d_obj)->nic_port != NULL);
				break;
			case VPC_TYPE_VPCI:
				dump_op(f, d, "queues",
				    VPC_OP_VPCI_QUEUES_GET, NULL, 0);
				fprintf(f, "  port %d\n",
				    VPC_NIC(d->d_obj)->nic_port != NULL);
				break;
			case VPC_TYPE_ETHLINK:
				dump_op(f, d, "ifname",
				    VPC_OP_ETHLINK_IFNAME_GET, NULL, 0);
				dump_op(f, d, "vlan", VPC_OP_ETHLINK_VLAN_GET,
				    NULL, 0);
				fprintf(f, "  ports %u\n", vpc_htab_count(
				    VPC_EL(d->d_obj)->el_ports));
				break;
			case VPC_TYPE_VPCLINK:
				dump_op(f, d, "local",
				    VPC_OP_VPCLINK_LOCAL_GET, NULL, 0);
				dump_op(f, d, "fwd", VPC_OP_VPCLINK_FWD_LIST,
				    NULL, 0);
				fprintf(f, "  ports %u\n", vpc_htab_count(
				    VPC_VL(d->d_obj)->vl_ports));
				break;
			}
			vpc_desc_close(d);
		}
	}
	vpc_desc_close(m);
	fclose(f);
	return (buf);
}

/*
 * The topology the failure tests run against (dv[] index: object id):
 *   1 switch: ports 11 (vni 5, -> vmnic 21), 12 (vni 5, -> vpclink 31),
 *     13 (vni 7, vlan 3, -> ethlink 41); ARP, flood list for VNI 5.
 *   14 a free port; 22 a free vpci; 31 bound, with a forwarding entry.
 */
static struct vpc_registry *
topo(struct vpc_desc **dv)
{
	struct vpc_registry *rg;
	struct vpc_udpaddr ua;
	struct vpc_neigh ne;
	struct vpc_fwd fw;
	struct {
		struct vpc_flood_hdr h;
		struct vpc_ipaddr a[2];
	} fl;

	rg = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg != NULL);
	dv[1] = vpct_open(rg, 1, VPC_TYPE_SWITCH);
	dv[11] = vpct_open(rg, 11, VPC_TYPE_PORT);
	dv[12] = vpct_open(rg, 12, VPC_TYPE_PORT);
	dv[13] = vpct_open(rg, 13, VPC_TYPE_PORT);
	dv[14] = vpct_open(rg, 14, VPC_TYPE_PORT);
	dv[21] = vpct_open(rg, 21, VPC_TYPE_VMNIC);
	dv[22] = vpct_open(rg, 22, VPC_TYPE_VPCI);
	dv[31] = vpct_open(rg, 31, VPC_TYPE_VPCLINK);
	dv[41] = vpct_open(rg, 41, VPC_TYPE_ETHLINK);
	VPCT_EQ(vpct_set32(dv[11], VPC_OP_PORT_VNI_SET, 5), 0);
	VPCT_EQ(vpct_set32(dv[12], VPC_OP_PORT_VNI_SET, 5), 0);
	VPCT_EQ(vpct_set32(dv[13], VPC_OP_PORT_VNI_SET, 7), 0);
	VPCT_EQ(vpct_set32(dv[13], VPC_OP_PORT_VLAN_SET, 3), 0);
	VPCT_EQ(vpct_idop(dv[11], VPC_OP_PORT_CONNECT, 21), 0);
	VPCT_EQ(vpct_idop(dv[12], VPC_OP_PORT_CONNECT, 31), 0);
	VPCT_EQ(vpct_idop(dv[13], VPC_OP_PORT_CONNECT, 41), 0);
	VPCT_EQ(vpct_idop(dv[1], VPC_OP_SW_PORT_ADD, 11), 0);
	VPCT_EQ(vpct_idop(dv[1], VPC_OP_SW_PORT_ADD, 12), 0);
	VPCT_EQ(vpct_idop(dv[1], VPC_OP_SW_PORT_ADD, 13), 0);
	memset(&ua, 0, sizeof(ua));
	ua.vu_addr = vpct_addr4(198, 51, 100, 1);
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_LOCAL_SET, &ua, sizeof(ua)), 0);
	memset(&ne, 0, sizeof(ne));
	ne.vn_vni = 5;
	ne.vn_ip = vpct_addr4(192, 0, 2, 10);
	memcpy(ne.vn_mac, "\x02\0\0\0\0\x0a", 6);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_ARP_ADD, &ne, sizeof(ne)), 0);
	memset(&fw, 0, sizeof(fw));
	fw.vf_vni = 5;
	memcpy(fw.vf_mac, "\x02\0\0\0\0\x0b", 6);
	fw.vf_remote = vpct_addr4(203, 0, 113, 7);
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_FWD_SET, &fw, sizeof(fw)), 0);
	fl.h.vfh_vni = 5;
	fl.h.vfh_count = 2;
	fl.a[0] = vpct_addr4(203, 0, 113, 7);
	fl.a[1] = vpct_addr4(203, 0, 113, 8);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, &fl, sizeof(fl)), 0);
	return (rg);
}

static void
topo_close(struct vpc_registry *rg, struct vpc_desc **dv)
{
	unsigned i;

	for (i = 0; i < 64; i++)
		if (dv[i] != NULL)
			vpc_desc_close(dv[i]);
	vpc_registry_destroy(rg);
}

VPCT_CASE(ctl_opword_rules)
{
	struct vpc_desc *dv[64] = { 0 };
	struct vpc_registry *rg;
	uint32_t v;
	size_t n;

	rg = topo(dv);
	/* Reserved bits; direction/permission bits not matching the row. */
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET | 0x00010000, NULL, 0, &v, 4,
	    &n), EINVAL);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET & ~VPC_OPF_OUT, NULL, 0, &v,
	    4, &n), EINVAL);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET | VPC_OPF_MUTATE, NULL, 0,
	    &v, 4, &n), EINVAL);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_COMMIT | VPC_OPF_PRIV, NULL, 0), EINVAL);
	VPCT_EQ(vpct_ctl(dv[41], VPC_OP_ETHLINK_ATTACH & ~VPC_OPF_PRIV, "", 16),
	    EINVAL);
	/* Unknown op numbers and types. */
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP(0, 99, 0), NULL, 0), EOPNOTSUPP);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP(VPC_TYPE_SWITCH, 0, 0), NULL, 0),
	    EOPNOTSUPP);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP(VPC_TYPE_ROUTER, 1, 0), NULL, 0),
	    EOPNOTSUPP);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP(200, 1, 0), NULL, 0), EOPNOTSUPP);
	/* Ops of another type. */
	VPCT_EQ(vpct_set32(dv[31], VPC_OP_MTU_SET, 1400), ENOTTY);
	VPCT_EQ(vpct_ctl_out(dv[11], VPC_OP_MTU_GET, NULL, 0, &v, 4, &n),
	    ENOTTY);
	VPCT_EQ(vpct_ctl_out(dv[11], VPC_OP_MAC_GET, NULL, 0, &v, 4, &n),
	    ENOTTY);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_PORT_DISCONNECT, NULL, 0), ENOTTY);
	VPCT_EQ(vpct_set32(dv[22], VPC_OP_VMNIC_QUEUES_SET, 2), ENOTTY);
	VPCT_EQ(vpct_set32(dv[21], VPC_OP_VPCI_QUEUES_SET, 2), ENOTTY);
	{
		struct vpc_desc *m = NULL;
		vpc_id_t nil;

		memset(&nil, 0, sizeof(nil));
		VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
		    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &m), 0);
		VPCT_EQ(vpct_ctl(m, VPC_OP_COMMIT, NULL, 0), ENOTTY);
		VPCT_EQ(vpct_ctl(m, VPC_OP_DESTROY, NULL, 0), ENOTTY);
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_MAC_GET, NULL, 0, &v, 8, &n),
		    ENOTTY);
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_ABI_VERSION, NULL, 0, &v, 4,
		    &n), 0);
		v = VPC_TYPE_INVALID;
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_COUNT, &v, 4, &v, 4, &n),
		    EINVAL);
		v = VPC_TYPE_MAX;
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_COUNT, &v, 4, &v, 4, &n),
		    EINVAL);
		v = VPC_TYPE_PORT;
		VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_COUNT, &v, 4, &v, 4, &n),
		    0);
		VPCT_EQ(v, 4);
		vpc_desc_close(m);
	}
	topo_close(rg, dv);
}

VPCT_CASE(ctl_sizes_and_output)
{
	struct vpc_desc *dv[64] = { 0 };
	struct vpc_registry *rg;
	static uint8_t big[VPC_CTL_IN_MAX + 8];
	uint8_t out[64];
	uint32_t v;
	size_t n;

	rg = topo(dv);
	/* Fixed inputs: exactly their size. */
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_MTU_SET, &v, 3), EINVAL);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_MTU_SET, big, 5), EINVAL);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_MTU_SET, NULL, 0), EINVAL);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_COMMIT, big, 1), EINVAL);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_MTU_SET, NULL, 4), EFAULT);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_MTU_SET, big, VPC_CTL_IN_MAX + 1),
	    E2BIG);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, big, VPC_CTL_IN_MAX + 1),
	    E2BIG);
	/* Fixed output: ERANGE with the size, nothing copied. */
	memset(out, 0xee, sizeof(out));
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET, NULL, 0, out, 3, &n),
	    ERANGE);
	VPCT_EQ(n, 4);
	VPCT_EQ(out[0], 0xee);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_STATS, NULL, 0, out, sizeof(out),
	    &n), ERANGE);
	VPCT_EQ(n, sizeof(struct vpc_stats));
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET, NULL, 0, NULL, 4, &n),
	    EFAULT);
	/* Success: exactly the bytes written, whatever the capacity. */
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_MTU_GET, NULL, 0, out, sizeof(out),
	    &n), 0);
	VPCT_EQ(n, 4);
	VPCT_EQ(out[4], 0xee);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_COMMIT, NULL, 0, out, sizeof(out),
	    &n), 0);
	VPCT_EQ(n, 0);
	/* An error after the checks leaves *outnbyte 0, copies nothing. */
	memset(out, 0xee, sizeof(out));
	VPCT_EQ(vpct_ctl_out(dv[14], VPC_OP_PORT_PEER_GET, NULL, 0, out,
	    sizeof(out), &n), ENOTCONN);
	VPCT_EQ(n, 0);
	VPCT_EQ(out[0], 0xee);
	/* NULL outnbyte is a zero capacity. */
	VPCT_EQ(vpc_desc_ctl(dv[1], VPC_OP_MTU_GET, NULL, 0, out, NULL,
	    &vpct_priv), ERANGE);
	/* vpclink MTU derived from a 9000-byte underlay. */
	VPCT_EQ(vpct_ctl_out(dv[31], VPC_OP_MTU_GET, NULL, 0, &v, 4, &n), 0);
	VPCT_EQ(v, 9000 - VPC_VXLAN_OVERHEAD4);
	topo_close(rg, dv);
}

/* Each list op: ERANGE with the bytes needed, nothing copied. */
VPCT_CASE(ctl_list_erange)
{
	struct vpc_desc *dv[64] = { 0 }, *m = NULL;
	struct vpc_registry *rg;
	uint8_t out[1024];
	uint32_t vni, type;
	vpc_id_t nil;
	size_t n, need;
	unsigned i;
	struct {
		struct vpc_desc	**d;
		vpc_op_t	 op;
		const void	*in;
		size_t		 inlen;
		size_t		 need;
	} c[7];

	rg = topo(dv);
	memset(&nil, 0, sizeof(nil));
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
	    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &m), 0);
	vni = 5;
	type = VPC_TYPE_PORT;
	c[0] = (typeof(c[0])){ &dv[1], VPC_OP_SW_PORT_LIST, NULL, 0, 3 * 16 };
	c[1] = (typeof(c[0])){ &dv[1], VPC_OP_SW_ARP_LIST, NULL, 0, 32 };
	/* The vmnic's automatic entry; links have none. */
	c[2] = (typeof(c[0])){ &dv[1], VPC_OP_SW_MAC_LIST, NULL, 0, 28 };
	c[3] = (typeof(c[0])){ &dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, 40 };
	c[4] = (typeof(c[0])){ &dv[31], VPC_OP_VPCLINK_FWD_LIST, NULL, 0,
	    32 };
	c[5] = (typeof(c[0])){ &m, VPC_OP_MGMT_LIST, &type, 4, 4 * 16 };
	c[6] = c[5];
	for (i = 0; i < nitems(c); i++) {
		need = c[i].need;
		memset(out, 0xee, sizeof(out));
		VPCT_EQ(vpct_ctl_out(*c[i].d, c[i].op, c[i].in, c[i].inlen, out,
		    need - 1, &n), ERANGE);
		VPCT_EQ(n, need);
		VPCT_EQ(out[0], 0xee);
		VPCT_EQ(vpct_ctl_out(*c[i].d, c[i].op, c[i].in, c[i].inlen,
		    NULL, 0, &n), ERANGE);
		VPCT_EQ(n, need);
		VPCT_EQ(vpct_ctl_out(*c[i].d, c[i].op, c[i].in, c[i].inlen, out,
		    need, &n), 0);
		VPCT_EQ(n, need);
		VPCT_EQ(out[need], 0xee);
	}
	/* Empty lists: 0 bytes, no error. */
	vni = 6;
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, NULL, 0, &n),
	    0);
	VPCT_EQ(n, 0);
	type = VPC_TYPE_ROUTER;
	VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_LIST, &type, 4, NULL, 0, &n), 0);
	VPCT_EQ(n, 0);
	vni = VPC_VNI_MAX + 1;
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, out, 64, &n),
	    EINVAL);
	vpc_desc_close(m);
	topo_close(rg, dv);
}

/* The descriptor of 'id' among the 'n' of 'ids'/'dv', or NULL. */
static struct vpc_desc *
desc_of(const vpc_id_t *ids, struct vpc_desc **dv, size_t n,
    const vpc_id_t *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(&ids[i], id, sizeof(*id)) == 0)
			return (dv[i]);
	return (NULL);
}

/*
 * MGMT_DUMP: well-formed records (header, input, zero padding), only
 * committed objects, ERANGE leaves the buffer alone, and replaying the
 * records into an empty registry (create every object, then send each
 * request from its own object's records, skipping the markers, then
 * commit) rebuilds a registry that reads back the same, get op by get op.
 */
VPCT_CASE(ctl_mgmt_dump)
{
	static uint8_t out[BIG];
	struct vpc_desc *dv[64] = { 0 }, *m = NULL, *m2 = NULL, *nd[64];
	struct vpc_registry *rg, *rg2;
	struct vpc_dumprec h;
	vpc_id_t nil, ids[64], cur;
	char *before, *after;
	size_t n, need, off, k, nobj, ncommit;
	unsigned i;
	int pass;
	bool rel;

	rg = topo(dv);
	memset(&nil, 0, sizeof(nil));
	VPCT_EQ(vpc_desc_open(rg, &nil, VPC_TYPE_MGMT,
	    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &m), 0);
	/* Nothing committed yet: an empty dump. */
	VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_DUMP, NULL, 0, NULL, 0, &n), 0);
	VPCT_EQ(n, 0);
	ncommit = 0;
	for (i = 0; i < nitems(dv); i++)
		if (dv[i] != NULL && i != 14) {
			VPCT_EQ(vpct_ctl(dv[i], VPC_OP_COMMIT, NULL, 0), 0);
			ncommit++;
		}
	VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_DUMP, NULL, 0, NULL, 0, &need),
	    ERANGE);
	VPCT_REQUIRE(need > 0 && need < sizeof(out));
	memset(out, 0xee, sizeof(out));
	VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_DUMP, NULL, 0, out, need - 1, &n),
	    ERANGE);
	VPCT_EQ(n, need);
	VPCT_EQ(out[0], 0xee);
	VPCT_EQ(vpct_ctl_out(m, VPC_OP_MGMT_DUMP, NULL, 0, out, sizeof(out),
	    &n), 0);
	VPCT_EQ(n, need);
	VPCT_EQ(n % VPC_DUMP_ALIGN, 0);

	/* Pass 1: the records are well formed; create each object. */
	rg2 = vpc_registry_create(&th_ops, NULL);
	VPCT_REQUIRE(rg2 != NULL);
	nobj = 0;
	for (off = 0; off < n; off += h.dr_size) {
		VPCT_REQUIRE(n - off >= sizeof(h));
		memcpy(&h, out + off, sizeof(h));
		VPCT_REQUIRE(h.dr_size >= sizeof(h) && h.dr_size % 8 == 0 &&
		    h.dr_size <= n - off && h.dr_inlen <= h.dr_size - sizeof(h));
		VPCT_EQ(h.dr_size - sizeof(h) - h.dr_inlen < VPC_DUMP_ALIGN, 1);
		for (k = sizeof(h) + h.dr_inlen; k < h.dr_size; k++)
			VPCT_EQ(out[off + k], 0);
		if (h.dr_op != VPC_OP_COMMIT)
			continue;
		VPCT_EQ(h.dr_inlen, 0);
		VPCT_REQUIRE(nobj < nitems(ids));
		VPCT_REQUIRE(desc_of(ids, nd, nobj, &h.dr_id) == NULL);
		ids[nobj] = h.dr_id;
		VPCT_EQ(vpc_desc_open(rg2, &h.dr_id, h.dr_type, VPC_F_CREATE |
		    VPC_F_READ | VPC_F_WRITE, &vpct_priv, &nd[nobj]), 0);
		nobj++;
	}
	VPCT_EQ(nobj, ncommit);
	/* The uncommitted port 14 is not in it. */
	VPCT_REQUIRE(desc_of(ids, nd, nobj, &dv[14]->d_obj->o_id) == NULL);

	/*
	 * Passes 2 and 3: each object's own requests, settings and entries
	 * first, relations last (a port's VNI is fixed while it is in a
	 * switch); then commit all.
	 */
	for (pass = 0; pass < 2; pass++) {
		memset(&cur, 0, sizeof(cur));
		for (off = 0; off < n; off += h.dr_size) {
			memcpy(&h, out + off, sizeof(h));
			if (h.dr_op == VPC_OP_COMMIT) {
				cur = h.dr_id;
				continue;
			}
			rel = h.dr_op == VPC_OP_SW_PORT_ADD ||
			    h.dr_op == VPC_OP_PORT_CONNECT;
			if (memcmp(&h.dr_id, &cur, sizeof(cur)) != 0 ||
			    h.dr_op == VPC_OP_PORT_DISCONNECT ||
			    rel != (pass == 1))
				continue;	/* other side, marker, pass */
			VPCT_EQ(vpct_ctl(desc_of(ids, nd, nobj, &h.dr_id),
			    h.dr_op, h.dr_inlen != 0 ? out + off + sizeof(h) :
			    NULL, h.dr_inlen), 0);
		}
	}
	for (k = 0; k < nobj; k++) {
		VPCT_EQ(vpct_ctl(nd[k], VPC_OP_COMMIT, NULL, 0), 0);
		vpc_desc_close(nd[k]);
	}
	vpc_desc_close(dv[14]);
	dv[14] = NULL;
	before = dump(rg);
	after = dump(rg2);
	if (strcmp(after, before) != 0)
		vpct_fail(__FILE__, __LINE__, "replayed dump differs:\n"
		    "--- original\n%s--- replayed\n%s", before, after);
	/* And the copy dumps to the same bytes, up to object order. */
	VPCT_EQ(vpc_desc_open(rg2, &nil, VPC_TYPE_MGMT,
	    VPC_F_OPEN | VPC_F_READ, &vpct_priv, &m2), 0);
	VPCT_EQ(vpct_ctl_out(m2, VPC_OP_MGMT_DUMP, NULL, 0, NULL, 0, &k),
	    ERANGE);
	VPCT_EQ(k, n);
	free(before);
	free(after);
	vpc_desc_close(m2);
	vpc_desc_close(m);
	topo_close(rg, dv);
	vpc_registry_destroy(rg2);
}

/* A failing call and its errno. */
struct fcase {
	const char	*fc_name;
	unsigned	 fc_obj;	/* index into dv[] */
	vpc_op_t	 fc_op;
	uint8_t		 fc_in[64];
	size_t		 fc_len;
	int		 fc_errno;
	int		 fc_fail;	/* th_fail for the call */
};

static void	fc_add(struct fcase *fc, size_t *n, const char *name,
		    unsigned obj, vpc_op_t op, const void *in, size_t len,
		    int error, int fail);

static void
fc_add(struct fcase *fc, size_t *n, const char *name, unsigned obj,
    vpc_op_t op, const void *in, size_t len, int error, int fail)
{
	struct fcase *c = &fc[(*n)++];

	VPCT_REQUIRE(len <= sizeof(c->fc_in));
	c->fc_name = name;
	c->fc_obj = obj;
	c->fc_op = op;
	memcpy(c->fc_in, in, len);
	c->fc_len = len;
	c->fc_errno = error;
	c->fc_fail = fail;
}

#define	U32(v)	(&(const uint32_t){ (v) }), 4
#define	ID(n)	idp(n)

static const vpc_id_t *idp(unsigned n);

/* Id 'n' in static storage (fc_add copies it at once). */
static const vpc_id_t *
idp(unsigned n)
{
	static vpc_id_t id;

	id = vpct_id(n);
	return (&id);
}

VPCT_CASE(ctl_failures_change_nothing)
{
	struct vpc_desc *dv[64] = { 0 };
	struct vpc_registry *rg;
	static struct fcase fc[128];
	struct vpc_mac mac;
	struct vpc_udpaddr ua;
	struct vpc_neigh ne, ne0;
	struct vpc_fwd fw, fw0;
	struct vpc_ifname ifn;
	char *before, *after;
	size_t n = 0, i;
	struct {
		struct vpc_flood_hdr h;
		struct vpc_ipaddr a[2];
	} fl;

	rg = topo(dv);
	VPCT_EQ(vpct_set32(dv[14], VPC_OP_PORT_VNI_SET, 5), 0);
	/* Ranges. */
	fc_add(fc, &n, "vni 2^24", 14, VPC_OP_PORT_VNI_SET,
	    U32(VPC_VNI_MAX + 1), EINVAL, 0);
	fc_add(fc, &n, "vlan 4095", 14, VPC_OP_PORT_VLAN_SET, U32(4095),
	    EINVAL, 0);
	fc_add(fc, &n, "el vlan 4095", 41, VPC_OP_ETHLINK_VLAN_SET,
	    U32(4095), EINVAL, 0);
	fc_add(fc, &n, "mtu low", 1, VPC_OP_MTU_SET, U32(VPC_MTU_MIN - 1),
	    EINVAL, 0);
	fc_add(fc, &n, "mtu high", 21, VPC_OP_MTU_SET, U32(VPC_MTU_MAX + 1),
	    EINVAL, 0);
	fc_add(fc, &n, "queues 0", 21, VPC_OP_VMNIC_QUEUES_SET, U32(0),
	    EINVAL, 0);
	fc_add(fc, &n, "queues 17", 22, VPC_OP_VPCI_QUEUES_SET, U32(17),
	    EINVAL, 0);
	fc_add(fc, &n, "mode 0", 1, VPC_OP_SW_MODE_SET, U32(0), EINVAL, 0);
	fc_add(fc, &n, "mode 3", 1, VPC_OP_SW_MODE_SET, U32(3), EINVAL, 0);
	fc_add(fc, &n, "restrict bits", 1, VPC_OP_RESTRICT, U32(4), EINVAL, 0);
	/* MACs. */
	memset(&mac, 0, sizeof(mac));
	memcpy(mac.vm_octet, "\x03\0\0\0\0\1", 6);
	fc_add(fc, &n, "mac multicast", 21, VPC_OP_MAC_SET, &mac, 8, EINVAL,
	    0);
	memset(&mac, 0, sizeof(mac));
	fc_add(fc, &n, "mac zero", 1, VPC_OP_MAC_SET, &mac, 8, EINVAL, 0);
	memcpy(mac.vm_octet, "\x02\0\0\0\0\1", 6);
	mac.vm_pad[1] = 1;
	fc_add(fc, &n, "mac pad", 31, VPC_OP_MAC_SET, &mac, 8, EINVAL, 0);
	/* vpclink binding. */
	memset(&ua, 0, sizeof(ua));
	ua.vu_addr = vpct_addr4(198, 51, 100, 2);
	ua.vu_addr.va_family = 5;
	fc_add(fc, &n, "local family", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_addr = vpct_addr4(198, 51, 100, 2);
	ua.vu_pad = 1;
	fc_add(fc, &n, "local pad", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_pad = 0;
	ua.vu_addr.va_pad[2] = 1;
	fc_add(fc, &n, "local addr pad", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_addr = vpct_addr4(198, 51, 100, 2);
	ua.vu_addr.va_addr[9] = 1;
	fc_add(fc, &n, "local v4 tail", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_addr = vpct_addr4(239, 1, 1, 1);
	fc_add(fc, &n, "local multicast", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_addr = vpct_addr4(0, 0, 0, 0);
	fc_add(fc, &n, "local unspec", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	memset(&ua.vu_addr, 0, sizeof(ua.vu_addr));
	ua.vu_addr.va_family = VPC_AF_INET6;
	fc_add(fc, &n, "local unspec6", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	ua.vu_addr.va_addr[0] = 0xff;
	ua.vu_addr.va_addr[15] = 1;
	fc_add(fc, &n, "local mcast6", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EINVAL, 0);
	/* Names. */
	memset(&ifn, 'x', sizeof(ifn));
	fc_add(fc, &n, "ifname unterminated", 41, VPC_OP_ETHLINK_ATTACH, &ifn,
	    sizeof(ifn), EINVAL, 0);
	/* ARP entries. */
	memset(&ne0, 0, sizeof(ne0));
	ne0.vn_vni = 5;
	ne0.vn_ip = vpct_addr4(192, 0, 2, 20);
	memcpy(ne0.vn_mac, "\x02\0\0\0\0\x14", 6);
	ne = ne0;
	ne.vn_ip.va_family = VPC_AF_INET6;
	fc_add(fc, &n, "arp v6", 1, VPC_OP_SW_ARP_ADD, &ne, sizeof(ne),
	    EAFNOSUPPORT, 0);
	fc_add(fc, &n, "arp del v6", 1, VPC_OP_SW_ARP_DEL, &ne, sizeof(ne),
	    EAFNOSUPPORT, 0);
	ne = ne0;
	ne.vn_ip.va_family = 0;
	fc_add(fc, &n, "arp family", 1, VPC_OP_SW_ARP_ADD, &ne, sizeof(ne),
	    EINVAL, 0);
	ne = ne0;
	ne.vn_vni = VPC_VNI_MAX + 1;
	fc_add(fc, &n, "arp vni", 1, VPC_OP_SW_ARP_ADD, &ne, sizeof(ne),
	    EINVAL, 0);
	ne = ne0;
	ne.vn_pad = 1;
	fc_add(fc, &n, "arp pad", 1, VPC_OP_SW_ARP_ADD, &ne, sizeof(ne),
	    EINVAL, 0);
	ne = ne0;
	ne.vn_mac[0] = 1;
	fc_add(fc, &n, "arp mac", 1, VPC_OP_SW_ARP_ADD, &ne, sizeof(ne),
	    EINVAL, 0);
	fc_add(fc, &n, "arp del absent", 1, VPC_OP_SW_ARP_DEL, &ne0,
	    sizeof(ne0), ENOENT, 0);
	/* Forwarding entries. */
	memset(&fw0, 0, sizeof(fw0));
	fw0.vf_vni = 5;
	memcpy(fw0.vf_mac, "\x02\0\0\0\0\x0c", 6);
	fw0.vf_remote = vpct_addr4(203, 0, 113, 9);
	fw = fw0;
	fw.vf_flags = VPC_FWD_F_LEARNED;
	fc_add(fc, &n, "fwd flags", 31, VPC_OP_VPCLINK_FWD_SET, &fw,
	    sizeof(fw), EINVAL, 0);
	fw = fw0;
	fw.vf_vni = VPC_VNI_MAX + 1;
	fc_add(fc, &n, "fwd vni", 31, VPC_OP_VPCLINK_FWD_SET, &fw,
	    sizeof(fw), EINVAL, 0);
	fw = fw0;
	fw.vf_remote.va_family = 9;
	fc_add(fc, &n, "fwd family", 31, VPC_OP_VPCLINK_FWD_SET, &fw,
	    sizeof(fw), EINVAL, 0);
	fw = fw0;
	fw.vf_mac[0] = 0xff;
	fc_add(fc, &n, "fwd mac", 31, VPC_OP_VPCLINK_FWD_SET, &fw,
	    sizeof(fw), EINVAL, 0);
	fc_add(fc, &n, "fwd del absent", 31, VPC_OP_VPCLINK_FWD_DEL, &fw0,
	    sizeof(fw0), ENOENT, 0);
	/* Flood lists. */
	fl.h.vfh_vni = 5;
	fl.h.vfh_count = 2;
	fl.a[0] = vpct_addr4(203, 0, 113, 20);
	fl.a[1] = fl.a[0];
	fc_add(fc, &n, "flood dup", 1, VPC_OP_SW_FLOOD_SET, &fl, sizeof(fl),
	    EINVAL, 0);
	fl.a[1] = vpct_addr4(224, 0, 0, 1);
	fc_add(fc, &n, "flood mcast", 1, VPC_OP_SW_FLOOD_SET, &fl,
	    sizeof(fl), EINVAL, 0);
	fl.a[1] = vpct_addr4(203, 0, 113, 21);
	fc_add(fc, &n, "flood short", 1, VPC_OP_SW_FLOOD_SET, &fl,
	    sizeof(fl) - 1, EINVAL, 0);
	fc_add(fc, &n, "flood count", 1, VPC_OP_SW_FLOOD_SET, &fl,
	    sizeof(fl.h) + sizeof(fl.a[0]), EINVAL, 0);
	fc_add(fc, &n, "flood hdr", 1, VPC_OP_SW_FLOOD_SET, &fl, 7, EINVAL,
	    0);
	fl.h.vfh_vni = VPC_VNI_MAX + 1;
	fc_add(fc, &n, "flood vni", 1, VPC_OP_SW_FLOOD_SET, &fl, sizeof(fl),
	    EINVAL, 0);
	/* Relations. */
	fc_add(fc, &n, "connect again", 11, VPC_OP_PORT_CONNECT,
	    ID(22), 16, EISCONN, 0);
	fc_add(fc, &n, "connect nic busy", 14, VPC_OP_PORT_CONNECT,
	    ID(21), 16, EBUSY, 0);
	/* Port 14 is on VNI 5, which vpclink 31 has a port for. */
	fc_add(fc, &n, "connect vni taken", 14, VPC_OP_PORT_CONNECT,
	    ID(31), 16, EEXIST, 0);
	fc_add(fc, &n, "connect switch", 14, VPC_OP_PORT_CONNECT,
	    ID(1), 16, EPROTOTYPE, 0);
	fc_add(fc, &n, "port add twice", 1, VPC_OP_SW_PORT_ADD,
	    ID(11), 16, EEXIST, 0);
	fc_add(fc, &n, "port del absent", 1, VPC_OP_SW_PORT_DEL,
	    ID(14), 16, ENOENT, 0);
	fc_add(fc, &n, "vni busy", 11, VPC_OP_PORT_VNI_SET, U32(6), EBUSY, 0);
	fc_add(fc, &n, "vlan busy", 13, VPC_OP_PORT_VLAN_SET, U32(6), EBUSY,
	    0);
	fc_add(fc, &n, "el vlan busy", 41, VPC_OP_ETHLINK_VLAN_SET, U32(6),
	    EBUSY, 0);
	fc_add(fc, &n, "disconnect free", 14, VPC_OP_PORT_DISCONNECT, "", 0,
	    ENOTCONN, 0);
	fc_add(fc, &n, "destroy switch", 1, VPC_OP_DESTROY, "", 0, EBUSY, 0);
	fc_add(fc, &n, "destroy port", 11, VPC_OP_DESTROY, "", 0, EBUSY, 0);
	fc_add(fc, &n, "destroy nic", 21, VPC_OP_DESTROY, "", 0, EBUSY, 0);
	fc_add(fc, &n, "destroy vl", 31, VPC_OP_DESTROY, "", 0, EBUSY, 0);
	fc_add(fc, &n, "destroy el", 41, VPC_OP_DESTROY, "", 0, EBUSY, 0);
	/* The host refuses: nothing changes either. */
	memset(&mac, 0, sizeof(mac));
	memcpy(mac.vm_octet, "\x02\0\0\0\0\x77", 6);
	fc_add(fc, &n, "host mac", 21, VPC_OP_MAC_SET, &mac, 8, EIO,
	    VPC_ATTR_MAC);
	fc_add(fc, &n, "host mtu", 21, VPC_OP_MTU_SET, U32(1400), EIO,
	    VPC_ATTR_MTU);
	fc_add(fc, &n, "host queues", 22, VPC_OP_VPCI_QUEUES_SET, U32(4), EIO,
	    VPC_ATTR_QUEUES);
	memset(&ifn, 0, sizeof(ifn));
	strcpy(ifn.vn_name, "eth9");
	fc_add(fc, &n, "host attach", 41, VPC_OP_ETHLINK_ATTACH, &ifn,
	    sizeof(ifn), EIO, VPC_ATTR_IFNAME);
	ua.vu_addr = vpct_addr4(198, 51, 100, 3);
	ua.vu_pad = 0;
	fc_add(fc, &n, "host local", 31, VPC_OP_VPCLINK_LOCAL_SET, &ua,
	    sizeof(ua), EIO, VPC_ATTR_LOCAL);

	for (i = 0; i < n; i++) {
		before = dump(rg);
		th_fail = fc[i].fc_fail;
		VPCT_EQ(vpct_ctl(dv[fc[i].fc_obj], fc[i].fc_op, fc[i].fc_in,
		    fc[i].fc_len), fc[i].fc_errno);
		th_fail = 0;
		after = dump(rg);
		if (strcmp(before, after) != 0) {
			vpct_fail(__FILE__, __LINE__, "%s changed state:\n"
			    "%s\n--- after ---\n%s", fc[i].fc_name, before,
			    after);
		}
		free(before);
		free(after);
	}
	/* The dump does see changes (the comparison can fail). */
	before = dump(rg);
	VPCT_EQ(vpct_set32(dv[21], VPC_OP_MTU_SET, 1400), 0);
	after = dump(rg);
	VPCT_CHECK(strcmp(before, after) != 0);
	free(before);
	free(after);
	topo_close(rg, dv);
}

VPCT_CASE(ctl_tables)
{
	struct vpc_desc *dv[64] = { 0 };
	struct vpc_registry *rg;
	struct vpc_neigh ne, nl[4];
	struct vpc_fwd fw, fl[4];
	struct vpc_ipaddr a[4];
	struct vpc_flood_hdr h;
	struct vpc_ifname ifn;
	uint32_t vni;
	size_t n;

	rg = topo(dv);
	/* ARP: replace, list, delete. */
	memset(&ne, 0, sizeof(ne));
	ne.vn_vni = 5;
	ne.vn_ip = vpct_addr4(192, 0, 2, 10);
	memcpy(ne.vn_mac, "\x02\0\0\0\0\x0d", 6);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_ARP_ADD, &ne, sizeof(ne)), 0);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_ARP_LIST, NULL, 0, nl, sizeof(nl),
	    &n), 0);
	VPCT_EQ(n, sizeof(ne));
	VPCT_CHECK(memcmp(&nl[0], &ne, sizeof(ne)) == 0);
	memset(ne.vn_mac, 0, 6);	/* ignored by DEL */
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_ARP_DEL, &ne, sizeof(ne)), 0);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_ARP_DEL, &ne, sizeof(ne)), ENOENT);
	/* Forwarding: replace, list, delete (remote ignored). */
	memset(&fw, 0, sizeof(fw));
	fw.vf_vni = 5;
	memcpy(fw.vf_mac, "\x02\0\0\0\0\x0b", 6);
	fw.vf_remote = vpct_addr4(203, 0, 113, 99);
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_FWD_SET, &fw, sizeof(fw)), 0);
	VPCT_EQ(vpct_ctl_out(dv[31], VPC_OP_VPCLINK_FWD_LIST, NULL, 0, fl,
	    sizeof(fl), &n), 0);
	VPCT_EQ(n, sizeof(fw));
	VPCT_CHECK(memcmp(&fl[0], &fw, sizeof(fw)) == 0);
	memset(&fw.vf_remote, 0, sizeof(fw.vf_remote));
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_FWD_DEL, &fw, sizeof(fw)), 0);
	VPCT_EQ(vpct_ctl_out(dv[31], VPC_OP_VPCLINK_FWD_LIST, NULL, 0, fl,
	    sizeof(fl), &n), 0);
	VPCT_EQ(n, 0);
	/* A VNI with its top 8 bits set comes back whole from the list. */
	fw.vf_vni = 0xabcdef;
	fw.vf_remote = vpct_addr4(203, 0, 113, 98);
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_FWD_SET, &fw, sizeof(fw)), 0);
	VPCT_EQ(vpct_ctl_out(dv[31], VPC_OP_VPCLINK_FWD_LIST, NULL, 0, fl,
	    sizeof(fl), &n), 0);
	VPCT_EQ(n, sizeof(fw));
	VPCT_CHECK(memcmp(&fl[0], &fw, sizeof(fw)) == 0);
	VPCT_EQ(vpct_ctl(dv[31], VPC_OP_VPCLINK_FWD_DEL, &fw, sizeof(fw)), 0);
	/* Flood: replace, then count 0 removes; removing again is fine. */
	vni = 5;
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, a, sizeof(a),
	    &n), 0);
	VPCT_EQ(n, 2 * sizeof(a[0]));
	h.vfh_vni = 5;
	h.vfh_count = 0;
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, &h, sizeof(h)), 0);
	VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, &h, sizeof(h)), 0);
	VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, a, sizeof(a),
	    &n), 0);
	VPCT_EQ(n, 0);
	/* More than VPC_FLOOD_MAX entries. */
	{
		size_t len = sizeof(h) + (VPC_FLOOD_MAX + 1) *
		    sizeof(struct vpc_ipaddr);
		uint8_t *buf = calloc(1, len);
		struct vpc_flood_hdr *hp = (void *)buf;
		struct vpc_ipaddr *ap = (void *)(buf + sizeof(h));
		uint32_t i;

		VPCT_REQUIRE(buf != NULL);
		hp->vfh_vni = 7;
		hp->vfh_count = VPC_FLOOD_MAX + 1;
		for (i = 0; i <= VPC_FLOOD_MAX; i++)
			ap[i] = vpct_addr4(203, 0, (uint8_t)(i >> 8),
			    (uint8_t)i + 1);
		VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, buf, len), EINVAL);
		hp->vfh_count = VPC_FLOOD_MAX;
		VPCT_EQ(vpct_ctl(dv[1], VPC_OP_SW_FLOOD_SET, buf,
		    len - sizeof(struct vpc_ipaddr)), 0);
		vni = 7;
		VPCT_EQ(vpct_ctl_out(dv[1], VPC_OP_SW_FLOOD_GET, &vni, 4, NULL,
		    0, &n), ERANGE);
		VPCT_EQ(n, VPC_FLOOD_MAX * sizeof(struct vpc_ipaddr));
		free(buf);
	}
	/* ethlink attach and detach. */
	memset(&ifn, 0, sizeof(ifn));
	strcpy(ifn.vn_name, "eth0");
	VPCT_EQ(vpct_ctl(dv[41], VPC_OP_ETHLINK_ATTACH, &ifn, sizeof(ifn)), 0);
	memset(&ifn, 0x55, sizeof(ifn));
	VPCT_EQ(vpct_ctl_out(dv[41], VPC_OP_ETHLINK_IFNAME_GET, NULL, 0, &ifn,
	    sizeof(ifn), &n), 0);
	VPCT_CHECK(strcmp(ifn.vn_name, "eth0") == 0);
	memset(&ifn, 0, sizeof(ifn));
	VPCT_EQ(vpct_ctl(dv[41], VPC_OP_ETHLINK_ATTACH, &ifn, sizeof(ifn)), 0);
	VPCT_EQ(vpct_ctl_out(dv[41], VPC_OP_ETHLINK_IFNAME_GET, NULL, 0, &ifn,
	    sizeof(ifn), &n), 0);
	VPCT_EQ(ifn.vn_name[0], 0);
	/* NIC ifname: this host has none. */
	VPCT_EQ(vpct_ctl_out(dv[21], VPC_OP_VMNIC_IFNAME_GET, NULL, 0, &ifn,
	    sizeof(ifn), &n), ENXIO);
	/* Stats: the object's counters. */
	{
		struct vpc_stats st;

		vpc_count_drop(dv[11]->d_obj, VPC_DROP_NO_UPLINK);
		VPCT_EQ(vpct_ctl_out(dv[11], VPC_OP_PORT_STATS, NULL, 0, &st,
		    sizeof(st), &n), 0);
		VPCT_EQ(n, sizeof(st));
		VPCT_EQ(st.vs_drops[VPC_DROP_NO_UPLINK], 1);
	}
	topo_close(rg, dv);
}
