/*
 * vpc_switch.h: the L2 stage of a switch and the verdict it returns.
 *
 * vpc_switch_input() decides what happens to a parsed, untagged frame
 * that entered switch 'sw' through port 'in'; it learns (in LEARNING mode)
 * and may rewrite an ARP request into its reply, but sends nothing.  The
 * caller (vpc_input.c) executes the verdict: the output side (VLAN tags,
 * VXLAN encapsulation, head-end replication, MTU) lives there.
 */

#ifndef _VPC_SWITCH_H_
#define	_VPC_SWITCH_H_

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"

enum vpc_verdict_kind {
	VPC_VERDICT_DROP = 0,	/* count vd_drop on vd_dropobj */
	VPC_VERDICT_UNICAST,	/* out of vd_port */
	VPC_VERDICT_FLOOD,	/* every other port of vd_vni (+ uplink) */
	VPC_VERDICT_REPLY	/* frame rewritten: back out of vd_port */
};

struct vpc_verdict {
	uint8_t		 vd_kind;	/* enum vpc_verdict_kind */
	uint8_t		 vd_uplink;	/* FLOOD: include the uplink */
	uint16_t	 vd_drop;	/* DROP: enum vpc_drop */
	uint32_t	 vd_vni;	/* segment of the frame */
	struct vpc_port	*vd_in;		/* ingress port (excluded) */
	struct vpc_port	*vd_port;	/* UNICAST/REPLY: egress port */
	struct vpc_obj	*vd_dropobj;	/* DROP: object that counts it */
};

/*
 * Run the L2 stage for frame 'p' (parsed, untagged, p_vni set) that came
 * into 'sw' through 'in'.  'outer_src' is the underlay source address when
 * 'in' is connected to a vpclink (for learning), otherwise NULL.  Fills
 * 'v'.  Called in an epoch section; takes the switch's (and vpclink's)
 * object lock only to learn a new or moved address.
 */
void	vpc_switch_input(struct vpc_switch *sw, struct vpc_port *in,
	    struct vpc_pkt *p, const struct vpc_ipaddr *outer_src,
	    struct vpc_verdict *v);

/*
 * Prefetch state of one burst: for the last ingress port seen, the tables
 * its frames' lookups go to that are large enough to miss the caches
 * (others are not prefetched), so a burst from one port finds them once.
 * Zero it before the first call.
 */
struct vpc_switch_pf {
	struct vpc_port		*spf_port;	/* ingress port cached */
	uint32_t		 spf_vni;	/* its VNI */
	struct vpc_htab		*spf_l2;	/* switch table, or NULL */
	struct vpc_htab		*spf_fwd;	/* vpclink uplink's, or NULL */
	struct vpc_htab		*spf_arp;	/* ARP proxy table, or NULL */
	bool			 spf_local;	/* not from an uplink */
	bool			 spf_idle;	/* all three NULL */
};

/*
 * Prefetch what the table lookups vpc_switch_input() and the output side
 * will make for frame 'p' (parsed, untagged) entering through port 'in'
 * read, in the tables large enough to miss the caches: the slot lines of
 * the switch table (from an uplink: a local destination is expected),
 * the uplink's forwarding table and the ARP proxy table, and for a
 * frame from a local port, the switch table's filter word (its lookup
 * goes through the filter, see vpc_htab_get_filtered()).  True if the
 * frame needs the second step, vpc_switch_prefetch_l2(), once the whole
 * burst's first steps are made.  Hints only; in an epoch section.
 */
bool	vpc_switch_prefetch_frame(struct vpc_switch_pf *pf,
	    struct vpc_port *in, const struct vpc_pkt *p);
void	vpc_switch_prefetch_l2(struct vpc_switch_pf *pf,
	    struct vpc_port *in, const struct vpc_pkt *p);

static inline bool
vpc_switch_prefetch(struct vpc_switch_pf *pf, struct vpc_port *in,
    const struct vpc_pkt *p)
{
	/*
	 * The common burst: one port whose tables all stay cached.  Decided
	 * here without a call (about 30 instructions per frame otherwise).
	 */
	if (pf->spf_port == in && pf->spf_idle)
		return (false);
	return (vpc_switch_prefetch_frame(pf, in, p));
}

/* Whether object 'o' is an uplink (ethlink or vpclink) when on a port. */
static inline bool
vpc_obj_is_link(const struct vpc_obj *o)
{
	return (o->o_type == VPC_TYPE_ETHLINK || o->o_type == VPC_TYPE_VPCLINK);
}

/*
 * The host operations and host argument ('*hostp') registry 'rg' was
 * created with (implemented with the registry in vpc_obj.c), for the
 * data path's output calls.
 */
const struct vpc_host_ops *vpc_registry_host(struct vpc_registry *rg,
	    void **hostp);

#endif /* !_VPC_SWITCH_H_ */
