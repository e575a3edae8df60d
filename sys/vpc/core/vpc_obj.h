/*
 * vpc_obj.h: the control half of the core, shared by vpc_obj.c (registry,
 * objects, descriptors, relations) and vpc_ctl*.c (the dispatch table and
 * its handlers).  The data path may include it for struct vpc_registry
 * (the host operations of an object are o->o_reg->rg_ops).
 *
 * References (o_refs).  Each open descriptor holds one; COMMIT gives the
 * registry one; every relation holds one on each side: a port in a switch
 * (the switch holds its port, the port holds its switch) and a port
 * connected to a peer (the port holds the peer, the peer holds the port
 * through nic_port, vl_ports or el_ports).  Table entries that point to
 * ports (sw_l2, sw_uplink) hold none: they exist only while the port is
 * in the switch and are removed before the port leaves it.  An object is
 * freed through the epoch when its count drops to zero, which happens
 * only after it was unlinked from the index (VPC_OBJF_DEAD).
 *
 * Data path contracts kept here:
 *  - pt_sw, pt_peer, nic_port and sw_ports change under the registry lock
 *    and are published with vpc_store_rel_ptr().  A port leaves a switch
 *    by clearing pt_sw first, then flushing sw_l2 entries that point to
 *    it under the switch's lock; so a learner must, under that lock,
 *    check that the port's pt_sw is still the switch before inserting.
 *  - sw_ports is never NULL; an empty switch has a portset of count 0.
 *  - A vpclink's o_mtu is its derived MTU (underlay MTU minus the VXLAN
 *    overhead of the bound family), refreshed on VPCLINK_LOCAL_SET and
 *    MTU_GET; 0 while unknown (unbound, or the host cannot tell).
 */

#ifndef _VPC_OBJ_H_
#define	_VPC_OBJ_H_

#include "vpc_var.h"

struct vpc_registry {
	const struct vpc_host_ops *rg_ops;	/* host device operations */
	void			*rg_host;	/* host's argument to rg_ops */
	struct vpc_os_mtx	*rg_mtx;	/* index, relations, o_flags */
	struct vpc_obj		**rg_hash;	/* index buckets (o_hnext) */
	uint32_t		 rg_hmask;	/* buckets - 1, a power of 2 */
	uint32_t		 rg_count;	/* objects in the index */
	uint64_t		 rg_seed;	/* id hash seed */
	uint32_t		 rg_ndesc;	/* open descriptors */
	uint32_t		 rg_pad;
	struct vpc_obj		*rg_mgmt;	/* the management object */
};

/* A bit per object type, for type masks. */
#define	VPC_TM(t)	(1u << (t))
#define	VPC_TM_NIC	(VPC_TM(VPC_TYPE_VMNIC) | VPC_TM(VPC_TYPE_VPCI))
#define	VPC_TM_LINK	(VPC_TM(VPC_TYPE_ETHLINK) | VPC_TM(VPC_TYPE_VPCLINK))
#define	VPC_TM_DEV	(VPC_TM_NIC | VPC_TM_LINK)	/* have a device */
#define	VPC_TM_ALL	(VPC_TM(VPC_TYPE_SWITCH) | VPC_TM(VPC_TYPE_PORT) | \
			    VPC_TM(VPC_TYPE_MGMT) | VPC_TM_DEV)
/* Objects the host hears of through ho_create/ho_destroy: all but mgmt. */
#define	VPC_TM_HOSTED	(VPC_TM_ALL & ~VPC_TM(VPC_TYPE_MGMT))

#define	VPC_MTU_DEFAULT	1500	/* NICs, switches and ethlinks */

/* Downcasts; the common head is the first member of every object. */
#define	VPC_SW(o)	((struct vpc_switch *)(void *)(o))
#define	VPC_PT(o)	((struct vpc_port *)(void *)(o))
#define	VPC_NIC(o)	((struct vpc_nic *)(void *)(o))
#define	VPC_EL(o)	((struct vpc_ethlink *)(void *)(o))
#define	VPC_VL(o)	((struct vpc_vpclink *)(void *)(o))

/*
 * One control request as a handler sees it.  The generic layer has
 * checked the op word, type, rights, privilege and sizes.  A fixed input
 * has been copied to an aligned buffer; a list input (header + entries)
 * is the caller's bytes, cr_count entries after the header.  A fixed
 * output goes to an aligned buffer that is copied out only on success; a
 * list output is written to cr_out only after the handler found that the
 * whole list fits (cr_outlen = bytes needed; ERANGE if > cr_outcap).
 */
struct vpc_ctlreq {
	struct vpc_desc		*cr_desc;	/* the caller's descriptor */
	struct vpc_obj		*cr_obj;	/* its object */
	const struct vpc_cred	*cr_cred;	/* the caller */
	const void		*cr_in;		/* input payload */
	size_t			 cr_innbyte;	/* its validated size */
	uint32_t		 cr_count;	/* entries of a list input */
	void			*cr_out;	/* output buffer */
	size_t			 cr_outcap;	/* its capacity */
	size_t			 cr_outlen;	/* bytes written or needed */
};

typedef int vpc_ctl_fn_t(struct vpc_ctlreq *r);

/* Row flags (co_flags). */
#define	VPC_COF_INLIST	0x01	/* input: header + count * entry */
#define	VPC_COF_OUTLIST	0x02	/* output: a list of co_outsize entries */
#define	VPC_COF_DEADOK	0x04	/* allowed on a destroyed object */

/* A row of the dispatch table. */
struct vpc_ctl_op {
	vpc_op_t		 co_op;		/* the exact op word */
	const char		*co_name;	/* "VPC_OP_..." */
	uint32_t		 co_types;	/* VPC_TM() of allowed types */
	uint32_t		 co_insize;	/* input size, or header size */
	uint32_t		 co_inentry;	/* list input: entry size */
	uint32_t		 co_incount;	/* list input: count offset */
	uint32_t		 co_inmax;	/* list input: most entries */
	uint32_t		 co_outsize;	/* output size, or entry size */
	vpc_rights_t		 co_rights;	/* rights needed */
	uint8_t			 co_priv;	/* caller needs privilege */
	uint8_t			 co_flags;	/* VPC_COF_* */
	vpc_ctl_fn_t		*co_fn;		/* the handler */
};

/* Visit every row of the dispatch table (tests, tools). */
int	vpc_ctl_foreach_op(int (*fn)(const struct vpc_ctl_op *op, void *arg),
	    void *arg);
/* The row of 'op' (matched by type byte and number), or NULL. */
const struct vpc_ctl_op *vpc_ctl_find(vpc_op_t op);

/* Value checks shared by the handlers (vpc_ctl.c); 0 or EINVAL. */
int	vpc_check_mac(const uint8_t mac[6]);
int	vpc_check_ipaddr(const struct vpc_ipaddr *a);
int	vpc_check_vni(uint32_t vni);
int	vpc_check_vlan(uint32_t vlan);

/* Output helpers for handlers. */
void	vpc_ctl_out32(struct vpc_ctlreq *r, uint32_t v);
int	vpc_ctl_list_fits(struct vpc_ctlreq *r, uint32_t n, size_t entry);

/* Host operations (vpc_obj.c).  ho_set NULL: nothing to do, 0. */
int	vpc_host_set(struct vpc_obj *o, enum vpc_attr a, const void *val,
	    size_t len);
/* ho_get NULL: ENXIO (the host has no such attribute). */
int	vpc_host_get(struct vpc_obj *o, enum vpc_attr a, void *val,
	    size_t len);

/* Registry and objects (vpc_obj.c). */
struct vpc_obj *vpc_obj_lookup(struct vpc_registry *rg, const vpc_id_t *id);
bool	vpc_obj_dead(const struct vpc_obj *o);
int	vpc_obj_commit(struct vpc_obj *o);
int	vpc_obj_destroy(struct vpc_obj *o);
int	vpc_obj_committed(struct vpc_obj *o, uint32_t *yes);
int	vpc_mgmt_count(struct vpc_registry *rg, uint32_t type, uint32_t *n);
int	vpc_mgmt_list(struct vpc_registry *rg, uint32_t type,
	    struct vpc_ctlreq *r);

/* Relations (vpc_obj.c); all take the registry lock. */
int	vpc_sw_port_add(struct vpc_switch *sw, const vpc_id_t *pid);
int	vpc_sw_port_del(struct vpc_switch *sw, const vpc_id_t *pid);
int	vpc_sw_port_list(struct vpc_switch *sw, struct vpc_ctlreq *r);
int	vpc_port_connect(struct vpc_port *pt, const vpc_id_t *peer);
int	vpc_port_disconnect(struct vpc_port *pt);
int	vpc_port_seg_set(struct vpc_port *pt, bool vlan, uint32_t v);
int	vpc_port_rel_get(struct vpc_port *pt, bool peer, vpc_id_t *id);
int	vpc_nic_mac_set(struct vpc_nic *nic, const uint8_t mac[6]);
int	vpc_ethlink_vlan_set(struct vpc_ethlink *el, uint32_t vlan);
/* Set the mode of 'sw' (PROGRAMMED forgets what was learned). */
int	vpc_sw_mode_set(struct vpc_switch *sw, uint32_t mode);
/* The derived MTU of a bound vpclink (vpc_ctl_link.c). */
int	vpc_vl_mtu(struct vpc_vpclink *vl, uint32_t *mtu);

/* Handlers, by file. */
vpc_ctl_fn_t	vpc_ctl_type_get, vpc_ctl_id_get, vpc_ctl_commit,
		vpc_ctl_destroy, vpc_ctl_mac_get, vpc_ctl_mac_set,
		vpc_ctl_mtu_get, vpc_ctl_mtu_set, vpc_ctl_rights_get,
		vpc_ctl_restrict, vpc_ctl_abi_version, vpc_ctl_committed_get;
vpc_ctl_fn_t	vpc_ctl_mgmt_count, vpc_ctl_mgmt_list, vpc_ctl_mgmt_dump;
vpc_ctl_fn_t	vpc_ctl_sw_port_add, vpc_ctl_sw_port_del,
		vpc_ctl_sw_port_list, vpc_ctl_sw_mode_get,
		vpc_ctl_sw_mode_set, vpc_ctl_sw_flood_set,
		vpc_ctl_sw_flood_get, vpc_ctl_sw_arp_add, vpc_ctl_sw_arp_del,
		vpc_ctl_sw_arp_list, vpc_ctl_stats, vpc_ctl_sw_mac_list;
vpc_ctl_fn_t	vpc_ctl_port_connect, vpc_ctl_port_disconnect,
		vpc_ctl_port_vni_get, vpc_ctl_port_vni_set,
		vpc_ctl_port_vlan_get, vpc_ctl_port_vlan_set,
		vpc_ctl_port_peer_get, vpc_ctl_port_switch_get;
vpc_ctl_fn_t	vpc_ctl_nic_ifname_get, vpc_ctl_nic_queues_get,
		vpc_ctl_nic_queues_set;
vpc_ctl_fn_t	vpc_ctl_el_attach, vpc_ctl_el_ifname_get, vpc_ctl_el_vlan_get,
		vpc_ctl_el_vlan_set, vpc_ctl_vl_local_set, vpc_ctl_vl_local_get,
		vpc_ctl_vl_fwd_set, vpc_ctl_vl_fwd_del, vpc_ctl_vl_fwd_list;

#endif /* !_VPC_OBJ_H_ */
