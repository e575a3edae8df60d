/*
 * test_arp.c: the ARP proxy rewrites a request into the exact reply (with
 * none of the request's offload state) and leaves everything it must not
 * answer untouched.
 */

#include <string.h>

#include "vpct.h"
#include "vpct_host.h"
#include "vpc_parse.h"
#include "vpc_arp.h"

static const uint8_t mac_req[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };
static const uint8_t mac_ans[6] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x02 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero6[6];
static const uint8_t ip_req[4] = { 192, 0, 2, 1 };
static const uint8_t ip_tgt[4] = { 192, 0, 2, 2 };
static const uint8_t ip_other[4] = { 192, 0, 2, 3 };

/* Run the proxy on 'f' in 'vni'; the frame after it in 'out'. */
static enum vpc_arp_result
proxy(struct vpc_switch *sw, const uint8_t *f, uint32_t len, uint32_t vni,
    uint8_t *out)
{
	struct vpc_epoch_tracker et;
	enum vpc_arp_result r;
	struct vpct_buf b;
	struct vpc_pkt p;

	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	vpc_os_epoch_enter(&et);
	r = vpc_arp_proxy(sw, &p, vni);
	vpc_os_epoch_exit(&et);
	VPCT_EQ(p.p_len, len);
	memcpy(out, p.p_data, len);
	return (r);
}

VPCT_CASE(arp_proxy_reply_bytes)
{
	struct vpct_world w;
	struct vpc_switch *sw;
	uint8_t f[64], out[64], want[64];
	uint32_t len, i;

	vpct_world_init(&w);
	sw = vpct_switch(&w, VPC_SW_MODE_PROGRAMMED);
	vpct_arp_add(sw, 100, ip_tgt, mac_ans);
	len = vpct_arp(f, bcast, mac_req, 1, mac_req, ip_req, zero6, ip_tgt);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_REPLY);
	/* Expected reply, byte by byte; the padding stays as it was. */
	i = 0;
	memcpy(want + i, mac_req, 6); i += 6;		/* eth dst */
	memcpy(want + i, mac_ans, 6); i += 6;		/* eth src */
	want[i++] = 0x08; want[i++] = 0x06;		/* ARP */
	want[i++] = 0; want[i++] = 1;			/* htype */
	want[i++] = 0x08; want[i++] = 0x00;		/* ptype */
	want[i++] = 6; want[i++] = 4;
	want[i++] = 0; want[i++] = 2;			/* op reply */
	memcpy(want + i, mac_ans, 6); i += 6;		/* sha */
	memcpy(want + i, ip_tgt, 4); i += 4;		/* spa */
	memcpy(want + i, mac_req, 6); i += 6;		/* tha */
	memcpy(want + i, ip_req, 4); i += 4;		/* tpa */
	VPCT_EQ(i, 42);
	memset(want + i, 0, len - i);
	for (i = 0; i < len; i++) {
		if (out[i] != want[i])
			vpct_fail(__FILE__, __LINE__, "byte %u: %#x want %#x",
			    i, out[i], want[i]);
	}
	vpct_world_fini(&w);
}

VPCT_CASE(arp_proxy_not_answered)
{
	struct vpct_world w;
	struct vpc_switch *sw;
	uint8_t f[64], out[64];
	uint32_t len;

	vpct_world_init(&w);
	sw = vpct_switch(&w, VPC_SW_MODE_PROGRAMMED);
	vpct_arp_add(sw, 100, ip_tgt, mac_ans);
	vpct_arp_add(sw, 100, ip_req, mac_req);

	/* Gratuitous ARP: spa == tpa, even with an entry. */
	len = vpct_arp(f, bcast, mac_ans, 1, mac_ans, ip_tgt, zero6, ip_tgt);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_NOT_REQUEST);
	VPCT_CHECK(memcmp(out, f, len) == 0);
	/* Gratuitous reply. */
	len = vpct_arp(f, bcast, mac_ans, 2, mac_ans, ip_tgt, bcast, ip_tgt);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_NOT_REQUEST);
	VPCT_CHECK(memcmp(out, f, len) == 0);
	/* A reply is never answered. */
	len = vpct_arp(f, mac_ans, mac_req, 2, mac_req, ip_req, mac_ans,
	    ip_tgt);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_NOT_REQUEST);
	/* A guest asking about its own address (duplicate detection). */
	len = vpct_arp(f, bcast, mac_req, 1, mac_req, ip_other, zero6,
	    ip_req);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_NOT_REQUEST);
	VPCT_CHECK(memcmp(out, f, len) == 0);
	/* No entry, or the entry is in another VNI. */
	len = vpct_arp(f, bcast, mac_req, 1, mac_req, ip_req, zero6,
	    ip_other);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_MISS);
	VPCT_CHECK(memcmp(out, f, len) == 0);
	len = vpct_arp(f, bcast, mac_req, 1, mac_req, ip_req, zero6, ip_tgt);
	VPCT_EQ(proxy(sw, f, len, 101, out), VPC_ARP_MISS);
	VPCT_CHECK(memcmp(out, f, len) == 0);
	/* Not ARP at all. */
	len = vpct_udp4(f, bcast, mac_req, 0, ip_req, ip_tgt, 68, 67, 4);
	VPCT_EQ(proxy(sw, f, len, 100, out), VPC_ARP_NOT_REQUEST);
	vpct_world_fini(&w);
}

/*
 * The reply is a new frame: none of the request's offload state (a
 * guest's virtio-net header may claim a partial checksum or GSO on an
 * ARP request) goes back with it, or the host would "complete" a
 * checksum inside the ARP reply.
 */
VPCT_CASE(arp_proxy_reply_has_no_offloads)
{
	struct vpct_world w;
	struct vpc_epoch_tracker et;
	struct vpc_switch *sw;
	struct vpct_buf b;
	struct vpc_pkt p;
	uint8_t f[64];
	uint32_t len;

	vpct_world_init(&w);
	sw = vpct_switch(&w, VPC_SW_MODE_PROGRAMMED);
	vpct_arp_add(sw, 100, ip_tgt, mac_ans);
	len = vpct_arp(f, bcast, mac_req, 1, mac_req, ip_req, zero6, ip_tgt);
	vpct_pkt(&p, &b, f, len);
	p.p_offload = VPC_PKT_CSUM_PARTIAL | VPC_PKT_GSO_ECN;
	p.p_csum_start = 14;
	p.p_csum_offset = 6;
	p.p_gso_type = VPC_GSO_TCPV4;
	p.p_gso_size = 1400;
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	vpc_os_epoch_enter(&et);
	VPCT_EQ(vpc_arp_proxy(sw, &p, 100), VPC_ARP_REPLY);
	vpc_os_epoch_exit(&et);
	VPCT_EQ(p.p_offload, 0);
	VPCT_EQ(p.p_gso_type, VPC_GSO_NONE);
	VPCT_EQ(p.p_gso_size, 0);
	vpct_world_fini(&w);
}
