/*
 * vpc_ctl.c: the vpc_ctl(2) dispatch table and its generic checks.
 *
 * Each op is one row: its exact op word, the object types it applies to,
 * its input and output size rules, the descriptor rights and privilege it
 * needs, and its handler.  vpc_desc_ctl() checks a request against its
 * row in a fixed order, so that each error has one errno:
 *   reserved bits set, or op word differing from the row	EINVAL
 *   no row for the op's type and number			EOPNOTSUPP
 *   object type not in the row's types				ENOTTY
 *   descriptor lacks the row's rights				EBADF
 *   row needs privilege the caller lacks			EPERM
 *   input over VPC_CTL_IN_MAX					E2BIG
 *   input not the row's size (or header + count * entry)	EINVAL
 *   fixed output larger than the caller's capacity		ERANGE
 *   object destroyed (all but the identity ops)		ENXIO
 * and only then runs the handler, which sees validated sizes.  Output is
 * copied to the caller only when the handler succeeds; on ERANGE
 * '*outnbyte' is the size needed and nothing is copied.
 */

#include "vpc_obj.h"

/* The largest fixed input and output of any row. */
#define	VPC_CTL_FIXED_IN	32
#define	VPC_CTL_FIXED_OUT	sizeof(struct vpc_stats)

#define	TM_ALL		VPC_TM_ALL
#define	TM_OBJ		(VPC_TM_ALL & ~VPC_TM(VPC_TYPE_MGMT))
#define	TM_MAC		(VPC_TM(VPC_TYPE_SWITCH) | VPC_TM_DEV)
#define	TM_MTUSET	(VPC_TM(VPC_TYPE_SWITCH) | VPC_TM_NIC |		\
			    VPC_TM(VPC_TYPE_ETHLINK))
#define	TM_SW		VPC_TM(VPC_TYPE_SWITCH)
#define	TM_PT		VPC_TM(VPC_TYPE_PORT)
#define	TM_EL		VPC_TM(VPC_TYPE_ETHLINK)
#define	TM_VL		VPC_TM(VPC_TYPE_VPCLINK)

#define	RD		VPC_R_READ
#define	WR		VPC_R_WRITE
#define	PRIV		1
#define	NOPRIV		0

/* A row with fixed sizes ('in', 'out' bytes; 0: none). */
#define	ROW(op, types, in, out, rights, priv, flags, fn)		\
	{ op, #op, types, in, 0, 0, 0, out, rights, priv, flags, fn }
/* A row whose output is a list of 'entry'-byte entries. */
#define	LIST(op, types, in, entry, rights, fn)				\
	{ op, #op, types, in, 0, 0, 0, entry, rights, NOPRIV,		\
	    VPC_COF_OUTLIST, fn }
/* A row whose input is a header with a count, then count entries. */
#define	INLIST(op, types, hdr, entry, countoff, max, rights, fn)	\
	{ op, #op, types, hdr, entry, countoff, max, 0, rights, NOPRIV,	\
	    VPC_COF_INLIST, fn }

#define	ID		sizeof(vpc_id_t)
#define	U32		sizeof(uint32_t)
#define	STATS		sizeof(struct vpc_stats)
#define	DEADOK		VPC_COF_DEADOK

static const struct vpc_ctl_op vpc_ctl_ops[] = {
	/* Meta ops. */
	ROW(VPC_OP_TYPE_GET, TM_ALL, 0, U32, RD, NOPRIV, DEADOK,
	    vpc_ctl_type_get),
	ROW(VPC_OP_ID_GET, TM_ALL, 0, ID, RD, NOPRIV, DEADOK,
	    vpc_ctl_id_get),
	ROW(VPC_OP_COMMIT, TM_OBJ, 0, 0, WR, NOPRIV, 0, vpc_ctl_commit),
	ROW(VPC_OP_DESTROY, TM_OBJ, 0, 0, WR, NOPRIV, 0, vpc_ctl_destroy),
	ROW(VPC_OP_MAC_GET, TM_MAC, 0, sizeof(struct vpc_mac), RD, NOPRIV, 0,
	    vpc_ctl_mac_get),
	ROW(VPC_OP_MAC_SET, TM_MAC, sizeof(struct vpc_mac), 0, WR, NOPRIV, 0,
	    vpc_ctl_mac_set),
	ROW(VPC_OP_MTU_GET, TM_MAC, 0, U32, RD, NOPRIV, 0, vpc_ctl_mtu_get),
	ROW(VPC_OP_MTU_SET, TM_MTUSET, U32, 0, WR, NOPRIV, 0,
	    vpc_ctl_mtu_set),
	ROW(VPC_OP_RIGHTS_GET, TM_ALL, 0, U32, RD, NOPRIV, DEADOK,
	    vpc_ctl_rights_get),
	/* Dropping rights needs none: a descriptor can always shrink. */
	ROW(VPC_OP_RESTRICT, TM_ALL, U32, 0, 0, NOPRIV, DEADOK,
	    vpc_ctl_restrict),
	ROW(VPC_OP_ABI_VERSION, TM_ALL, 0, U32, RD, NOPRIV, DEADOK,
	    vpc_ctl_abi_version),
	ROW(VPC_OP_COMMITTED_GET, TM_ALL, 0, U32, RD, NOPRIV, DEADOK,
	    vpc_ctl_committed_get),

	/* Management. */
	ROW(VPC_OP_MGMT_COUNT, VPC_TM(VPC_TYPE_MGMT), U32, U32, RD, NOPRIV,
	    0, vpc_ctl_mgmt_count),
	LIST(VPC_OP_MGMT_LIST, VPC_TM(VPC_TYPE_MGMT), U32, ID, RD,
	    vpc_ctl_mgmt_list),
	/* Records of varying size, each a multiple of VPC_DUMP_ALIGN. */
	LIST(VPC_OP_MGMT_DUMP, VPC_TM(VPC_TYPE_MGMT), 0, VPC_DUMP_ALIGN, RD,
	    vpc_ctl_mgmt_dump),

	/* Switch. */
	ROW(VPC_OP_SW_PORT_ADD, TM_SW, ID, 0, WR, NOPRIV, 0,
	    vpc_ctl_sw_port_add),
	ROW(VPC_OP_SW_PORT_DEL, TM_SW, ID, 0, WR, NOPRIV, 0,
	    vpc_ctl_sw_port_del),
	LIST(VPC_OP_SW_PORT_LIST, TM_SW, 0, ID, RD, vpc_ctl_sw_port_list),
	ROW(VPC_OP_SW_MODE_GET, TM_SW, 0, U32, RD, NOPRIV, 0,
	    vpc_ctl_sw_mode_get),
	ROW(VPC_OP_SW_MODE_SET, TM_SW, U32, 0, WR, NOPRIV, 0,
	    vpc_ctl_sw_mode_set),
	INLIST(VPC_OP_SW_FLOOD_SET, TM_SW, sizeof(struct vpc_flood_hdr),
	    sizeof(struct vpc_ipaddr),
	    __builtin_offsetof(struct vpc_flood_hdr, vfh_count),
	    VPC_FLOOD_MAX, WR, vpc_ctl_sw_flood_set),
	LIST(VPC_OP_SW_FLOOD_GET, TM_SW, U32, sizeof(struct vpc_ipaddr), RD,
	    vpc_ctl_sw_flood_get),
	ROW(VPC_OP_SW_ARP_ADD, TM_SW, sizeof(struct vpc_neigh), 0, WR, NOPRIV,
	    0, vpc_ctl_sw_arp_add),
	ROW(VPC_OP_SW_ARP_DEL, TM_SW, sizeof(struct vpc_neigh), 0, WR, NOPRIV,
	    0, vpc_ctl_sw_arp_del),
	LIST(VPC_OP_SW_ARP_LIST, TM_SW, 0, sizeof(struct vpc_neigh), RD,
	    vpc_ctl_sw_arp_list),
	ROW(VPC_OP_SW_STATS, TM_SW, 0, STATS, RD, NOPRIV, 0, vpc_ctl_stats),
	LIST(VPC_OP_SW_MAC_LIST, TM_SW, 0, sizeof(struct vpc_swentry), RD,
	    vpc_ctl_sw_mac_list),

	/* Port. */
	ROW(VPC_OP_PORT_CONNECT, TM_PT, ID, 0, WR, NOPRIV, 0,
	    vpc_ctl_port_connect),
	ROW(VPC_OP_PORT_DISCONNECT, TM_PT, 0, 0, WR, NOPRIV, 0,
	    vpc_ctl_port_disconnect),
	ROW(VPC_OP_PORT_VNI_GET, TM_PT, 0, U32, RD, NOPRIV, 0,
	    vpc_ctl_port_vni_get),
	ROW(VPC_OP_PORT_VNI_SET, TM_PT, U32, 0, WR, NOPRIV, 0,
	    vpc_ctl_port_vni_set),
	ROW(VPC_OP_PORT_VLAN_GET, TM_PT, 0, U32, RD, NOPRIV, 0,
	    vpc_ctl_port_vlan_get),
	ROW(VPC_OP_PORT_VLAN_SET, TM_PT, U32, 0, WR, NOPRIV, 0,
	    vpc_ctl_port_vlan_set),
	ROW(VPC_OP_PORT_PEER_GET, TM_PT, 0, ID, RD, NOPRIV, 0,
	    vpc_ctl_port_peer_get),
	ROW(VPC_OP_PORT_SWITCH_GET, TM_PT, 0, ID, RD, NOPRIV, 0,
	    vpc_ctl_port_switch_get),
	ROW(VPC_OP_PORT_STATS, TM_PT, 0, STATS, RD, NOPRIV, 0, vpc_ctl_stats),

	/* vmnic and vpci. */
	ROW(VPC_OP_VMNIC_IFNAME_GET, VPC_TM(VPC_TYPE_VMNIC), 0,
	    sizeof(struct vpc_ifname), RD, NOPRIV, 0, vpc_ctl_nic_ifname_get),
	ROW(VPC_OP_VMNIC_QUEUES_GET, VPC_TM(VPC_TYPE_VMNIC), 0, U32, RD,
	    NOPRIV, 0, vpc_ctl_nic_queues_get),
	ROW(VPC_OP_VMNIC_QUEUES_SET, VPC_TM(VPC_TYPE_VMNIC), U32, 0, WR,
	    NOPRIV, 0, vpc_ctl_nic_queues_set),
	ROW(VPC_OP_VPCI_IFNAME_GET, VPC_TM(VPC_TYPE_VPCI), 0,
	    sizeof(struct vpc_ifname), RD, NOPRIV, 0, vpc_ctl_nic_ifname_get),
	ROW(VPC_OP_VPCI_QUEUES_GET, VPC_TM(VPC_TYPE_VPCI), 0, U32, RD,
	    NOPRIV, 0, vpc_ctl_nic_queues_get),
	ROW(VPC_OP_VPCI_QUEUES_SET, VPC_TM(VPC_TYPE_VPCI), U32, 0, WR,
	    NOPRIV, 0, vpc_ctl_nic_queues_set),
	ROW(VPC_OP_VMNIC_STATS, VPC_TM(VPC_TYPE_VMNIC), 0, STATS, RD, NOPRIV,
	    0, vpc_ctl_stats),
	ROW(VPC_OP_VPCI_STATS, VPC_TM(VPC_TYPE_VPCI), 0, STATS, RD, NOPRIV,
	    0, vpc_ctl_stats),

	/* ethlink. */
	ROW(VPC_OP_ETHLINK_ATTACH, TM_EL, sizeof(struct vpc_ifname), 0, WR,
	    PRIV, 0, vpc_ctl_el_attach),
	ROW(VPC_OP_ETHLINK_IFNAME_GET, TM_EL, 0, sizeof(struct vpc_ifname),
	    RD, NOPRIV, 0, vpc_ctl_el_ifname_get),
	ROW(VPC_OP_ETHLINK_VLAN_GET, TM_EL, 0, U32, RD, NOPRIV, 0,
	    vpc_ctl_el_vlan_get),
	ROW(VPC_OP_ETHLINK_VLAN_SET, TM_EL, U32, 0, WR, NOPRIV, 0,
	    vpc_ctl_el_vlan_set),
	ROW(VPC_OP_ETHLINK_STATS, TM_EL, 0, STATS, RD, NOPRIV, 0,
	    vpc_ctl_stats),

	/* vpclink. */
	ROW(VPC_OP_VPCLINK_LOCAL_SET, TM_VL, sizeof(struct vpc_udpaddr), 0,
	    WR, PRIV, 0, vpc_ctl_vl_local_set),
	ROW(VPC_OP_VPCLINK_LOCAL_GET, TM_VL, 0, sizeof(struct vpc_udpaddr),
	    RD, NOPRIV, 0, vpc_ctl_vl_local_get),
	ROW(VPC_OP_VPCLINK_FWD_SET, TM_VL, sizeof(struct vpc_fwd), 0, WR,
	    NOPRIV, 0, vpc_ctl_vl_fwd_set),
	ROW(VPC_OP_VPCLINK_FWD_DEL, TM_VL, sizeof(struct vpc_fwd), 0, WR,
	    NOPRIV, 0, vpc_ctl_vl_fwd_del),
	LIST(VPC_OP_VPCLINK_FWD_LIST, TM_VL, 0, sizeof(struct vpc_fwd), RD,
	    vpc_ctl_vl_fwd_list),
	ROW(VPC_OP_VPCLINK_STATS, TM_VL, 0, STATS, RD, NOPRIV, 0,
	    vpc_ctl_stats),
};

/*
 * Visit every row of the dispatch table; stops when 'fn' returns
 * non-zero and returns that value.
 */
int
vpc_ctl_foreach_op(int (*fn)(const struct vpc_ctl_op *op, void *arg),
    void *arg)
{
	size_t i;
	int rv;

	for (i = 0; i < nitems(vpc_ctl_ops); i++)
		if ((rv = fn(&vpc_ctl_ops[i], arg)) != 0)
			return (rv);
	return (0);
}

/* The row for the type byte and number of 'op', or NULL. */
const struct vpc_ctl_op *
vpc_ctl_find(vpc_op_t op)
{
	size_t i;

	for (i = 0; i < nitems(vpc_ctl_ops); i++)
		if (VPC_OP_TYPE(vpc_ctl_ops[i].co_op) == VPC_OP_TYPE(op) &&
		    VPC_OP_NUM(vpc_ctl_ops[i].co_op) == VPC_OP_NUM(op))
			return (&vpc_ctl_ops[i]);
	return (NULL);
}

/*
 * Run op 'op' on descriptor 'd' for caller 'cred', with input 'in'
 * ('innbyte' bytes) and output buffer 'out' whose capacity is
 * '*outnbyte'; on success '*outnbyte' is the bytes written, on ERANGE
 * the bytes needed, otherwise 0.
 */
int
vpc_desc_ctl(struct vpc_desc *d, vpc_op_t op, const void *in,
    size_t innbyte, void *out, size_t *outnbyte, const struct vpc_cred *cred)
{
	const struct vpc_ctl_op *co;
	struct vpc_obj *o = d->d_obj;
	struct vpc_ctlreq r;
	union {
		uint64_t	align;
		uint8_t		b[VPC_CTL_FIXED_IN];
	} ibuf;
	union {
		uint64_t	align;
		uint8_t		b[VPC_CTL_FIXED_OUT];
	} obuf;
	size_t cap;
	uint32_t count;
	bool outlist;
	int error;

	cap = outnbyte != NULL ? *outnbyte : 0;
	if (outnbyte != NULL)
		*outnbyte = 0;

	/* The op word and its row. */
	if ((op & VPC_OP_RSVD) != 0)
		return (EINVAL);
	if ((co = vpc_ctl_find(op)) == NULL)
		return (EOPNOTSUPP);
	if (co->co_op != op)
		return (EINVAL);
	if ((co->co_types & VPC_TM(o->o_type)) == 0)
		return (ENOTTY);

	/* Rights and privilege. */
	if ((co->co_rights & ~vpc_load_relaxed(&d->d_rights)) != 0)
		return (EBADF);
	if (co->co_priv && (cred == NULL || cred->vc_priv == 0))
		return (EPERM);

	/* Sizes. */
	if (innbyte > VPC_CTL_IN_MAX)
		return (E2BIG);
	if (innbyte != 0 && in == NULL)
		return (EFAULT);
	count = 0;
	if ((co->co_flags & VPC_COF_INLIST) != 0) {
		if (innbyte < co->co_insize)
			return (EINVAL);
		vpc_memcpy(&count, (const uint8_t *)in + co->co_incount,
		    sizeof(count));
		if (count > co->co_inmax || innbyte != co->co_insize +
		    (uint64_t)count * co->co_inentry)
			return (EINVAL);
	} else {
		if (innbyte != co->co_insize)
			return (EINVAL);
		VPC_ASSERT(innbyte <= sizeof(ibuf));
		if (innbyte != 0) {
			/* An aligned copy for the handler. */
			vpc_memcpy(ibuf.b, in, innbyte);
			in = ibuf.b;
		}
	}
	outlist = (co->co_flags & VPC_COF_OUTLIST) != 0;
	if (co->co_outsize != 0 && !outlist) {
		VPC_ASSERT(co->co_outsize <= sizeof(obuf));
		if (cap < co->co_outsize) {
			if (outnbyte != NULL)
				*outnbyte = co->co_outsize;
			return (ERANGE);
		}
	}
	if (outlist && cap != 0 && out == NULL)
		return (EFAULT);
	if (co->co_outsize != 0 && !outlist && out == NULL)
		return (EFAULT);

	/* State every op but the identity ones needs. */
	if ((co->co_flags & VPC_COF_DEADOK) == 0 && vpc_obj_dead(o))
		return (ENXIO);

	vpc_memset(&r, 0, sizeof(r));
	r.cr_desc = d;
	r.cr_obj = o;
	r.cr_cred = cred;
	r.cr_in = in;
	r.cr_innbyte = innbyte;
	r.cr_count = count;
	if (outlist) {
		r.cr_out = out;
		r.cr_outcap = cap;
	} else if (co->co_outsize != 0) {
		r.cr_out = obuf.b;
		r.cr_outcap = co->co_outsize;
	}
	error = co->co_fn(&r);

	/* Copy out only what a successful handler produced. */
	if (outnbyte == NULL)
		return (error);
	if (error == 0) {
		if (outlist) {
			VPC_ASSERT(r.cr_outlen <= cap);
			*outnbyte = r.cr_outlen;
		} else if (co->co_outsize != 0) {
			vpc_memcpy(out, obuf.b, co->co_outsize);
			*outnbyte = co->co_outsize;
		}
	} else if (error == ERANGE && outlist)
		*outnbyte = r.cr_outlen;
	return (error);
}

/*
 * Handler helpers.
 */

/* Write 'v' as the fixed uint32_t output of 'r'. */
void
vpc_ctl_out32(struct vpc_ctlreq *r, uint32_t v)
{
	vpc_memcpy(r->cr_out, &v, sizeof(v));
	r->cr_outlen = sizeof(v);
}

/*
 * Will a list of 'n' entries of 'entry' bytes fit the output of 'r'?
 * Sets cr_outlen to the bytes needed; ERANGE if they do not fit.
 */
int
vpc_ctl_list_fits(struct vpc_ctlreq *r, uint32_t n, size_t entry)
{
	r->cr_outlen = (size_t)n * entry;
	return (r->cr_outlen > r->cr_outcap ? ERANGE : 0);
}

/*
 * Value checks.
 */

/* A station MAC: not multicast, not all zero. */
int
vpc_check_mac(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	if ((mac[0] & 0x01) != 0 || vpc_memcmp(mac, zero, 6) == 0)
		return (EINVAL);
	return (0);
}

/*
 * A unicast underlay or tenant address: family 4 or 6, zero padding,
 * IPv4 in the first 4 bytes and zeros after, neither unspecified nor
 * multicast (nor the IPv4 limited broadcast).
 */
int
vpc_check_ipaddr(const struct vpc_ipaddr *a)
{
	static const uint8_t zero[16];

	if (a->va_pad[0] != 0 || a->va_pad[1] != 0 || a->va_pad[2] != 0)
		return (EINVAL);
	switch (a->va_family) {
	case VPC_AF_INET:
		if (vpc_memcmp(&a->va_addr[4], zero, 12) != 0 ||
		    vpc_memcmp(a->va_addr, zero, 4) == 0 ||
		    (a->va_addr[0] & 0xf0) == 0xe0 ||
		    vpc_get_be32(a->va_addr) == 0xffffffffu)
			return (EINVAL);
		return (0);
	case VPC_AF_INET6:
		if (vpc_memcmp(a->va_addr, zero, 16) == 0 ||
		    a->va_addr[0] == 0xff)
			return (EINVAL);
		return (0);
	default:
		return (EINVAL);
	}
}

/* A VNI below 2^24. */
int
vpc_check_vni(uint32_t vni)
{
	return (vni > VPC_VNI_MAX ? EINVAL : 0);
}

/* A VLAN id: 0 (none) or 1..4094. */
int
vpc_check_vlan(uint32_t vlan)
{
	return (vlan > VPC_VLAN_MAX ? EINVAL : 0);
}
