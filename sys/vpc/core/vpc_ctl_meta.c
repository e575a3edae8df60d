/*
 * vpc_ctl_meta.c: handlers of the meta ops, valid on several object
 * types: identity, COMMIT and DESTROY, MAC and MTU, descriptor rights.
 */

#include "vpc_obj.h"

/* VPC_OP_TYPE_GET: the object's type. */
int
vpc_ctl_type_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, r->cr_obj->o_type);
	return (0);
}

/* VPC_OP_ID_GET: the object's id. */
int
vpc_ctl_id_get(struct vpc_ctlreq *r)
{
	vpc_memcpy(r->cr_out, &r->cr_obj->o_id, sizeof(vpc_id_t));
	return (0);
}

/* VPC_OP_COMMIT: let the object outlive its descriptors. */
int
vpc_ctl_commit(struct vpc_ctlreq *r)
{
	return (vpc_obj_commit(r->cr_obj));
}

/* VPC_OP_DESTROY: unlink the object (EBUSY while in use). */
int
vpc_ctl_destroy(struct vpc_ctlreq *r)
{
	return (vpc_obj_destroy(r->cr_obj));
}

/* VPC_OP_MAC_GET: the object's MAC. */
int
vpc_ctl_mac_get(struct vpc_ctlreq *r)
{
	struct vpc_obj *o = r->cr_obj;
	struct vpc_mac m;

	vpc_memset(&m, 0, sizeof(m));
	vpc_os_mtx_lock(o->o_mtx);
	vpc_memcpy(m.vm_octet, o->o_mac, 6);
	vpc_os_mtx_unlock(o->o_mtx);
	vpc_memcpy(r->cr_out, &m, sizeof(m));
	return (0);
}

/*
 * VPC_OP_MAC_SET: a unicast, non-zero MAC with zero padding.  A NIC's
 * goes to the host first and moves its automatic switch entry; an
 * ethlink's goes to the host first too; other objects keep it in the core.
 */
int
vpc_ctl_mac_set(struct vpc_ctlreq *r)
{
	struct vpc_obj *o = r->cr_obj;
	struct vpc_mac m;
	int error;

	vpc_memcpy(&m, r->cr_in, sizeof(m));
	if (m.vm_pad[0] != 0 || m.vm_pad[1] != 0 ||
	    (error = vpc_check_mac(m.vm_octet)) != 0)
		return (EINVAL);
	if ((VPC_TM(o->o_type) & VPC_TM_NIC) != 0)
		return (vpc_nic_mac_set(VPC_NIC(o), m.vm_octet));
	vpc_os_mtx_lock(o->o_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else if (o->o_type == VPC_TYPE_ETHLINK)
		error = vpc_host_set(o, VPC_ATTR_MAC, m.vm_octet, 6);
	if (error == 0)
		vpc_memcpy(o->o_mac, m.vm_octet, 6);
	vpc_os_mtx_unlock(o->o_mtx);
	return (error);
}

/* VPC_OP_MTU_GET: the object's MTU; a vpclink's is derived. */
int
vpc_ctl_mtu_get(struct vpc_ctlreq *r)
{
	uint32_t mtu;
	int error;

	if (r->cr_obj->o_type == VPC_TYPE_VPCLINK) {
		if ((error = vpc_vl_mtu(VPC_VL(r->cr_obj), &mtu)) != 0)
			return (error);
	} else
		mtu = vpc_load_relaxed(&r->cr_obj->o_mtu);
	vpc_ctl_out32(r, mtu);
	return (0);
}

/*
 * VPC_OP_MTU_SET: VPC_MTU_MIN..VPC_MTU_MAX.  A NIC's or an ethlink's goes
 * to the host first; if the host refuses, nothing changed.
 */
int
vpc_ctl_mtu_set(struct vpc_ctlreq *r)
{
	struct vpc_obj *o = r->cr_obj;
	uint32_t mtu;
	int error;

	vpc_memcpy(&mtu, r->cr_in, sizeof(mtu));
	if (mtu < VPC_MTU_MIN || mtu > VPC_MTU_MAX)
		return (EINVAL);
	vpc_os_mtx_lock(o->o_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else if ((VPC_TM(o->o_type) & (VPC_TM_NIC |
	    VPC_TM(VPC_TYPE_ETHLINK))) != 0)
		error = vpc_host_set(o, VPC_ATTR_MTU, &mtu, sizeof(mtu));
	else
		error = 0;
	if (error == 0)
		vpc_store_relaxed(&o->o_mtu, mtu);
	vpc_os_mtx_unlock(o->o_mtx);
	return (error);
}

/* VPC_OP_RIGHTS_GET: the descriptor's rights. */
int
vpc_ctl_rights_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&r->cr_desc->d_rights));
	return (0);
}

/*
 * VPC_OP_RESTRICT: new rights, a subset of the present ones: unknown
 * bits are EINVAL, rights the descriptor lacks are EPERM.
 */
int
vpc_ctl_restrict(struct vpc_ctlreq *r)
{
	struct vpc_desc *d = r->cr_desc;
	vpc_rights_t want;

	vpc_memcpy(&want, r->cr_in, sizeof(want));
	if ((want & ~VPC_R_ALL) != 0)
		return (EINVAL);
	if ((want & ~vpc_load_relaxed(&d->d_rights)) != 0)
		return (EPERM);
	vpc_store_relaxed(&d->d_rights, want);
	return (0);
}

/* VPC_OP_ABI_VERSION: the ABI this core speaks. */
int
vpc_ctl_abi_version(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, VPC_ABI_VERSION);
	return (0);
}

/* VPC_OP_COMMITTED_GET: 1 if committed, else 0. */
int
vpc_ctl_committed_get(struct vpc_ctlreq *r)
{
	uint32_t yes;

	(void)vpc_obj_committed(r->cr_obj, &yes);
	vpc_ctl_out32(r, yes);
	return (0);
}

/* VPC_OP_{SW,PORT,ETHLINK,VPCLINK}_STATS: the object's counters. */
int
vpc_ctl_stats(struct vpc_ctlreq *r)
{
	struct vpc_stats s;

	vpc_stats_read(r->cr_obj, &s);
	vpc_memcpy(r->cr_out, &s, sizeof(s));
	return (0);
}
