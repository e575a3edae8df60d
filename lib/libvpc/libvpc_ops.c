/*
 * libvpc_ops.c: one typed helper per vpc_ctl(2) op.
 *
 * Each helper is a thin wrapper: it builds the op's payload, calls
 * vpc_ctl(2) and records a failure in the handle.  It checks nothing the
 * core checks (values, rights, object types); it only makes sure a reply
 * has the size the op promises before copying it to the caller, so the
 * caller's memory changes only on success.  List helpers start with room
 * for LIBVPC_LIST_FIRST entries and, on ERANGE, grow to the size the
 * reply asks for and try again.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libvpc_impl.h"

#define	LIBVPC_LIST_FIRST	64	/* entries asked for at first */
#define	LIBVPC_LIST_TRIES	8	/* ERANGE retries of a growing list */
#define	LIBVPC_GET_MAX		sizeof(struct vpc_stats) /* largest get */

static int	libvpc_get(libvpc_handle_t *h, int vd, vpc_op_t op,
		    const void *in, size_t inlen, void *out, size_t size);
static int	libvpc_set(libvpc_handle_t *h, int vd, vpc_op_t op,
		    const void *in, size_t size);
static int	libvpc_get_u32(libvpc_handle_t *h, int vd, vpc_op_t op,
		    uint32_t *v);
static int	libvpc_set_u32(libvpc_handle_t *h, int vd, vpc_op_t op,
		    uint32_t v);
static int	libvpc_list(libvpc_handle_t *h, int vd, vpc_op_t op,
		    const void *in, size_t inlen, size_t esize, void **arrp,
		    size_t *np);
static int	libvpc_nic_op(libvpc_handle_t *h, int vd, vpc_op_t vmnic_op,
		    vpc_op_t vpci_op, vpc_op_t *op);

/*
 * Run get op 'op' whose reply is exactly 'size' bytes and copy it to
 * 'out' only when the op succeeded with that size.
 */
static int
libvpc_get(libvpc_handle_t *h, int vd, vpc_op_t op, const void *in,
    size_t inlen, void *out, size_t size)
{
	uint64_t buf[LIBVPC_GET_MAX / sizeof(uint64_t)];
	size_t n;

	if (libvpc_hctl(h, vd, op, in, inlen, buf, size, &n) == -1)
		return (-1);
	if (n != size)
		return (libvpc_fail(h, op, NULL, EPROTO));
	memcpy(out, buf, size);
	return (0);
}

/* Run op 'op' with the 'size' input bytes at 'in' and no output. */
static int
libvpc_set(libvpc_handle_t *h, int vd, vpc_op_t op, const void *in,
    size_t size)
{
	return (libvpc_hctl(h, vd, op, in, size, NULL, 0, NULL));
}

/* Get op 'op' whose reply is one uint32_t. */
static int
libvpc_get_u32(libvpc_handle_t *h, int vd, vpc_op_t op, uint32_t *v)
{
	return (libvpc_get(h, vd, op, NULL, 0, v, sizeof(*v)));
}

/* Set op 'op' whose input is one uint32_t. */
static int
libvpc_set_u32(libvpc_handle_t *h, int vd, vpc_op_t op, uint32_t v)
{
	return (libvpc_set(h, vd, op, &v, sizeof(v)));
}

/*
 * Run list op 'op' (input 'in', 'inlen' bytes) whose reply is an array
 * of 'esize'-byte entries; on success '*arrp' is a malloc'd array of
 * '*np' entries (NULL when there are none) the caller frees.
 */
static int
libvpc_list(libvpc_handle_t *h, int vd, vpc_op_t op, const void *in,
    size_t inlen, size_t esize, void **arrp, size_t *np)
{
	void *buf, *nbuf;
	size_t cap, n;
	int err, tries;

	buf = NULL;
	cap = LIBVPC_LIST_FIRST * esize;
	for (tries = 0;; tries++) {
		if ((nbuf = realloc(buf, cap)) == NULL) {
			err = ENOMEM;
			goto fail;
		}
		buf = nbuf;
		n = cap;
		if (vpc_ctl(vd, op, inlen, in, &n, buf) == 0)
			break;
		err = errno;
		/*
		 * ERANGE: the list grew past 'cap'.  Take the size the reply
		 * says; a list that keeps growing faster than we can ask
		 * ends in ERANGE after LIBVPC_LIST_TRIES rounds.
		 */
		if (err != ERANGE || tries == LIBVPC_LIST_TRIES)
			goto fail;
		if (n <= cap || n > VPC_CTL_OUT_MAX) {
			err = EPROTO;
			goto fail;
		}
		cap = n;
	}
	if (n % esize != 0 || n > cap) {
		err = EPROTO;
		goto fail;
	}
	if (n == 0) {
		free(buf);
		buf = NULL;
	}
	*arrp = buf;
	*np = n / esize;
	return (0);
fail:
	free(buf);
	return (libvpc_fail(h, op, NULL, err));
}

/*
 * Pick 'vmnic_op' or 'vpci_op' for '*op' from the type of 'vd'; any
 * other type is ENOTTY, recorded against 'vmnic_op'.
 */
static int
libvpc_nic_op(libvpc_handle_t *h, int vd, vpc_op_t vmnic_op,
    vpc_op_t vpci_op, vpc_op_t *op)
{
	vpc_type_t t;

	*op = 0;
	if (libvpc_type_get(h, vd, &t) == -1)
		return (-1);
	if (t == VPC_TYPE_VMNIC)
		*op = vmnic_op;
	else if (t == VPC_TYPE_VPCI)
		*op = vpci_op;
	else
		return (libvpc_fail(h, vmnic_op, NULL, ENOTTY));
	return (0);
}

/* The object type of descriptor 'vd' into '*type'. */
int
libvpc_type_get(libvpc_handle_t *h, int vd, vpc_type_t *type)
{
	return (libvpc_get_u32(h, vd, VPC_OP_TYPE_GET, type));
}

/* The UUID of the object of 'vd' into '*id'. */
int
libvpc_id_get(libvpc_handle_t *h, int vd, vpc_id_t *id)
{
	return (libvpc_get(h, vd, VPC_OP_ID_GET, NULL, 0, id, sizeof(*id)));
}

/* Commit the object of 'vd': it outlives its descriptors. */
int
libvpc_commit(libvpc_handle_t *h, int vd)
{
	return (libvpc_set(h, vd, VPC_OP_COMMIT, NULL, 0));
}

/* '*yes' becomes 1 if the object of 'vd' is committed, else 0. */
int
libvpc_committed_get(libvpc_handle_t *h, int vd, uint32_t *yes)
{
	return (libvpc_get_u32(h, vd, VPC_OP_COMMITTED_GET, yes));
}

/* Destroy the object of 'vd' (EBUSY while it is in use). */
int
libvpc_destroy(libvpc_handle_t *h, int vd)
{
	return (libvpc_set(h, vd, VPC_OP_DESTROY, NULL, 0));
}

/* The MAC address of the object of 'vd' into 'mac'. */
int
libvpc_mac_get(libvpc_handle_t *h, int vd, uint8_t mac[6])
{
	struct vpc_mac m;

	if (libvpc_get(h, vd, VPC_OP_MAC_GET, NULL, 0, &m, sizeof(m)) == -1)
		return (-1);
	memcpy(mac, m.vm_octet, sizeof(m.vm_octet));
	return (0);
}

/* Set the MAC address of the object of 'vd' to 'mac'. */
int
libvpc_mac_set(libvpc_handle_t *h, int vd, const uint8_t mac[6])
{
	struct vpc_mac m;

	memset(&m, 0, sizeof(m));
	memcpy(m.vm_octet, mac, sizeof(m.vm_octet));
	return (libvpc_set(h, vd, VPC_OP_MAC_SET, &m, sizeof(m)));
}

/* The MTU of the object of 'vd' into '*mtu'. */
int
libvpc_mtu_get(libvpc_handle_t *h, int vd, uint32_t *mtu)
{
	return (libvpc_get_u32(h, vd, VPC_OP_MTU_GET, mtu));
}

/* Set the MTU of the object of 'vd' to 'mtu'. */
int
libvpc_mtu_set(libvpc_handle_t *h, int vd, uint32_t mtu)
{
	return (libvpc_set_u32(h, vd, VPC_OP_MTU_SET, mtu));
}

/* The VPC_R_* rights of descriptor 'vd' into '*r'. */
int
libvpc_rights_get(libvpc_handle_t *h, int vd, vpc_rights_t *r)
{
	return (libvpc_get_u32(h, vd, VPC_OP_RIGHTS_GET, r));
}

/* Restrict the rights of descriptor 'vd' to 'r' (never extends them). */
int
libvpc_restrict(libvpc_handle_t *h, int vd, vpc_rights_t r)
{
	return (libvpc_set_u32(h, vd, VPC_OP_RESTRICT, r));
}

/* The ABI version the backend behind 'vd' speaks into '*v'. */
int
libvpc_abi_version(libvpc_handle_t *h, int vd, uint32_t *v)
{
	return (libvpc_get_u32(h, vd, VPC_OP_ABI_VERSION, v));
}

/*
 * The counters of the object of 'vd' into '*s', with the stats op of its
 * type; ENOTTY (recorded as "libvpc_stats_get") for types without one.
 */
int
libvpc_stats_get(libvpc_handle_t *h, int vd, struct vpc_stats *s)
{
	vpc_type_t t;
	vpc_op_t op;

	if (libvpc_type_get(h, vd, &t) == -1)
		return (-1);
	switch (t) {
	case VPC_TYPE_SWITCH:
		op = VPC_OP_SW_STATS;
		break;
	case VPC_TYPE_PORT:
		op = VPC_OP_PORT_STATS;
		break;
	case VPC_TYPE_ETHLINK:
		op = VPC_OP_ETHLINK_STATS;
		break;
	case VPC_TYPE_VPCLINK:
		op = VPC_OP_VPCLINK_STATS;
		break;
	case VPC_TYPE_VMNIC:
		op = VPC_OP_VMNIC_STATS;
		break;
	case VPC_TYPE_VPCI:
		op = VPC_OP_VPCI_STATS;
		break;
	default:
		return (libvpc_fail(h, 0, "libvpc_stats_get", ENOTTY));
	}
	return (libvpc_get(h, vd, op, NULL, 0, s, sizeof(*s)));
}

/* The number of objects of 'type' into '*count' ('vd' is mgmt). */
int
libvpc_mgmt_count(libvpc_handle_t *h, int vd, vpc_type_t type,
    uint32_t *count)
{
	return (libvpc_get(h, vd, VPC_OP_MGMT_COUNT, &type, sizeof(type),
	    count, sizeof(*count)));
}

/* The ids of all objects of 'type': '*n' entries at '*ids', to free. */
int
libvpc_mgmt_list(libvpc_handle_t *h, int vd, vpc_type_t type,
    vpc_id_t **ids, size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_MGMT_LIST, &type, sizeof(type),
	    sizeof(**ids), &p, n) == -1)
		return (-1);
	*ids = p;
	return (0);
}

/*
 * Whether the record at 'off' of dump 'buf' ('len' bytes) is well formed:
 * on the alignment, its header and input inside its size, its size
 * inside the dump.  Returns its size, or 0 if not.
 */
static size_t
libvpc_dump_rec_size(const uint8_t *buf, size_t len, size_t off)
{
	struct vpc_dumprec r;

	if (off % VPC_DUMP_ALIGN != 0 || len - off < sizeof(r))
		return (0);
	memcpy(&r, buf + off, sizeof(r));
	if (r.dr_size % VPC_DUMP_ALIGN != 0 || r.dr_size < sizeof(r) ||
	    r.dr_size > len - off || r.dr_inlen > r.dr_size - sizeof(r))
		return (0);
	return (r.dr_size);
}

/*
 * The records of every committed object: '*len' bytes at '*buf' (NULL
 * if none), each checked (EPROTO if one is malformed), to free.
 */
int
libvpc_mgmt_dump(libvpc_handle_t *h, int vd, void **buf, size_t *len)
{
	size_t off, size, n;
	void *p;

	if (libvpc_list(h, vd, VPC_OP_MGMT_DUMP, NULL, 0, VPC_DUMP_ALIGN, &p,
	    &n) == -1)
		return (-1);
	n *= VPC_DUMP_ALIGN;
	for (off = 0; off < n; off += size)
		if ((size = libvpc_dump_rec_size(p, n, off)) == 0) {
			free(p);
			return (libvpc_fail(h, VPC_OP_MGMT_DUMP, NULL,
			    EPROTO));
		}
	*buf = p;
	*len = n;
	return (0);
}

/*
 * The record at '*off' of dump 'buf' ('len' bytes, as libvpc_mgmt_dump()
 * returned it), moving '*off' to the next; NULL at the end (or at a
 * malformed record, which a checked dump does not have).
 */
const struct vpc_dumprec *
libvpc_dump_next(const void *buf, size_t len, size_t *off)
{
	size_t size;

	if (*off >= len || (size = libvpc_dump_rec_size(buf, len, *off)) == 0)
		return (NULL);
	*off += size;
	return ((const struct vpc_dumprec *)(const void *)
	    ((const uint8_t *)buf + *off - size));
}

/* Add port 'port' to the switch of 'vd'. */
int
libvpc_switch_port_add(libvpc_handle_t *h, int vd, const vpc_id_t *port)
{
	return (libvpc_set(h, vd, VPC_OP_SW_PORT_ADD, port, sizeof(*port)));
}

/* Remove port 'port' from the switch of 'vd'. */
int
libvpc_switch_port_del(libvpc_handle_t *h, int vd, const vpc_id_t *port)
{
	return (libvpc_set(h, vd, VPC_OP_SW_PORT_DEL, port, sizeof(*port)));
}

/* The ports of the switch of 'vd': '*n' ids at '*ids', to free. */
int
libvpc_switch_port_list(libvpc_handle_t *h, int vd, vpc_id_t **ids,
    size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_SW_PORT_LIST, NULL, 0,
	    sizeof(**ids), &p, n) == -1)
		return (-1);
	*ids = p;
	return (0);
}

/* The VPC_SW_MODE_* of the switch of 'vd' into '*mode'. */
int
libvpc_switch_mode_get(libvpc_handle_t *h, int vd, uint32_t *mode)
{
	return (libvpc_get_u32(h, vd, VPC_OP_SW_MODE_GET, mode));
}

/* Set the mode of the switch of 'vd' to VPC_SW_MODE_* 'mode'. */
int
libvpc_switch_mode_set(libvpc_handle_t *h, int vd, uint32_t mode)
{
	return (libvpc_set_u32(h, vd, VPC_OP_SW_MODE_SET, mode));
}

/*
 * Replace the flood list of VNI 'vni' on the switch of 'vd' with the 'n'
 * addresses at 'addrs' (n == 0 empties it).  More than fit in
 * VPC_CTL_IN_MAX is E2BIG, as the core would say.
 */
int
libvpc_switch_flood_set(libvpc_handle_t *h, int vd, uint32_t vni,
    const struct vpc_ipaddr *addrs, size_t n)
{
	struct vpc_flood_hdr *fh;
	size_t len;
	int rc;

	if (n > (VPC_CTL_IN_MAX - sizeof(*fh)) / sizeof(*addrs))
		return (libvpc_fail(h, VPC_OP_SW_FLOOD_SET, NULL, E2BIG));
	len = sizeof(*fh) + n * sizeof(*addrs);
	if ((fh = malloc(len)) == NULL)
		return (libvpc_fail(h, VPC_OP_SW_FLOOD_SET, NULL, ENOMEM));
	fh->vfh_vni = vni;
	fh->vfh_count = (uint32_t)n;
	if (n > 0)
		memcpy(fh + 1, addrs, n * sizeof(*addrs));
	rc = libvpc_set(h, vd, VPC_OP_SW_FLOOD_SET, fh, len);
	free(fh);
	return (rc);
}

/* The flood list of VNI 'vni': '*n' addresses at '*addrs', to free. */
int
libvpc_switch_flood_get(libvpc_handle_t *h, int vd, uint32_t vni,
    struct vpc_ipaddr **addrs, size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_SW_FLOOD_GET, &vni, sizeof(vni),
	    sizeof(**addrs), &p, n) == -1)
		return (-1);
	*addrs = p;
	return (0);
}

/* Add ARP proxy entry 'e' to the switch of 'vd'. */
int
libvpc_switch_arp_add(libvpc_handle_t *h, int vd, const struct vpc_neigh *e)
{
	return (libvpc_set(h, vd, VPC_OP_SW_ARP_ADD, e, sizeof(*e)));
}

/* Delete the ARP proxy entry of 'e' (VNI and address; MAC ignored). */
int
libvpc_switch_arp_del(libvpc_handle_t *h, int vd, const struct vpc_neigh *e)
{
	return (libvpc_set(h, vd, VPC_OP_SW_ARP_DEL, e, sizeof(*e)));
}

/* The ARP proxy entries: '*n' at '*e', to free. */
int
libvpc_switch_arp_list(libvpc_handle_t *h, int vd, struct vpc_neigh **e,
    size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_SW_ARP_LIST, NULL, 0,
	    sizeof(**e), &p, n) == -1)
		return (-1);
	*e = p;
	return (0);
}

/* The switch table of the switch of 'vd': '*n' at '*e', to free. */
int
libvpc_switch_mac_list(libvpc_handle_t *h, int vd, struct vpc_swentry **e,
    size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_SW_MAC_LIST, NULL, 0,
	    sizeof(**e), &p, n) == -1)
		return (-1);
	*e = p;
	return (0);
}

/* Connect the port of 'vd' to object 'obj' (vmnic, vpci, ethlink, ...). */
int
libvpc_port_connect(libvpc_handle_t *h, int vd, const vpc_id_t *obj)
{
	return (libvpc_set(h, vd, VPC_OP_PORT_CONNECT, obj, sizeof(*obj)));
}

/* Disconnect the port of 'vd' from its peer. */
int
libvpc_port_disconnect(libvpc_handle_t *h, int vd)
{
	return (libvpc_set(h, vd, VPC_OP_PORT_DISCONNECT, NULL, 0));
}

/* The VNI of the port of 'vd' into '*vni'. */
int
libvpc_port_vni_get(libvpc_handle_t *h, int vd, uint32_t *vni)
{
	return (libvpc_get_u32(h, vd, VPC_OP_PORT_VNI_GET, vni));
}

/* Set the VNI of the port of 'vd' to 'vni'. */
int
libvpc_port_vni_set(libvpc_handle_t *h, int vd, uint32_t vni)
{
	return (libvpc_set_u32(h, vd, VPC_OP_PORT_VNI_SET, vni));
}

/* The VLAN of the port of 'vd' (0: untagged) into '*vlan'. */
int
libvpc_port_vlan_get(libvpc_handle_t *h, int vd, uint32_t *vlan)
{
	return (libvpc_get_u32(h, vd, VPC_OP_PORT_VLAN_GET, vlan));
}

/* Set the VLAN of the port of 'vd' to 'vlan' (0: untagged). */
int
libvpc_port_vlan_set(libvpc_handle_t *h, int vd, uint32_t vlan)
{
	return (libvpc_set_u32(h, vd, VPC_OP_PORT_VLAN_SET, vlan));
}

/* The id of the object the port of 'vd' is connected to into '*peer'. */
int
libvpc_port_peer_get(libvpc_handle_t *h, int vd, vpc_id_t *peer)
{
	return (libvpc_get(h, vd, VPC_OP_PORT_PEER_GET, NULL, 0, peer,
	    sizeof(*peer)));
}

/* The id of the switch the port of 'vd' is in into '*sw'. */
int
libvpc_port_switch_get(libvpc_handle_t *h, int vd, vpc_id_t *sw)
{
	return (libvpc_get(h, vd, VPC_OP_PORT_SWITCH_GET, NULL, 0, sw,
	    sizeof(*sw)));
}

/* The host interface name of the vmnic or vpci of 'vd' into 'name'. */
int
libvpc_nic_ifname_get(libvpc_handle_t *h, int vd, char name[VPC_IFNAMSIZ])
{
	struct vpc_ifname ifn;
	vpc_op_t op;

	if (libvpc_nic_op(h, vd, VPC_OP_VMNIC_IFNAME_GET,
	    VPC_OP_VPCI_IFNAME_GET, &op) == -1)
		return (-1);
	if (libvpc_get(h, vd, op, NULL, 0, &ifn, sizeof(ifn)) == -1)
		return (-1);
	ifn.vn_name[VPC_IFNAMSIZ - 1] = '\0';
	memcpy(name, ifn.vn_name, VPC_IFNAMSIZ);
	return (0);
}

/* The queue count of the vmnic or vpci of 'vd' into '*q'. */
int
libvpc_nic_queues_get(libvpc_handle_t *h, int vd, uint32_t *q)
{
	vpc_op_t op;

	if (libvpc_nic_op(h, vd, VPC_OP_VMNIC_QUEUES_GET,
	    VPC_OP_VPCI_QUEUES_GET, &op) == -1)
		return (-1);
	return (libvpc_get_u32(h, vd, op, q));
}

/* Set the queue count of the vmnic or vpci of 'vd' to 'q'. */
int
libvpc_nic_queues_set(libvpc_handle_t *h, int vd, uint32_t q)
{
	vpc_op_t op;

	if (libvpc_nic_op(h, vd, VPC_OP_VMNIC_QUEUES_SET,
	    VPC_OP_VPCI_QUEUES_SET, &op) == -1)
		return (-1);
	return (libvpc_set_u32(h, vd, op, q));
}

/*
 * Attach the ethlink of 'vd' to host interface 'ifname' ("" detaches).
 * A name that does not fit VPC_IFNAMSIZ is EINVAL, as the core says of
 * an unterminated one.
 */
int
libvpc_ethlink_attach(libvpc_handle_t *h, int vd, const char *ifname)
{
	struct vpc_ifname ifn;
	size_t len;

	len = ifname != NULL ? strlen(ifname) : VPC_IFNAMSIZ;
	if (len >= VPC_IFNAMSIZ)
		return (libvpc_fail(h, VPC_OP_ETHLINK_ATTACH, NULL, EINVAL));
	memset(&ifn, 0, sizeof(ifn));
	memcpy(ifn.vn_name, ifname, len);
	return (libvpc_set(h, vd, VPC_OP_ETHLINK_ATTACH, &ifn, sizeof(ifn)));
}

/* The host interface the ethlink of 'vd' is attached to into 'name'. */
int
libvpc_ethlink_ifname_get(libvpc_handle_t *h, int vd,
    char name[VPC_IFNAMSIZ])
{
	struct vpc_ifname ifn;

	if (libvpc_get(h, vd, VPC_OP_ETHLINK_IFNAME_GET, NULL, 0, &ifn,
	    sizeof(ifn)) == -1)
		return (-1);
	ifn.vn_name[VPC_IFNAMSIZ - 1] = '\0';
	memcpy(name, ifn.vn_name, VPC_IFNAMSIZ);
	return (0);
}

/* The VLAN of the ethlink of 'vd' (0: untagged) into '*vlan'. */
int
libvpc_ethlink_vlan_get(libvpc_handle_t *h, int vd, uint32_t *vlan)
{
	return (libvpc_get_u32(h, vd, VPC_OP_ETHLINK_VLAN_GET, vlan));
}

/* Set the VLAN of the ethlink of 'vd' to 'vlan' (0: untagged). */
int
libvpc_ethlink_vlan_set(libvpc_handle_t *h, int vd, uint32_t vlan)
{
	return (libvpc_set_u32(h, vd, VPC_OP_ETHLINK_VLAN_SET, vlan));
}

/* Bind the vpclink of 'vd' to local underlay address and port 'a'. */
int
libvpc_vpclink_local_set(libvpc_handle_t *h, int vd,
    const struct vpc_udpaddr *a)
{
	return (libvpc_set(h, vd, VPC_OP_VPCLINK_LOCAL_SET, a, sizeof(*a)));
}

/* The local underlay address and port of the vpclink of 'vd' into 'a'. */
int
libvpc_vpclink_local_get(libvpc_handle_t *h, int vd, struct vpc_udpaddr *a)
{
	return (libvpc_get(h, vd, VPC_OP_VPCLINK_LOCAL_GET, NULL, 0, a,
	    sizeof(*a)));
}

/* Insert or replace forwarding entry 'f' on the vpclink of 'vd'. */
int
libvpc_vpclink_fwd_set(libvpc_handle_t *h, int vd, const struct vpc_fwd *f)
{
	return (libvpc_set(h, vd, VPC_OP_VPCLINK_FWD_SET, f, sizeof(*f)));
}

/* Delete the forwarding entry of 'f' (VNI and MAC; remote ignored). */
int
libvpc_vpclink_fwd_del(libvpc_handle_t *h, int vd, const struct vpc_fwd *f)
{
	return (libvpc_set(h, vd, VPC_OP_VPCLINK_FWD_DEL, f, sizeof(*f)));
}

/* The forwarding entries of the vpclink of 'vd': '*n' at '*f', to free. */
int
libvpc_vpclink_fwd_list(libvpc_handle_t *h, int vd, struct vpc_fwd **f,
    size_t *n)
{
	void *p;

	if (libvpc_list(h, vd, VPC_OP_VPCLINK_FWD_LIST, NULL, 0,
	    sizeof(**f), &p, n) == -1)
		return (-1);
	*f = p;
	return (0);
}
