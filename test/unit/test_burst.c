/*
 * test_burst.c: the burst entry points (vpc_input_*_burst()) do exactly
 * what the same frames given one by one do: the same outputs in the same
 * order, the same counters and drop reasons on every object, the same
 * learned state.  Two identical worlds are built; one gets the frames one
 * by one, the other in one burst (longer than VPC_BURST_MAX, so it is
 * cut).  Tables are filled well past VPC_HTAB_CACHED so that the
 * prefetching stages run, and again with small tables, where they do not.
 */

#include <string.h>

#include "vpct.h"
#include "vpct_host.h"
#include "vpc_htab.h"

#define	NFRAMES		(VPC_BURST_MAX + 13)
#define	FILL		20000	/* entries per table: > VPC_HTAB_CACHED */

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t mac_r[6] = { 0x02, 0, 0, 0, 0, 0x11 };	/* remote */
static const uint8_t mac_x[6] = { 0x02, 0, 0, 0, 0, 0x99 };	/* unknown */
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t ip_a[4] = { 192, 0, 2, 10 };
static const uint8_t ip_b[4] = { 192, 0, 2, 11 };
static const uint8_t ip_x[4] = { 192, 0, 2, 99 };

/* One switch, two NICs, a vpclink uplink; objects in a fixed order. */
struct bw {
	struct vpct_world	 b_w;
	struct vpc_switch	*b_sw;
	struct vpc_nic		*b_nic[2];
	struct vpc_port		*b_pt[2];
	struct vpc_vpclink	*b_vl;
	struct vpc_port		*b_up;
	struct vpc_ipaddr	 b_local, b_r2, b_r3;
};

/* A frame set and its views. */
struct frames {
	uint8_t			 f_buf[NFRAMES][256];
	uint32_t		 f_len[NFRAMES];
	struct vpc_ipaddr	 f_src[NFRAMES];
};

static void
bw_build(struct bw *b, uint32_t mode, uint32_t fill)
{
	uint8_t mac[6], ip[4];
	uint32_t i;

	memset(b, 0, sizeof(*b));
	vpct_world_init(&b->b_w);
	vpct_ip4(&b->b_local, 198, 51, 100, 1);
	vpct_ip4(&b->b_r2, 198, 51, 100, 2);
	vpct_ip4(&b->b_r3, 198, 51, 100, 3);
	b->b_sw = vpct_switch(&b->b_w, mode);
	for (i = 0; i < 2; i++) {
		b->b_nic[i] = vpct_nic(&b->b_w, VPC_TYPE_VMNIC,
		    i == 0 ? mac_a : mac_b);
		b->b_pt[i] = vpct_port(&b->b_w, 100, 0);
		vpct_sw_add(b->b_sw, b->b_pt[i]);
		vpct_connect(b->b_pt[i], &b->b_nic[i]->nic_obj);
	}
	b->b_vl = vpct_vpclink(&b->b_w, &b->b_local, 1450);
	b->b_up = vpct_port(&b->b_w, 100, 0);
	vpct_sw_add(b->b_sw, b->b_up);
	vpct_connect(b->b_up, &b->b_vl->vl_obj);
	if (mode == VPC_SW_MODE_PROGRAMMED) {
		vpct_l2_add(b->b_sw, 100, mac_a, b->b_pt[0]);
		vpct_l2_add(b->b_sw, 100, mac_b, b->b_pt[1]);
		vpct_fwd_add(b->b_vl, 100, mac_r, &b->b_r2);
		vpct_arp_add(b->b_sw, 100, ip_b, mac_b);
	} else
		vpct_flood_set(b->b_sw, 100, &b->b_r2, 1);
	/* Filler in another VNI: the tables grow, the lookups do not hit. */
	for (i = 0; i < fill; i++) {
		mac[0] = 0x02;
		mac[1] = 0x42;
		mac[2] = (uint8_t)(i >> 24);
		mac[3] = (uint8_t)(i >> 16);
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		ip[0] = 10;
		ip[1] = (uint8_t)(i >> 16);
		ip[2] = (uint8_t)(i >> 8);
		ip[3] = (uint8_t)i;
		vpct_l2_add(b->b_sw, 777, mac, b->b_pt[0]);
		vpct_fwd_add(b->b_vl, 777, mac, &b->b_r3);
		vpct_arp_add(b->b_sw, 777, ip, mac);
	}
}

/* Index of 'o' among the world's objects (what the two worlds share). */
static int
bw_idx(const struct bw *b, const struct vpc_obj *o)
{
	uint32_t i;

	for (i = 0; i < b->b_w.w_nobjs; i++)
		if (b->b_w.w_objs[i] == o)
			return ((int)i);
	return (-1);
}

/* Both worlds saw the same outputs and count the same on each object. */
static void
bw_same(struct bw *x, struct bw *y)
{
	struct vpc_stats sx, sy;
	const struct vpct_out *ox, *oy;
	uint32_t i;

	VPCT_EQ(x->b_w.w_host.vh_nout, y->b_w.w_host.vh_nout);
	VPCT_EQ(x->b_w.w_host.vh_nlast, y->b_w.w_host.vh_nlast);
	VPCT_REQUIRE(x->b_w.w_host.vh_nout <= VPCT_OUT_MAX);
	for (i = 0; i < x->b_w.w_host.vh_nout &&
	    i < y->b_w.w_host.vh_nout; i++) {
		ox = &x->b_w.w_host.vh_out[i];
		oy = &y->b_w.w_host.vh_out[i];
		VPCT_EQ(bw_idx(x, ox->vo_obj), bw_idx(y, oy->vo_obj));
		VPCT_EQ(ox->vo_len, oy->vo_len);
		VPCT_CHECK(memcmp(&ox->vo_tx, &oy->vo_tx,
		    sizeof(ox->vo_tx)) == 0);
		VPCT_CHECK(memcmp(ox->vo_frame, oy->vo_frame,
		    ox->vo_len < VPCT_FRAME_MAX ? ox->vo_len :
		    VPCT_FRAME_MAX) == 0);
	}
	VPCT_EQ(x->b_w.w_nobjs, y->b_w.w_nobjs);
	for (i = 0; i < x->b_w.w_nobjs; i++) {
		vpc_stats_read(x->b_w.w_objs[i], &sx);
		vpc_stats_read(y->b_w.w_objs[i], &sy);
		VPCT_CHECK(memcmp(&sx, &sy, sizeof(sx)) == 0);
	}
	VPCT_EQ(vpc_htab_count(x->b_sw->sw_l2), vpc_htab_count(y->b_sw->sw_l2));
	VPCT_EQ(vpc_htab_count(x->b_vl->vl_fwd),
	    vpc_htab_count(y->b_vl->vl_fwd));
}

/* Guest frames: every verdict of the switch, and bad ones. */
static void
guest_frames(struct frames *fr)
{
	uint32_t i;

	for (i = 0; i < NFRAMES; i++) {
		uint8_t *f = fr->f_buf[i];

		switch (i % 8) {
		case 0:		/* local unicast */
			fr->f_len[i] = vpct_udp4(f, mac_b, mac_a, 0, ip_a, ip_b,
			    4000 + i, 5000, 18);
			break;
		case 1:		/* to the remote: VXLAN */
			fr->f_len[i] = vpct_udp4(f, mac_r, mac_a, 0, ip_a, ip_x,
			    4000 + i, 5000, 30);
			break;
		case 2:		/* unknown unicast */
			fr->f_len[i] = vpct_udp4(f, mac_x, mac_a, 0, ip_a, ip_x,
			    4000, 5000, 18);
			break;
		case 3:		/* ARP request the proxy answers */
			fr->f_len[i] = vpct_arp(f, bcast, mac_a, 1, mac_a, ip_a,
			    bcast, ip_b);
			break;
		case 4:		/* ARP request for an unknown address */
			fr->f_len[i] = vpct_arp(f, bcast, mac_a, 1, mac_a, ip_a,
			    bcast, ip_x);
			break;
		case 5:		/* truncated */
			fr->f_len[i] = 9;
			memset(f, 0x02, 9);
			break;
		case 6:		/* group source address */
			fr->f_len[i] = vpct_udp4(f, mac_b, mcast, 0, ip_a, ip_b,
			    4000, 5000, 18);
			break;
		default:	/* multicast destination */
			fr->f_len[i] = vpct_udp4(f, mcast, mac_a, 0, ip_a, ip_b,
			    4000, 5000, 18);
			break;
		}
	}
}

/* Underlay datagrams: VXLAN header + frame, from two remotes (by value). */
static void
underlay_frames(struct frames *fr, const struct bw *b)
{
	uint32_t i, len;
	uint8_t *d;

	for (i = 0; i < NFRAMES; i++) {
		d = fr->f_buf[i];
		memset(d, 0, 8);
		d[0] = 0x08;
		d[6] = 100;
		/* Odd ones come from r3 with r2's MAC: a move, when learning. */
		switch (i % 5) {
		case 0:
		case 1:
			len = vpct_udp4(d + 8, mac_a, mac_r, 0, ip_x, ip_a,
			    6000 + i, 5000, 18);
			break;
		case 2:
			len = vpct_udp4(d + 8, mac_x, mac_r, 0, ip_x, ip_a,
			    6000, 5000, 18);
			break;
		case 3:
			len = vpct_udp4(d + 8, bcast, mac_r, 0, ip_x, ip_a,
			    6000, 5000, 18);
			break;
		default:
			d[0] = 0;	/* VXLAN I flag clear */
			len = vpct_udp4(d + 8, mac_b, mac_r, 0, ip_x, ip_a,
			    6000, 5000, 18);
			break;
		}
		fr->f_len[i] = len + 8;
		fr->f_src[i] = (i & 1) ? b->b_r3 : b->b_r2;
	}
}

/* The outputs world 'b' recorded to object 'o'. */
static uint32_t
outputs_to(const struct bw *b, const struct vpc_obj *o)
{
	uint32_t i, n;

	n = 0;
	for (i = 0; i < b->b_w.w_host.vh_nout && i < VPCT_OUT_MAX; i++)
		if (b->b_w.w_host.vh_out[i].vo_obj == o)
			n++;
	return (n);
}

/* Frames 'fr' into x one by one and into y as one burst. */
static void
run_nic(struct bw *x, struct bw *y, const struct frames *fr)
{
	static struct vpct_buf bufs[NFRAMES];
	struct vpc_pkt pkts[NFRAMES], *pp[NFRAMES];
	struct vpct_buf one;
	struct vpc_pkt p;
	uint32_t i;

	for (i = 0; i < NFRAMES; i++) {
		vpc_input_nic(x->b_nic[0], vpct_pkt(&p, &one, fr->f_buf[i],
		    fr->f_len[i]));
		pp[i] = vpct_pkt(&pkts[i], &bufs[i], fr->f_buf[i],
		    fr->f_len[i]);
	}
	vpc_input_nic_burst(y->b_nic[0], pp, NFRAMES);
}

static void
run_vl(struct bw *x, struct bw *y, const struct frames *fr)
{
	static struct vpct_buf bufs[NFRAMES];
	struct vpc_pkt pkts[NFRAMES], *pp[NFRAMES];
	struct vpct_buf one;
	struct vpc_pkt p;
	uint32_t i;

	for (i = 0; i < NFRAMES; i++) {
		vpc_input_vpclink(x->b_vl, vpct_pkt(&p, &one, fr->f_buf[i],
		    fr->f_len[i]), &fr->f_src[i]);
		pp[i] = vpct_pkt(&pkts[i], &bufs[i], fr->f_buf[i],
		    fr->f_len[i]);
	}
	vpc_input_vpclink_burst(y->b_vl, pp, fr->f_src, NFRAMES);
}

VPCT_CASE(burst_nic_same_as_one_by_one)
{
	static struct frames fr;
	static struct bw x, y;
	uint32_t fill;

	guest_frames(&fr);
	for (fill = 0; fill <= FILL; fill += FILL) {
		bw_build(&x, VPC_SW_MODE_PROGRAMMED, fill);
		bw_build(&y, VPC_SW_MODE_PROGRAMMED, fill);
		VPCT_EQ(vpc_htab_large(y.b_sw->sw_l2), fill != 0);
		VPCT_EQ(vpc_htab_large(y.b_vl->vl_fwd), fill != 0);
		VPCT_EQ(vpc_htab_large(y.b_sw->sw_arp), fill != 0);
		run_nic(&x, &y, &fr);
		/* Local, VXLAN and ARP replies: 3 per 8 frames. */
		VPCT_CHECK(y.b_w.w_host.vh_nout >= 3 * (NFRAMES / 8));
		/*
		 * Every local unicast frame reaches NIC b: the switch-table
		 * lookups of frames from a NIC go through the table's
		 * filter, which must never rule out a present key.
		 */
		VPCT_EQ(outputs_to(&y, &y.b_nic[1]->nic_obj),
		    (NFRAMES + 7) / 8);
		VPCT_CHECK(vpct_drops(&y.b_sw->sw_obj,
		    VPC_DROP_BUM_PROGRAMMED) > 0);
		bw_same(&x, &y);
		vpct_world_fini(&x.b_w);
		vpct_world_fini(&y.b_w);
	}
}

VPCT_CASE(burst_vpclink_same_as_one_by_one)
{
	static struct frames fr;
	static struct bw x, y;
	uint32_t fill, mode;

	for (mode = VPC_SW_MODE_PROGRAMMED; mode <= VPC_SW_MODE_LEARNING;
	    mode++) {
		for (fill = 0; fill <= FILL; fill += FILL) {
			bw_build(&x, mode, fill);
			bw_build(&y, mode, fill);
			underlay_frames(&fr, &x);
			run_vl(&x, &y, &fr);
			VPCT_CHECK(y.b_w.w_host.vh_nout > 0);
			VPCT_CHECK(vpct_drops(&y.b_vl->vl_obj,
			    VPC_DROP_VXLAN_BAD_FLAGS) > 0);
			bw_same(&x, &y);
			vpct_world_fini(&x.b_w);
			vpct_world_fini(&y.b_w);
		}
	}
}
