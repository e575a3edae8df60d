/*
 * libvpc_names.c: names of ops, object types and drop reasons.
 *
 * The op table is built from the op macros themselves, so a name cannot
 * disagree with its value; the unit test checks that every VPC_OP_ macro
 * of <net/vpc.h> has an entry here.
 */

#include <errno.h>
#include <string.h>

#include "libvpc_impl.h"

/* One op and the name of its macro. */
struct libvpc_opname {
	vpc_op_t	on_op;		/* the op word */
	const char	*on_name;	/* "VPC_OP_..." */
};

#define	LIBVPC_OP(op)	{ op, #op }

static const struct libvpc_opname libvpc_opnames[] = {
	/* Meta. */
	LIBVPC_OP(VPC_OP_TYPE_GET),
	LIBVPC_OP(VPC_OP_ID_GET),
	LIBVPC_OP(VPC_OP_COMMIT),
	LIBVPC_OP(VPC_OP_DESTROY),
	LIBVPC_OP(VPC_OP_MAC_GET),
	LIBVPC_OP(VPC_OP_MAC_SET),
	LIBVPC_OP(VPC_OP_MTU_GET),
	LIBVPC_OP(VPC_OP_MTU_SET),
	LIBVPC_OP(VPC_OP_RIGHTS_GET),
	LIBVPC_OP(VPC_OP_RESTRICT),
	LIBVPC_OP(VPC_OP_ABI_VERSION),
	LIBVPC_OP(VPC_OP_COMMITTED_GET),
	/* Management. */
	LIBVPC_OP(VPC_OP_MGMT_COUNT),
	LIBVPC_OP(VPC_OP_MGMT_LIST),
	LIBVPC_OP(VPC_OP_MGMT_DUMP),
	/* Switch. */
	LIBVPC_OP(VPC_OP_SW_PORT_ADD),
	LIBVPC_OP(VPC_OP_SW_PORT_DEL),
	LIBVPC_OP(VPC_OP_SW_PORT_LIST),
	LIBVPC_OP(VPC_OP_SW_MODE_GET),
	LIBVPC_OP(VPC_OP_SW_MODE_SET),
	LIBVPC_OP(VPC_OP_SW_FLOOD_SET),
	LIBVPC_OP(VPC_OP_SW_FLOOD_GET),
	LIBVPC_OP(VPC_OP_SW_ARP_ADD),
	LIBVPC_OP(VPC_OP_SW_ARP_DEL),
	LIBVPC_OP(VPC_OP_SW_ARP_LIST),
	LIBVPC_OP(VPC_OP_SW_STATS),
	LIBVPC_OP(VPC_OP_SW_MAC_LIST),
	/* Port. */
	LIBVPC_OP(VPC_OP_PORT_CONNECT),
	LIBVPC_OP(VPC_OP_PORT_DISCONNECT),
	LIBVPC_OP(VPC_OP_PORT_VNI_GET),
	LIBVPC_OP(VPC_OP_PORT_VNI_SET),
	LIBVPC_OP(VPC_OP_PORT_VLAN_GET),
	LIBVPC_OP(VPC_OP_PORT_VLAN_SET),
	LIBVPC_OP(VPC_OP_PORT_PEER_GET),
	LIBVPC_OP(VPC_OP_PORT_SWITCH_GET),
	LIBVPC_OP(VPC_OP_PORT_STATS),
	/* vmnic and vpci. */
	LIBVPC_OP(VPC_OP_VMNIC_IFNAME_GET),
	LIBVPC_OP(VPC_OP_VMNIC_QUEUES_GET),
	LIBVPC_OP(VPC_OP_VMNIC_QUEUES_SET),
	LIBVPC_OP(VPC_OP_VPCI_IFNAME_GET),
	LIBVPC_OP(VPC_OP_VPCI_QUEUES_GET),
	LIBVPC_OP(VPC_OP_VPCI_QUEUES_SET),
	LIBVPC_OP(VPC_OP_VMNIC_STATS),
	LIBVPC_OP(VPC_OP_VPCI_STATS),
	/* ethlink. */
	LIBVPC_OP(VPC_OP_ETHLINK_ATTACH),
	LIBVPC_OP(VPC_OP_ETHLINK_IFNAME_GET),
	LIBVPC_OP(VPC_OP_ETHLINK_VLAN_GET),
	LIBVPC_OP(VPC_OP_ETHLINK_VLAN_SET),
	LIBVPC_OP(VPC_OP_ETHLINK_STATS),
	/* vpclink. */
	LIBVPC_OP(VPC_OP_VPCLINK_LOCAL_SET),
	LIBVPC_OP(VPC_OP_VPCLINK_LOCAL_GET),
	LIBVPC_OP(VPC_OP_VPCLINK_FWD_SET),
	LIBVPC_OP(VPC_OP_VPCLINK_FWD_DEL),
	LIBVPC_OP(VPC_OP_VPCLINK_FWD_LIST),
	LIBVPC_OP(VPC_OP_VPCLINK_STATS),
};

/* Type names, indexed by enum vpc_obj_type. */
static const char *const libvpc_typenames[VPC_TYPE_MAX] = {
	[VPC_TYPE_SWITCH] =	"switch",
	[VPC_TYPE_PORT] =	"port",
	[VPC_TYPE_ROUTER] =	"router",
	[VPC_TYPE_NAT] =	"nat",
	[VPC_TYPE_VPCLINK] =	"vpclink",
	[VPC_TYPE_VMNIC] =	"vmnic",
	[VPC_TYPE_MGMT] =	"mgmt",
	[VPC_TYPE_ETHLINK] =	"ethlink",
	[VPC_TYPE_VPCI] =	"vpci",
	[VPC_TYPE_FW] =		"fw",
};

/* Drop reason names, indexed by enum vpc_drop. */
static const char *const libvpc_dropnames[VPC_DROP_COUNT] = {
#define	LIBVPC_DROP_NAME(name, num, str)	[num] = str,
	VPC_DROP_REASONS(LIBVPC_DROP_NAME)
#undef LIBVPC_DROP_NAME
};

/* The name of the macro of op word 'op' ("VPC_OP_..."); NULL if none. */
const char *
libvpc_op_name(vpc_op_t op)
{
	size_t i;

	for (i = 0; i < sizeof(libvpc_opnames) / sizeof(libvpc_opnames[0]);
	    i++) {
		if (libvpc_opnames[i].on_op == op)
			return (libvpc_opnames[i].on_name);
	}
	return (NULL);
}

/* The name of object type 'type' ("switch", ...); NULL if none. */
const char *
libvpc_type_name(vpc_type_t type)
{
	if (type >= VPC_TYPE_MAX)
		return (NULL);
	return (libvpc_typenames[type]);
}

/*
 * The type named 's' (as libvpc_type_name prints it) into '*type';
 * returns 0, or -1 with errno EINVAL for an unknown name.
 */
int
libvpc_type_parse(const char *s, vpc_type_t *type)
{
	vpc_type_t t;

	if (s != NULL) {
		for (t = 0; t < VPC_TYPE_MAX; t++) {
			if (libvpc_typenames[t] != NULL &&
			    strcmp(libvpc_typenames[t], s) == 0) {
				*type = t;
				return (0);
			}
		}
	}
	errno = EINVAL;
	return (-1);
}

/* The name of drop reason 'reason' ("eth_short", ...); NULL if none. */
const char *
libvpc_drop_name(uint32_t reason)
{
	if (reason >= VPC_DROP_COUNT)
		return (NULL);
	return (libvpc_dropnames[reason]);
}
