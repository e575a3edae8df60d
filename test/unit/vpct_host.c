/*
 * vpct_host.c: the recording dummy host and topology fixtures
 * (see vpct_host.h).
 */

#include <stdlib.h>
#include <string.h>

#include "vpct.h"
#include "vpct_host.h"

static int	vpct_output(void *host, struct vpc_obj *o, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
static void	*obj_new(struct vpct_world *w, size_t size, uint32_t type);
static struct vpc_htab *htab_new(const struct vpc_htab_ops *ops,
		    struct vpc_obj *o);
static void	htab_put(struct vpc_obj *o, struct vpc_htab *t,
		    struct vpc_hentry *e);

const struct vpc_host_ops vpct_host_ops = {
	.ho_output = vpct_output,
};

static int
vpct_output(void *host, struct vpc_obj *o, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpct_host *h = host;
	struct vpct_out *r;
	uint32_t n;

	VPCT_CHECK(vpc_os_in_epoch());
	if (h->vh_nout < VPCT_OUT_MAX) {
		r = &h->vh_out[h->vh_nout];
		r->vo_obj = o;
		r->vo_tx = *tx;
		r->vo_len = pkt->p_totlen;
		n = pkt->p_len < VPCT_FRAME_MAX ? pkt->p_len : VPCT_FRAME_MAX;
		memcpy(r->vo_frame, pkt->p_data, n);
	}
	h->vh_nout++;
	if (tx->tx_last)
		h->vh_nlast++;
	return (h->vh_fail);
}

void
vpct_host_reset(struct vpct_host *h)
{
	h->vh_nout = 0;
	h->vh_nlast = 0;
	h->vh_fail = 0;
}

void
vpct_world_init(struct vpct_world *w)
{
	memset(w, 0, sizeof(*w));
	w->w_rg = vpc_registry_create(&vpct_host_ops, &w->w_host);
	VPCT_REQUIRE(w->w_rg != NULL);
}

static void *
obj_new(struct vpct_world *w, size_t size, uint32_t type)
{
	struct vpc_obj *o;

	VPCT_REQUIRE(w->w_nobjs < VPCT_OBJ_MAX);
	o = calloc(1, size);
	VPCT_REQUIRE(o != NULL);
	o->o_type = type;
	o->o_reg = w->w_rg;
	o->o_mtx = vpc_os_mtx_alloc("vpct obj");
	o->o_stats = vpc_os_counters_alloc(VPC_CNT_N);
	VPCT_REQUIRE(o->o_mtx != NULL && o->o_stats != NULL);
	w->w_objs[w->w_nobjs++] = o;
	return (o);
}

static struct vpc_htab *
htab_new(const struct vpc_htab_ops *ops, struct vpc_obj *o)
{
	struct vpc_htab *t;

	t = vpc_htab_create(ops, o->o_mtx, 0);
	VPCT_REQUIRE(t != NULL);
	return (t);
}

/* Insert under the owner's lock, as the control plane does. */
static void
htab_put(struct vpc_obj *o, struct vpc_htab *t, struct vpc_hentry *e)
{
	int error;

	VPCT_REQUIRE(e != NULL);
	vpc_os_mtx_lock(o->o_mtx);
	error = vpc_htab_insert(t, e, NULL);
	vpc_os_mtx_unlock(o->o_mtx);
	VPCT_REQUIRE(error == 0);
}

void
vpct_world_fini(struct vpct_world *w)
{
	struct vpc_obj *o;
	struct vpc_switch *sw;
	struct vpc_ethlink *el;
	struct vpc_vpclink *vl;
	uint32_t i;

	vpc_os_epoch_wait();
	for (i = 0; i < w->w_nobjs; i++) {
		o = w->w_objs[i];
		switch (o->o_type) {
		case VPC_TYPE_SWITCH:
			sw = (struct vpc_switch *)o;
			vpc_htab_destroy(sw->sw_l2);
			vpc_htab_destroy(sw->sw_arp);
			vpc_htab_destroy(sw->sw_flood);
			vpc_htab_destroy(sw->sw_uplink);
			free(sw->sw_ports);
			break;
		case VPC_TYPE_ETHLINK:
			el = (struct vpc_ethlink *)o;
			vpc_htab_destroy(el->el_ports);
			break;
		case VPC_TYPE_VPCLINK:
			vl = (struct vpc_vpclink *)o;
			vpc_htab_destroy(vl->vl_ports);
			vpc_htab_destroy(vl->vl_fwd);
			break;
		}
		vpc_os_mtx_free(o->o_mtx);
		vpc_os_counters_free(o->o_stats);
		free(o);
	}
	w->w_nobjs = 0;
	vpc_registry_destroy(w->w_rg);
	w->w_rg = NULL;
}

struct vpc_switch *
vpct_switch(struct vpct_world *w, uint32_t mode)
{
	struct vpc_switch *sw;

	sw = obj_new(w, sizeof(*sw), VPC_TYPE_SWITCH);
	sw->sw_mode = mode;
	sw->sw_l2 = htab_new(&vpc_l2ent_ops, &sw->sw_obj);
	sw->sw_arp = htab_new(&vpc_arpent_ops, &sw->sw_obj);
	sw->sw_flood = htab_new(&vpc_floodent_ops, &sw->sw_obj);
	sw->sw_uplink = htab_new(&vpc_portent_ops, &sw->sw_obj);
	sw->sw_ports = calloc(1, sizeof(*sw->sw_ports) +
	    VPCT_OBJ_MAX * sizeof(sw->sw_ports->ps_ports[0]));
	VPCT_REQUIRE(sw->sw_ports != NULL);
	return (sw);
}

struct vpc_port *
vpct_port(struct vpct_world *w, uint32_t vni, uint16_t vlan)
{
	struct vpc_port *pt;

	pt = obj_new(w, sizeof(*pt), VPC_TYPE_PORT);
	pt->pt_vni = vni;
	pt->pt_vlan = vlan;
	return (pt);
}

struct vpc_nic *
vpct_nic(struct vpct_world *w, uint32_t type, const uint8_t mac[6])
{
	struct vpc_nic *nic;

	nic = obj_new(w, sizeof(*nic), type);
	memcpy(nic->nic_obj.o_mac, mac, 6);
	nic->nic_obj.o_mtu = 1500;
	nic->nic_queues = 1;
	return (nic);
}

struct vpc_ethlink *
vpct_ethlink(struct vpct_world *w, uint16_t vlan)
{
	struct vpc_ethlink *el;

	el = obj_new(w, sizeof(*el), VPC_TYPE_ETHLINK);
	el->el_vlan = vlan;
	strcpy(el->el_ifname, "eth0");
	el->el_ports = htab_new(&vpc_portent_ops, &el->el_obj);
	return (el);
}

struct vpc_vpclink *
vpct_vpclink(struct vpct_world *w, const struct vpc_ipaddr *local,
    uint32_t mtu)
{
	struct vpc_vpclink *vl;

	vl = obj_new(w, sizeof(*vl), VPC_TYPE_VPCLINK);
	if (local != NULL) {
		vl->vl_local.vu_addr = *local;
		vl->vl_local.vu_port = VPC_VXLAN_PORT;
	}
	vl->vl_obj.o_mtu = mtu;
	vl->vl_ports = htab_new(&vpc_portent_ops, &vl->vl_obj);
	vl->vl_fwd = htab_new(&vpc_fwdent_ops, &vl->vl_obj);
	return (vl);
}

void
vpct_sw_add(struct vpc_switch *sw, struct vpc_port *pt)
{
	VPCT_REQUIRE(pt->pt_sw == NULL && pt->pt_peer == NULL);
	sw->sw_ports->ps_ports[sw->sw_ports->ps_count++] = pt;
	pt->pt_sw = sw;
}

void
vpct_connect(struct vpc_port *pt, struct vpc_obj *peer)
{
	struct vpc_switch *sw = pt->pt_sw;
	struct vpc_nic *nic;
	struct vpc_ethlink *el;
	struct vpc_vpclink *vl;
	uint16_t evlan;

	VPCT_REQUIRE(sw != NULL);
	pt->pt_peer = peer;
	switch (peer->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		nic = (struct vpc_nic *)peer;
		nic->nic_port = pt;
		htab_put(&sw->sw_obj, sw->sw_l2, &vpc_l2ent_alloc(pt->pt_vni,
		    peer->o_mac, pt, 0)->l2_h);
		break;
	case VPC_TYPE_ETHLINK:
		el = (struct vpc_ethlink *)peer;
		evlan = pt->pt_vlan != 0 ? pt->pt_vlan : el->el_vlan;
		htab_put(peer, el->el_ports,
		    &vpc_portent_alloc(evlan, pt)->pe_h);
		htab_put(&sw->sw_obj, sw->sw_uplink,
		    &vpc_portent_alloc(pt->pt_vni, pt)->pe_h);
		break;
	case VPC_TYPE_VPCLINK:
		vl = (struct vpc_vpclink *)peer;
		htab_put(peer, vl->vl_ports,
		    &vpc_portent_alloc(pt->pt_vni, pt)->pe_h);
		htab_put(&sw->sw_obj, sw->sw_uplink,
		    &vpc_portent_alloc(pt->pt_vni, pt)->pe_h);
		break;
	default:
		VPCT_REQUIRE(!"bad peer type");
	}
}

void
vpct_arp_add(struct vpc_switch *sw, uint32_t vni, const uint8_t ip[4],
    const uint8_t mac[6])
{
	htab_put(&sw->sw_obj, sw->sw_arp,
	    &vpc_arpent_alloc(vni, ip, mac)->ae_h);
}

void
vpct_l2_add(struct vpc_switch *sw, uint32_t vni, const uint8_t mac[6],
    struct vpc_port *pt)
{
	htab_put(&sw->sw_obj, sw->sw_l2,
	    &vpc_l2ent_alloc(vni, mac, pt, 0)->l2_h);
}

void
vpct_fwd_add(struct vpc_vpclink *vl, uint32_t vni, const uint8_t mac[6],
    const struct vpc_ipaddr *remote)
{
	htab_put(&vl->vl_obj, vl->vl_fwd,
	    &vpc_fwdent_alloc(vni, mac, remote, 0)->fw_h);
}

void
vpct_flood_set(struct vpc_switch *sw, uint32_t vni,
    const struct vpc_ipaddr *addrs, uint32_t count)
{
	htab_put(&sw->sw_obj, sw->sw_flood,
	    &vpc_floodent_alloc(vni, addrs, count)->fe_h);
}

void
vpct_ip4(struct vpc_ipaddr *a, uint8_t b0, uint8_t b1, uint8_t b2,
    uint8_t b3)
{
	memset(a, 0, sizeof(*a));
	a->va_family = VPC_AF_INET;
	a->va_addr[0] = b0;
	a->va_addr[1] = b1;
	a->va_addr[2] = b2;
	a->va_addr[3] = b3;
}

void
vpct_ip6(struct vpc_ipaddr *a, uint16_t last)
{
	memset(a, 0, sizeof(*a));
	a->va_family = VPC_AF_INET6;
	a->va_addr[0] = 0x20;
	a->va_addr[1] = 0x01;
	a->va_addr[2] = 0x0d;
	a->va_addr[3] = 0xb8;
	a->va_addr[14] = (uint8_t)(last >> 8);
	a->va_addr[15] = (uint8_t)last;
}

uint32_t
vpct_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    uint16_t vlan, uint16_t ethertype)
{
	uint32_t off;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	off = 12;
	if (vlan != 0) {
		vpc_put_be16(f + 12, 0x8100);
		vpc_put_be16(f + 14, vlan);
		off = 16;
	}
	vpc_put_be16(f + off, ethertype);
	return (off + 2);
}

uint32_t
vpct_udp4(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    uint16_t vlan, const uint8_t sip[4], const uint8_t dip[4],
    uint16_t sport, uint16_t dport, uint32_t paylen)
{
	uint8_t *ip, *udp;
	uint32_t off, i;

	off = vpct_eth(f, dst, src, vlan, 0x0800);
	ip = f + off;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	vpc_put_be16(ip + 2, (uint16_t)(20 + 8 + paylen));
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, sip, 4);
	memcpy(ip + 16, dip, 4);
	udp = ip + 20;
	vpc_put_be16(udp, sport);
	vpc_put_be16(udp + 2, dport);
	vpc_put_be16(udp + 4, (uint16_t)(8 + paylen));
	vpc_put_be16(udp + 6, 0);
	for (i = 0; i < paylen; i++)
		udp[8 + i] = (uint8_t)i;
	return (off + 28 + paylen);
}

uint32_t
vpct_tcp6(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    uint16_t sport, uint16_t dport, uint32_t paylen)
{
	struct vpc_ipaddr a;
	uint8_t *ip, *tcp;
	uint32_t off, i;

	off = vpct_eth(f, dst, src, 0, 0x86dd);
	ip = f + off;
	memset(ip, 0, 40);
	ip[0] = 0x60;
	vpc_put_be16(ip + 4, (uint16_t)(20 + paylen));
	ip[6] = 6;
	ip[7] = 64;
	vpct_ip6(&a, 1);
	memcpy(ip + 8, a.va_addr, 16);
	vpct_ip6(&a, 2);
	memcpy(ip + 24, a.va_addr, 16);
	tcp = ip + 40;
	memset(tcp, 0, 20);
	vpc_put_be16(tcp, sport);
	vpc_put_be16(tcp + 2, dport);
	tcp[12] = 5 << 4;
	for (i = 0; i < paylen; i++)
		tcp[20 + i] = (uint8_t)i;
	return (off + 60 + paylen);
}

uint32_t
vpct_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t op,
    const uint8_t sha[6], const uint8_t spa[4], const uint8_t tha[6],
    const uint8_t tpa[4])
{
	uint8_t *a;
	uint32_t off;

	off = vpct_eth(f, dst, src, 0, 0x0806);
	a = f + off;
	vpc_put_be16(a, 1);
	vpc_put_be16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	vpc_put_be16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	memcpy(a + 18, tha, 6);
	memcpy(a + 24, tpa, 4);
	/* Pad to the Ethernet minimum, as senders do. */
	memset(a + 28, 0, 60 - (off + 28));
	return (60);
}

struct vpc_pkt *
vpct_pkt(struct vpc_pkt *p, struct vpct_buf *b, const uint8_t *frame,
    uint32_t len)
{
	VPCT_REQUIRE(len <= VPCT_FRAME_MAX);
	memcpy(b->vb_bytes + VPC_PKT_HEADROOM, frame, len);
	vpc_pkt_init(p, b->vb_bytes + VPC_PKT_HEADROOM, len, len,
	    VPC_PKT_HEADROOM, NULL);
	return (p);
}

uint64_t
vpct_drops(const struct vpc_obj *o, enum vpc_drop why)
{
	struct vpc_stats s;

	vpc_stats_read(o, &s);
	return (s.vs_drops[why]);
}
