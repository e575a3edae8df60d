/*
 * test_offload.c: vpcd's checksums, segmentation (GSO), coalescing (GRO)
 * and virtio-net header translation, checked against a reference written
 * here: every checksum is recomputed the plain RFC 1071 way, every
 * segment's headers are checked field by field, and a GRO join is cut
 * back by GSO into exactly the segments it was made of.
 */

#include <linux/virtio_net.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpct.h"
#include "vpc_parse.h"
#include "vpcd_offload.h"

/* Newer than some installed headers (Linux 6.2). */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define	VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif

#define	SF_MAX		(VPC_PKT_HEADROOM + 8 + 65536 + 256)
#define	VXLAN_HLEN	8
#define	TCPF_FIN	0x01
#define	TCPF_SYN	0x02
#define	TCPF_PSH	0x08
#define	TCPF_ACK	0x10
#define	TCPF_CWR	0x80

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };
static const uint8_t ip4_a[4] = { 192, 0, 2, 10 };
static const uint8_t ip4_b[4] = { 192, 0, 2, 11 };

/* One TCP or UDP frame to build (mk_frame). */
struct fspec {
	int		 f_v6;		/* IPv6, else IPv4 */
	uint8_t		 f_proto;	/* 6 or 17 */
	uint8_t		 f_tos;		/* TOS / traffic class */
	uint16_t	 f_id;		/* IPv4 identification */
	uint32_t	 f_seq;		/* TCP sequence number */
	uint8_t		 f_flags;	/* TCP flags */
	uint32_t	 f_optlen;	/* TCP options (multiple of 4) */
	uint32_t	 f_paylen;	/* payload bytes */
	uint32_t	 f_payoff;	/* payload pattern starts at this byte */
};

/* The reference sum: big-endian 16-bit words, odd byte padded. */
static uint64_t
ref_sum(uint64_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint64_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint64_t)p[len - 1] << 8;
	return (sum);
}

static uint16_t
ref_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)sum);
}

/* Pseudo-header sum of the IP header at 'ip' with 'l4len' L4 bytes. */
static uint64_t
ref_pseudo(const uint8_t *ip, int v6, uint8_t proto, uint32_t l4len)
{
	uint64_t sum;

	if (v6)
		sum = ref_sum(0, ip + 8, 32) + (l4len >> 16) +
		    (l4len & 0xffff);
	else
		sum = ref_sum(0, ip + 12, 8) + l4len;
	return (sum + proto);
}

static uint8_t
pay_byte(uint32_t i)
{
	return ((uint8_t)(i * 7 + (i >> 8) + 3));
}

/*
 * Write the frame of 's' at 'f' (Ethernet, IP, TCP or UDP, payload) with
 * valid IP and L4 checksums; returns its length.
 */
static uint32_t
mk_frame(uint8_t *f, const struct fspec *s)
{
	uint8_t *ip, *l4;
	uint32_t l3len, l4hlen, l4len, i;
	uint16_t c;

	memcpy(f, mac_b, 6);
	memcpy(f + 6, mac_a, 6);
	vpc_put_be16(f + 12, s->f_v6 ? VPC_ETHERTYPE_IPV6 :
	    VPC_ETHERTYPE_IPV4);
	ip = f + 14;
	l3len = s->f_v6 ? 40 : 20;
	l4hlen = s->f_proto == VPC_IPPROTO_TCP ? 20 + s->f_optlen : 8;
	l4len = l4hlen + s->f_paylen;
	memset(ip, 0, l3len + l4hlen);
	if (s->f_v6) {
		ip[0] = (uint8_t)(0x60 | s->f_tos >> 4);
		ip[1] = (uint8_t)(s->f_tos << 4 | 0x0a);	/* flow label */
		ip[3] = 0x5c;
		vpc_put_be16(ip + 4, (uint16_t)l4len);
		ip[6] = s->f_proto;
		ip[7] = 64;
		ip[8] = 0x20; ip[9] = 0x01; ip[10] = 0x0d; ip[11] = 0xb8;
		ip[23] = 1;
		ip[24] = 0x20; ip[25] = 0x01; ip[26] = 0x0d; ip[27] = 0xb8;
		ip[39] = 2;
	} else {
		ip[0] = 0x45;
		ip[1] = s->f_tos;
		vpc_put_be16(ip + 2, (uint16_t)(20 + l4len));
		vpc_put_be16(ip + 4, s->f_id);
		ip[6] = 0x40;				/* DF */
		ip[8] = 64;
		ip[9] = s->f_proto;
		memcpy(ip + 12, ip4_a, 4);
		memcpy(ip + 16, ip4_b, 4);
		c = (uint16_t)~ref_fold(ref_sum(0, ip, 20));
		vpc_put_be16(ip + 10, c);
	}
	l4 = ip + l3len;
	vpc_put_be16(l4, 40000);
	vpc_put_be16(l4 + 2, 5201);
	if (s->f_proto == VPC_IPPROTO_TCP) {
		vpc_put_be32(l4 + 4, s->f_seq);
		vpc_put_be32(l4 + 8, 0x01020304);		/* ack */
		l4[12] = (uint8_t)((l4hlen / 4) << 4);
		l4[13] = s->f_flags;
		vpc_put_be16(l4 + 14, 502);			/* window */
		for (i = 0; i + 12 <= s->f_optlen; i += 12) {
			l4[20 + i] = 1;				/* NOP */
			l4[21 + i] = 1;
			l4[22 + i] = 8;				/* TS */
			l4[23 + i] = 10;
			vpc_put_be32(l4 + 24 + i, 0xa1a2a3a4);
			vpc_put_be32(l4 + 28 + i, 0xb1b2b3b4);
		}
		for (; i < s->f_optlen; i++)
			l4[20 + i] = 1;
	} else
		vpc_put_be16(l4 + 4, (uint16_t)l4len);
	for (i = 0; i < s->f_paylen; i++)
		l4[l4hlen + i] = pay_byte(s->f_payoff + i);
	c = (uint16_t)~ref_fold(ref_sum(ref_pseudo(ip, s->f_v6, s->f_proto,
	    l4len), l4, l4len));
	if (s->f_proto == VPC_IPPROTO_UDP && c == 0)
		c = 0xffff;
	vpc_put_be16(l4 + (s->f_proto == VPC_IPPROTO_TCP ? 16 : 6), c);
	return (14 + l3len + l4len);
}

/* Headers' length of the frame of 's'. */
static uint32_t
hdr_len(const struct fspec *s)
{
	return (14 + (s->f_v6 ? 40 : 20) + (s->f_proto == VPC_IPPROTO_TCP ?
	    20 + s->f_optlen : 8));
}

/* A parsed view of 'len' bytes of 'f' copied into 'buf' after headroom. */
static void
pkt_view(struct vpc_pkt *p, uint8_t *buf, const uint8_t *f, uint32_t len)
{
	memcpy(buf + VPC_PKT_HEADROOM, f, len);
	vpc_pkt_init(p, buf + VPC_PKT_HEADROOM, len, len, VPC_PKT_HEADROOM,
	    NULL);
	VPCT_REQUIRE(vpc_parse_eth(p) == 0);
}

/*
 * Checksums of the random bytes in 'buf' against the reference, copied
 * to 'dst' as well, at every length to 300 and longer ones (whole vector
 * blocks and every kind of rest), at every alignment.
 */
static void
csum_check(const uint8_t *buf, uint8_t *dst, size_t size)
{
	uint64_t sum;
	uint32_t len, off, split;
	uint16_t got, want;

	for (len = 0; len + 8 <= size; len += len < 300 ? 1 : 61) {
		for (off = 0; off < 8; off++) {
			want = ref_fold(ref_sum(0, buf + off, len));
			got = vpcd_csum_fold(vpcd_csum_add(0, buf + off, len));
			VPCT_EQ(vpc_get_be16((uint8_t *)&got), want);
			/* Copying gives the same sum and the same bytes. */
			memset(dst, 0, size);
			sum = vpcd_csum_copy(dst + (off ^ 3), buf + off, len,
			    0);
			got = vpcd_csum_fold(sum);
			VPCT_EQ(vpc_get_be16((uint8_t *)&got), want);
			VPCT_CHECK(memcmp(dst + (off ^ 3), buf + off, len) ==
			    0);
			/* Chained at any even split. */
			split = (len / 2) & ~1u;
			sum = vpcd_csum_add(0, buf + off, split);
			sum = vpcd_csum_add(sum, buf + off + split,
			    len - split);
			got = vpcd_csum_fold(sum);
			VPCT_EQ(vpc_get_be16((uint8_t *)&got), want);
		}
	}
}

/*
 * The same with the vector code (where the CPU has it) and with the
 * portable code alone.
 */
VPCT_CASE(offload_csum_matches_reference)
{
	static uint8_t buf[4096 + 8], dst[4096 + 8];
	uint32_t i;
	int vec;

	srandom(7);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)random();
	for (vec = 0; vec < 2; vec++)
		if (vpcd_csum_vector(vec) == vec)
			csum_check(buf, dst, sizeof(buf));
	vpcd_csum_vector(1);
}

/*
 * Sums that fill every accumulator: 3 MiB and a little of 0xff (no lane
 * or word may carry out) and of 0xfe01 words, in both ways.
 */
VPCT_CASE(offload_csum_long_runs)
{
	const uint32_t len = 3 * 1024 * 1024 + 66;
	uint8_t *b, *d;
	uint16_t got, want;
	uint32_t i;
	int vec, fill;

	VPCT_REQUIRE((b = malloc(len)) != NULL);
	VPCT_REQUIRE((d = malloc(len)) != NULL);
	for (fill = 0; fill < 2; fill++) {
		for (i = 0; i < len; i++)
			b[i] = fill == 0 ? 0xff : (i & 1 ? 0x01 : 0xfe);
		want = ref_fold(ref_sum(0, b, len));
		for (vec = 0; vec < 2; vec++) {
			if (vpcd_csum_vector(vec) != vec)
				continue;
			got = vpcd_csum_fold(vpcd_csum_add(0, b, len));
			VPCT_EQ(vpc_get_be16((uint8_t *)&got), want);
			got = vpcd_csum_fold(vpcd_csum_copy(d, b, len, 0));
			VPCT_EQ(vpc_get_be16((uint8_t *)&got), want);
			VPCT_CHECK(memcmp(d, b, len) == 0);
		}
	}
	vpcd_csum_vector(1);
	free(b);
	free(d);
}

/*
 * Cut super-frame 'sf' (of 's', whose payload is 'payoff'-based) with
 * MSS 'mss' and VLAN tag 'vlan'; check every segment against the frame
 * the reference builds for it.
 */
static void
check_gso(const uint8_t *sf, uint32_t sflen, const struct fspec *s,
    uint32_t mss, uint16_t vlan, uint8_t gso_type)
{
	static uint8_t want[8192], got[8192];
	uint8_t hdr[VPCD_GSO_HDRMAX];
	static uint8_t buf[SF_MAX];
	struct vpcd_gso g;
	struct fspec seg;
	struct vpc_pkt p;
	const uint8_t *pay;
	uint32_t i, n, hl, plen, wlen, t;

	pkt_view(&p, buf, sf, sflen);
	p.p_gso_type = gso_type;
	p.p_gso_size = (uint16_t)mss;
	VPCT_REQUIRE(vpcd_gso_init(&g, &p, vlan) == 0);
	n = (s->f_paylen + mss - 1) / mss;
	VPCT_EQ(g.g_nseg, n);
	t = vlan != 0 ? 4 : 0;
	for (i = 0; i < n; i++) {
		hl = vpcd_gso_seg(&g, i, hdr, &pay, &plen);
		VPCT_EQ(hl, hdr_len(s) + t);
		VPCT_EQ(plen, i + 1 < n ? mss : s->f_paylen - i * mss);
		VPCT_REQUIRE(hl + plen <= sizeof(got));
		memcpy(got, hdr, hl);
		memcpy(got + hl, pay, plen);
		/* What a NIC doing TSO would send as segment i. */
		seg = *s;
		seg.f_id = (uint16_t)(s->f_id + i);
		seg.f_seq = s->f_seq + i * mss;
		seg.f_paylen = plen;
		seg.f_payoff = s->f_payoff + i * mss;
		if (i + 1 < n)
			seg.f_flags &= (uint8_t)~(TCPF_FIN | TCPF_PSH);
		if (i != 0)
			seg.f_flags &= (uint8_t)~TCPF_CWR;
		wlen = mk_frame(t != 0 ? want + 4 : want, &seg);
		if (t != 0) {
			memmove(want, want + 4, 12);
			vpc_put_be16(want + 12, VPC_ETHERTYPE_VLAN);
			vpc_put_be16(want + 14, vlan);
			wlen += 4;
		}
		VPCT_EQ(hl + plen, wlen);
		if (memcmp(got, want, wlen) != 0) {
			vpct_fail(__FILE__, __LINE__, "segment %u of %u "
			    "differs from the reference", i, n);
			return;
		}
	}
}

VPCT_CASE(offload_gso_tcp4_segments)
{
	static uint8_t sf[SF_MAX];
	struct fspec s = { .f_proto = VPC_IPPROTO_TCP, .f_tos = 0x02,
	    .f_id = 0xfffe, .f_seq = 0xfffff000u, .f_flags = TCPF_ACK |
	    TCPF_PSH | TCPF_FIN | TCPF_CWR, .f_optlen = 12,
	    .f_paylen = 3 * 1448 + 5 };
	uint32_t len;

	/* Sequence numbers and IP ids wrap inside the frame. */
	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1448, 0, VPC_GSO_TCPV4);
	check_gso(sf, len, &s, 1448, 100, VPC_GSO_TCPV4);
	/* Payload a multiple of the MSS; odd MSS (odd-length payloads). */
	s.f_paylen = 4 * 1000;
	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1000, 0, VPC_GSO_TCPV4);
	check_gso(sf, len, &s, 999, 0, VPC_GSO_TCPV4);
	/* One segment only. */
	check_gso(sf, len, &s, 4000, 0, VPC_GSO_TCPV4);
	/* The largest super-frame a guest can give. */
	s.f_paylen = 65535 - 20 - 32;
	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1448, 0, VPC_GSO_TCPV4);
}

VPCT_CASE(offload_gso_tcp6_segments)
{
	static uint8_t sf[SF_MAX];
	struct fspec s = { .f_v6 = 1, .f_proto = VPC_IPPROTO_TCP,
	    .f_tos = 0xb8, .f_seq = 12345, .f_flags = TCPF_ACK | TCPF_PSH,
	    .f_optlen = 12, .f_paylen = 5 * 1428 + 1 };
	uint32_t len;

	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1428, 0, VPC_GSO_TCPV6);
	check_gso(sf, len, &s, 1428, 4094, VPC_GSO_TCPV6);
	s.f_optlen = 0;
	s.f_paylen = 60000;
	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1440, 0, VPC_GSO_TCPV6);
}

VPCT_CASE(offload_gso_udp_datagrams)
{
	static uint8_t sf[SF_MAX];
	struct fspec s = { .f_proto = VPC_IPPROTO_UDP, .f_id = 7,
	    .f_paylen = 3 * 1400 + 2 };
	uint64_t sum;
	uint32_t len, l4;
	uint16_t c;

	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1400, 0, VPC_GSO_UDP_L4);
	s.f_v6 = 1;
	len = mk_frame(sf, &s);
	check_gso(sf, len, &s, 1400, 0, VPC_GSO_UDP_L4);
	/*
	 * A datagram whose checksum computes to 0 must carry 0xffff (0
	 * means "no checksum"): pick the payload's last two bytes so that
	 * the one-segment datagram's sum is 0xffff.
	 */
	s.f_v6 = 0;
	s.f_paylen = 100;
	len = mk_frame(sf, &s);
	l4 = 14 + 20;
	sf[len - 2] = sf[len - 1] = 0;
	sf[l4 + 6] = sf[l4 + 7] = 0;
	sum = ref_sum(ref_pseudo(sf + 14, 0, VPC_IPPROTO_UDP, 108), sf + l4,
	    108);
	c = (uint16_t)(0xffff - ref_fold(sum));
	vpc_put_be16(sf + len - 2, c);
	VPCT_REQUIRE(ref_fold(ref_sum(ref_pseudo(sf + 14, 0, VPC_IPPROTO_UDP,
	    108), sf + l4, 108)) == 0xffff);
	{
		uint8_t hdr[VPCD_GSO_HDRMAX];
		static uint8_t buf[SF_MAX];
		struct vpcd_gso g;
		struct vpc_pkt p;
		const uint8_t *pay;
		uint32_t plen;

		pkt_view(&p, buf, sf, len);
		p.p_gso_type = VPC_GSO_UDP_L4;
		p.p_gso_size = 1400;
		VPCT_REQUIRE(vpcd_gso_init(&g, &p, 0) == 0);
		VPCT_EQ(vpcd_gso_seg(&g, 0, hdr, &pay, &plen), 42);
		VPCT_EQ(vpc_get_be16(hdr + l4 + 6), 0xffff);
	}
}

VPCT_CASE(offload_gso_refuses)
{
	static uint8_t sf[SF_MAX], buf[SF_MAX];
	struct fspec s = { .f_proto = VPC_IPPROTO_TCP, .f_flags = TCPF_ACK,
	    .f_paylen = 3000 };
	struct vpcd_gso g;
	struct vpc_pkt p;
	uint32_t len;

	len = mk_frame(sf, &s);
	pkt_view(&p, buf, sf, len);
	p.p_gso_size = 1448;
	p.p_gso_type = VPC_GSO_TCPV6;		/* an IPv4 frame */
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), EINVAL);
	p.p_gso_type = VPC_GSO_UDP_L4;		/* a TCP frame */
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), EINVAL);
	p.p_gso_type = 9;
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), EINVAL);
	p.p_gso_type = VPC_GSO_TCPV4;
	p.p_gso_size = 0;
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), EINVAL);
	p.p_gso_size = 1448;
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), 0);
	/* Headers only, no payload to cut. */
	s.f_paylen = 0;
	len = mk_frame(buf + VPC_PKT_HEADROOM, &s);
	vpc_pkt_init(&p, buf + VPC_PKT_HEADROOM, len, len, VPC_PKT_HEADROOM,
	    NULL);
	VPCT_REQUIRE(vpc_parse_eth(&p) == 0);
	p.p_gso_type = VPC_GSO_TCPV4;
	p.p_gso_size = 1448;
	VPCT_EQ(vpcd_gso_init(&g, &p, 0), EINVAL);
}

VPCT_CASE(offload_vnet_header)
{
	static uint8_t sf[SF_MAX], buf[SF_MAX];
	struct fspec s = { .f_proto = VPC_IPPROTO_TCP, .f_flags = TCPF_ACK,
	    .f_optlen = 12, .f_paylen = 3000 };
	struct virtio_net_hdr vh, out;
	struct vpc_pkt p;
	uint32_t len;

	len = mk_frame(sf, &s);
	pkt_view(&p, buf, sf, len);
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_start = 34;
	vh.csum_offset = 16;
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN;
	vh.gso_size = 1448;
	vh.hdr_len = 66;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), 0);
	VPCT_EQ(p.p_offload, VPC_PKT_CSUM_PARTIAL | VPC_PKT_GSO_ECN);
	VPCT_EQ(p.p_csum_start, 34);
	VPCT_EQ(p.p_csum_offset, 16);
	VPCT_EQ(p.p_gso_type, VPC_GSO_TCPV4);
	VPCT_EQ(p.p_gso_size, 1448);
	/* Back, with a VLAN tag inserted before the IP header. */
	VPCT_EQ(vpcd_vnet_from_pkt(&p, 4, &out), 0);
	VPCT_EQ(out.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	VPCT_EQ(out.csum_start, 38);
	VPCT_EQ(out.csum_offset, 16);
	VPCT_EQ(out.gso_type, VIRTIO_NET_HDR_GSO_TCPV4 |
	    VIRTIO_NET_HDR_GSO_ECN);
	VPCT_EQ(out.gso_size, 1448);
	VPCT_EQ(out.hdr_len, 70);

	/* Refused: UFO, a zero MSS, a checksum field past the frame. */
	vh.gso_type = 3;			/* VIRTIO_NET_HDR_GSO_UDP */
	p.p_offload = p.p_gso_type = 0;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), EINVAL);
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh.gso_size = 0;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), EINVAL);
	vh.gso_size = 1448;
	vh.csum_start = (uint16_t)(len - 17);
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), EINVAL);
	vh.csum_start = (uint16_t)(len - 18);
	p.p_offload = p.p_gso_type = 0;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), 0);

	/* ECN is a TCP matter: a UDP super-frame does not carry it. */
	memset(&vh, 0, sizeof(vh));
	vh.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4 | VIRTIO_NET_HDR_GSO_ECN;
	vh.gso_size = 1400;
	p.p_offload = p.p_gso_type = 0;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), 0);
	VPCT_EQ(p.p_offload, 0);
	VPCT_EQ(p.p_gso_type, VPC_GSO_UDP_L4);

	/* A verified checksum is said so; no offload, an empty header. */
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_DATA_VALID;
	p.p_offload = p.p_gso_type = 0;
	VPCT_EQ(vpcd_vnet_to_pkt(&vh, &p), 0);
	VPCT_EQ(p.p_offload, VPC_PKT_CSUM_VALID);
	VPCT_EQ(vpcd_vnet_from_pkt(&p, 0, &out), 0);
	VPCT_EQ(out.flags, VIRTIO_NET_HDR_F_DATA_VALID);
	VPCT_EQ(out.gso_type, 0);
	p.p_offload = 0;
	VPCT_EQ(vpcd_vnet_from_pkt(&p, 0, &out), 0);
	VPCT_EQ(out.flags, 0);
}

/* GRO: what the context handed on, in order. */
#define	GRO_OUT_MAX	16
struct gro_out {
	uint8_t		*go_data;	/* copy of the frame (datagram) */
	uint32_t	 go_len;
	uint16_t	 go_offload;
	uint8_t		 go_gso_type;
	uint16_t	 go_gso_size;
	uint16_t	 go_csum_start;
	uint16_t	 go_csum_offset;
	int		 go_transient;
};

struct gro_rec {
	struct gro_out	 gr_out[GRO_OUT_MAX];
	uint32_t	 gr_n;
};

static void
gro_record(void *arg, struct vpc_pkt *pkt, const struct vpc_ipaddr *src
    __unused, int transient)
{
	struct gro_rec *r = arg;
	struct gro_out *o;

	VPCT_REQUIRE(r->gr_n < GRO_OUT_MAX);
	o = &r->gr_out[r->gr_n++];
	VPCT_REQUIRE((o->go_data = malloc(pkt->p_len)) != NULL);
	memcpy(o->go_data, pkt->p_data, pkt->p_len);
	o->go_len = pkt->p_len;
	o->go_offload = pkt->p_offload;
	o->go_gso_type = pkt->p_gso_type;
	o->go_gso_size = pkt->p_gso_size;
	o->go_csum_start = pkt->p_csum_start;
	o->go_csum_offset = pkt->p_csum_offset;
	o->go_transient = transient;
}

static void
gro_rec_free(struct gro_rec *r)
{
	uint32_t i;

	for (i = 0; i < r->gr_n; i++)
		free(r->gr_out[i].go_data);
	r->gr_n = 0;
}

/* Datagrams to feed: VXLAN header (VNI 100) and a frame. */
struct dgram {
	uint8_t		 d_buf[VPC_PKT_HEADROOM + VXLAN_HLEN + 2048];
	uint32_t	 d_len;
};

static uint8_t *
dg_data(struct dgram *d)
{
	return (d->d_buf + VPC_PKT_HEADROOM);
}

static void
mk_dgram(struct dgram *d, const struct fspec *s)
{
	uint8_t *v = dg_data(d);

	memset(v, 0, VXLAN_HLEN);
	v[0] = 0x08;
	v[6] = 100;
	d->d_len = VXLAN_HLEN + mk_frame(v + VXLAN_HLEN, s);
}

static void
feed(struct vpcd_gro *gr, struct dgram *d, const struct vpc_ipaddr *src)
{
	vpcd_gro_input(gr, dg_data(d), d->d_len, VPC_PKT_HEADROOM, src);
}

static const uint8_t udp_yes = 1, udp_no = 0;

/*
 * Join 'n' segments of 's' (TCP or UDP; payload 'mss', the last 'last',
 * a TCP one with PSH), check the super-frame and cut it back.
 */
static void
check_gro_roundtrip(struct fspec s, uint32_t n, uint32_t mss, uint32_t last)
{
	static struct dgram d[8];
	struct vpc_ipaddr src;
	struct vpcd_gro *gr;
	struct gro_rec rec;
	struct gro_out *o;
	const uint8_t *ip;
	struct fspec seg;
	uint32_t i, l3, l4, total;
	uint16_t c;
	int tcp = s.f_proto == VPC_IPPROTO_TCP;
	uint8_t gso_type;

	VPCT_REQUIRE(n <= 8);
	memset(&rec, 0, sizeof(rec));
	memset(&src, 0, sizeof(src));
	src.va_family = VPC_AF_INET;
	src.va_addr[0] = 198; src.va_addr[1] = 51; src.va_addr[2] = 100;
	src.va_addr[3] = 2;
	VPCT_REQUIRE((gr = vpcd_gro_create(gro_record, &rec, &udp_yes)) !=
	    NULL);
	total = 0;
	for (i = 0; i < n; i++) {
		seg = s;
		seg.f_id = (uint16_t)(s.f_id + i);
		seg.f_seq = s.f_seq + i * mss;
		seg.f_payoff = s.f_payoff + i * mss;
		seg.f_paylen = i + 1 < n ? mss : last;
		seg.f_flags = i + 1 < n ? TCPF_ACK : TCPF_ACK | TCPF_PSH;
		mk_dgram(&d[i], &seg);
		feed(gr, &d[i], &src);
		total += seg.f_paylen;
	}
	/* The PSH segment closed the frame; nothing is out before flush. */
	VPCT_EQ(rec.gr_n, 0);
	vpcd_gro_flush(gr);
	VPCT_REQUIRE(rec.gr_n == 1);
	o = &rec.gr_out[0];
	l3 = VXLAN_HLEN + 14;
	l4 = l3 + (s.f_v6 ? 40 : 20);
	VPCT_EQ(o->go_transient, 1);
	VPCT_EQ(o->go_len, l4 + (tcp ? 20 + s.f_optlen : 8) + total);
	gso_type = !tcp ? VPC_GSO_UDP_L4 : s.f_v6 ? VPC_GSO_TCPV6 :
	    VPC_GSO_TCPV4;
	VPCT_EQ(o->go_offload, VPC_PKT_CSUM_PARTIAL);
	VPCT_EQ(o->go_gso_type, gso_type);
	VPCT_EQ(o->go_gso_size, mss);
	VPCT_EQ(o->go_csum_start, l4);
	VPCT_EQ(o->go_csum_offset, tcp ? 16 : 6);
	ip = o->go_data + l3;
	if (s.f_v6)
		VPCT_EQ(vpc_get_be16(ip + 4), o->go_len - l4);
	else {
		VPCT_EQ(vpc_get_be16(ip + 2), o->go_len - l3);
		VPCT_EQ(ref_fold(ref_sum(0, ip, 20)), 0xffff);
	}
	/*
	 * A partial checksum holds the pseudo-header sum, not inverted; a
	 * USO frame's UDP length is that of the whole frame, which the
	 * segmenting stack takes out of the sum again.
	 */
	c = ref_fold(ref_pseudo(ip, s.f_v6, s.f_proto, o->go_len - l4));
	VPCT_EQ(vpc_get_be16(o->go_data + l4 + (tcp ? 16 : 6)), c);
	if (tcp)
		VPCT_EQ(o->go_data[l4 + 13], TCPF_ACK | TCPF_PSH);
	else
		VPCT_EQ(vpc_get_be16(o->go_data + l4 + 4), o->go_len - l4);
	/* Cut again, the super-frame gives back the segments it joined. */
	seg = s;
	seg.f_flags = TCPF_ACK | TCPF_PSH;
	seg.f_paylen = total;
	check_gso(o->go_data + VXLAN_HLEN, o->go_len - VXLAN_HLEN, &seg, mss,
	    0, gso_type);
	gro_rec_free(&rec);
	vpcd_gro_destroy(gr);
}

VPCT_CASE(offload_gro_joins_and_gso_cuts_back)
{
	struct fspec s = { .f_proto = VPC_IPPROTO_TCP, .f_id = 0xfffe,
	    .f_seq = 0xffffff00u, .f_optlen = 12 };

	check_gro_roundtrip(s, 4, 1448, 17);
	s.f_optlen = 0;
	check_gro_roundtrip(s, 2, 1460, 1460);
	s.f_v6 = 1;
	s.f_tos = 0x28;
	s.f_optlen = 12;
	check_gro_roundtrip(s, 5, 1428, 1);
	/* UDP, where the TAPs take USO frames. */
	s.f_proto = VPC_IPPROTO_UDP;
	check_gro_roundtrip(s, 3, 1400, 1400);
	s.f_v6 = 0;
	check_gro_roundtrip(s, 8, 64, 10);
}

/*
 * UDP is joined only while the flag given at creation says so, only
 * with a checksum, only for one flow, and at most 64 datagrams a frame.
 */
VPCT_CASE(offload_gro_udp_limits)
{
	static struct dgram d[70];
	struct fspec s = { .f_proto = VPC_IPPROTO_UDP, .f_paylen = 100 };
	struct vpc_ipaddr src;
	struct vpcd_gro *gr;
	struct gro_rec rec;
	uint8_t ok = 0;
	uint32_t i;

	memset(&rec, 0, sizeof(rec));
	memset(&src, 0, sizeof(src));
	src.va_family = VPC_AF_INET;
	src.va_addr[0] = 198; src.va_addr[1] = 51; src.va_addr[2] = 100;
	src.va_addr[3] = 2;
	VPCT_REQUIRE((gr = vpcd_gro_create(gro_record, &rec, &ok)) != NULL);
	for (i = 0; i < 70; i++) {
		s.f_id = (uint16_t)i;
		s.f_payoff = i * 100;
		mk_dgram(&d[i], &s);
	}
	/* Not while the flag is off: each goes on as it came. */
	feed(gr, &d[0], &src);
	feed(gr, &d[1], &src);
	vpcd_gro_flush(gr);
	VPCT_EQ(rec.gr_n, 2);
	VPCT_EQ(rec.gr_out[0].go_offload, 0);
	VPCT_EQ(rec.gr_out[0].go_transient, 0);
	gro_rec_free(&rec);
	/* On (the flag is read per datagram): 64, then the other 6. */
	ok = 1;
	for (i = 0; i < 70; i++)
		feed(gr, &d[i], &src);
	vpcd_gro_flush(gr);
	VPCT_REQUIRE(rec.gr_n == 2);
	VPCT_EQ(rec.gr_out[0].go_gso_type, VPC_GSO_UDP_L4);
	VPCT_EQ(rec.gr_out[0].go_len, VXLAN_HLEN + 14 + 20 + 8 + 64 * 100);
	VPCT_EQ(rec.gr_out[1].go_len, VXLAN_HLEN + 14 + 20 + 8 + 6 * 100);
	gro_rec_free(&rec);
	/* An IPv4 datagram without a checksum, another port: apart. */
	s.f_id = 1;
	mk_dgram(&d[1], &s);
	d[1].d_buf[VPC_PKT_HEADROOM + VXLAN_HLEN + 14 + 20 + 6] = 0;
	d[1].d_buf[VPC_PKT_HEADROOM + VXLAN_HLEN + 14 + 20 + 7] = 0;
	s.f_id = 2;
	mk_dgram(&d[2], &s);
	dg_data(&d[2])[VXLAN_HLEN + 14 + 20 + 1] ^= 1;	/* source port */
	s.f_id = 3;
	mk_dgram(&d[3], &s);
	dg_data(&d[3])[VXLAN_HLEN + 14 + 20 + 6] ^= 0x10;	/* checksum */
	for (i = 0; i < 4; i++)
		feed(gr, &d[i], &src);
	vpcd_gro_flush(gr);
	VPCT_EQ(rec.gr_n, 4);
	for (i = 0; i < rec.gr_n && i < 4; i++) {
		VPCT_EQ(rec.gr_out[i].go_gso_type, VPC_GSO_NONE);
		VPCT_EQ(rec.gr_out[i].go_offload,
		    i == 0 ? VPC_PKT_CSUM_VALID : 0);
	}
	gro_rec_free(&rec);
	vpcd_gro_destroy(gr);
}

/*
 * Segments that must not be joined go on apart, in order, each coming
 * while a frame it would otherwise continue is held: another TOS (an
 * ECN mark), a gap in the sequence, another source VTEP, SYN, a segment
 * after a PSH, and a bad TCP checksum.
 */
VPCT_CASE(offload_gro_keeps_apart)
{
	static struct dgram d[9];
	struct vpc_ipaddr src, other;
	struct vpcd_gro *gr;
	struct gro_rec rec;
	struct gro_out *o;
	struct fspec t;
	uint32_t i;
	/* Per datagram: TOS, sequence number, flags. */
	static const struct {
		uint8_t		tos;
		uint32_t	seq;
		uint8_t		flags;
	} dg[9] = {
		{ 0, 1000, TCPF_ACK },		/* 0, 1: joined */
		{ 0, 2000, TCPF_ACK },
		{ 3, 3000, TCPF_ACK },		/* 2: CE-marked */
		{ 3, 5000, TCPF_ACK },		/* 3: a gap */
		{ 3, 6000, TCPF_ACK },		/* 4: another VTEP */
		{ 3, 7000, TCPF_ACK | TCPF_SYN },	/* 5: SYN */
		{ 3, 7000, TCPF_ACK | TCPF_PSH },	/* 6: PSH ends */
		{ 3, 8000, TCPF_ACK },		/* 7: after the PSH */
		{ 3, 9000, TCPF_ACK },		/* 8: checksum broken */
	};

	memset(&rec, 0, sizeof(rec));
	memset(&src, 0, sizeof(src));
	src.va_family = VPC_AF_INET;
	src.va_addr[0] = 198; src.va_addr[1] = 51; src.va_addr[2] = 100;
	src.va_addr[3] = 2;
	other = src;
	other.va_addr[3] = 3;
	VPCT_REQUIRE((gr = vpcd_gro_create(gro_record, &rec, &udp_no)) !=
	    NULL);
	for (i = 0; i < 9; i++) {
		memset(&t, 0, sizeof(t));
		t.f_proto = VPC_IPPROTO_TCP;
		t.f_optlen = 12;
		t.f_paylen = 1000;
		t.f_id = (uint16_t)(i + 1);
		t.f_tos = dg[i].tos;
		t.f_seq = dg[i].seq;
		t.f_flags = dg[i].flags;
		mk_dgram(&d[i], &t);
	}
	dg_data(&d[8])[d[8].d_len - 1] ^= 0x40;
	for (i = 0; i < 9; i++)
		feed(gr, &d[i], i == 4 ? &other : &src);
	vpcd_gro_flush(gr);
	VPCT_REQUIRE(rec.gr_n == 8);
	o = &rec.gr_out[0];
	VPCT_EQ(o->go_gso_type, VPC_GSO_TCPV4);
	VPCT_EQ(o->go_len, d[0].d_len + 1000);
	for (i = 1; i < rec.gr_n; i++) {
		o = &rec.gr_out[i];
		VPCT_EQ(o->go_gso_type, VPC_GSO_NONE);
		VPCT_EQ(o->go_len, d[i + 1].d_len);
		VPCT_CHECK(memcmp(o->go_data, dg_data(&d[i + 1]),
		    o->go_len) == 0);
		/*
		 * Only a segment whose checksums were verified is marked
		 * so: not the SYN (never examined), not the broken one.
		 */
		if (i + 1 == 5 || i + 1 == 8)
			VPCT_EQ(o->go_offload, 0);
		else
			VPCT_EQ(o->go_offload, VPC_PKT_CSUM_VALID);
	}
	gro_rec_free(&rec);
	vpcd_gro_destroy(gr);
}
