/*
 * vpc_var.h: the core's objects and the interface it offers its hosts.
 *
 * A host (the FreeBSD module, vpcd, a test) creates a registry with its
 * device operations, opens descriptors on it, runs vpc_desc_ctl() for
 * vpc_ctl(2), and feeds received frames to vpc_input_*().  The core calls
 * back through struct vpc_host_ops to make devices and send frames.
 *
 * Locking.  The registry lock (rg_mtx) covers the id index and every
 * relation between objects (port in switch, object on port); each object's
 * lock (o_mtx) covers its own tables and settings.  Order: registry lock,
 * then at most one object lock.  The data path takes no lock: it reads
 * pointers published with vpc_store_rel_ptr() inside an epoch section, and
 * objects and table entries are freed through the epoch.
 *
 * Pipeline of a frame (vpc_input.c, vpc_switch.c):
 *   ingress checks (parse, VLAN, source MAC; later anti-spoofing, ACLs)
 *   -> L2 (ARP proxy, (VNI, MAC) table, learning, BUM)
 *   -> L3 (reserved: distributed router, NAT, security groups)
 *   -> egress (VLAN tag, VXLAN encapsulation, MTU, head-end replication).
 */

#ifndef _VPC_VAR_H_
#define	_VPC_VAR_H_

#include "vpc_os.h"
#include "vpc_htab.h"
#include "vpc_pkt.h"

struct vpc_registry;
struct vpc_port;

/* Object flags (o_flags), under the registry lock. */
#define	VPC_OBJF_COMMITTED	0x0001	/* registry holds a reference */
#define	VPC_OBJF_DEAD		0x0002	/* unlinked from the index */

/* Common head of every object. */
struct vpc_obj {
	vpc_id_t		 o_id;		/* operator-chosen UUID */
	uint32_t		 o_type;	/* enum vpc_obj_type */
	uint32_t		 o_refs;	/* descriptors, commit, relations */
	uint32_t		 o_flags;	/* VPC_OBJF_* */
	uint32_t		 o_mtu;		/* link MTU where it has one */
	uint8_t			 o_mac[6];	/* default: from the UUID node */
	uint16_t		 o_pad;
	struct vpc_registry	*o_reg;		/* owning registry */
	struct vpc_obj		*o_hnext;	/* registry index chain */
	struct vpc_os_mtx	*o_mtx;		/* the object's own lock */
	void			*o_dev;		/* host device, or NULL */
	struct vpc_os_counters	*o_stats;	/* struct vpc_stats, VPC_CNT() */
	struct vpc_epoch_ctx	 o_ctx;		/* deferred free */
};

/* (VNI, MAC) -> port, in vpc_switch.sw_l2; key VPC_L2KEY. */
struct vpc_l2ent {
	struct vpc_hentry	 l2_h;
	struct vpc_port		*l2_port;	/* port the MAC is behind */
	uint64_t		 l2_seen_ms;	/* learned: last seen */
	uint16_t		 l2_flags;	/* VPC_SWE_F_* */
};

/* (VNI, IPv4) -> MAC, in vpc_switch.sw_arp; key VPC_L3KEY4. */
struct vpc_arpent {
	struct vpc_hentry	 ae_h;
	uint8_t			 ae_mac[6];	/* proxy answer */
};

/* VNI -> flood list, in vpc_switch.sw_flood; key is the VNI. */
struct vpc_floodent {
	struct vpc_hentry	 fe_h;
	uint32_t		 fe_count;	/* entries in fe_addrs */
	struct vpc_ipaddr	*fe_addrs;	/* owned by the entry */
};

/* VNI or VLAN -> port, in sw_uplink, vl_ports and el_ports. */
struct vpc_portent {
	struct vpc_hentry	 pe_h;
	struct vpc_port		*pe_port;
};

/* (VNI, MAC) -> remote VTEP, in vpc_vpclink.vl_fwd; key VPC_L2KEY. */
struct vpc_fwdent {
	struct vpc_hentry	 fw_h;
	struct vpc_ipaddr	 fw_remote;	/* remote underlay address */
	uint64_t		 fw_seen_ms;	/* learned: last seen */
	uint16_t		 fw_flags;	/* VPC_FWD_F_* */
};

/*
 * Table values (he_val, read with vpc_htab_get()): what the data path
 * needs of an entry, kept in the entry's slot so that a hit reads no
 * entry.  sw_l2, sw_uplink, vl_ports and el_ports: the port's address.
 * sw_arp: the MAC with bit 48 set (so never 0 or 1).  vl_fwd: an IPv4
 * remote inline (address << 32 | VPC_FWDVAL_INET4), any other remote as
 * the entry's address (8-byte aligned: its low bits tell the two apart).
 */
#define	VPC_ARPVAL(mac48)	((uint64_t)(mac48) | 1ull << 48)
#define	VPC_FWDVAL_INET4	4u
#define	VPC_FWDVAL_TAG		7u

/* The remote of vl_fwd value 'v': in '*buf' if inline, else the entry's. */
static inline const struct vpc_ipaddr *
vpc_fwdval_remote(uint64_t v, struct vpc_ipaddr *buf)
{
	if ((v & VPC_FWDVAL_TAG) != VPC_FWDVAL_INET4)
		return (&((const struct vpc_fwdent *)(uintptr_t)v)->fw_remote);
	vpc_memset(buf, 0, sizeof(*buf));
	buf->va_family = VPC_AF_INET;
	vpc_put_be32(buf->va_addr, (uint32_t)(v >> 32));
	return (buf);
}

/* Ports of a switch, for flooding: replaced whole, read under epoch. */
struct vpc_portset {
	uint32_t		 ps_count;
	struct vpc_epoch_ctx	 ps_ctx;
	struct vpc_port		*ps_ports[];
};

struct vpc_switch {
	struct vpc_obj		 sw_obj;
	uint32_t		 sw_mode;	/* VPC_SW_MODE_* */
	struct vpc_htab		*sw_l2;		/* struct vpc_l2ent */
	struct vpc_htab		*sw_arp;	/* struct vpc_arpent */
	struct vpc_htab		*sw_flood;	/* struct vpc_floodent */
	struct vpc_htab		*sw_uplink;	/* VNI -> uplink port */
	struct vpc_portset	*sw_ports;	/* epoch-published */
};

struct vpc_port {
	struct vpc_obj		 pt_obj;
	struct vpc_switch	*pt_sw;		/* owner, epoch-published */
	struct vpc_obj		*pt_peer;	/* connected object, ditto */
	uint32_t		 pt_vni;	/* segment */
	uint16_t		 pt_vlan;	/* 802.1Q id, 0: untagged */
	uint16_t		 pt_pad;
};

/* vmnic and vpci. */
struct vpc_nic {
	struct vpc_obj		 nic_obj;
	struct vpc_port		*nic_port;	/* epoch-published */
	uint32_t		 nic_queues;	/* 1..VPC_MAX_QUEUES */
};

struct vpc_ethlink {
	struct vpc_obj		 el_obj;
	char			 el_ifname[VPC_IFNAMSIZ]; /* "" if detached */
	uint16_t		 el_vlan;	/* tag of untagged ports */
	struct vpc_htab		*el_ports;	/* effective VLAN -> port */
};

struct vpc_vpclink {
	struct vpc_obj		 vl_obj;
	struct vpc_udpaddr	 vl_local;	/* family NONE until bound */
	struct vpc_htab		*vl_ports;	/* VNI -> port */
	struct vpc_htab		*vl_fwd;	/* struct vpc_fwdent */
};

/* What the core asks of a host device on output. */
struct vpc_txinfo {
	uint16_t		 tx_vlan;	/* push this tag, 0: none */
	uint8_t			 tx_encap;	/* prepend tx_vxlan, to tx_remote */
	uint8_t			 tx_last;	/* last copy: may consume frame */
	uint32_t		 tx_flowhash;	/* picks the UDP source port */
	struct vpc_ipaddr	 tx_remote;	/* underlay destination */
	uint8_t			 tx_vxlan[8];	/* VXLAN header */
};

/* Device attributes a host applies (vpc_host_ops.ho_set / ho_get). */
enum vpc_attr {
	VPC_ATTR_MAC = 1,	/* uint8_t[6]: interface MAC */
	VPC_ATTR_MTU,		/* uint32_t: interface MTU */
	VPC_ATTR_QUEUES,	/* uint32_t: queue count */
	VPC_ATTR_IFNAME,	/* struct vpc_ifname: get; ethlink: set */
	VPC_ATTR_LOCAL,		/* struct vpc_udpaddr: vpclink bind */
	VPC_ATTR_UNDERLAY_MTU	/* uint32_t: get, MTU of the underlay */
};

/*
 * Host device operations.  Every op may be NULL where a host has nothing
 * to do.  ho_set is called before the core changes its own copy: if it
 * fails, the op fails and nothing changed.
 */
struct vpc_host_ops {
	/*
	 * A new object (any type but mgmt): make its device, if the host
	 * has one for the type; *devp (NULL for none) is stored in o_dev.
	 */
	int	(*ho_create)(void *host, struct vpc_obj *o, void **devp);
	/* The object is going away (any type but mgmt); no more output. */
	void	(*ho_destroy)(void *host, struct vpc_obj *o, void *dev);
	int	(*ho_set)(void *host, struct vpc_obj *o, enum vpc_attr a,
		    const void *val, size_t len);
	int	(*ho_get)(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
	/*
	 * Send 'pkt' out of object 'o' (a vmnic, vpci, ethlink or vpclink)
	 * as 'tx' says.  Called in an epoch section, possibly several times
	 * for one frame (flooding): the host copies unless tx_last.
	 * Returns 0 or an errno, counted as a tx_error drop.
	 */
	int	(*ho_output)(void *host, struct vpc_obj *o, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
};

/* Caller's credentials, as the host established them. */
struct vpc_cred {
	uint32_t		 vc_uid;
	uint8_t			 vc_priv;	/* may create and use PRIV ops */
	uint8_t			 vc_pad[3];
};

/* A descriptor: an object and the rights this handle has on it. */
struct vpc_desc {
	struct vpc_obj		*d_obj;
	vpc_rights_t		 d_rights;	/* VPC_R_*, only ever shrinks */
};

/* Registry (vpc_obj.c). */
struct vpc_registry *vpc_registry_create(const struct vpc_host_ops *ops,
		    void *host);
void		 vpc_registry_destroy(struct vpc_registry *rg);
void		 vpc_registry_tick(struct vpc_registry *rg);	/* aging */

/* Descriptors and control (vpc_obj.c, vpc_ctl.c). */
int		 vpc_desc_open(struct vpc_registry *rg, const vpc_id_t *id,
		    vpc_type_t type, vpc_flags_t flags,
		    const struct vpc_cred *cred, struct vpc_desc **dp);
void		 vpc_desc_close(struct vpc_desc *d);
int		 vpc_desc_ctl(struct vpc_desc *d, vpc_op_t op,
		    const void *in, size_t innbyte, void *out,
		    size_t *outnbyte, const struct vpc_cred *cred);

/*
 * Data path entry points (vpc_input.c); they enter the epoch themselves.
 * The _burst forms (NICs and vpclinks, where hosts receive in batches)
 * take 'n' frames received on one object, handled in order as if given
 * one by one, with their table lookups overlapped VPC_BURST_MAX at a
 * time; every frame stays the caller's and must stay valid until the
 * call returns.
 */
#define	VPC_BURST_MAX	32
void		 vpc_input_nic(struct vpc_nic *nic, struct vpc_pkt *pkt);
void		 vpc_input_nic_burst(struct vpc_nic *nic,
		    struct vpc_pkt *const *pkts, uint32_t n);
void		 vpc_input_ethlink(struct vpc_ethlink *el,
		    struct vpc_pkt *pkt);
/* 'pkt' starts at the VXLAN header (the UDP payload). */
void		 vpc_input_vpclink(struct vpc_vpclink *vl, struct vpc_pkt *pkt,
		    const struct vpc_ipaddr *src);
/* srcs[i]: the underlay source of pkts[i]. */
void		 vpc_input_vpclink_burst(struct vpc_vpclink *vl,
		    struct vpc_pkt *const *pkts, const struct vpc_ipaddr *srcs,
		    uint32_t n);

/*
 * Table entry operations and constructors (vpc_tables.c).  Constructors
 * allocate (never under a lock the data path needs) and return NULL on
 * failure; the entry belongs to the caller until inserted.
 */
extern const struct vpc_htab_ops vpc_l2ent_ops;
extern const struct vpc_htab_ops vpc_arpent_ops;
extern const struct vpc_htab_ops vpc_floodent_ops;
extern const struct vpc_htab_ops vpc_portent_ops;
extern const struct vpc_htab_ops vpc_fwdent_ops;
struct vpc_l2ent *vpc_l2ent_alloc(uint32_t vni, const uint8_t mac[6],
		    struct vpc_port *port, uint16_t flags);
struct vpc_arpent *vpc_arpent_alloc(uint32_t vni, const uint8_t ip4[4],
		    const uint8_t mac[6]);
struct vpc_floodent *vpc_floodent_alloc(uint32_t vni,
		    const struct vpc_ipaddr *addrs, uint32_t count);
struct vpc_portent *vpc_portent_alloc(uint64_t key, struct vpc_port *port);
struct vpc_fwdent *vpc_fwdent_alloc(uint32_t vni, const uint8_t mac[6],
		    const struct vpc_ipaddr *remote, uint16_t flags);
/* The ABI form of a table entry (for lists and snapshots). */
void		 vpc_arpent_neigh(const struct vpc_arpent *ae,
		    struct vpc_neigh *n);
void		 vpc_fwdent_fwd(const struct vpc_fwdent *fw, struct vpc_fwd *f);

/*
 * Counters (vpc_stats.c): an object's o_stats block holds the fields of
 * struct vpc_stats in order, VPC_CNT(field) being a field's index.
 */
#define	VPC_CNT_N	((uint32_t)(sizeof(struct vpc_stats) / sizeof(uint64_t)))
#define	VPC_CNT(f)	((uint32_t)(__builtin_offsetof(struct vpc_stats, f) / \
			    sizeof(uint64_t)))
extern const char *const vpc_drop_names[VPC_DROP_COUNT];
void		 vpc_count_drop(struct vpc_obj *o, enum vpc_drop why);
void		 vpc_stats_read(const struct vpc_obj *o, struct vpc_stats *s);

/* A frame of 'bytes' came into 'o'. */
static inline void
vpc_count_rx(struct vpc_obj *o, uint32_t bytes)
{
	vpc_os_counter_add2(o->o_stats, VPC_CNT(vs_rx_pkts), 1,
	    VPC_CNT(vs_rx_bytes), bytes);
}

/* A frame of 'bytes' went out of 'o'. */
static inline void
vpc_count_tx(struct vpc_obj *o, uint32_t bytes)
{
	vpc_os_counter_add2(o->o_stats, VPC_CNT(vs_tx_pkts), 1,
	    VPC_CNT(vs_tx_bytes), bytes);
}

#define	VPC_LEARN_AGE_MS	(300 * 1000)	/* learned entries live 5 min */
/*
 * Learning adds no entry to a switch table or a vpclink's forwarding
 * table that holds this many entries or more (static ones count, and are
 * not limited): one guest or remote sending from ever new addresses
 * cannot grow the tables, and the memory, that other segments share,
 * and a table's list stays within VPC_CTL_OUT_MAX.  Moves of known
 * addresses are still learned.
 */
#ifndef VPC_LEARN_MAX
#define	VPC_LEARN_MAX		65536
#endif
#define	VPC_VXLAN_HDRLEN	8
#define	VPC_VXLAN_OVERHEAD4	50	/* IPv4 + UDP + VXLAN + inner Ethernet */
#define	VPC_VXLAN_OVERHEAD6	70	/* IPv6 + UDP + VXLAN + inner Ethernet */

/*
 * Snapshots (vpc_snapshot.c): an object's configuration as the ctl
 * requests that recreate it, for hosts that persist their objects and
 * restore them by replaying the requests through vpc_desc_ctl().
 */

/* One request of a snapshot: 'sr_op' addressed to object 'sr_id'. */
struct vpc_snaprec {
	vpc_id_t		 sr_id;		/* target, nil: SW_PORT_DEL */
	uint32_t		 sr_type;	/* its type */
	vpc_op_t		 sr_op;		/* VPC_OP_*; COMMIT: object */
	const void		*sr_in;		/* input, first part */
	size_t			 sr_inlen;	/* its bytes */
	const void		*sr_in2;	/* input, rest (flood list) */
	size_t			 sr_in2len;	/* its bytes */
};

/* Called for each record; non-zero stops the walk. */
typedef int	vpc_snap_fn_t(void *arg, const struct vpc_snaprec *r);

int		 vpc_snapshot_obj(struct vpc_registry *rg, const vpc_id_t *id,
		    vpc_snap_fn_t *fn, void *arg);
int		 vpc_snapshot_all(struct vpc_registry *rg, vpc_snap_fn_t *fn,
		    void *arg);
int		 vpc_snapshot_all_locked(struct vpc_registry *rg,
		    vpc_snap_fn_t *fn, void *arg);
int		 vpc_snapshot_foreach(struct vpc_registry *rg,
		    int (*fn)(void *arg, struct vpc_obj *o), void *arg);

#endif /* !_VPC_VAR_H_ */
