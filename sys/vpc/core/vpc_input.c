/*
 * vpc_input.c: the data path's entry points and its output side.
 *
 * Each entry point takes one frame or a burst of frames of one receiving
 * object (the burst forms prefetch all table lookups of up to
 * VPC_BURST_MAX frames before switching the first, so that cache misses
 * overlap), enters the epoch once, counts each frame on the receiving
 * object, finds the port the frame belongs to (the NIC's port, the
 * ethlink's port for the frame's VLAN, the vpclink's port for the VNI),
 * applies the port's VLAN rule, runs the switch (vpc_switch.c) and
 * executes its verdict: per egress port a VLAN tag for NICs and ethlinks,
 * or for vpclinks a VXLAN encapsulation towards the forwarding entry's
 * remote or, when flooding, one copy per flood-list remote.
 *
 * Output is deferred by one copy (struct tx_ctx) so that the last copy of
 * a frame, and only that one, is sent with tx_last set.  A copy's txinfo
 * is filled where it waits (copying it there after filling it field by
 * field cost a store-forwarding stall per frame).  Nothing here
 * allocates; drops are counted on the object that detected them.
 */

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"
#include "vpc_htab.h"
#include "vpc_parse.h"
#include "vpc_vxlan.h"
#include "vpc_switch.h"

/* Output state of one frame. */
struct tx_ctx {
	const struct vpc_host_ops *tc_ops;	/* the registry's host */
	void		*tc_host;	/* its argument */
	struct vpc_switch *tc_sw;	/* switch that forwards the frame */
	struct vpc_pkt	*tc_pkt;	/* the frame */
	struct vpc_obj	*tc_obj;	/* pending output object, or NULL */
	struct vpc_txinfo tc_tx;	/* pending output's txinfo */
	uint32_t	 tc_nqueued;	/* copies queued so far */
};

static void	tx_flush(struct tx_ctx *tc, bool last);
static struct vpc_txinfo *tx_queue(struct tx_ctx *tc, struct vpc_obj *o);
static bool	mtu_ok(const struct vpc_pkt *p, uint32_t mtu);
static bool	ipaddr_eq(const struct vpc_ipaddr *a,
		    const struct vpc_ipaddr *b);
static void	out_vpclink(struct tx_ctx *tc, struct vpc_vpclink *vl,
		    uint32_t vni, bool flood);
static void	out_port(struct tx_ctx *tc, struct vpc_port *pt, uint32_t vni,
		    bool flood);
static void	flood(struct tx_ctx *tc, const struct vpc_verdict *v);
static void	switch_frame(struct vpc_port *pt, struct vpc_pkt *p,
		    const struct vpc_ipaddr *outer_src);

/* Send the pending copy, if any; 'last': no other copy follows. */
static void
tx_flush(struct tx_ctx *tc, bool last)
{
	struct vpc_obj *o;
	uint32_t len;
	int error;

	if ((o = tc->tc_obj) == NULL)
		return;
	tc->tc_obj = NULL;
	tc->tc_tx.tx_last = last ? 1 : 0;
	len = tc->tc_pkt->p_totlen;
	error = tc->tc_ops->ho_output != NULL ?
	    tc->tc_ops->ho_output(tc->tc_host, o, tc->tc_pkt, &tc->tc_tx) :
	    EOPNOTSUPP;
	if (error != 0)
		vpc_count_drop(o, VPC_DROP_TX_ERROR);
	else
		vpc_count_tx(o, len);
}

/*
 * Queue one copy out of object 'o' (the previous one goes out now) and
 * return its txinfo, zeroed, for the caller to fill.
 */
static struct vpc_txinfo *
tx_queue(struct tx_ctx *tc, struct vpc_obj *o)
{
	tx_flush(tc, false);
	tc->tc_obj = o;
	tc->tc_nqueued++;
	vpc_memset(&tc->tc_tx, 0, sizeof(tc->tc_tx));
	return (&tc->tc_tx);
}

static bool
ipaddr_eq(const struct vpc_ipaddr *a, const struct vpc_ipaddr *b)
{
	return (vpc_memcmp(a, b, sizeof(*a)) == 0);
}

/*
 * Whether the IP payload of the inner frame fits the vpclink MTU 'mtu'
 * (0: not known yet).  A GSO super-frame fits if its segments do.
 */
static bool
mtu_ok(const struct vpc_pkt *p, uint32_t mtu)
{
	const struct vpc_pkt_meta *m = &p->p_meta;
	const uint8_t *l4;
	uint32_t l4hlen;

	if (mtu == 0 || p->p_totlen - m->pm_l3off <= mtu)
		return (true);
	if (p->p_gso_type == VPC_GSO_NONE || p->p_gso_size == 0 ||
	    m->pm_l4off == 0)
		return (false);
	if (m->pm_l4proto == VPC_IPPROTO_TCP) {
		if ((l4 = vpc_pkt_at(p, m->pm_l4off, VPC_TCP_HLEN)) == NULL)
			return (false);
		l4hlen = (uint32_t)(l4[12] >> 4) * 4;
	} else if (m->pm_l4proto == VPC_IPPROTO_UDP)
		l4hlen = VPC_UDP_HLEN;
	else
		return (false);
	return ((uint32_t)(m->pm_l4off - m->pm_l3off) + l4hlen +
	    p->p_gso_size <= mtu);
}

/*
 * Encapsulate towards the remote of the (vni, destination MAC) forwarding
 * entry or, when flooding (or on a miss in LEARNING mode), towards each
 * address of the switch's flood list for 'vni', once each.
 */
static void
out_vpclink(struct tx_ctx *tc, struct vpc_vpclink *vl, uint32_t vni,
    bool flooding)
{
	struct vpc_pkt *p = tc->tc_pkt;
	struct vpc_floodent *fe;
	const struct vpc_ipaddr *local, *remote;
	struct vpc_ipaddr rbuf;
	uint64_t v;
	uint32_t i;
	uint8_t af;
	bool accounted;

	local = &vl->vl_local.vu_addr;
	af = vpc_load_relaxed(&local->va_family);
	if (af == VPC_AF_NONE) {
		vpc_count_drop(&vl->vl_obj, VPC_DROP_LINK_DOWN);
		return;
	}
	if (!mtu_ok(p, vpc_load_relaxed(&vl->vl_obj.o_mtu))) {
		vpc_count_drop(&vl->vl_obj, VPC_DROP_MTU_EXCEEDED);
		return;
	}
	/*
	 * A unicast destination with a forwarding entry goes to that remote
	 * only, also when the switch floods it (a MAC it has not learned).
	 */
	if (!flooding || !vpc_mac_multicast(p->p_data)) {
		v = vpc_htab_get(vl->vl_fwd,
		    VPC_L2KEY(vni, vpc_mac48(p->p_data)));
		if (v != 0) {
			remote = vpc_fwdval_remote(v, &rbuf);
			if (remote->va_family != af) {
				vpc_count_drop(&vl->vl_obj,
				    VPC_DROP_UNDERLAY_AF);
				return;
			}
			vpc_vxlan_encap(p, vni, remote,
			    tx_queue(tc, &vl->vl_obj));
			return;
		}
		if (!flooding && vpc_load_relaxed(&tc->tc_sw->sw_mode) !=
		    VPC_SW_MODE_LEARNING) {
			vpc_count_drop(&vl->vl_obj, VPC_DROP_NO_FWD_ENTRY);
			return;
		}
		/* LEARNING: an unknown destination is flooded. */
	}
	fe = (struct vpc_floodent *)(void *)vpc_htab_lookup(tc->tc_sw->sw_flood,
	    VPC_KEY(vni));
	if (fe == NULL || fe->fe_count == 0) {
		vpc_count_drop(&vl->vl_obj, VPC_DROP_FLOOD_EMPTY);
		return;
	}
	accounted = false;	/* a datagram queued or a drop counted */
	for (i = 0; i < fe->fe_count; i++) {
		if (fe->fe_addrs[i].va_family != af) {
			vpc_count_drop(&vl->vl_obj, VPC_DROP_UNDERLAY_AF);
			accounted = true;
			continue;
		}
		if (ipaddr_eq(&fe->fe_addrs[i], local))
			continue;	/* this host itself */
		vpc_vxlan_encap(p, vni, &fe->fe_addrs[i],
		    tx_queue(tc, &vl->vl_obj));
		accounted = true;
	}
	/* A list of this host alone is an empty one. */
	if (!accounted)
		vpc_count_drop(&vl->vl_obj, VPC_DROP_FLOOD_EMPTY);
}

/* Send the frame out of port 'pt' to its peer. */
static void
out_port(struct tx_ctx *tc, struct vpc_port *pt, uint32_t vni,
    bool flooding)
{
	struct vpc_ethlink *el;
	struct vpc_obj *peer;
	uint32_t nq;
	uint16_t vlan;

	peer = vpc_load_acq_ptr(&pt->pt_peer);
	if (peer == NULL) {
		vpc_count_drop(&pt->pt_obj, VPC_DROP_NOT_CONNECTED);
		return;
	}
	nq = tc->tc_nqueued;
	switch (peer->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		vlan = vpc_load_relaxed(&pt->pt_vlan);
		tx_queue(tc, peer)->tx_vlan = vlan;
		break;
	case VPC_TYPE_ETHLINK:
		el = (struct vpc_ethlink *)(void *)peer;
		vlan = vpc_load_relaxed(&pt->pt_vlan);
		if (vlan == 0)
			vlan = vpc_load_relaxed(&el->el_vlan);
		tx_queue(tc, peer)->tx_vlan = vlan;
		break;
	case VPC_TYPE_VPCLINK:
		out_vpclink(tc, (struct vpc_vpclink *)(void *)peer, vni,
		    flooding);
		break;
	default:
		vpc_count_drop(&pt->pt_obj, VPC_DROP_NOT_CONNECTED);
		break;
	}
	if (tc->tc_nqueued != nq)
		vpc_count_tx(&pt->pt_obj, tc->tc_pkt->p_totlen);
}

/*
 * Every other port of the segment, and the uplink if the verdict says.  A
 * segment with no such port drops the frame (FLOOD_NO_PORT on the switch).
 */
static void
flood(struct tx_ctx *tc, const struct vpc_verdict *v)
{
	struct vpc_portset *ps;
	struct vpc_port *pt;
	struct vpc_obj *peer;
	uint32_t i, n;

	n = 0;
	ps = vpc_load_acq_ptr(&tc->tc_sw->sw_ports);
	for (i = 0; ps != NULL && i < ps->ps_count; i++) {
		pt = ps->ps_ports[i];
		if (pt == v->vd_in || pt->pt_vni != v->vd_vni)
			continue;
		peer = vpc_load_acq_ptr(&pt->pt_peer);
		if (peer == NULL)
			continue;
		if (vpc_obj_is_link(peer) && !v->vd_uplink)
			continue;	/* split horizon */
		out_port(tc, pt, v->vd_vni, true);
		n++;
	}
	if (n == 0)
		vpc_count_drop(&tc->tc_sw->sw_obj, VPC_DROP_FLOOD_NO_PORT);
}

/* Frame 'p' (parsed, untagged) entered the switch of port 'pt'. */
static void
switch_frame(struct vpc_port *pt, struct vpc_pkt *p,
    const struct vpc_ipaddr *outer_src)
{
	struct vpc_verdict v;
	struct vpc_switch *sw;
	struct tx_ctx tc;

	sw = vpc_load_acq_ptr(&pt->pt_sw);
	if (sw == NULL) {
		vpc_count_drop(&pt->pt_obj, VPC_DROP_NOT_CONNECTED);
		return;
	}
	p->p_vni = pt->pt_vni;
	vpc_count_rx(&sw->sw_obj, p->p_totlen);
	vpc_switch_input(sw, pt, p, outer_src, &v);
	if (v.vd_kind == VPC_VERDICT_DROP) {
		vpc_count_drop(v.vd_dropobj, (enum vpc_drop)v.vd_drop);
		return;
	}
	/* tc_tx is zeroed by tx_queue() before each use. */
	tc.tc_ops = vpc_registry_host(sw->sw_obj.o_reg, &tc.tc_host);
	tc.tc_sw = sw;
	tc.tc_pkt = p;
	tc.tc_obj = NULL;
	tc.tc_nqueued = 0;
	switch (v.vd_kind) {
	case VPC_VERDICT_UNICAST:
	case VPC_VERDICT_REPLY:
		out_port(&tc, v.vd_port, v.vd_vni, false);
		break;
	case VPC_VERDICT_FLOOD:
		flood(&tc, &v);
		break;
	}
	if (tc.tc_nqueued != 0)
		vpc_count_tx(&sw->sw_obj, p->p_totlen);
	tx_flush(&tc, true);
}

/*
 * A frame from NIC 'nic': count it, parse it, apply its port's VLAN rule.
 * Returns the port to switch it on, or NULL if it was dropped (counted).
 */
static inline struct vpc_port *
nic_ingress(struct vpc_nic *nic, struct vpc_pkt *p)
{
	struct vpc_port *pt;
	uint16_t vlan;
	int why;

	vpc_count_rx(&nic->nic_obj, p->p_totlen);
	pt = vpc_load_acq_ptr(&nic->nic_port);
	if (pt == NULL) {
		vpc_count_drop(&nic->nic_obj, VPC_DROP_NOT_CONNECTED);
		return (NULL);
	}
	if ((why = vpc_parse_eth(p)) != 0) {
		vpc_count_drop(&nic->nic_obj, (enum vpc_drop)why);
		return (NULL);
	}
	vpc_count_rx(&pt->pt_obj, p->p_totlen);
	/* A port with VLAN v takes frames tagged v; VLAN 0: untagged. */
	vlan = vpc_load_relaxed(&pt->pt_vlan);
	if (vpc_pkt_tagged(p) != (vlan != 0) ||
	    (vlan != 0 && p->p_meta.pm_vlan != vlan)) {
		vpc_count_drop(&pt->pt_obj, VPC_DROP_VLAN_MISMATCH);
		return (NULL);
	}
	if (vlan != 0)
		vpc_pkt_strip_vlan(p);
	return (pt);
}

/* A frame from ethlink 'el': as nic_ingress(), by the frame's VLAN. */
static inline struct vpc_port *
ethlink_ingress(struct vpc_ethlink *el, struct vpc_pkt *p)
{
	struct vpc_port *pt;
	int why;

	vpc_count_rx(&el->el_obj, p->p_totlen);
	if ((why = vpc_parse_eth(p)) != 0) {
		vpc_count_drop(&el->el_obj, (enum vpc_drop)why);
		return (NULL);
	}
	/* Demultiplex by the frame's VLAN: the ports' effective VLANs. */
	pt = (struct vpc_port *)(uintptr_t)vpc_htab_get(el->el_ports,
	    VPC_KEY(vpc_pkt_tagged(p) ? p->p_meta.pm_vlan : 0));
	if (pt == NULL) {
		vpc_count_drop(&el->el_obj, VPC_DROP_VLAN_UNKNOWN);
		return (NULL);
	}
	if (vpc_pkt_tagged(p))
		vpc_pkt_strip_vlan(p);
	vpc_count_rx(&pt->pt_obj, p->p_totlen);
	return (pt);
}

/* A datagram from vpclink 'vl': as nic_ingress(), by the VNI. */
static inline struct vpc_port *
vpclink_ingress(struct vpc_vpclink *vl, struct vpc_pkt *p)
{
	struct vpc_port *pt;
	int why;

	vpc_count_rx(&vl->vl_obj, p->p_totlen);
	if ((why = vpc_vxlan_decap(p)) != 0) {
		vpc_count_drop(&vl->vl_obj, (enum vpc_drop)why);
		return (NULL);
	}
	pt = (struct vpc_port *)(uintptr_t)vpc_htab_get(vl->vl_ports,
	    VPC_KEY(p->p_vni));
	if (pt == NULL) {
		vpc_count_drop(&vl->vl_obj, VPC_DROP_VXLAN_UNKNOWN_VNI);
		return (NULL);
	}
	if ((why = vpc_parse_eth(p)) != 0) {
		vpc_count_drop(&vl->vl_obj, (enum vpc_drop)why);
		return (NULL);
	}
	vpc_count_rx(&pt->pt_obj, p->p_totlen);
	/* The overlay carries untagged frames; the VNI is the segment. */
	if (vpc_pkt_tagged(p)) {
		vpc_count_drop(&pt->pt_obj, VPC_DROP_VLAN_MISMATCH);
		return (NULL);
	}
	return (pt);
}

/*
 * Switch the 'n' (<= VPC_BURST_MAX) frames 'pkts' that entered through
 * ports 'pts' (NULL: already dropped), with underlay sources 'srcs' (or
 * NULL), in order.  For more than one frame the slot lines of every
 * frame's table lookups are prefetched first, together, then the frames
 * are switched: the lookups read values from those lines only (no
 * entries), so nothing waits on a second, dependent miss, and the
 * address translations of the burst's lines overlap with one another.
 * Tables small enough to stay in the caches are not prefetched.
 */
static void
switch_burst(struct vpc_port *const *pts, struct vpc_pkt *const *pkts,
    const struct vpc_ipaddr *srcs, uint32_t n)
{
	struct vpc_switch_pf pf;
	uint32_t i;
	bool second;

	if (n > 1) {
		vpc_memset(&pf, 0, sizeof(pf));
		second = false;
		for (i = 0; i < n; i++)
			if (pts[i] != NULL &&
			    vpc_switch_prefetch(&pf, pts[i], pkts[i]))
				second = true;
		if (second) {
			vpc_memset(&pf, 0, sizeof(pf));
			for (i = 0; i < n; i++)
				if (pts[i] != NULL)
					vpc_switch_prefetch_l2(&pf, pts[i],
					    pkts[i]);
		}
	}
	for (i = 0; i < n; i++)
		if (pts[i] != NULL)
			switch_frame(pts[i], pkts[i],
			    srcs != NULL ? &srcs[i] : NULL);
}

void
vpc_input_nic_burst(struct vpc_nic *nic, struct vpc_pkt *const *pkts,
    uint32_t n)
{
	struct vpc_epoch_tracker et;
	struct vpc_port *pts[VPC_BURST_MAX];
	uint32_t i, j, k;

	vpc_os_epoch_enter(&et);
	for (i = 0; i < n; i += k) {
		k = n - i < VPC_BURST_MAX ? n - i : VPC_BURST_MAX;
		for (j = 0; j < k; j++)
			pts[j] = nic_ingress(nic, pkts[i + j]);
		switch_burst(pts, pkts + i, NULL, k);
	}
	vpc_os_epoch_exit(&et);
}

void
vpc_input_vpclink_burst(struct vpc_vpclink *vl, struct vpc_pkt *const *pkts,
    const struct vpc_ipaddr *srcs, uint32_t n)
{
	struct vpc_epoch_tracker et;
	struct vpc_port *pts[VPC_BURST_MAX];
	uint32_t i, j, k;

	vpc_os_epoch_enter(&et);
	for (i = 0; i < n; i += k) {
		k = n - i < VPC_BURST_MAX ? n - i : VPC_BURST_MAX;
		for (j = 0; j < k; j++)
			pts[j] = vpclink_ingress(vl, pkts[i + j]);
		switch_burst(pts, pkts + i, srcs != NULL ? srcs + i : NULL,
		    k);
	}
	vpc_os_epoch_exit(&et);
}

/*
 * The one-frame entry points: the same ingress and switching as a burst of
 * one, without the burst's bookkeeping.
 */
void
vpc_input_nic(struct vpc_nic *nic, struct vpc_pkt *p)
{
	struct vpc_epoch_tracker et;
	struct vpc_port *pt;

	vpc_os_epoch_enter(&et);
	if ((pt = nic_ingress(nic, p)) != NULL)
		switch_frame(pt, p, NULL);
	vpc_os_epoch_exit(&et);
}

void
vpc_input_ethlink(struct vpc_ethlink *el, struct vpc_pkt *p)
{
	struct vpc_epoch_tracker et;
	struct vpc_port *pt;

	vpc_os_epoch_enter(&et);
	if ((pt = ethlink_ingress(el, p)) != NULL)
		switch_frame(pt, p, NULL);
	vpc_os_epoch_exit(&et);
}

void
vpc_input_vpclink(struct vpc_vpclink *vl, struct vpc_pkt *p,
    const struct vpc_ipaddr *src)
{
	struct vpc_epoch_tracker et;
	struct vpc_port *pt;

	vpc_os_epoch_enter(&et);
	if ((pt = vpclink_ingress(vl, p)) != NULL)
		switch_frame(pt, p, src);
	vpc_os_epoch_exit(&et);
}
