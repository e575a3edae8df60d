/*
 * test_parse.c: the frame parser on valid frames, malformed frames, and
 * every truncation of valid frames (each prefix in a buffer of exactly
 * its size, so ASan reports any read past p_len); the flow hash.
 */

#include <stdlib.h>
#include <string.h>

#include "vpct.h"
#include "vpct_host.h"
#include "vpc_parse.h"
#include "vpc_hash.h"

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t ip_a[4] = { 192, 0, 2, 10 };
static const uint8_t ip_b[4] = { 192, 0, 2, 11 };
static const uint8_t zero6[6];

/* A frame, what parsing it must give, and what its prefixes give. */
struct pcase {
	const char	*pc_name;
	uint8_t		 pc_f[256];
	uint32_t	 pc_len;
	int		 pc_error;	/* expected result */
	uint16_t	 pc_et;		/* pm_ethertype, if parsed */
	uint16_t	 pc_vlan;
	uint16_t	 pc_l3off;
	uint16_t	 pc_l4off;
	uint8_t		 pc_proto;
	uint32_t	 pc_minok;	/* shortest valid prefix (0: whole) */
	int		 pc_trunc;	/* reason for prefixes >= l3off */
};

static int	parse_copy(const uint8_t *f, uint32_t len, struct vpc_pkt *out);
static void	build_cases(struct pcase *c, uint32_t *n);

/* Parse 'len' bytes of 'f' from a heap buffer of exactly that size. */
static int
parse_copy(const uint8_t *f, uint32_t len, struct vpc_pkt *out)
{
	struct vpc_pkt p;
	uint8_t *buf;
	int error;

	buf = malloc(len != 0 ? len : 1);
	VPCT_REQUIRE(buf != NULL);
	memcpy(buf, f, len);
	vpc_pkt_init(&p, buf, len, len, 0, NULL);
	error = vpc_parse_eth(&p);
	if (out != NULL)
		*out = p;
	free(buf);
	if (out != NULL)
		out->p_data = NULL;
	return (error);
}

static void
build_cases(struct pcase *c, uint32_t *n)
{
	struct pcase *x;
	uint32_t i = 0;

	x = &c[i++];
	x->pc_name = "udp4";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1000, 53,
	    10);
	x->pc_et = 0x0800; x->pc_l3off = 14; x->pc_l4off = 34; x->pc_proto = 17;
	x->pc_trunc = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "udp4 tagged";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 100, ip_a, ip_b, 1000,
	    53, 10);
	x->pc_et = 0x0800; x->pc_vlan = 100; x->pc_l3off = 18;
	x->pc_l4off = 38; x->pc_proto = 17;
	x->pc_trunc = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "tcp6";
	x->pc_len = vpct_tcp6(x->pc_f, mac_b, mac_a, 40000, 80, 5);
	x->pc_et = 0x86dd; x->pc_l3off = 14; x->pc_l4off = 54; x->pc_proto = 6;
	x->pc_trunc = VPC_DROP_IP6_MALFORMED;

	x = &c[i++];
	x->pc_name = "arp request";
	x->pc_len = vpct_arp(x->pc_f, bcast, mac_a, 1, mac_a, ip_a, zero6,
	    ip_b);
	x->pc_et = 0x0806; x->pc_l3off = 14;
	x->pc_minok = 42;
	x->pc_trunc = VPC_DROP_ARP_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv4 fragment";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	vpc_put_be16(x->pc_f + 14 + 6, 0x0010);	/* offset 128 bytes */
	x->pc_et = 0x0800; x->pc_l3off = 14; x->pc_proto = 17;
	x->pc_trunc = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv4 options";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	/* IHL 6: the 4 bytes after the header become an option. */
	x->pc_f[14] = 0x46;
	x->pc_et = 0x0800; x->pc_l3off = 14; x->pc_l4off = 38; x->pc_proto = 17;
	x->pc_trunc = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "other ethertype";
	x->pc_len = vpct_eth(x->pc_f, mac_b, mac_a, 0, 0x88cc) + 30;
	x->pc_et = 0x88cc; x->pc_l3off = 14;
	x->pc_minok = 14;

	/* Malformed frames. */
	x = &c[i++];
	x->pc_name = "two tags";
	x->pc_len = vpct_eth(x->pc_f, mac_b, mac_a, 10, 0x8100) + 30;
	x->pc_error = VPC_DROP_VLAN_STACKED;

	x = &c[i++];
	x->pc_name = "qinq";
	x->pc_len = vpct_eth(x->pc_f, mac_b, mac_a, 0, 0x88a8) + 30;
	x->pc_error = VPC_DROP_VLAN_STACKED;

	x = &c[i++];
	x->pc_name = "ipv4 version 5";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	x->pc_f[14] = 0x55;
	x->pc_error = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv4 ihl 4";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	x->pc_f[14] = 0x44;
	x->pc_error = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv4 total length beyond frame";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	vpc_put_be16(x->pc_f + 16, 33);
	x->pc_error = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv4 total length below header";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	vpc_put_be16(x->pc_f + 16, 19);
	x->pc_error = VPC_DROP_IP4_MALFORMED;

	x = &c[i++];
	x->pc_name = "udp cut by ip length";
	x->pc_len = vpct_udp4(x->pc_f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 4);
	vpc_put_be16(x->pc_f + 16, 24);
	x->pc_error = VPC_DROP_L4_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv6 payload length beyond frame";
	x->pc_len = vpct_tcp6(x->pc_f, mac_b, mac_a, 1, 2, 0);
	vpc_put_be16(x->pc_f + 18, 21);
	x->pc_error = VPC_DROP_IP6_MALFORMED;

	x = &c[i++];
	x->pc_name = "ipv6 version 4";
	x->pc_len = vpct_tcp6(x->pc_f, mac_b, mac_a, 1, 2, 0);
	x->pc_f[14] = 0x40;
	x->pc_error = VPC_DROP_IP6_MALFORMED;

	x = &c[i++];
	x->pc_name = "tcp data offset 4";
	x->pc_len = vpct_tcp6(x->pc_f, mac_b, mac_a, 1, 2, 0);
	x->pc_f[54 + 12] = 4 << 4;
	x->pc_error = VPC_DROP_L4_MALFORMED;

	x = &c[i++];
	x->pc_name = "tcp data offset beyond payload";
	x->pc_len = vpct_tcp6(x->pc_f, mac_b, mac_a, 1, 2, 0);
	x->pc_f[54 + 12] = 6 << 4;
	x->pc_error = VPC_DROP_L4_MALFORMED;

	x = &c[i++];
	x->pc_name = "arp ipv6 protocol";
	x->pc_len = vpct_arp(x->pc_f, bcast, mac_a, 1, mac_a, ip_a, zero6,
	    ip_b);
	vpc_put_be16(x->pc_f + 16, 0x86dd);
	x->pc_error = VPC_DROP_ARP_MALFORMED;

	x = &c[i++];
	x->pc_name = "arp op 3";
	x->pc_len = vpct_arp(x->pc_f, bcast, mac_a, 3, mac_a, ip_a, zero6,
	    ip_b);
	x->pc_error = VPC_DROP_ARP_MALFORMED;

	x = &c[i++];
	x->pc_name = "arp hlen 8";
	x->pc_len = vpct_arp(x->pc_f, bcast, mac_a, 1, mac_a, ip_a, zero6,
	    ip_b);
	x->pc_f[18] = 8;
	x->pc_error = VPC_DROP_ARP_MALFORMED;
	*n = i;
}

VPCT_CASE(parse_table)
{
	static struct pcase c[32];
	struct vpc_pkt p;
	uint32_t i, n;
	int error;

	memset(c, 0, sizeof(c));
	build_cases(c, &n);
	for (i = 0; i < n; i++) {
		error = parse_copy(c[i].pc_f, c[i].pc_len, &p);
		if (error != c[i].pc_error) {
			vpct_fail(__FILE__, __LINE__, "%s: got %d want %d",
			    c[i].pc_name, error, c[i].pc_error);
			continue;
		}
		if (error != 0)
			continue;
		if (p.p_meta.pm_ethertype != c[i].pc_et ||
		    p.p_meta.pm_vlan != c[i].pc_vlan ||
		    p.p_meta.pm_l3off != c[i].pc_l3off ||
		    p.p_meta.pm_l4off != c[i].pc_l4off ||
		    p.p_meta.pm_l4proto != c[i].pc_proto ||
		    !p.p_meta.pm_parsed)
			vpct_fail(__FILE__, __LINE__,
			    "%s: meta et %#x vlan %u l3 %u l4 %u proto %u",
			    c[i].pc_name, p.p_meta.pm_ethertype,
			    p.p_meta.pm_vlan, p.p_meta.pm_l3off,
			    p.p_meta.pm_l4off, p.p_meta.pm_l4proto);
	}
}

/*
 * Every prefix of every valid frame: shorter than the Ethernet header is
 * ETH_SHORT, inside the tag VLAN_SHORT, beyond that the reason of the
 * layer that no longer fits (or 0 once the prefix is long enough, for
 * frames whose tail is padding).  Malformed frames are cut too, for ASan.
 */
VPCT_CASE(parse_every_truncation)
{
	static struct pcase c[32];
	uint32_t i, n, len, checked;
	int error, want;

	memset(c, 0, sizeof(c));
	build_cases(c, &n);
	checked = 0;
	for (i = 0; i < n; i++) {
		for (len = 0; len < c[i].pc_len; len++) {
			error = parse_copy(c[i].pc_f, len, NULL);
			if (c[i].pc_error != 0)
				continue;	/* no crash is the check */
			if (len < 14)
				want = VPC_DROP_ETH_SHORT;
			else if (c[i].pc_vlan != 0 && len < 18)
				want = VPC_DROP_VLAN_SHORT;
			else if (c[i].pc_minok != 0 && len >= c[i].pc_minok)
				want = 0;
			else
				want = c[i].pc_trunc;
			if (error != want)
				vpct_fail(__FILE__, __LINE__,
				    "%s cut at %u: got %d want %d",
				    c[i].pc_name, len, error, want);
			checked++;
		}
	}
	VPCT_CHECK(checked > 350);	/* 7 valid frames of 44..79 bytes */
}

/* A window shorter than the frame: headers beyond it are refused. */
VPCT_CASE(parse_short_window)
{
	uint8_t f[256];
	struct vpc_pkt p;
	uint32_t len;

	len = vpct_udp4(f, mac_b, mac_a, 0, ip_a, ip_b, 1, 2, 100);
	vpc_pkt_init(&p, f, 30, len, 0, NULL);
	VPCT_EQ(vpc_parse_eth(&p), VPC_DROP_IP4_MALFORMED);
	vpc_pkt_init(&p, f, 40, len, 0, NULL);
	VPCT_EQ(vpc_parse_eth(&p), VPC_DROP_L4_MALFORMED);
	vpc_pkt_init(&p, f, 42, len, 0, NULL);
	VPCT_EQ(vpc_parse_eth(&p), 0);
}

VPCT_CASE(parse_strip_vlan)
{
	uint8_t f[256], g[256];
	struct vpct_buf b;
	struct vpc_pkt p;
	uint32_t len, glen;

	len = vpct_udp4(f, mac_b, mac_a, 321, ip_a, ip_b, 7, 8, 20);
	glen = vpct_udp4(g, mac_b, mac_a, 0, ip_a, ip_b, 7, 8, 20);
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	VPCT_CHECK(vpc_pkt_tagged(&p));
	VPCT_EQ(p.p_meta.pm_vlan, 321);
	vpc_pkt_strip_vlan(&p);
	VPCT_CHECK(!vpc_pkt_tagged(&p));
	VPCT_EQ(p.p_len, glen);
	VPCT_EQ(p.p_totlen, glen);
	VPCT_EQ(p.p_headroom, VPC_PKT_HEADROOM + 4);
	VPCT_EQ(p.p_meta.pm_l3off, 14);
	VPCT_EQ(p.p_meta.pm_l4off, 34);
	VPCT_CHECK(memcmp(p.p_data, g, glen) == 0);
}

/* Distinct flows get distinct hashes; one flow always the same. */
VPCT_CASE(parse_flowhash)
{
	uint8_t f[256];
	struct vpct_buf b;
	struct vpc_pkt p;
	static uint32_t h[1000];
	uint32_t i, j, len, dups, h0;
	uint16_t sp;

	for (i = 0; i < 1000; i++) {
		len = vpct_udp4(f, mac_b, mac_a, 0, ip_a, ip_b,
		    (uint16_t)(10000 + i), 4789, 8);
		vpct_pkt(&p, &b, f, len);
		VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
		h[i] = vpc_flowhash(&p);
	}
	dups = 0;
	for (i = 0; i < 1000; i++)
		for (j = i + 1; j < 1000; j++)
			if (h[i] == h[j])
				dups++;
	VPCT_CHECK(dups < 3);
	/* Addresses and protocol count too; MACs do not for IP. */
	len = vpct_udp4(f, mac_b, mac_a, 0, ip_b, ip_a, 10000, 4789, 8);
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	VPCT_CHECK(vpc_flowhash(&p) != h[0]);
	len = vpct_udp4(f, mac_a, mac_b, 0, ip_a, ip_b, 10000, 4789, 8);
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	VPCT_EQ(vpc_flowhash(&p), h[0]);
	/* Non-IP: the MAC addresses. */
	len = vpct_eth(f, mac_b, mac_a, 0, 0x88cc) + 30;
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	h0 = vpc_flowhash(&p);
	len = vpct_eth(f, mac_a, mac_b, 0, 0x88cc) + 30;
	vpct_pkt(&p, &b, f, len);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	VPCT_CHECK(vpc_flowhash(&p) != h0);
	/* Source ports: in range, spread over it. */
	dups = 0;
	for (i = 0; i < 1000; i++) {
		sp = vpc_vxlan_sport(h[i], 49152, 65535);
		VPCT_CHECK(sp >= 49152);
		if (sp < 49152 + 8192)
			dups++;
	}
	VPCT_CHECK(dups > 400 && dups < 600);
	VPCT_EQ(vpc_vxlan_sport(0xffffffffu, 49152, 65535), 65535);
	VPCT_EQ(vpc_vxlan_sport(0, 49152, 65535), 49152);
}
