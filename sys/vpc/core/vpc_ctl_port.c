/*
 * vpc_ctl_port.c: handlers of the port ops: connecting to a NIC or link,
 * the segment (VNI) and VLAN, and the port's relations.
 */

#include "vpc_obj.h"

/* VPC_OP_PORT_CONNECT: connect to a vmnic, vpci, ethlink or vpclink. */
int
vpc_ctl_port_connect(struct vpc_ctlreq *r)
{
	vpc_id_t id;

	vpc_memcpy(&id, r->cr_in, sizeof(id));
	return (vpc_port_connect(VPC_PT(r->cr_obj), &id));
}

/* VPC_OP_PORT_DISCONNECT (ENOTCONN if not connected). */
int
vpc_ctl_port_disconnect(struct vpc_ctlreq *r)
{
	return (vpc_port_disconnect(VPC_PT(r->cr_obj)));
}

/* VPC_OP_PORT_VNI_GET. */
int
vpc_ctl_port_vni_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&VPC_PT(r->cr_obj)->pt_vni));
	return (0);
}

/* VPC_OP_PORT_VNI_SET: < 2^24; EBUSY while in a switch or connected. */
int
vpc_ctl_port_vni_set(struct vpc_ctlreq *r)
{
	uint32_t vni;

	vpc_memcpy(&vni, r->cr_in, sizeof(vni));
	if (vpc_check_vni(vni) != 0)
		return (EINVAL);
	return (vpc_port_seg_set(VPC_PT(r->cr_obj), false, vni));
}

/* VPC_OP_PORT_VLAN_GET. */
int
vpc_ctl_port_vlan_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&VPC_PT(r->cr_obj)->pt_vlan));
	return (0);
}

/* VPC_OP_PORT_VLAN_SET: 0..4094; EBUSY while in a switch or connected. */
int
vpc_ctl_port_vlan_set(struct vpc_ctlreq *r)
{
	uint32_t vlan;

	vpc_memcpy(&vlan, r->cr_in, sizeof(vlan));
	if (vpc_check_vlan(vlan) != 0)
		return (EINVAL);
	return (vpc_port_seg_set(VPC_PT(r->cr_obj), true, vlan));
}

/* VPC_OP_PORT_PEER_GET: the connected object (ENOTCONN if none). */
int
vpc_ctl_port_peer_get(struct vpc_ctlreq *r)
{
	vpc_id_t id;
	int error;

	if ((error = vpc_port_rel_get(VPC_PT(r->cr_obj), true, &id)) == 0)
		vpc_memcpy(r->cr_out, &id, sizeof(id));
	return (error);
}

/* VPC_OP_PORT_SWITCH_GET: the owning switch (ENOENT if none). */
int
vpc_ctl_port_switch_get(struct vpc_ctlreq *r)
{
	vpc_id_t id;
	int error;

	if ((error = vpc_port_rel_get(VPC_PT(r->cr_obj), false, &id)) == 0)
		vpc_memcpy(r->cr_out, &id, sizeof(id));
	return (error);
}
