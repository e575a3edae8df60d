/*
 * vpc_switch.c: the L2 stage of the pipeline (see vpc_var.h):
 *
 *   ingress checks	source MAC must not be a group address
 *   learning		LEARNING mode: (VNI, source MAC) -> ingress port,
 *			and for a vpclink uplink (VNI, MAC) -> outer source
 *   ARP proxy		requests from local ports answered from sw_arp
 *   L2 lookup		(VNI, destination MAC) in sw_l2
 *   [L3 stage]		reserved
 *   BUM / miss		PROGRAMMED: drop BUM, unknown unicast to the uplink;
 *			LEARNING: flood (never back to an uplink)
 *
 * The result is a verdict; nothing is sent here.  Reads are lock-free in
 * the caller's epoch section.  Learning a new or moved address allocates
 * one entry and takes the owning object's lock to insert it; refreshing a
 * known address only stores its time stamp.
 */

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"
#include "vpc_htab.h"
#include "vpc_parse.h"
#include "vpc_arp.h"
#include "vpc_switch.h"
#include "vpc_obj.h"

/* A learned entry's time stamp is rewritten at most this often. */
#define	LEARN_REFRESH_MS	1000

static void	verdict_drop(struct vpc_verdict *v, struct vpc_obj *o,
		    enum vpc_drop why);
static void	learn_l2(struct vpc_switch *sw, struct vpc_port *in,
		    uint32_t vni, const uint8_t *mac, uint64_t now);
static void	prefetch_port(struct vpc_switch_pf *pf, struct vpc_port *in);
static void	learn_fwd(struct vpc_switch *sw, struct vpc_port *in,
		    struct vpc_vpclink *vl, uint32_t vni, const uint8_t *mac,
		    const struct vpc_ipaddr *remote, uint64_t now);

static void
verdict_drop(struct vpc_verdict *v, struct vpc_obj *o, enum vpc_drop why)
{
	v->vd_kind = VPC_VERDICT_DROP;
	v->vd_drop = (uint16_t)why;
	v->vd_dropobj = o;
}

/*
 * (vni, mac) was seen behind 'in'.  Programmed (static) entries are never
 * overridden by learning.
 */
static void
learn_l2(struct vpc_switch *sw, struct vpc_port *in, uint32_t vni,
    const uint8_t *mac, uint64_t now)
{
	struct vpc_hentry *he;
	struct vpc_l2ent *l2;
	struct vpc_hkey key;

	key = VPC_L2KEY(vni, vpc_mac48(mac));
	he = vpc_htab_lookup(sw->sw_l2, key);
	if (he != NULL) {
		l2 = (struct vpc_l2ent *)(void *)he;
		if ((l2->l2_flags & VPC_SWE_F_LEARNED) == 0)
			return;
		if (l2->l2_port == in) {
			if (now - vpc_load_relaxed(&l2->l2_seen_ms) >=
			    LEARN_REFRESH_MS)
				vpc_store_relaxed(&l2->l2_seen_ms, now);
			return;
		}
	}
	/* A new address only below the limit (see VPC_LEARN_MAX). */
	if (he == NULL && vpc_htab_count(sw->sw_l2) >= VPC_LEARN_MAX)
		return;
	/* New or moved: allocate outside the lock, insert under it. */
	if ((l2 = vpc_l2ent_alloc(vni, mac, in, VPC_SWE_F_LEARNED)) == NULL)
		return;
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	he = vpc_htab_lookup(sw->sw_l2, key);
	/*
	 * A port leaving the switch clears pt_sw, then flushes its entries
	 * under this lock: once it is gone, learning must not bring one back.
	 * Likewise a switch going to PROGRAMMED stores its mode, then
	 * flushes under this lock.
	 */
	if (vpc_load_acq_ptr(&in->pt_sw) != sw ||
	    vpc_load_relaxed(&sw->sw_mode) != VPC_SW_MODE_LEARNING ||
	    (he != NULL && (((struct vpc_l2ent *)(void *)he)->l2_flags &
	    VPC_SWE_F_LEARNED) == 0) ||
	    vpc_htab_insert(sw->sw_l2, &l2->l2_h, NULL) != 0) {
		/* Gone, a static entry appeared meanwhile, or no memory. */
		vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
		vpc_l2ent_ops.hto_free(&l2->l2_h);
		return;
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);	/* the table owns l2 now */
}

/*
 * (vni, mac) is behind VTEP 'remote' of vpclink 'vl', as a frame of
 * switch 'sw' entering through port 'in' says.  A remote that could not
 * be configured (multicast, broadcast, unspecified) or that is this
 * host's own address is not learned.
 */
static void
learn_fwd(struct vpc_switch *sw, struct vpc_port *in, struct vpc_vpclink *vl,
    uint32_t vni, const uint8_t *mac, const struct vpc_ipaddr *remote,
    uint64_t now)
{
	struct vpc_hentry *he;
	struct vpc_fwdent *fw;
	struct vpc_hkey key;

	key = VPC_L2KEY(vni, vpc_mac48(mac));
	he = vpc_htab_lookup(vl->vl_fwd, key);
	if (he != NULL) {
		fw = (struct vpc_fwdent *)(void *)he;
		if ((fw->fw_flags & VPC_FWD_F_LEARNED) == 0)
			return;
		if (vpc_memcmp(&fw->fw_remote, remote, sizeof(*remote)) == 0) {
			if (now - vpc_load_relaxed(&fw->fw_seen_ms) >=
			    LEARN_REFRESH_MS)
				vpc_store_relaxed(&fw->fw_seen_ms, now);
			return;
		}
	}
	if (vpc_check_ipaddr(remote) != 0 ||
	    vpc_memcmp(remote, &vl->vl_local.vu_addr, sizeof(*remote)) == 0 ||
	    (he == NULL && vpc_htab_count(vl->vl_fwd) >= VPC_LEARN_MAX))
		return;
	fw = vpc_fwdent_alloc(vni, mac, remote, VPC_FWD_F_LEARNED);
	if (fw == NULL)
		return;
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	he = vpc_htab_lookup(vl->vl_fwd, key);
	/*
	 * The port leaving the switch or the link, or the switch going to
	 * PROGRAMMED, changes the pointer or mode first, then flushes this
	 * VNI's learned entries under this lock: none may come back after.
	 */
	if (vpc_load_acq_ptr(&in->pt_sw) != sw ||
	    vpc_load_acq_ptr(&in->pt_peer) != &vl->vl_obj ||
	    vpc_load_relaxed(&sw->sw_mode) != VPC_SW_MODE_LEARNING ||
	    (he != NULL && (((struct vpc_fwdent *)(void *)he)->fw_flags &
	    VPC_FWD_F_LEARNED) == 0) ||
	    vpc_htab_insert(vl->vl_fwd, &fw->fw_h, NULL) != 0) {
		vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
		vpc_fwdent_ops.hto_free(&fw->fw_h);
		return;
	}
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);	/* the table owns fw now */
}

/* Fill 'pf' for frames entering through port 'in' (in an epoch section). */
static void
prefetch_port(struct vpc_switch_pf *pf, struct vpc_port *in)
{
	struct vpc_switch *sw;
	struct vpc_port *uport;
	struct vpc_obj *peer, *up;
	struct vpc_htab *fwd;

	vpc_memset(pf, 0, sizeof(*pf));
	pf->spf_port = in;
	pf->spf_idle = true;
	if ((sw = vpc_load_acq_ptr(&in->pt_sw)) == NULL)
		return;
	pf->spf_vni = in->pt_vni;
	if (vpc_htab_large(sw->sw_l2))
		pf->spf_l2 = sw->sw_l2;
	peer = vpc_load_acq_ptr(&in->pt_peer);
	if (peer == NULL || !vpc_obj_is_link(peer)) {
		/* From a local port: the proxy and the uplink's table too. */
		pf->spf_local = true;
		if (vpc_htab_large(sw->sw_arp))
			pf->spf_arp = sw->sw_arp;
		uport = (struct vpc_port *)(uintptr_t)vpc_htab_get(
		    sw->sw_uplink, VPC_KEY(pf->spf_vni));
		up = uport == NULL ? NULL : vpc_load_acq_ptr(&uport->pt_peer);
		if (up != NULL && up->o_type == VPC_TYPE_VPCLINK) {
			fwd = ((struct vpc_vpclink *)(void *)up)->vl_fwd;
			if (vpc_htab_large(fwd))
				pf->spf_fwd = fwd;
		}
	}
	pf->spf_idle = pf->spf_l2 == NULL && pf->spf_arp == NULL &&
	    pf->spf_fwd == NULL;
}

bool
vpc_switch_prefetch_frame(struct vpc_switch_pf *pf, struct vpc_port *in,
    const struct vpc_pkt *p)
{
	const uint8_t *eh;
	struct vpc_hkey key;

	if (pf->spf_port != in)
		prefetch_port(pf, in);
	eh = p->p_data;
	if (vpc_mac_multicast(eh)) {
		if (pf->spf_arp != NULL)
			vpc_arp_prefetch(pf->spf_arp, p, pf->spf_vni);
		return (false);
	}
	if (pf->spf_l2 == NULL && pf->spf_fwd == NULL)
		return (false);
	key = VPC_L2KEY(pf->spf_vni, vpc_mac48(eh));
	if (pf->spf_fwd != NULL)
		vpc_htab_prefetch(pf->spf_fwd, key);
	if (pf->spf_l2 == NULL)
		return (false);
	if (!pf->spf_local) {
		vpc_htab_prefetch(pf->spf_l2, key);
		return (false);
	}
	vpc_htab_prefetch_filter(pf->spf_l2, key);
	return (true);
}

void
vpc_switch_prefetch_l2(struct vpc_switch_pf *pf, struct vpc_port *in,
    const struct vpc_pkt *p)
{
	const uint8_t *eh;

	if (pf->spf_port != in)
		prefetch_port(pf, in);
	eh = p->p_data;
	if (pf->spf_l2 != NULL && pf->spf_local && !vpc_mac_multicast(eh))
		vpc_htab_prefetch_filtered(pf->spf_l2,
		    VPC_L2KEY(pf->spf_vni, vpc_mac48(eh)));
}

void
vpc_switch_input(struct vpc_switch *sw, struct vpc_port *in,
    struct vpc_pkt *p, const struct vpc_ipaddr *outer_src,
    struct vpc_verdict *v)
{
	struct vpc_obj *peer;
	struct vpc_port *out;
	struct vpc_hkey key;
	enum vpc_arp_result arp;
	const uint8_t *eh;
	uint32_t vni, mode;
	bool from_uplink;

	VPC_ASSERT(vpc_os_in_epoch());
	VPC_ASSERT(p->p_meta.pm_parsed && !vpc_pkt_tagged(p));
	vpc_memset(v, 0, sizeof(*v));
	vni = p->p_vni;
	v->vd_vni = vni;
	v->vd_in = in;
	eh = p->p_data;		/* the parser checked the 14 bytes */
	peer = vpc_load_acq_ptr(&in->pt_peer);
	from_uplink = peer != NULL && vpc_obj_is_link(peer);
	mode = vpc_load_relaxed(&sw->sw_mode);

	/* Ingress checks. */
	if (vpc_mac_multicast(eh + 6)) {
		verdict_drop(v, &in->pt_obj, VPC_DROP_SRC_MAC_MULTICAST);
		return;
	}
	if (vpc_mac48(eh + 6) == 0) {	/* never a station; not learnable */
		verdict_drop(v, &in->pt_obj, VPC_DROP_SRC_MAC_ZERO);
		return;
	}

	/* Learning. */
	if (mode == VPC_SW_MODE_LEARNING) {
		uint64_t now = vpc_os_uptime_ms();

		learn_l2(sw, in, vni, eh + 6, now);
		if (outer_src != NULL && peer != NULL &&
		    peer->o_type == VPC_TYPE_VPCLINK)
			learn_fwd(sw, in, (struct vpc_vpclink *)(void *)peer,
			    vni, eh + 6, outer_src, now);
	}

	/* ARP proxy: only for local ports; remote hosts answer their own. */
	arp = VPC_ARP_NOT_REQUEST;
	if (!from_uplink) {
		arp = vpc_arp_proxy(sw, p, vni);
		if (arp == VPC_ARP_REPLY) {
			v->vd_kind = VPC_VERDICT_REPLY;
			v->vd_port = in;
			return;
		}
	}

	/* L2 lookup. */
	if (!vpc_mac_multicast(eh)) {
		/*
		 * From a local port the destination is often remote: absent
		 * from this table, which its filter can tell cheaply.
		 */
		key = VPC_L2KEY(vni, vpc_mac48(eh));
		out = (struct vpc_port *)(uintptr_t)(from_uplink ?
		    vpc_htab_get(sw->sw_l2, key) :
		    vpc_htab_get_filtered(sw->sw_l2, key));
		if (out != NULL) {
			if (out == in) {
				verdict_drop(v, &sw->sw_obj, VPC_DROP_HAIRPIN);
				return;
			}
			/*
			 * L3 stage (reserved): the distributed router, NAT
			 * and security groups go here, between the L2 lookup
			 * and the egress port.
			 */
			v->vd_kind = VPC_VERDICT_UNICAST;
			v->vd_port = out;
			return;
		}
		/* Unknown unicast. */
		if (mode == VPC_SW_MODE_LEARNING) {
			v->vd_kind = VPC_VERDICT_FLOOD;
			v->vd_uplink = !from_uplink;
			return;
		}
		if (from_uplink) {
			/* Split horizon: never back to the underlay. */
			verdict_drop(v, &sw->sw_obj, VPC_DROP_BUM_PROGRAMMED);
			return;
		}
		out = (struct vpc_port *)(uintptr_t)vpc_htab_get(sw->sw_uplink,
		    VPC_KEY(vni));
		if (out == NULL) {
			verdict_drop(v, &sw->sw_obj, VPC_DROP_NO_UPLINK);
			return;
		}
		v->vd_kind = VPC_VERDICT_UNICAST;
		v->vd_port = out;
		return;
	}

	/* Broadcast and multicast. */
	if (mode == VPC_SW_MODE_LEARNING) {
		v->vd_kind = VPC_VERDICT_FLOOD;
		v->vd_uplink = !from_uplink;
		return;
	}
	verdict_drop(v, &sw->sw_obj, arp == VPC_ARP_MISS ?
	    VPC_DROP_ARP_PROXY_MISS : VPC_DROP_BUM_PROGRAMMED);
}
