/*
 * test_switch.c: the data path end to end on hand-built topologies, with
 * the recording host: delivery, isolation between VNIs, BUM handling per
 * mode, the ARP proxy, VXLAN uplinks (forwarding entries, head-end
 * replication, decapsulation, learning), split horizon, VLANs, every
 * drop reason counted on the object that saw it, and what learning may
 * keep (not across a return to PROGRAMMED, not for remotes that could
 * not be configured, not past a racing mode change, not past
 * VPC_LEARN_MAX entries).
 */

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "vpct.h"
#include "vpct_host.h"
#include "vpc_obj.h"
#include "vpc_parse.h"
#include "vpc_switch.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_c[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t mac_r[6] = { 0x02, 0, 0, 0, 0, 0x11 };	/* remote */
static const uint8_t mac_x[6] = { 0x02, 0, 0, 0, 0, 0x99 };	/* unknown */
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t zero6[6];
static const uint8_t ip_a[4] = { 192, 0, 2, 10 };
static const uint8_t ip_b[4] = { 192, 0, 2, 11 };

/* A topology: one switch, up to four NICs on ports, one uplink. */
struct topo {
	struct vpct_world	 t_w;
	struct vpc_switch	*t_sw;
	struct vpc_nic		*t_nic[4];
	struct vpc_port		*t_pt[4];
	struct vpc_vpclink	*t_vl;
	struct vpc_port		*t_up;
	struct vpc_ipaddr	 t_local;	/* 198.51.100.1 */
	struct vpc_ipaddr	 t_r2, t_r3;	/* 198.51.100.2, .3 */
};

static void	topo_init(struct topo *t, uint32_t mode);
static struct vpc_nic *topo_nic(struct topo *t, int i, uint32_t vni,
		    uint16_t vlan, const uint8_t mac[6]);
static void	topo_vpclink(struct topo *t, uint32_t vni, bool bound);
static void	send_nic(struct vpc_nic *nic, const uint8_t *f, uint32_t len);
static void	send_vl(struct vpc_vpclink *vl, uint32_t vni, const uint8_t *f,
		    uint32_t len, const struct vpc_ipaddr *src);
static uint32_t	frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6]);
static uint64_t	st(const struct vpc_obj *o, int which);

static void
topo_init(struct topo *t, uint32_t mode)
{
	memset(t, 0, sizeof(*t));
	vpct_world_init(&t->t_w);
	t->t_sw = vpct_switch(&t->t_w, mode);
	vpct_ip4(&t->t_local, 198, 51, 100, 1);
	vpct_ip4(&t->t_r2, 198, 51, 100, 2);
	vpct_ip4(&t->t_r3, 198, 51, 100, 3);
}

static struct vpc_nic *
topo_nic(struct topo *t, int i, uint32_t vni, uint16_t vlan,
    const uint8_t mac[6])
{
	t->t_nic[i] = vpct_nic(&t->t_w, VPC_TYPE_VMNIC, mac);
	t->t_pt[i] = vpct_port(&t->t_w, vni, vlan);
	vpct_sw_add(t->t_sw, t->t_pt[i]);
	vpct_connect(t->t_pt[i], &t->t_nic[i]->nic_obj);
	return (t->t_nic[i]);
}

static void
topo_vpclink(struct topo *t, uint32_t vni, bool bound)
{
	t->t_vl = vpct_vpclink(&t->t_w, bound ? &t->t_local : NULL, 1450);
	t->t_up = vpct_port(&t->t_w, vni, 0);
	vpct_sw_add(t->t_sw, t->t_up);
	vpct_connect(t->t_up, &t->t_vl->vl_obj);
}

static void
send_nic(struct vpc_nic *nic, const uint8_t *f, uint32_t len)
{
	struct vpct_buf b;
	struct vpc_pkt p;

	vpc_input_nic(nic, vpct_pkt(&p, &b, f, len));
}

/* Receive 'f' as a VXLAN payload in 'vni' from underlay address 'src'. */
static void
send_vl(struct vpc_vpclink *vl, uint32_t vni, const uint8_t *f,
    uint32_t len, const struct vpc_ipaddr *src)
{
	uint8_t d[VPCT_FRAME_MAX];
	struct vpct_buf b;
	struct vpc_pkt p;

	memset(d, 0, 8);
	d[0] = 0x08;
	d[4] = (uint8_t)(vni >> 16);
	d[5] = (uint8_t)(vni >> 8);
	d[6] = (uint8_t)vni;
	memcpy(d + 8, f, len);
	vpc_input_vpclink(vl, vpct_pkt(&p, &b, d, len + 8), src);
}

static uint32_t
frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6])
{
	return (vpct_udp4(f, dst, src, 0, ip_a, ip_b, 4000, 5000, 18));
}

/* 0 rx pkts, 1 tx pkts, 2 drops total. */
static uint64_t
st(const struct vpc_obj *o, int which)
{
	struct vpc_stats s;

	vpc_stats_read(o, &s);
	return (which == 0 ? s.vs_rx_pkts : which == 1 ? s.vs_tx_pkts :
	    s.vs_drops_total);
}

#define	OUT(t, i)	(&(t)->t_w.w_host.vh_out[i])
#define	NOUT(t)		((t)->t_w.w_host.vh_nout)

VPCT_CASE(switch_unicast_delivery)
{
	struct topo t;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	len = frame(f, mac_b, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_nic[1]->nic_obj);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vlan, 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_encap, 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_last, 1);
	VPCT_EQ(OUT(&t, 0)->vo_len, len);
	VPCT_CHECK(memcmp(OUT(&t, 0)->vo_frame, f, len) == 0);
	VPCT_EQ(st(&t.t_nic[0]->nic_obj, 0), 1);
	VPCT_EQ(st(&t.t_pt[0]->pt_obj, 0), 1);
	VPCT_EQ(st(&t.t_sw->sw_obj, 0), 1);
	VPCT_EQ(st(&t.t_sw->sw_obj, 1), 1);
	VPCT_EQ(st(&t.t_pt[1]->pt_obj, 1), 1);
	VPCT_EQ(st(&t.t_nic[1]->nic_obj, 1), 1);
	VPCT_EQ(st(&t.t_nic[0]->nic_obj, 1), 0);
	VPCT_EQ(st(&t.t_sw->sw_obj, 2), 0);
	/* And back. */
	len = frame(f, mac_a, mac_b);
	send_nic(t.t_nic[1], f, len);
	VPCT_REQUIRE(NOUT(&t) == 2);
	VPCT_CHECK(OUT(&t, 1)->vo_obj == &t.t_nic[0]->nic_obj);
	vpct_world_fini(&t.t_w);
}

/*
 * The same MACs in two VNIs of one switch: nothing crosses, also between
 * VNIs that differ only in their top 8 bits.
 */
VPCT_CASE(switch_vni_isolation)
{
	static const uint32_t vnis[][2] = {
		{ 100, 200 }, { 0x000064, 0x010064 }
	};
	struct topo t;
	uint8_t f[128];
	uint32_t len, mode, i;

	for (i = 0; i < 4; i++) {
		mode = i % 2 == 0 ? VPC_SW_MODE_PROGRAMMED :
		    VPC_SW_MODE_LEARNING;
		topo_init(&t, mode);
		topo_nic(&t, 0, vnis[i / 2][0], 0, mac_a);
		topo_nic(&t, 1, vnis[i / 2][0], 0, mac_b);
		topo_nic(&t, 2, vnis[i / 2][1], 0, mac_a);
		topo_nic(&t, 3, vnis[i / 2][1], 0, mac_b);
		len = frame(f, mac_b, mac_a);
		send_nic(t.t_nic[0], f, len);
		send_nic(t.t_nic[2], f, len);
		VPCT_REQUIRE(NOUT(&t) == 2);
		VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_nic[1]->nic_obj);
		VPCT_CHECK(OUT(&t, 1)->vo_obj == &t.t_nic[3]->nic_obj);
		/* Broadcast stays in its VNI (dropped when programmed). */
		len = frame(f, bcast, mac_a);
		send_nic(t.t_nic[0], f, len);
		if (mode == VPC_SW_MODE_LEARNING) {
			VPCT_REQUIRE(NOUT(&t) == 3);
			VPCT_CHECK(OUT(&t, 2)->vo_obj ==
			    &t.t_nic[1]->nic_obj);
		} else
			VPCT_EQ(NOUT(&t), 2);
		VPCT_EQ(st(&t.t_nic[2]->nic_obj, 1) +
		    st(&t.t_nic[3]->nic_obj, 1), 1);
		vpct_world_fini(&t.t_w);
	}
}

/*
 * A vpclink's forwarding table keeps VNIs that differ only in their top
 * 8 bits (0x000064, 0x010064) apart: the same MAC in both goes to its
 * own VNI's remote, whichever was added last.
 */
VPCT_CASE(switch_vpclink_fwd_vni_top_bits)
{
	struct topo t;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 0x000064, 0, mac_a);
	topo_vpclink(&t, 0x000064, true);
	vpct_fwd_add(t.t_vl, 0x000064, mac_r, &t.t_r2);
	vpct_fwd_add(t.t_vl, 0x010064, mac_r, &t.t_r3);
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_vl->vl_obj);
	VPCT_CHECK(memcmp(&OUT(&t, 0)->vo_tx.tx_remote, &t.t_r2,
	    sizeof(t.t_r2)) == 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vxlan[4], 0x00);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_programmed_bum)
{
	struct topo t;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	len = frame(f, bcast, mac_a);
	send_nic(t.t_nic[0], f, len);
	len = frame(f, mcast, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_BUM_PROGRAMMED), 2);
	/* ARP request without a proxy entry. */
	len = vpct_arp(f, bcast, mac_a, 1, mac_a, ip_a, zero6, ip_b);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_ARP_PROXY_MISS), 1);
	/* Unknown unicast and no uplink. */
	len = frame(f, mac_x, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_NO_UPLINK), 1);
	/* Nothing learned: a frame from an unknown source changes nothing. */
	len = frame(f, mac_b, mac_x);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpc_htab_count(t.t_sw->sw_l2), 2);
	VPCT_EQ(NOUT(&t), 1);
	VPCT_EQ(st(&t.t_sw->sw_obj, 2), 4);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_learning_flood_and_learn)
{
	struct topo t;
	uint8_t f[128];
	uint32_t len, i, nlast;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	topo_nic(&t, 2, 100, 0, mac_c);
	/* A guest bridging other MACs: mac_x behind nic 0. */
	len = frame(f, bcast, mac_x);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 2);
	nlast = 0;
	for (i = 0; i < 2; i++) {
		VPCT_CHECK(OUT(&t, i)->vo_obj != &t.t_nic[0]->nic_obj);
		VPCT_CHECK(memcmp(OUT(&t, i)->vo_frame, f, len) == 0);
		nlast += OUT(&t, i)->vo_tx.tx_last;
	}
	VPCT_EQ(nlast, 1);
	VPCT_EQ(OUT(&t, 1)->vo_tx.tx_last, 1);
	VPCT_EQ(vpc_htab_count(t.t_sw->sw_l2), 4);	/* 3 static + x */
	/* Now x is known: unicast to nic 0 only. */
	len = frame(f, mac_x, mac_b);
	send_nic(t.t_nic[1], f, len);
	VPCT_REQUIRE(NOUT(&t) == 3);
	VPCT_CHECK(OUT(&t, 2)->vo_obj == &t.t_nic[0]->nic_obj);
	/* x moves behind nic 2. */
	len = frame(f, mac_a, mac_x);
	send_nic(t.t_nic[2], f, len);
	len = frame(f, mac_x, mac_b);
	send_nic(t.t_nic[1], f, len);
	VPCT_REQUIRE(NOUT(&t) == 5);
	VPCT_CHECK(OUT(&t, 4)->vo_obj == &t.t_nic[2]->nic_obj);
	/* A static entry is not overridden: mac_b claimed by nic 0. */
	len = frame(f, mac_c, mac_b);
	send_nic(t.t_nic[0], f, len);
	len = frame(f, mac_b, mac_c);
	send_nic(t.t_nic[2], f, len);
	VPCT_REQUIRE(NOUT(&t) == 7);
	VPCT_CHECK(OUT(&t, 6)->vo_obj == &t.t_nic[1]->nic_obj);
	/* Unknown unicast floods. */
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 9);
	VPCT_EQ(st(&t.t_sw->sw_obj, 2), 0);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_arp_proxy_replies_to_sender)
{
	struct topo t;
	uint8_t f[128];
	uint8_t *o;
	uint32_t len;
	uint16_t mode;

	for (mode = VPC_SW_MODE_PROGRAMMED; mode <= VPC_SW_MODE_LEARNING;
	    mode++) {
		topo_init(&t, mode);
		topo_nic(&t, 0, 100, 10, mac_a);	/* VLAN 10 */
		topo_nic(&t, 1, 100, 0, mac_b);
		vpct_arp_add(t.t_sw, 100, ip_b, mac_b);
		len = vpct_arp(f, bcast, mac_a, 1, mac_a, ip_a, zero6, ip_b);
		/* Tag it 10, as the guest on a VLAN 10 port does. */
		memmove(f + 16, f + 12, len - 12);
		vpc_put_be16(f + 12, 0x8100);
		vpc_put_be16(f + 14, 10);
		send_nic(t.t_nic[0], f, len + 4);
		VPCT_REQUIRE(NOUT(&t) == 1);
		VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_nic[0]->nic_obj);
		VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vlan, 10);
		VPCT_EQ(OUT(&t, 0)->vo_tx.tx_last, 1);
		VPCT_EQ(OUT(&t, 0)->vo_len, len);	/* tag stripped */
		o = OUT(&t, 0)->vo_frame;
		VPCT_CHECK(memcmp(o, mac_a, 6) == 0);
		VPCT_CHECK(memcmp(o + 6, mac_b, 6) == 0);
		VPCT_EQ(vpc_get_be16(o + 12), 0x0806);
		VPCT_EQ(vpc_get_be16(o + 20), 2);
		VPCT_CHECK(memcmp(o + 22, mac_b, 6) == 0);
		VPCT_CHECK(memcmp(o + 28, ip_b, 4) == 0);
		VPCT_CHECK(memcmp(o + 32, mac_a, 6) == 0);
		VPCT_CHECK(memcmp(o + 38, ip_a, 4) == 0);
		VPCT_EQ(st(&t.t_nic[1]->nic_obj, 1), 0);
		vpct_world_fini(&t.t_w);
	}
}

VPCT_CASE(switch_vpclink_fwd_encap)
{
	struct topo t;
	struct vpc_ipaddr r6;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, true);
	vpct_fwd_add(t.t_vl, 100, mac_r, &t.t_r2);
	vpct_fwd_add(t.t_vl, 200, mac_b, &t.t_r3);	/* other VNI */
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_vl->vl_obj);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_encap, 1);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_last, 1);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vlan, 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vxlan[0], 0x08);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vxlan[4], 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vxlan[5], 0);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vxlan[6], 100);
	VPCT_CHECK(memcmp(&OUT(&t, 0)->vo_tx.tx_remote, &t.t_r2,
	    sizeof(t.t_r2)) == 0);
	VPCT_CHECK(OUT(&t, 0)->vo_tx.tx_flowhash != 0);
	VPCT_CHECK(memcmp(OUT(&t, 0)->vo_frame, f, len) == 0);
	VPCT_EQ(st(&t.t_up->pt_obj, 1), 1);
	VPCT_EQ(st(&t.t_vl->vl_obj, 1), 1);
	/* An entry in another VNI does not match. */
	len = frame(f, mac_b, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_NO_FWD_ENTRY), 1);
	/* An IPv6 remote on an IPv4 link. */
	vpct_ip6(&r6, 7);
	vpct_fwd_add(t.t_vl, 100, mac_c, &r6);
	len = frame(f, mac_c, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_UNDERLAY_AF), 1);
	/* Too big for the link MTU (1450): 1451 bytes of IP. */
	len = vpct_udp4(f, mac_r, mac_a, 0, ip_a, ip_b, 1, 2, 0);
	{
		static uint8_t big[1600];

		len = vpct_udp4(big, mac_r, mac_a, 0, ip_a, ip_b, 1, 2,
		    1450 - 28);
		send_nic(t.t_nic[0], big, len);
		VPCT_EQ(NOUT(&t), 2);
		len = vpct_udp4(big, mac_r, mac_a, 0, ip_a, ip_b, 1, 2,
		    1451 - 28);
		send_nic(t.t_nic[0], big, len);
		VPCT_EQ(NOUT(&t), 2);
		VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_MTU_EXCEEDED),
		    1);
	}
	/* The host fails to send. */
	t.t_w.w_host.vh_fail = 55;
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_TX_ERROR), 1);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_flood_head_end_replication)
{
	struct topo t;
	struct vpc_ipaddr list[5];
	uint8_t f[128];
	uint32_t len, i, n2, n3, nvl, nlast;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	topo_vpclink(&t, 100, true);
	/* No flood list yet. */
	len = frame(f, bcast, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 1);			/* nic 1 only */
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_FLOOD_EMPTY), 1);
	vpct_host_reset(&t.t_w.w_host);
	/* .2, .3, .2 again, this host, and an IPv6 remote. */
	list[0] = t.t_r2;
	list[1] = t.t_r3;
	list[2] = t.t_r2;
	list[3] = t.t_local;
	vpct_ip6(&list[4], 5);
	vpct_flood_set(t.t_sw, 100, list, 5);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 3);
	n2 = n3 = nvl = nlast = 0;
	for (i = 0; i < 3; i++) {
		nlast += OUT(&t, i)->vo_tx.tx_last;
		VPCT_CHECK(memcmp(OUT(&t, i)->vo_frame, f, len) == 0);
		if (OUT(&t, i)->vo_obj != &t.t_vl->vl_obj)
			continue;
		nvl++;
		VPCT_EQ(OUT(&t, i)->vo_tx.tx_vxlan[6], 100);
		if (memcmp(&OUT(&t, i)->vo_tx.tx_remote, &t.t_r2,
		    sizeof(t.t_r2)) == 0)
			n2++;
		if (memcmp(&OUT(&t, i)->vo_tx.tx_remote, &t.t_r3,
		    sizeof(t.t_r3)) == 0)
			n3++;
	}
	VPCT_EQ(nvl, 2);
	VPCT_EQ(n2, 1);
	VPCT_EQ(n3, 1);
	VPCT_EQ(nlast, 1);
	VPCT_EQ(OUT(&t, 2)->vo_tx.tx_last, 1);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_UNDERLAY_AF), 1);
	VPCT_EQ(st(&t.t_vl->vl_obj, 1), 2);
	VPCT_EQ(st(&t.t_up->pt_obj, 1), 1);	/* once per frame sent */
	/* Unknown unicast without a forwarding entry: flooded the same way. */
	vpct_host_reset(&t.t_w.w_host);
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 3);
	VPCT_EQ(t.t_w.w_host.vh_nlast, 1);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_vpclink_decap_and_learn)
{
	struct topo t;
	struct vpc_epoch_tracker et;
	struct vpc_hentry *he;
	struct vpc_fwdent *fw;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	topo_vpclink(&t, 100, true);
	len = frame(f, mac_a, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_nic[0]->nic_obj);
	VPCT_EQ(OUT(&t, 0)->vo_len, len);
	VPCT_CHECK(memcmp(OUT(&t, 0)->vo_frame, f, len) == 0);
	VPCT_EQ(st(&t.t_vl->vl_obj, 0), 1);
	VPCT_EQ(st(&t.t_up->pt_obj, 0), 1);
	/* Learned: (100, r) behind the uplink and at 198.51.100.3. */
	vpc_os_epoch_enter(&et);
	he = vpc_htab_lookup(t.t_vl->vl_fwd, VPC_L2KEY(100,
	    vpc_mac48(mac_r)));
	VPCT_REQUIRE(he != NULL);
	fw = (struct vpc_fwdent *)(void *)he;
	VPCT_EQ(fw->fw_flags, VPC_FWD_F_LEARNED);
	VPCT_CHECK(memcmp(&fw->fw_remote, &t.t_r3, sizeof(t.t_r3)) == 0);
	VPCT_CHECK(vpc_htab_lookup(t.t_sw->sw_l2, VPC_L2KEY(100,
	    vpc_mac48(mac_r))) != NULL);
	vpc_os_epoch_exit(&et);
	/* The reply goes straight to .3. */
	len = frame(f, mac_r, mac_b);
	send_nic(t.t_nic[1], f, len);
	VPCT_REQUIRE(NOUT(&t) == 2);
	VPCT_CHECK(OUT(&t, 1)->vo_obj == &t.t_vl->vl_obj);
	VPCT_CHECK(memcmp(&OUT(&t, 1)->vo_tx.tx_remote, &t.t_r3,
	    sizeof(t.t_r3)) == 0);
	/* Decap drops, on the vpclink. */
	send_vl(t.t_vl, 200, f, len, &t.t_r3);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_VXLAN_UNKNOWN_VNI), 1);
	send_vl(t.t_vl, 100, f, 10, &t.t_r3);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_VXLAN_INNER_SHORT), 1);
	{
		struct vpct_buf b;
		struct vpc_pkt p;
		uint8_t d[16];

		memset(d, 0, sizeof(d));
		vpc_input_vpclink(t.t_vl, vpct_pkt(&p, &b, d, 7), &t.t_r3);
		vpc_input_vpclink(t.t_vl, vpct_pkt(&p, &b, d, 16), &t.t_r3);
	}
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_VXLAN_SHORT), 1);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_VXLAN_BAD_FLAGS), 1);
	/* A malformed inner frame is counted on the vpclink too. */
	len = frame(f, mac_a, mac_r);
	f[14] = 0x35;
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_IP4_MALFORMED), 1);
	/* A tagged inner frame does not belong on the overlay. */
	len = vpct_udp4(f, mac_a, mac_r, 5, ip_a, ip_b, 1, 2, 8);
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	VPCT_EQ(vpct_drops(&t.t_up->pt_obj, VPC_DROP_VLAN_MISMATCH), 1);
	VPCT_EQ(NOUT(&t), 2);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_split_horizon_and_hairpin)
{
	struct topo t;
	struct vpc_ipaddr list[2];
	uint8_t f[128];
	uint32_t len, i;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	topo_vpclink(&t, 100, true);
	list[0] = t.t_r2;
	list[1] = t.t_r3;
	vpct_flood_set(t.t_sw, 100, list, 2);
	/* Broadcast from the overlay: local ports only. */
	len = frame(f, bcast, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r2);
	VPCT_REQUIRE(NOUT(&t) == 2);
	for (i = 0; i < 2; i++)
		VPCT_CHECK(OUT(&t, i)->vo_obj != &t.t_vl->vl_obj);
	VPCT_EQ(st(&t.t_vl->vl_obj, 1), 0);
	/* Known to be behind the uplink, arriving from it: hairpin. */
	len = frame(f, mac_r, mac_c);
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_HAIRPIN), 1);
	/* A local frame to its own port. */
	len = frame(f, mac_a, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_HAIRPIN), 2);
	VPCT_EQ(NOUT(&t), 2);
	vpct_world_fini(&t.t_w);

	/* Programmed: unknown unicast from the uplink is not sent back. */
	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, true);
	len = frame(f, mac_x, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r2);
	len = frame(f, bcast, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r2);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_BUM_PROGRAMMED), 2);
	/* A known local destination is delivered. */
	len = frame(f, mac_a, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r2);
	VPCT_EQ(NOUT(&t), 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_nic[0]->nic_obj);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_ethlink_vlans)
{
	struct topo t;
	struct vpc_ethlink *el;
	struct vpc_port *pe;
	uint8_t f[128], g[128];
	uint32_t len, glen;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	el = vpct_ethlink(&t.t_w, 0);
	pe = vpct_port(&t.t_w, 100, 20);
	vpct_sw_add(t.t_sw, pe);
	vpct_connect(pe, &el->el_obj);
	/* Out: unknown unicast to the uplink, tagged 20 by the host. */
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &el->el_obj);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_vlan, 20);
	VPCT_EQ(OUT(&t, 0)->vo_tx.tx_encap, 0);
	/* In: tagged 20, stripped, to the NIC untagged. */
	glen = frame(g, mac_a, mac_r);
	len = vpct_udp4(f, mac_a, mac_r, 20, ip_a, ip_b, 4000, 5000, 18);
	{
		struct vpct_buf b;
		struct vpc_pkt p;

		vpc_input_ethlink(el, vpct_pkt(&p, &b, f, len));
		VPCT_REQUIRE(NOUT(&t) == 2);
		VPCT_CHECK(OUT(&t, 1)->vo_obj == &t.t_nic[0]->nic_obj);
		VPCT_EQ(OUT(&t, 1)->vo_tx.tx_vlan, 0);
		VPCT_EQ(OUT(&t, 1)->vo_len, glen);
		VPCT_CHECK(memcmp(OUT(&t, 1)->vo_frame, g, glen) == 0);
		/* Untagged and other VLANs have no port. */
		vpc_input_ethlink(el, vpct_pkt(&p, &b, g, glen));
		len = vpct_udp4(f, mac_a, mac_r, 21, ip_a, ip_b, 1, 2, 8);
		vpc_input_ethlink(el, vpct_pkt(&p, &b, f, len));
		VPCT_EQ(vpct_drops(&el->el_obj, VPC_DROP_VLAN_UNKNOWN), 2);
		/* Parse errors count on the ethlink. */
		vpc_input_ethlink(el, vpct_pkt(&p, &b, f, 16));
		VPCT_EQ(vpct_drops(&el->el_obj, VPC_DROP_VLAN_SHORT), 1);
	}
	VPCT_EQ(st(&el->el_obj, 0), 4);
	VPCT_EQ(st(&pe->pt_obj, 0), 1);
	VPCT_EQ(NOUT(&t), 2);
	vpct_world_fini(&t.t_w);
}

/* Ingress drops, each on the object that saw it. */
VPCT_CASE(switch_ingress_drops)
{
	struct topo t;
	struct vpc_nic *lone;
	struct vpc_port *pt;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 7, mac_b);			/* VLAN 7 */
	/* A NIC on no port. */
	lone = vpct_nic(&t.t_w, VPC_TYPE_VPCI, mac_c);
	len = frame(f, mac_a, mac_c);
	send_nic(lone, f, len);
	VPCT_EQ(vpct_drops(&lone->nic_obj, VPC_DROP_NOT_CONNECTED), 1);
	VPCT_EQ(st(&lone->nic_obj, 0), 1);
	/* A NIC on a port in no switch. */
	lone = vpct_nic(&t.t_w, VPC_TYPE_VMNIC, mac_c);
	pt = vpct_port(&t.t_w, 100, 0);
	lone->nic_port = pt;
	pt->pt_peer = &lone->nic_obj;
	send_nic(lone, f, len);
	VPCT_EQ(vpct_drops(&pt->pt_obj, VPC_DROP_NOT_CONNECTED), 1);
	/* Short frame, on the NIC. */
	send_nic(t.t_nic[0], f, 13);
	VPCT_EQ(vpct_drops(&t.t_nic[0]->nic_obj, VPC_DROP_ETH_SHORT), 1);
	/* Tagged into an untagged port; untagged and mis-tagged into 7. */
	len = vpct_udp4(f, mac_b, mac_a, 7, ip_a, ip_b, 1, 2, 8);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_pt[0]->pt_obj, VPC_DROP_VLAN_MISMATCH), 1);
	len = frame(f, mac_a, mac_b);
	send_nic(t.t_nic[1], f, len);
	len = vpct_udp4(f, mac_a, mac_b, 8, ip_a, ip_b, 1, 2, 8);
	send_nic(t.t_nic[1], f, len);
	VPCT_EQ(vpct_drops(&t.t_pt[1]->pt_obj, VPC_DROP_VLAN_MISMATCH), 2);
	/* Tagged 7 into the VLAN 7 port: delivered untagged. */
	len = vpct_udp4(f, mac_a, mac_b, 7, ip_a, ip_b, 1, 2, 8);
	send_nic(t.t_nic[1], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_EQ(OUT(&t, 0)->vo_len, len - 4);
	/* And the reverse direction is tagged by the host. */
	len = frame(f, mac_b, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 2);
	VPCT_EQ(OUT(&t, 1)->vo_tx.tx_vlan, 7);
	/* Group source address. */
	len = frame(f, mac_b, mcast);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_pt[0]->pt_obj, VPC_DROP_SRC_MAC_MULTICAST),
	    1);
	/* Stacked tags. */
	len = vpct_eth(f, mac_b, mac_a, 7, 0x8100) + 40;
	send_nic(t.t_nic[1], f, len);
	VPCT_EQ(vpct_drops(&t.t_nic[1]->nic_obj, VPC_DROP_VLAN_STACKED), 1);
	VPCT_EQ(NOUT(&t), 2);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_vpclink_down_and_unconnected_port)
{
	struct topo t;
	struct vpc_port *pt;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_PROGRAMMED);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, false);		/* not bound */
	vpct_fwd_add(t.t_vl, 100, mac_r, &t.t_r2);
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_LINK_DOWN), 1);
	VPCT_EQ(st(&t.t_up->pt_obj, 1), 0);
	/* A switch entry to a port whose peer went away. */
	pt = vpct_port(&t.t_w, 100, 0);
	vpct_sw_add(t.t_sw, pt);
	vpc_os_mtx_lock(t.t_sw->sw_obj.o_mtx);
	VPCT_REQUIRE(vpc_htab_insert(t.t_sw->sw_l2,
	    &vpc_l2ent_alloc(100, mac_x, pt, 0)->l2_h, NULL) == 0);
	vpc_os_mtx_unlock(t.t_sw->sw_obj.o_mtx);
	len = frame(f, mac_x, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(vpct_drops(&pt->pt_obj, VPC_DROP_NOT_CONNECTED), 1);
	VPCT_EQ(NOUT(&t), 0);
	VPCT_EQ(st(&t.t_sw->sw_obj, 1), 0);
	vpct_world_fini(&t.t_w);
}

VPCT_CASE(switch_drop_names)
{
	uint32_t i;

	for (i = 0; i < VPC_DROP_COUNT; i++)
		VPCT_CHECK(vpc_drop_names[i] != NULL &&
		    vpc_drop_names[i][0] != '\0');
	VPCT_CHECK(strcmp(vpc_drop_names[VPC_DROP_HAIRPIN], "hairpin") == 0);
	VPCT_CHECK(strcmp(vpc_drop_names[VPC_DROP_VLAN_UNKNOWN],
	    "vlan_unknown") == 0);
	VPCT_CHECK(strcmp(vpc_drop_names[VPC_DROP_NONE], "none") == 0);
}

/*
 * Learning mode: a unicast MAC the switch has not learned is flooded, but
 * at the vpclink a static forwarding entry for it wins over the flood list
 * (one copy, to that remote); a segment with nowhere to flood to counts
 * flood_no_port on the switch (fuzz finding F1); a zero source MAC is
 * dropped, never learned (fuzz finding F2).
 */
VPCT_CASE(switch_learning_unknown_unicast_uses_fwd_entry)
{
	static const uint8_t zero[6];
	struct topo t;
	struct vpc_ipaddr list[2];
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 200, 0, mac_b);		/* alone in VNI 200 */
	topo_vpclink(&t, 100, true);
	list[0] = t.t_r2;
	list[1] = t.t_r3;
	vpct_flood_set(t.t_sw, 100, list, 2);
	vpct_fwd_add(t.t_vl, 100, mac_r, &t.t_r3);
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_REQUIRE(NOUT(&t) == 1);
	VPCT_CHECK(OUT(&t, 0)->vo_obj == &t.t_vl->vl_obj);
	VPCT_CHECK(memcmp(&OUT(&t, 0)->vo_tx.tx_remote, &t.t_r3,
	    sizeof(t.t_r3)) == 0);
	vpct_host_reset(&t.t_w.w_host);

	len = frame(f, bcast, mac_b);
	send_nic(t.t_nic[1], f, len);
	VPCT_EQ(NOUT(&t), 0);
	VPCT_EQ(vpct_drops(&t.t_sw->sw_obj, VPC_DROP_FLOOD_NO_PORT), 1);

	len = frame(f, mac_b, zero);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 0);
	VPCT_EQ(vpct_drops(&t.t_nic[0]->nic_port->pt_obj,
	    VPC_DROP_SRC_MAC_ZERO), 1);
	vpct_world_fini(&t.t_w);
}

/* VPC_OP_SW_MODE_SET on 'sw', as vpc_ctl(2) runs it. */
static int
sw_mode_set(struct vpc_switch *sw, uint32_t mode)
{
	struct vpc_ctlreq r;

	memset(&r, 0, sizeof(r));
	r.cr_obj = &sw->sw_obj;
	r.cr_in = &mode;
	r.cr_innbyte = sizeof(mode);
	return (vpc_ctl_sw_mode_set(&r));
}

/* The forwarding entry of (vni, mac) on 'vl', or NULL. */
static const struct vpc_fwdent *
fwd_of(struct vpc_vpclink *vl, uint32_t vni, const uint8_t mac[6])
{
	struct vpc_epoch_tracker et;
	struct vpc_hentry *he;

	vpc_os_epoch_enter(&et);
	he = vpc_htab_lookup(vl->vl_fwd, VPC_L2KEY(vni, vpc_mac48(mac)));
	vpc_os_epoch_exit(&et);
	return ((const struct vpc_fwdent *)(const void *)he);
}

/*
 * Going back to PROGRAMMED forgets the forwarding entries learned on the
 * switch's vpclinks, not only its own learned entries: a unicast to a
 * MAC some remote taught it is then dropped (no forwarding entry), not
 * sent on to that remote.  Static entries stay, and so does what the
 * vpclink learned for another switch.  (Before, only the switch table
 * was flushed, and unicast kept going to the remote for up to the
 * aging time.)
 */
VPCT_CASE(switch_programmed_forgets_learned_fwd)
{
	struct topo t;
	struct vpc_switch *sw2;
	struct vpc_port *up2;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, true);
	/* A second switch learning through the same vpclink in VNI 200. */
	sw2 = vpct_switch(&t.t_w, VPC_SW_MODE_LEARNING);
	up2 = vpct_port(&t.t_w, 200, 0);
	vpct_sw_add(sw2, up2);
	vpct_connect(up2, &t.t_vl->vl_obj);
	vpct_fwd_add(t.t_vl, 100, mac_c, &t.t_r2);	/* static */
	len = frame(f, mac_a, mac_r);
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	send_vl(t.t_vl, 200, f, len, &t.t_r3);
	VPCT_REQUIRE(fwd_of(t.t_vl, 100, mac_r) != NULL);
	VPCT_REQUIRE(fwd_of(t.t_vl, 200, mac_r) != NULL);
	VPCT_EQ(sw_mode_set(t.t_sw, VPC_SW_MODE_PROGRAMMED), 0);
	VPCT_CHECK(fwd_of(t.t_vl, 100, mac_r) == NULL);
	VPCT_CHECK(fwd_of(t.t_vl, 100, mac_c) != NULL);
	VPCT_CHECK(fwd_of(t.t_vl, 200, mac_r) != NULL);
	vpct_host_reset(&t.t_w.w_host);
	len = frame(f, mac_r, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 0);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_NO_FWD_ENTRY), 1);
	vpct_world_fini(&t.t_w);
}

/*
 * Remotes a frame claims that could never be configured (multicast,
 * limited broadcast, unspecified) or that are this host's own address
 * are not learned; the frame itself is still delivered.
 */
VPCT_CASE(switch_learning_refuses_bad_remotes)
{
	struct topo t;
	struct vpc_ipaddr bad[4];
	uint8_t f[128];
	uint32_t len, i;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, true);
	vpct_ip4(&bad[0], 239, 1, 2, 3);
	vpct_ip4(&bad[1], 255, 255, 255, 255);
	vpct_ip4(&bad[2], 0, 0, 0, 0);
	bad[3] = t.t_local;
	len = frame(f, mac_a, mac_r);
	for (i = 0; i < 4; i++) {
		send_vl(t.t_vl, 100, f, len, &bad[i]);
		VPCT_CHECK(fwd_of(t.t_vl, 100, mac_r) == NULL);
	}
	VPCT_EQ(NOUT(&t), 4);
	send_vl(t.t_vl, 100, f, len, &t.t_r3);
	VPCT_CHECK(fwd_of(t.t_vl, 100, mac_r) != NULL);
	vpct_world_fini(&t.t_w);
}

/*
 * A flood list that holds only this host's own address sends nothing on
 * the vpclink, like an empty one, and is counted like one (before, the
 * frame's copy for the uplink vanished without a counted drop).
 */
VPCT_CASE(switch_flood_list_of_self_counted)
{
	struct topo t;
	uint8_t f[128];
	uint32_t len;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_vpclink(&t, 100, true);
	vpct_flood_set(t.t_sw, 100, &t.t_local, 1);
	len = frame(f, bcast, mac_a);
	send_nic(t.t_nic[0], f, len);
	VPCT_EQ(NOUT(&t), 0);
	VPCT_EQ(vpct_drops(&t.t_vl->vl_obj, VPC_DROP_FLOOD_EMPTY), 1);
	vpct_world_fini(&t.t_w);
}

/*
 * Learners look at the mode again under the lock of the table they
 * insert into: a frame that passed the mode check while the switch was
 * LEARNING, then waited for a lock while the switch went to PROGRAMMED
 * (which stores the mode, then flushes under those locks), leaves no
 * entry behind.  The test holds the lock, lets a frame run into it,
 * changes the mode, and lets go.
 */
struct learner {
	struct topo	*l_t;
	bool		 l_remote;	/* from the vpclink, else the NIC */
};

static void *
learner_run(void *arg)
{
	struct learner *l = arg;
	uint8_t f[128];
	uint32_t len;

	if (l->l_remote) {
		len = frame(f, mac_a, mac_r);
		send_vl(l->l_t->t_vl, 100, f, len, &l->l_t->t_r3);
	} else {
		len = frame(f, bcast, mac_b);
		send_nic(l->l_t->t_nic[0], f, len);
	}
	return (NULL);
}

VPCT_CASE(switch_learning_rechecks_mode_under_lock)
{
	struct topo t;
	struct learner l;
	struct vpc_os_mtx *m;
	pthread_t th;
	int remote;

	for (remote = 0; remote < 2; remote++) {
		topo_init(&t, VPC_SW_MODE_LEARNING);
		topo_nic(&t, 0, 100, 0, mac_a);
		topo_vpclink(&t, 100, true);
		l.l_t = &t;
		l.l_remote = remote != 0;
		/* learn_l2 waits on the switch's lock, learn_fwd the link's. */
		m = remote ? t.t_vl->vl_obj.o_mtx : t.t_sw->sw_obj.o_mtx;
		vpc_os_mtx_lock(m);
		VPCT_REQUIRE(pthread_create(&th, NULL, learner_run, &l) == 0);
		usleep(50 * 1000);
		vpc_store_relaxed(&t.t_sw->sw_mode, VPC_SW_MODE_PROGRAMMED);
		vpc_os_mtx_unlock(m);
		pthread_join(th, NULL);
		if (remote)
			VPCT_CHECK(fwd_of(t.t_vl, 100, mac_r) == NULL);
		else
			VPCT_EQ(vpc_htab_count(t.t_sw->sw_l2), 1); /* mac_a */
		vpct_world_fini(&t.t_w);
	}
}

/*
 * Learning stops adding addresses at VPC_LEARN_MAX entries per table (a
 * guest, or a remote, sending from ever new source addresses), but still
 * follows a known address that moves; frames are forwarded all along.
 */
VPCT_CASE(switch_learning_limited)
{
	struct topo t;
	const struct vpc_l2ent *l2;
	struct vpc_epoch_tracker et;
	uint8_t f[128], src[6] = { 0x02, 0x77, 0, 0, 0, 0 };
	uint32_t len, i, n, flooded;

	topo_init(&t, VPC_SW_MODE_LEARNING);
	topo_nic(&t, 0, 100, 0, mac_a);
	topo_nic(&t, 1, 100, 0, mac_b);
	topo_vpclink(&t, 100, true);
	vpct_flood_set(t.t_sw, 100, &t.t_r2, 1);
	n = VPC_LEARN_MAX + 100;
	flooded = 0;
	for (i = 0; i < n; i++) {
		src[3] = (uint8_t)(i >> 16);
		src[4] = (uint8_t)(i >> 8);
		src[5] = (uint8_t)i;
		len = frame(f, mac_x, src);
		vpct_host_reset(&t.t_w.w_host);
		send_nic(t.t_nic[0], f, len);
		flooded += NOUT(&t) == 2;	/* NIC b and the remote */
		send_vl(t.t_vl, 100, f, len, &t.t_r3);
		if (i % 4096 == 0)
			vpc_os_epoch_wait();
	}
	VPCT_EQ(flooded, n);
	VPCT_EQ(vpc_htab_count(t.t_sw->sw_l2), VPC_LEARN_MAX);
	VPCT_EQ(vpc_htab_count(t.t_vl->vl_fwd), VPC_LEARN_MAX);
	/* The first address moves to NIC b: followed, at the limit. */
	src[3] = src[4] = src[5] = 0;
	len = frame(f, mac_a, src);
	send_nic(t.t_nic[1], f, len);
	vpc_os_epoch_enter(&et);
	l2 = (const struct vpc_l2ent *)(const void *)vpc_htab_lookup(
	    t.t_sw->sw_l2, VPC_L2KEY(100, vpc_mac48(src)));
	VPCT_CHECK(l2 != NULL && l2->l2_port == t.t_pt[1]);
	vpc_os_epoch_exit(&et);
	VPCT_EQ(vpc_htab_count(t.t_sw->sw_l2), VPC_LEARN_MAX);
	vpct_world_fini(&t.t_w);
}
