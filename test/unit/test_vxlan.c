/*
 * test_vxlan.c: VXLAN encapsulation fields, every decapsulation drop
 * reason, and a round trip.
 */

#include <string.h>

#include "vpct.h"
#include "vpct_host.h"
#include "vpc_parse.h"
#include "vpc_vxlan.h"
#include "vpc_hash.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t ip_a[4] = { 192, 0, 2, 10 };
static const uint8_t ip_b[4] = { 192, 0, 2, 11 };

VPCT_CASE(vxlan_encap_fields)
{
	static const uint8_t hdr[8] = { 0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0 };
	struct vpc_ipaddr remote;
	struct vpc_txinfo tx;
	struct vpct_buf b;
	struct vpc_pkt p;
	uint8_t f[128];
	uint32_t len;

	len = vpct_udp4(f, mac_b, mac_a, 0, ip_a, ip_b, 5000, 53, 4);
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	vpct_ip4(&remote, 198, 51, 100, 2);
	memset(&tx, 0xee, sizeof(tx));
	tx.tx_vlan = 0;
	tx.tx_last = 1;
	vpc_vxlan_encap(&p, 0x123456, &remote, &tx);
	VPCT_EQ(tx.tx_encap, 1);
	VPCT_CHECK(memcmp(tx.tx_vxlan, hdr, 8) == 0);
	VPCT_CHECK(memcmp(&tx.tx_remote, &remote, sizeof(remote)) == 0);
	VPCT_EQ(tx.tx_flowhash, vpc_flowhash(&p));
	VPCT_EQ(tx.tx_vlan, 0);
	VPCT_EQ(tx.tx_last, 1);
	/* The frame itself is not touched. */
	VPCT_EQ(p.p_len, len);
	VPCT_CHECK(memcmp(p.p_data, f, len) == 0);
}

/* Decap of 'len' bytes of 'd'; returns the result, the view in 'p'. */
static int
decap(struct vpc_pkt *p, struct vpct_buf *b, const uint8_t *d, uint32_t len)
{
	vpct_pkt(p, b, d, len);
	return (vpc_vxlan_decap(p));
}

VPCT_CASE(vxlan_decap_drops)
{
	uint8_t d[128];
	struct vpct_buf b;
	struct vpc_pkt p;
	uint32_t len, i;

	memset(d, 0, sizeof(d));
	d[0] = 0x08;
	d[6] = 7;
	len = 8 + vpct_udp4(d + 8, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	for (i = 0; i < 8; i++)
		VPCT_EQ(decap(&p, &b, d, i), VPC_DROP_VXLAN_SHORT);
	for (i = 8; i < 8 + 14; i++) {
		VPCT_EQ(decap(&p, &b, d, i), VPC_DROP_VXLAN_INNER_SHORT);
		VPCT_EQ(p.p_len, i);	/* unchanged on error */
	}
	VPCT_EQ(decap(&p, &b, d, 8 + 14), 0);
	d[0] = 0x00;
	VPCT_EQ(decap(&p, &b, d, len), VPC_DROP_VXLAN_BAD_FLAGS);
	d[0] = 0xf7;		/* everything but I */
	VPCT_EQ(decap(&p, &b, d, len), VPC_DROP_VXLAN_BAD_FLAGS);
	VPCT_EQ(p.p_len, len);
	/* Reserved bits are ignored on receipt. */
	d[0] = 0xff;
	d[1] = d[2] = d[3] = d[7] = 0xff;
	VPCT_EQ(decap(&p, &b, d, len), 0);
	VPCT_EQ(p.p_vni, 7);
}

VPCT_CASE(vxlan_round_trip)
{
	struct vpc_ipaddr remote;
	struct vpc_txinfo tx;
	struct vpct_buf b, b2;
	struct vpc_pkt p, q;
	uint8_t f[128], dgram[160];
	uint32_t len;

	len = vpct_udp4(f, mac_b, mac_a, 0, ip_a, ip_b, 5000, 53, 30);
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	vpct_ip6(&remote, 9);
	memset(&tx, 0, sizeof(tx));
	vpc_vxlan_encap(&p, VPC_VNI_MAX, &remote, &tx);
	/* What a host sends: the header, then the frame. */
	memcpy(dgram, tx.tx_vxlan, 8);
	memcpy(dgram + 8, p.p_data, p.p_len);
	vpct_pkt(&q, &b2, dgram, 8 + len);
	VPCT_EQ(vpc_vxlan_decap(&q), 0);
	VPCT_EQ(q.p_vni, VPC_VNI_MAX);
	VPCT_EQ(q.p_len, len);
	VPCT_EQ(q.p_totlen, len);
	VPCT_EQ(q.p_headroom, VPC_PKT_HEADROOM + 8);
	VPCT_CHECK(memcmp(q.p_data, f, len) == 0);
}
