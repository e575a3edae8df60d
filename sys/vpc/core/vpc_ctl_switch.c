/*
 * vpc_ctl_switch.c: handlers of the switch ops: ports, mode, per-VNI
 * flood lists, ARP proxy entries and the (VNI, MAC) table listing.
 *
 * Settings and tables of a switch are written under its object lock;
 * lists are produced under it, so each is one consistent snapshot.
 */

#include "vpc_obj.h"

/* A cursor for filling a list output from vpc_htab_foreach(). */
struct vpc_fill {
	uint8_t		*f_p;		/* next entry */
};

static int	vpc_neigh_check(const struct vpc_neigh *n, bool del);
static int	vpc_fill_arp(struct vpc_hentry *e, void *arg);
static int	vpc_fill_l2(struct vpc_hentry *e, void *arg);

/* VPC_OP_SW_PORT_ADD: add a port (by id) to the switch. */
int
vpc_ctl_sw_port_add(struct vpc_ctlreq *r)
{
	vpc_id_t id;

	vpc_memcpy(&id, r->cr_in, sizeof(id));
	return (vpc_sw_port_add(VPC_SW(r->cr_obj), &id));
}

/* VPC_OP_SW_PORT_DEL: remove a port (by id) from the switch. */
int
vpc_ctl_sw_port_del(struct vpc_ctlreq *r)
{
	vpc_id_t id;

	vpc_memcpy(&id, r->cr_in, sizeof(id));
	return (vpc_sw_port_del(VPC_SW(r->cr_obj), &id));
}

/* VPC_OP_SW_PORT_LIST: the ids of the switch's ports. */
int
vpc_ctl_sw_port_list(struct vpc_ctlreq *r)
{
	return (vpc_sw_port_list(VPC_SW(r->cr_obj), r));
}

/* VPC_OP_SW_MODE_GET. */
int
vpc_ctl_sw_mode_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&VPC_SW(r->cr_obj)->sw_mode));
	return (0);
}

/*
 * VPC_OP_SW_MODE_SET: PROGRAMMED or LEARNING.  Going back to PROGRAMMED
 * forgets what was learned (vpc_sw_mode_set()).
 */
int
vpc_ctl_sw_mode_set(struct vpc_ctlreq *r)
{
	uint32_t mode;

	vpc_memcpy(&mode, r->cr_in, sizeof(mode));
	if (mode != VPC_SW_MODE_PROGRAMMED && mode != VPC_SW_MODE_LEARNING)
		return (EINVAL);
	return (vpc_sw_mode_set(VPC_SW(r->cr_obj), mode));
}

/*
 * VPC_OP_SW_FLOOD_SET: replace the flood list of a VNI; count 0 removes
 * it.  Every address must be a unicast IPv4 or IPv6 address and appear
 * once (EINVAL otherwise).
 */
int
vpc_ctl_sw_flood_set(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_flood_hdr h;
	struct vpc_floodent *fe;
	const struct vpc_ipaddr *a;
	uint32_t i, j;
	int error;

	/* Check. */
	vpc_memcpy(&h, r->cr_in, sizeof(h));
	if (vpc_check_vni(h.vfh_vni) != 0)
		return (EINVAL);
	VPC_ASSERT(h.vfh_count == r->cr_count);
	/* struct vpc_ipaddr is all bytes: any alignment will do. */
	a = (const struct vpc_ipaddr *)(const void *)
	    ((const uint8_t *)r->cr_in + sizeof(h));
	for (i = 0; i < h.vfh_count; i++) {
		if (vpc_check_ipaddr(&a[i]) != 0)
			return (EINVAL);
		for (j = 0; j < i; j++)
			if (vpc_memcmp(&a[i], &a[j], sizeof(a[i])) == 0)
				return (EINVAL);
	}
	/* Allocate. */
	fe = NULL;
	if (h.vfh_count != 0 &&
	    (fe = vpc_floodent_alloc(h.vfh_vni, a, h.vfh_count)) == NULL)
		return (ENOMEM);
	/* Apply: replace (cannot fail), insert (may, unchanged), remove. */
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if (vpc_obj_dead(&sw->sw_obj))
		error = ENXIO;
	else if (fe != NULL) {
		if ((error = vpc_htab_insert(sw->sw_flood, &fe->fe_h,
		    NULL)) == 0)
			fe = NULL;	/* the switch owns it */
	} else {
		/* Removing an absent list is a no-op, as a SET. */
		(void)vpc_htab_remove(sw->sw_flood, VPC_KEY(h.vfh_vni));
		error = 0;
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	if (fe != NULL)
		vpc_floodent_ops.hto_free(&fe->fe_h);
	return (error);
}

/* VPC_OP_SW_FLOOD_GET: the flood list of a VNI (empty if none). */
int
vpc_ctl_sw_flood_get(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_floodent *fe;
	uint32_t vni, n;
	int error;

	vpc_memcpy(&vni, r->cr_in, sizeof(vni));
	if (vpc_check_vni(vni) != 0)
		return (EINVAL);
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	fe = (struct vpc_floodent *)(void *)vpc_htab_lookup(sw->sw_flood,
	    VPC_KEY(vni));
	n = fe != NULL ? fe->fe_count : 0;
	if ((error = vpc_ctl_list_fits(r, n, sizeof(struct vpc_ipaddr))) ==
	    0 && n != 0)
		vpc_memcpy(r->cr_out, fe->fe_addrs, r->cr_outlen);
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	return (error);
}

/*
 * An ARP proxy entry: zero padding, VNI < 2^24, an IPv4 unicast address
 * (IPv6 ND entries are reserved: EAFNOSUPPORT) and, unless 'del', a
 * unicast MAC.
 */
static int
vpc_neigh_check(const struct vpc_neigh *n, bool del)
{
	if (n->vn_pad != 0 || vpc_check_vni(n->vn_vni) != 0)
		return (EINVAL);
	if (n->vn_ip.va_family == VPC_AF_INET6)
		return (EAFNOSUPPORT);
	if (vpc_check_ipaddr(&n->vn_ip) != 0)
		return (EINVAL);
	if (!del && vpc_check_mac(n->vn_mac) != 0)
		return (EINVAL);
	return (0);
}

/* VPC_OP_SW_ARP_ADD: add or replace an ARP proxy entry. */
int
vpc_ctl_sw_arp_add(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_neigh n;
	struct vpc_arpent *ae;
	int error;

	vpc_memcpy(&n, r->cr_in, sizeof(n));
	if ((error = vpc_neigh_check(&n, false)) != 0)
		return (error);
	if ((ae = vpc_arpent_alloc(n.vn_vni, n.vn_ip.va_addr, n.vn_mac)) ==
	    NULL)
		return (ENOMEM);
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if (vpc_obj_dead(&sw->sw_obj))
		error = ENXIO;
	else if ((error = vpc_htab_insert(sw->sw_arp, &ae->ae_h, NULL)) == 0)
		ae = NULL;		/* the switch owns it */
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	if (ae != NULL)
		vpc_arpent_ops.hto_free(&ae->ae_h);
	return (error);
}

/* VPC_OP_SW_ARP_DEL: remove an ARP proxy entry (ENOENT if absent). */
int
vpc_ctl_sw_arp_del(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_neigh n;
	int error;

	vpc_memcpy(&n, r->cr_in, sizeof(n));
	if ((error = vpc_neigh_check(&n, true)) != 0)
		return (error);
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if (vpc_obj_dead(&sw->sw_obj))
		error = ENXIO;
	else
		error = vpc_htab_remove(sw->sw_arp,
		    VPC_L3KEY4(n.vn_vni, vpc_get_be32(n.vn_ip.va_addr)));
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	return (error);
}

static int
vpc_fill_arp(struct vpc_hentry *e, void *arg)
{
	struct vpc_fill *f = arg;
	struct vpc_arpent *ae = (struct vpc_arpent *)(void *)e;
	struct vpc_neigh n;

	vpc_arpent_neigh(ae, &n);
	vpc_memcpy(f->f_p, &n, sizeof(n));
	f->f_p += sizeof(n);
	return (0);
}

/* VPC_OP_SW_ARP_LIST: every ARP proxy entry. */
int
vpc_ctl_sw_arp_list(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_fill f;
	int error;

	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if ((error = vpc_ctl_list_fits(r, vpc_htab_count(sw->sw_arp),
	    sizeof(struct vpc_neigh))) == 0) {
		f.f_p = r->cr_out;
		(void)vpc_htab_foreach(sw->sw_arp, vpc_fill_arp, &f);
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	return (error);
}

static int
vpc_fill_l2(struct vpc_hentry *e, void *arg)
{
	struct vpc_fill *f = arg;
	struct vpc_l2ent *l2 = (struct vpc_l2ent *)(void *)e;
	struct vpc_swentry se;

	vpc_memset(&se, 0, sizeof(se));
	se.se_vni = e->he_key.hk_hi;
	vpc_mac48_put(e->he_key.hk_lo, se.se_mac);
	se.se_flags = l2->l2_flags;
	se.se_port = l2->l2_port->pt_obj.o_id;
	vpc_memcpy(f->f_p, &se, sizeof(se));
	f->f_p += sizeof(se);
	return (0);
}

/* VPC_OP_SW_MAC_LIST: the (VNI, MAC) table with the port of each. */
int
vpc_ctl_sw_mac_list(struct vpc_ctlreq *r)
{
	struct vpc_switch *sw = VPC_SW(r->cr_obj);
	struct vpc_fill f;
	int error;

	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if ((error = vpc_ctl_list_fits(r, vpc_htab_count(sw->sw_l2),
	    sizeof(struct vpc_swentry))) == 0) {
		f.f_p = r->cr_out;
		(void)vpc_htab_foreach(sw->sw_l2, vpc_fill_l2, &f);
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	return (error);
}
