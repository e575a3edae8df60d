/*
 * vpc_ctl_nic.c: handlers of the vmnic and vpci ops (one set: the type
 * byte of the op word tells the two apart): interface name and queues.
 */

#include "vpc_obj.h"

/*
 * VPC_OP_{VMNIC,VPCI}_IFNAME_GET: the host's interface name (ENXIO if
 * the host has none).
 */
int
vpc_ctl_nic_ifname_get(struct vpc_ctlreq *r)
{
	struct vpc_obj *o = r->cr_obj;
	struct vpc_ifname n;
	int error;

	vpc_memset(&n, 0, sizeof(n));
	vpc_os_mtx_lock(o->o_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else
		error = vpc_host_get(o, VPC_ATTR_IFNAME, &n, sizeof(n));
	vpc_os_mtx_unlock(o->o_mtx);
	if (error != 0)
		return (error);
	n.vn_name[VPC_IFNAMSIZ - 1] = '\0';	/* whatever the host wrote */
	vpc_memcpy(r->cr_out, &n, sizeof(n));
	return (0);
}

/* VPC_OP_{VMNIC,VPCI}_QUEUES_GET. */
int
vpc_ctl_nic_queues_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&VPC_NIC(r->cr_obj)->nic_queues));
	return (0);
}

/*
 * VPC_OP_{VMNIC,VPCI}_QUEUES_SET: 1..VPC_MAX_QUEUES; the host first, and
 * if it refuses, nothing changed.
 */
int
vpc_ctl_nic_queues_set(struct vpc_ctlreq *r)
{
	struct vpc_nic *nic = VPC_NIC(r->cr_obj);
	uint32_t q;
	int error;

	vpc_memcpy(&q, r->cr_in, sizeof(q));
	if (q < 1 || q > VPC_MAX_QUEUES)
		return (EINVAL);
	vpc_os_mtx_lock(nic->nic_obj.o_mtx);
	if (vpc_obj_dead(&nic->nic_obj))
		error = ENXIO;
	else if ((error = vpc_host_set(&nic->nic_obj, VPC_ATTR_QUEUES, &q,
	    sizeof(q))) == 0)
		vpc_store_relaxed(&nic->nic_queues, q);
	vpc_os_mtx_unlock(nic->nic_obj.o_mtx);
	return (error);
}
