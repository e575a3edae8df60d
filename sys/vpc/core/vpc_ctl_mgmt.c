/*
 * vpc_ctl_mgmt.c: handlers of the management object's ops: counting and
 * listing the objects of a type.
 */

#include "vpc_obj.h"

static int	vpc_mgmt_type(struct vpc_ctlreq *r, uint32_t *type);

/* The type argument: any type number the ABI defines (EINVAL else). */
static int
vpc_mgmt_type(struct vpc_ctlreq *r, uint32_t *type)
{
	vpc_memcpy(type, r->cr_in, sizeof(*type));
	if (*type == VPC_TYPE_INVALID || *type >= VPC_TYPE_MAX)
		return (EINVAL);
	return (0);
}

/* VPC_OP_MGMT_COUNT: how many objects of a type exist. */
int
vpc_ctl_mgmt_count(struct vpc_ctlreq *r)
{
	uint32_t type, n;
	int error;

	if ((error = vpc_mgmt_type(r, &type)) != 0)
		return (error);
	(void)vpc_mgmt_count(r->cr_obj->o_reg, type, &n);
	vpc_ctl_out32(r, n);
	return (0);
}

/* VPC_OP_MGMT_LIST: the ids of the objects of a type. */
int
vpc_ctl_mgmt_list(struct vpc_ctlreq *r)
{
	uint32_t type;
	int error;

	if ((error = vpc_mgmt_type(r, &type)) != 0)
		return (error);
	return (vpc_mgmt_list(r->cr_obj->o_reg, type, r));
}
