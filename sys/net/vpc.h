/*
 * vpc.h: the vpc_open(2)/vpc_ctl(2) ABI.
 *
 * One header shared by the FreeBSD kernel module, the userland host vpcd,
 * libvpc and the language bindings.  Every request and reply is a
 * fixed-width structure whose size is pinned by a static assertion; all
 * integers are in the native byte order of the host (both ends of the ABI
 * always run on the same machine), except where a field is documented as
 * network order.  Addresses and MAC addresses are byte arrays in network
 * order.  A VNI is a host-order uint32_t and must be below 2^24.
 *
 * Bump VPC_ABI_VERSION on any incompatible change; VPC_OP_ABI_VERSION
 * reports the version a running kernel or vpcd speaks.
 */

#ifndef _NET_VPC_H_
#define	_NET_VPC_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <sys/cdefs.h>
#include <stddef.h>
#include <stdint.h>
#endif

#define	VPC_ABI_VERSION		1

/*
 * Object identifiers: a 16-byte UUID chosen by the operator, stored in
 * RFC 4122 byte order (the order of the printed form).  The all-zero id is
 * reserved for the management object.
 */
typedef struct vpc_id {
	uint8_t		vi_bytes[16];	/* UUID, RFC 4122 byte order */
} vpc_id_t;

typedef uint32_t	vpc_type_t;	/* one of enum vpc_obj_type */
typedef uint32_t	vpc_flags_t;	/* VPC_F_* bits for vpc_open */
typedef uint32_t	vpc_op_t;	/* op word, see VPC_OP() */
typedef uint32_t	vpc_rights_t;	/* VPC_R_* bits of a descriptor */

/* Object types.  Numbers are ABI: never reuse or renumber. */
enum vpc_obj_type {
	VPC_TYPE_INVALID =	0,
	VPC_TYPE_SWITCH =	1,	/* vpcsw: per-tenant switch */
	VPC_TYPE_PORT =		2,	/* vpcp: switch port */
	VPC_TYPE_ROUTER =	3,	/* reserved: distributed L3 router */
	VPC_TYPE_NAT =		4,	/* reserved: SNAT gateway, floating IPs */
	VPC_TYPE_VPCLINK =	5,	/* VXLAN tunnel endpoint */
	VPC_TYPE_VMNIC =	6,	/* guest NIC */
	VPC_TYPE_MGMT =		7,	/* enumeration of objects */
	VPC_TYPE_ETHLINK =	8,	/* plain uplink over a host NIC */
	VPC_TYPE_VPCI =		9,	/* host or jail interface */
	VPC_TYPE_FW =		10,	/* reserved: security groups, ACLs */
	VPC_TYPE_MAX =		11
};

/* vpc_open flags.  CREATE|OPEN means create-or-open. */
#define	VPC_F_CREATE	0x00000001u	/* create; EEXIST if present */
#define	VPC_F_OPEN	0x00000002u	/* open; ENOENT if absent */
#define	VPC_F_READ	0x00000004u	/* descriptor gets VPC_R_READ */
#define	VPC_F_WRITE	0x00000008u	/* descriptor gets VPC_R_WRITE */
#define	VPC_F_ALL	0x0000000fu

/* Descriptor rights.  They can be restricted, never extended. */
#define	VPC_R_READ	0x00000001u	/* ops without VPC_OPF_MUTATE */
#define	VPC_R_WRITE	0x00000002u	/* ops with VPC_OPF_MUTATE */
#define	VPC_R_ALL	0x00000003u

/*
 * The op word:
 *   bits  0..7   op number within its object type
 *   bits  8..15  object type the op belongs to (0: any type, "meta")
 *   bits 16..27  must be zero
 *   bit  28      VPC_OPF_IN: the op reads an input payload
 *   bit  29      VPC_OPF_OUT: the op writes an output payload
 *   bit  30      VPC_OPF_MUTATE: the op changes state (needs VPC_R_WRITE)
 *   bit  31      VPC_OPF_PRIV: the op needs privilege as well
 * The direction and permission bits are redundant with the kernel's op
 * table and must match it exactly; a mismatch is EINVAL.
 */
#define	VPC_OPF_IN	0x10000000u
#define	VPC_OPF_OUT	0x20000000u
#define	VPC_OPF_MUTATE	0x40000000u
#define	VPC_OPF_PRIV	0x80000000u
#define	VPC_OPF_MASK	0xf0000000u
#define	VPC_OP_RSVD	0x0fff0000u

#define	VPC_OP(type, num, flags)					\
	((vpc_op_t)(((uint32_t)(type) << 8) | (uint32_t)(num) | (flags)))
#define	VPC_OP_NUM(op)		((op) & 0xffu)
#define	VPC_OP_TYPE(op)		(((op) >> 8) & 0xffu)
#define	VPC_OP_FLAGS(op)	((op) & VPC_OPF_MASK)

#define	VPC_OP_META	0		/* type field of ops valid on any type */

/* Meta ops: valid on every object type unless noted. */
#define	VPC_OP_TYPE_GET		VPC_OP(0, 1, VPC_OPF_OUT)	/* uint32_t */
#define	VPC_OP_ID_GET		VPC_OP(0, 2, VPC_OPF_OUT)	/* vpc_id_t */
#define	VPC_OP_COMMIT		VPC_OP(0, 3, VPC_OPF_MUTATE)
#define	VPC_OP_DESTROY		VPC_OP(0, 4, VPC_OPF_MUTATE)
#define	VPC_OP_MAC_GET		VPC_OP(0, 5, VPC_OPF_OUT)	/* vpc_mac */
#define	VPC_OP_MAC_SET		VPC_OP(0, 6, VPC_OPF_IN | VPC_OPF_MUTATE)
#define	VPC_OP_MTU_GET		VPC_OP(0, 7, VPC_OPF_OUT)	/* uint32_t */
#define	VPC_OP_MTU_SET		VPC_OP(0, 8, VPC_OPF_IN | VPC_OPF_MUTATE)
#define	VPC_OP_RIGHTS_GET	VPC_OP(0, 9, VPC_OPF_OUT)	/* uint32_t */
#define	VPC_OP_RESTRICT		VPC_OP(0, 10, VPC_OPF_IN)	/* uint32_t */
#define	VPC_OP_ABI_VERSION	VPC_OP(0, 11, VPC_OPF_OUT)	/* uint32_t */
#define	VPC_OP_COMMITTED_GET	VPC_OP(0, 12, VPC_OPF_OUT)	/* uint32_t */

/* Management: open with the all-zero id, type VPC_TYPE_MGMT, VPC_F_OPEN. */
#define	VPC_OP_MGMT_COUNT	VPC_OP(VPC_TYPE_MGMT, 1, VPC_OPF_IN | VPC_OPF_OUT)
						/* in uint32_t type, out uint32_t */
#define	VPC_OP_MGMT_LIST	VPC_OP(VPC_TYPE_MGMT, 2, VPC_OPF_IN | VPC_OPF_OUT)
						/* in uint32_t type, out vpc_id_t[] */
#define	VPC_OP_MGMT_DUMP	VPC_OP(VPC_TYPE_MGMT, 3, VPC_OPF_OUT)
						/* out struct vpc_dumprec... */

/* Switch. */
#define	VPC_OP_SW_PORT_ADD	VPC_OP(VPC_TYPE_SWITCH, 1, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_id_t of a port */
#define	VPC_OP_SW_PORT_DEL	VPC_OP(VPC_TYPE_SWITCH, 2, VPC_OPF_IN | VPC_OPF_MUTATE)
#define	VPC_OP_SW_PORT_LIST	VPC_OP(VPC_TYPE_SWITCH, 3, VPC_OPF_OUT)
						/* out vpc_id_t[] */
#define	VPC_OP_SW_MODE_GET	VPC_OP(VPC_TYPE_SWITCH, 4, VPC_OPF_OUT)
#define	VPC_OP_SW_MODE_SET	VPC_OP(VPC_TYPE_SWITCH, 5, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* uint32_t VPC_SW_MODE_* */
#define	VPC_OP_SW_FLOOD_SET	VPC_OP(VPC_TYPE_SWITCH, 6, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_flood_hdr + vpc_ipaddr[] */
#define	VPC_OP_SW_FLOOD_GET	VPC_OP(VPC_TYPE_SWITCH, 7, VPC_OPF_IN | VPC_OPF_OUT)
						/* in uint32_t vni, out vpc_ipaddr[] */
#define	VPC_OP_SW_ARP_ADD	VPC_OP(VPC_TYPE_SWITCH, 8, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_neigh */
#define	VPC_OP_SW_ARP_DEL	VPC_OP(VPC_TYPE_SWITCH, 9, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_neigh, vn_mac ignored */
#define	VPC_OP_SW_ARP_LIST	VPC_OP(VPC_TYPE_SWITCH, 10, VPC_OPF_OUT)
						/* out vpc_neigh[] */
#define	VPC_OP_SW_STATS		VPC_OP(VPC_TYPE_SWITCH, 11, VPC_OPF_OUT)
						/* out vpc_stats */
#define	VPC_OP_SW_MAC_LIST	VPC_OP(VPC_TYPE_SWITCH, 12, VPC_OPF_OUT)
						/* out vpc_swentry[] */

/* Port. */
#define	VPC_OP_PORT_CONNECT	VPC_OP(VPC_TYPE_PORT, 1, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_id_t of a vmnic, vpci,
						   ethlink or vpclink */
#define	VPC_OP_PORT_DISCONNECT	VPC_OP(VPC_TYPE_PORT, 2, VPC_OPF_MUTATE)
#define	VPC_OP_PORT_VNI_GET	VPC_OP(VPC_TYPE_PORT, 3, VPC_OPF_OUT)
#define	VPC_OP_PORT_VNI_SET	VPC_OP(VPC_TYPE_PORT, 4, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* uint32_t, < 2^24 */
#define	VPC_OP_PORT_VLAN_GET	VPC_OP(VPC_TYPE_PORT, 5, VPC_OPF_OUT)
#define	VPC_OP_PORT_VLAN_SET	VPC_OP(VPC_TYPE_PORT, 6, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* uint32_t, 0 (none) or 1..4094 */
#define	VPC_OP_PORT_PEER_GET	VPC_OP(VPC_TYPE_PORT, 7, VPC_OPF_OUT)
						/* vpc_id_t of connected object */
#define	VPC_OP_PORT_SWITCH_GET	VPC_OP(VPC_TYPE_PORT, 8, VPC_OPF_OUT)
						/* vpc_id_t of owning switch */
#define	VPC_OP_PORT_STATS	VPC_OP(VPC_TYPE_PORT, 9, VPC_OPF_OUT)

/* vmnic and vpci share op numbers; the type byte tells them apart. */
#define	VPC_OP_VMNIC_IFNAME_GET	VPC_OP(VPC_TYPE_VMNIC, 1, VPC_OPF_OUT)
						/* out vpc_ifname */
#define	VPC_OP_VMNIC_QUEUES_GET	VPC_OP(VPC_TYPE_VMNIC, 2, VPC_OPF_OUT)
#define	VPC_OP_VMNIC_QUEUES_SET	VPC_OP(VPC_TYPE_VMNIC, 3, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* uint32_t 1..VPC_MAX_QUEUES */
#define	VPC_OP_VPCI_IFNAME_GET	VPC_OP(VPC_TYPE_VPCI, 1, VPC_OPF_OUT)
#define	VPC_OP_VPCI_QUEUES_GET	VPC_OP(VPC_TYPE_VPCI, 2, VPC_OPF_OUT)
#define	VPC_OP_VPCI_QUEUES_SET	VPC_OP(VPC_TYPE_VPCI, 3, VPC_OPF_IN | VPC_OPF_MUTATE)
#define	VPC_OP_VMNIC_STATS	VPC_OP(VPC_TYPE_VMNIC, 4, VPC_OPF_OUT)
						/* out vpc_stats */
#define	VPC_OP_VPCI_STATS	VPC_OP(VPC_TYPE_VPCI, 4, VPC_OPF_OUT)

/* ethlink. */
#define	VPC_OP_ETHLINK_ATTACH	VPC_OP(VPC_TYPE_ETHLINK, 1,			\
				    VPC_OPF_IN | VPC_OPF_MUTATE | VPC_OPF_PRIV)
						/* in vpc_ifname; "" detaches */
#define	VPC_OP_ETHLINK_IFNAME_GET VPC_OP(VPC_TYPE_ETHLINK, 2, VPC_OPF_OUT)
#define	VPC_OP_ETHLINK_VLAN_GET	VPC_OP(VPC_TYPE_ETHLINK, 3, VPC_OPF_OUT)
#define	VPC_OP_ETHLINK_VLAN_SET	VPC_OP(VPC_TYPE_ETHLINK, 4, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* uint32_t, 0 or 1..4094 */
#define	VPC_OP_ETHLINK_STATS	VPC_OP(VPC_TYPE_ETHLINK, 5, VPC_OPF_OUT)

/* vpclink. */
#define	VPC_OP_VPCLINK_LOCAL_SET VPC_OP(VPC_TYPE_VPCLINK, 1,			\
				    VPC_OPF_IN | VPC_OPF_MUTATE | VPC_OPF_PRIV)
						/* in vpc_udpaddr */
#define	VPC_OP_VPCLINK_LOCAL_GET VPC_OP(VPC_TYPE_VPCLINK, 2, VPC_OPF_OUT)
#define	VPC_OP_VPCLINK_FWD_SET	VPC_OP(VPC_TYPE_VPCLINK, 3, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_fwd; insert or replace */
#define	VPC_OP_VPCLINK_FWD_DEL	VPC_OP(VPC_TYPE_VPCLINK, 4, VPC_OPF_IN | VPC_OPF_MUTATE)
						/* in vpc_fwd, vf_remote ignored */
#define	VPC_OP_VPCLINK_FWD_LIST	VPC_OP(VPC_TYPE_VPCLINK, 5, VPC_OPF_OUT)
						/* out vpc_fwd[] */
#define	VPC_OP_VPCLINK_STATS	VPC_OP(VPC_TYPE_VPCLINK, 6, VPC_OPF_OUT)

/* Limits. */
#define	VPC_VNI_MAX		0x00ffffffu	/* largest valid VNI */
#define	VPC_VLAN_MAX		4094		/* largest valid VLAN id */
#define	VPC_MAX_QUEUES		16		/* vmnic/vpci queues */
#define	VPC_FLOOD_MAX		1024		/* remotes per VNI flood list */
#define	VPC_MTU_MIN		576		/* smallest settable MTU */
#define	VPC_MTU_MAX		9000		/* largest settable MTU */
#define	VPC_CTL_IN_MAX		(64 * 1024)	/* largest input payload */
#define	VPC_CTL_OUT_MAX		(16 * 1024 * 1024) /* largest output */
#define	VPC_VXLAN_PORT		4789		/* IANA VXLAN UDP port */
#define	VPC_IFNAMSIZ		16		/* with the NUL */

/* Switch modes. */
#define	VPC_SW_MODE_PROGRAMMED	1	/* no learning; BUM is dropped */
#define	VPC_SW_MODE_LEARNING	2	/* learn; BUM to the flood list */

/* Address families in vpc_ipaddr (not AF_*, which differ between OSes). */
#define	VPC_AF_NONE		0
#define	VPC_AF_INET		4
#define	VPC_AF_INET6		6

struct vpc_mac {
	uint8_t		vm_octet[6];	/* network order */
	uint8_t		vm_pad[2];	/* must be zero */
};

struct vpc_ipaddr {
	uint8_t		va_family;	/* VPC_AF_INET or VPC_AF_INET6 */
	uint8_t		va_pad[3];	/* must be zero */
	uint8_t		va_addr[16];	/* IPv4 in the first 4, rest zero */
};

struct vpc_udpaddr {
	struct vpc_ipaddr vu_addr;	/* local underlay address */
	uint16_t	vu_port;	/* UDP port, host order; 0: 4789 */
	uint16_t	vu_pad;		/* must be zero */
};

struct vpc_ifname {
	char		vn_name[VPC_IFNAMSIZ];	/* NUL-terminated */
};

/* VPC_OP_SW_FLOOD_SET input: this header, then vfh_count vpc_ipaddr. */
struct vpc_flood_hdr {
	uint32_t	vfh_vni;	/* VNI whose flood list is replaced */
	uint32_t	vfh_count;	/* entries that follow, <= FLOOD_MAX */
};

/* ARP proxy entry (IPv6 ND entries are reserved: EAFNOSUPPORT today). */
struct vpc_neigh {
	uint32_t	vn_vni;		/* segment */
	struct vpc_ipaddr vn_ip;	/* tenant address */
	uint8_t		vn_mac[6];	/* answer */
	uint16_t	vn_pad;		/* must be zero */
};

/* vpclink forwarding entry: (VNI, inner MAC) -> remote VTEP. */
struct vpc_fwd {
	uint32_t	vf_vni;		/* segment */
	uint8_t		vf_mac[6];	/* inner destination MAC */
	uint16_t	vf_flags;	/* VPC_FWD_F_*; zero on input */
	struct vpc_ipaddr vf_remote;	/* remote underlay address */
};
#define	VPC_FWD_F_LEARNED	0x0001	/* learned, ages out */

/*
 * VPC_OP_MGMT_DUMP output: the configuration of every committed object,
 * read in one consistent pass, as the requests that would recreate it.
 * Records follow one another; each is this header, then dr_inlen bytes
 * of the request's input (the op's own input structure; SW_FLOOD_SET:
 * its header and addresses), then zero padding to dr_size, a multiple of
 * 8.  Each object's records start with a VPC_OP_COMMIT addressed to it,
 * followed by MAC_SET, MTU_SET (if set) and the settings, table entries
 * and relations of its type.  A relation is listed with both of its
 * objects, addressed as a client would send it (SW_PORT_ADD to the
 * switch, PORT_CONNECT to the port).  Three records are markers, not
 * requests: SW_PORT_DEL addressed to the nil id (the port in its input
 * is in no switch), PORT_DISCONNECT (the port is connected to nothing),
 * and COMMIT.  Learned entries, counters, uncommitted objects and values
 * the host derives (a vpclink's MTU, a NIC's interface name) are not
 * part of it.  To replay a dump: create every object, send each object
 * the requests addressed to itself, settings and entries first and the
 * relations (SW_PORT_ADD, PORT_CONNECT) last, then commit.  Readers skip
 * ops they do not know (dr_size says how far).
 * EFBIG if the dump would not fit in VPC_CTL_OUT_MAX.
 */
struct vpc_dumprec {
	vpc_id_t	dr_id;		/* object the request is addressed to */
	uint32_t	dr_type;	/* its type (VPC_TYPE_*) */
	vpc_op_t	dr_op;		/* the request */
	uint32_t	dr_inlen;	/* input bytes after this header */
	uint32_t	dr_size;	/* this record's bytes, a multiple of 8 */
};
#define	VPC_DUMP_ALIGN		8	/* records start on this boundary */

/* Switch table entry, for VPC_OP_SW_MAC_LIST. */
struct vpc_swentry {
	uint32_t	se_vni;		/* segment */
	uint8_t		se_mac[6];	/* MAC address */
	uint16_t	se_flags;	/* VPC_SWE_F_* */
	vpc_id_t	se_port;	/* port the MAC is behind */
};
#define	VPC_SWE_F_LEARNED	0x0001	/* learned, ages out */

/*
 * Drop reasons.  The numbers are ABI (they index vs_drops[]); names are
 * what tools print.  Append only.
 */
#define	VPC_DROP_REASONS(X)						\
	X(NONE,			0,  "none")				\
	X(ETH_SHORT,		1,  "eth_short")			\
	X(VLAN_SHORT,		2,  "vlan_short")			\
	X(VLAN_STACKED,		3,  "vlan_stacked")			\
	X(VLAN_MISMATCH,	4,  "vlan_mismatch")			\
	X(SRC_MAC_MULTICAST,	5,  "src_mac_multicast")		\
	X(ARP_MALFORMED,	6,  "arp_malformed")			\
	X(IP4_MALFORMED,	7,  "ipv4_malformed")			\
	X(IP6_MALFORMED,	8,  "ipv6_malformed")			\
	X(L4_MALFORMED,		9,  "l4_malformed")			\
	X(NOT_CONNECTED,	10, "not_connected")			\
	X(NO_UPLINK,		11, "no_uplink")			\
	X(BUM_PROGRAMMED,	12, "bum_programmed_mode")		\
	X(NO_FWD_ENTRY,		13, "no_fwd_entry")			\
	X(HAIRPIN,		14, "hairpin")				\
	X(MTU_EXCEEDED,		15, "mtu_exceeded")			\
	X(VXLAN_SHORT,		16, "vxlan_short")			\
	X(VXLAN_BAD_FLAGS,	17, "vxlan_bad_flags")			\
	X(VXLAN_UNKNOWN_VNI,	18, "vxlan_unknown_vni")		\
	X(VXLAN_INNER_SHORT,	19, "vxlan_inner_truncated")		\
	X(ARP_PROXY_MISS,	20, "arp_proxy_miss")			\
	X(LINK_DOWN,		21, "link_down")			\
	X(TX_ERROR,		22, "tx_error")				\
	X(NO_BUFFER,		23, "no_buffer")			\
	X(FLOOD_EMPTY,		24, "flood_list_empty")			\
	X(UNDERLAY_AF,		25, "underlay_family")			\
	X(VLAN_UNKNOWN,		26, "vlan_unknown")				\
	X(SRC_MAC_ZERO,		27, "src_mac_zero")				\
	X(FLOOD_NO_PORT,	28, "flood_no_port")			\
	X(RX_UNSUPPORTED,	29, "rx_unsupported")

enum vpc_drop {
#define	VPC_DROP_ENUM(name, num, str)	VPC_DROP_##name = num,
	VPC_DROP_REASONS(VPC_DROP_ENUM)
#undef VPC_DROP_ENUM
	VPC_DROP_COUNT
};
#define	VPC_DROP_SLOTS		48	/* room in vs_drops[] */

struct vpc_stats {
	uint64_t	vs_rx_pkts;	/* frames into the object */
	uint64_t	vs_rx_bytes;
	uint64_t	vs_tx_pkts;	/* frames out of the object */
	uint64_t	vs_tx_bytes;
	uint64_t	vs_drops_total;	/* sum of vs_drops[] */
	uint64_t	vs_drops[VPC_DROP_SLOTS]; /* by enum vpc_drop */
};

#ifndef __cplusplus
#define	VPC_STATIC_ASSERT(c, m)	_Static_assert(c, m)
#else
#define	VPC_STATIC_ASSERT(c, m)	static_assert(c, m)
#endif
#define	VPC_ABI_ASSERT(t, n)	VPC_STATIC_ASSERT(sizeof(t) == (n),	\
				    "ABI size of " #t)
VPC_ABI_ASSERT(vpc_id_t, 16);
VPC_ABI_ASSERT(struct vpc_mac, 8);
VPC_ABI_ASSERT(struct vpc_ipaddr, 20);
VPC_ABI_ASSERT(struct vpc_udpaddr, 24);
VPC_ABI_ASSERT(struct vpc_ifname, 16);
VPC_ABI_ASSERT(struct vpc_flood_hdr, 8);
VPC_ABI_ASSERT(struct vpc_neigh, 32);
VPC_ABI_ASSERT(struct vpc_fwd, 32);
VPC_ABI_ASSERT(struct vpc_swentry, 28);
VPC_ABI_ASSERT(struct vpc_dumprec, 32);
VPC_ABI_ASSERT(struct vpc_stats, 8 * (5 + VPC_DROP_SLOTS));
VPC_STATIC_ASSERT(VPC_DROP_COUNT <= VPC_DROP_SLOTS, "drop slots");

#ifndef _KERNEL
__BEGIN_DECLS
int	vpc_open(const vpc_id_t *id, vpc_type_t type, vpc_flags_t flags);
int	vpc_ctl(int vd, vpc_op_t op, size_t innbyte, const void *in,
	    size_t *outnbyte, void *out);
__END_DECLS
#endif

#endif /* !_NET_VPC_H_ */
