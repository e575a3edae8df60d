/*
 * vpcd_gro.c: joining received VXLAN datagrams of one TCP or UDP flow.
 *
 * A vpclink receives datagrams in batches (recvmmsg, and UDP_GRO hands
 * over a sender's whole UDP_SEGMENT burst at once).  Consecutive
 * datagrams that carry consecutive segments of one TCP connection, or
 * equal-size datagrams of one UDP flow, are joined here into one
 * super-frame, which the core forwards once and a TAP hands to the
 * guest's stack as one GSO frame (TCP as Linux GRO would; UDP as a USO
 * frame, which the receiving stack cuts back into the same datagrams):
 *
 *   same source VTEP, same VXLAN header and inner Ethernet header;
 *   IPv4 without options or fragmentation, same TOS, TTL, DF and
 *   addresses, identification constant or +1; or IPv6 with TCP or UDP
 *   as next header, same traffic class, flow label, hop limit and
 *   addresses; same ports;
 *   TCP: same ACK number, window and options; flags ACK, or ACK|PSH
 *   (which ends the frame); sequence number following the previous
 *   segment;
 *   UDP: a checksum (an IPv4 datagram without one is not joined); at
 *   most GRO_UDP_SEGMAX datagrams; only where the kernel takes USO
 *   frames (the flag given to vpcd_gro_create);
 *   every segment but the last exactly as long as the first (a shorter
 *   one ends the frame); the IP header checksum and the L4 checksum of
 *   each segment valid (verified while its payload is copied, so the
 *   joined frame can be handed on with its checksum marked partial,
 *   needing no new pass).
 *
 * Anything else (other protocols, bad checksums, SYN/FIN/RST...) goes
 * to the core as it came, after whatever was being joined: order is
 * kept.  A single verified segment goes on alone, marked CSUM_VALID.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpc_parse.h"

#define	GRO_VXLAN	8			/* VXLAN header */
#define	GRO_L3		(GRO_VXLAN + VPC_ETH_HLEN) /* inner IP header */
#define	GRO_IPMAX	65535			/* IP length field */
#define	GRO_BUFSIZE	(VPCD_RX_HEADROOM + GRO_L3 + VPC_IP6_HLEN + \
			    GRO_IPMAX)
#define	GRO_UDP_SEGMAX	64			/* datagrams in a frame */
#define	TCP_ACK		0x10
#define	TCP_PSH		0x08

/* What a candidate datagram looks like (gro_parse). */
struct gro_seg {
	uint32_t	 gs_l4;		/* TCP or UDP header offset */
	uint32_t	 gs_hdrlen;	/* VXLAN + inner headers */
	uint32_t	 gs_paylen;	/* TCP or UDP payload bytes */
	uint8_t		 gs_v6;		/* IPv6, else IPv4 */
	uint8_t		 gs_proto;	/* VPC_IPPROTO_TCP or _UDP */
};

struct vpcd_gro {
	vpcd_gro_fn	*gr_fn;		/* where frames go */
	void		*gr_arg;	/* its argument */
	const uint8_t	*gr_udp_ok;	/* nonzero: join UDP too */
	uint8_t		*gr_buf;	/* assembly buffer */
	uint32_t	 gr_len;	/* bytes in it, 0: empty */
	uint32_t	 gr_nseg;	/* segments joined */
	uint32_t	 gr_hdrlen;	/* VXLAN + inner headers */
	uint32_t	 gr_l4;		/* TCP or UDP header offset */
	uint32_t	 gr_mss;	/* payload of the first segment */
	uint32_t	 gr_nextseq;	/* sequence number expected */
	uint16_t	 gr_lastid;	/* IPv4 id of the last segment */
	uint8_t		 gr_v6;		/* IPv6, else IPv4 */
	uint8_t		 gr_proto;	/* VPC_IPPROTO_TCP or _UDP */
	uint8_t		 gr_closed;	/* short or PSH segment: full */
	uint8_t		 gr_flags;	/* TCP flags to put on the frame */
	uint8_t		 gr_idmode;	/* 0: unknown, 1: +1, 2: fixed */
	struct vpc_ipaddr gr_src;	/* source VTEP */
};

static int	gro_parse(const struct vpcd_gro *gr, const uint8_t *d,
		    uint32_t len, struct gro_seg *s);
static int	gro_match(const struct vpcd_gro *gr, const uint8_t *d,
		    const struct gro_seg *s, const struct vpc_ipaddr *src);
static int	gro_ip4_ok(const uint8_t *ip);
static int	gro_start(struct vpcd_gro *gr, const uint8_t *d,
		    const struct gro_seg *s, const struct vpc_ipaddr *src);
static int	gro_append(struct vpcd_gro *gr, const uint8_t *d,
		    const struct gro_seg *s);

/*
 * Make a coalescing context that gives frames to 'fn'('arg', ...); it
 * joins UDP datagrams whenever '*udp_ok' is nonzero.  NULL if out of
 * memory.
 */
struct vpcd_gro *
vpcd_gro_create(vpcd_gro_fn *fn, void *arg, const uint8_t *udp_ok)
{
	struct vpcd_gro *gr;

	if ((gr = calloc(1, sizeof(*gr))) == NULL)
		return (NULL);
	if ((gr->gr_buf = vpcd_rxbuf_alloc(GRO_BUFSIZE)) == NULL) {
		free(gr);
		return (NULL);
	}
	gr->gr_fn = fn;
	gr->gr_arg = arg;
	gr->gr_udp_ok = udp_ok;
	return (gr);
}

/*
 * Free 'gr' (NULL is a no-op); whatever it held is dropped.
 */
void
vpcd_gro_destroy(struct vpcd_gro *gr)
{
	if (gr == NULL)
		return;
	vpcd_rxbuf_free(gr->gr_buf, GRO_BUFSIZE);
	free(gr);
}

/*
 * Whether VXLAN datagram 'd' ('len' bytes) is a TCP segment or a UDP
 * datagram with payload that 'gr' could join; fills 's'.  Checksums are
 * checked later.
 */
static int
gro_parse(const struct vpcd_gro *gr, const uint8_t *d, uint32_t len,
    struct gro_seg *s)
{
	const uint8_t *ip, *th;
	uint32_t doff;

	if (len < GRO_L3 + VPC_IP4_HLEN + VPC_UDP_HLEN ||
	    (d[0] & 0x08) == 0)
		return (0);
	ip = d + GRO_L3;
	switch (vpc_get_be16(d + GRO_VXLAN + 12)) {
	case VPC_ETHERTYPE_IPV4:
		if (ip[0] != 0x45 || vpc_get_be16(ip + 2) != len - GRO_L3 ||
		    (vpc_get_be16(ip + 6) & 0x3fff) != 0)
			return (0);
		s->gs_v6 = 0;
		s->gs_proto = ip[9];
		s->gs_l4 = GRO_L3 + VPC_IP4_HLEN;
		break;
	case VPC_ETHERTYPE_IPV6:
		if (len < GRO_L3 + VPC_IP6_HLEN + VPC_UDP_HLEN ||
		    (ip[0] >> 4) != 6 ||
		    vpc_get_be16(ip + 4) != len - GRO_L3 - VPC_IP6_HLEN)
			return (0);
		s->gs_v6 = 1;
		s->gs_proto = ip[6];
		s->gs_l4 = GRO_L3 + VPC_IP6_HLEN;
		break;
	default:
		return (0);
	}
	th = d + s->gs_l4;
	switch (s->gs_proto) {
	case VPC_IPPROTO_TCP:
		if (len < s->gs_l4 + VPC_TCP_HLEN)
			return (0);
		doff = (uint32_t)(th[12] >> 4) * 4;
		if (doff < VPC_TCP_HLEN || (th[13] & ~TCP_PSH) != TCP_ACK)
			return (0);
		s->gs_hdrlen = s->gs_l4 + doff;
		break;
	case VPC_IPPROTO_UDP:
		/* The length field agrees with IP's (checked above). */
		if (!*gr->gr_udp_ok ||
		    vpc_get_be16(th + 4) != len - s->gs_l4 ||
		    vpc_get_be16(th + 6) == 0)
			return (0);
		s->gs_hdrlen = s->gs_l4 + VPC_UDP_HLEN;
		break;
	default:
		return (0);
	}
	if (s->gs_hdrlen >= len)
		return (0);		/* no payload: nothing to join */
	s->gs_paylen = len - s->gs_hdrlen;
	return (1);
}

/* Whether segment 'd' continues what 'gr' holds. */
static int
gro_match(const struct vpcd_gro *gr, const uint8_t *d,
    const struct gro_seg *s, const struct vpc_ipaddr *src)
{
	const uint8_t *a = gr->gr_buf + VPCD_RX_HEADROOM;
	const uint8_t *ip = d + GRO_L3, *aip = a + GRO_L3;
	const uint8_t *th = d + s->gs_l4, *ath = a + gr->gr_l4;
	uint16_t id;

	if (gr->gr_closed || s->gs_v6 != gr->gr_v6 ||
	    s->gs_proto != gr->gr_proto ||
	    s->gs_hdrlen != gr->gr_hdrlen || s->gs_paylen > gr->gr_mss ||
	    gr->gr_len - GRO_L3 + s->gs_paylen > GRO_IPMAX ||
	    memcmp(src, &gr->gr_src, sizeof(*src)) != 0)
		return (0);
	/* VXLAN header and inner Ethernet header. */
	if (memcmp(d, a, GRO_L3) != 0)
		return (0);
	if (s->gs_v6) {
		if (memcmp(ip, aip, 4) != 0 || ip[7] != aip[7] ||
		    memcmp(ip + 8, aip + 8, 32) != 0)
			return (0);
	} else {
		if (ip[1] != aip[1] || memcmp(ip + 6, aip + 6, 4) != 0 ||
		    memcmp(ip + 12, aip + 12, 8) != 0)
			return (0);
		id = vpc_get_be16(ip + 4);
		if (id == (uint16_t)(gr->gr_lastid + 1)) {
			if (gr->gr_idmode == 2)
				return (0);
		} else if (id == gr->gr_lastid) {
			if (gr->gr_idmode == 1)
				return (0);
		} else
			return (0);
	}
	if (s->gs_proto == VPC_IPPROTO_UDP)
		return (memcmp(th, ath, 4) == 0 &&
		    gr->gr_nseg < GRO_UDP_SEGMAX);
	/* Ports; then ACK number, offset, window; then options. */
	if (memcmp(th, ath, 4) != 0 || vpc_get_be32(th + 4) !=
	    gr->gr_nextseq || memcmp(th + 8, ath + 8, 5) != 0 ||
	    memcmp(th + 14, ath + 14, 2) != 0 ||
	    memcmp(th + VPC_TCP_HLEN, ath + VPC_TCP_HLEN,
	    s->gs_hdrlen - s->gs_l4 - VPC_TCP_HLEN) != 0)
		return (0);
	return (1);
}

/* Whether the checksum of IPv4 header 'ip' (no options) is right. */
static int
gro_ip4_ok(const uint8_t *ip)
{
	return (vpcd_csum_fold(vpcd_csum_add(0, ip, VPC_IP4_HLEN)) == 0xffff);
}

/*
 * Start a frame with segment 'd' (copied, its checksums verified on the
 * way).  Returns 0 if its checksums are wrong (nothing kept).
 */
static int
gro_start(struct vpcd_gro *gr, const uint8_t *d, const struct gro_seg *s,
    const struct vpc_ipaddr *src)
{
	uint8_t *a = gr->gr_buf + VPCD_RX_HEADROOM;
	uint64_t sum;

	if (!s->gs_v6 && !gro_ip4_ok(d + GRO_L3))
		return (0);
	memcpy(a, d, s->gs_hdrlen);
	sum = vpcd_csum_pseudo(d + GRO_L3, s->gs_v6, s->gs_proto,
	    s->gs_hdrlen - s->gs_l4 + s->gs_paylen);
	sum = vpcd_csum_add(sum, d + s->gs_l4, s->gs_hdrlen - s->gs_l4);
	sum = vpcd_csum_copy(a + s->gs_hdrlen, d + s->gs_hdrlen,
	    s->gs_paylen, sum);
	if (vpcd_csum_fold(sum) != 0xffff)
		return (0);
	gr->gr_len = s->gs_hdrlen + s->gs_paylen;
	gr->gr_nseg = 1;
	gr->gr_hdrlen = s->gs_hdrlen;
	gr->gr_l4 = s->gs_l4;
	gr->gr_mss = s->gs_paylen;
	gr->gr_v6 = s->gs_v6;
	gr->gr_proto = s->gs_proto;
	if (s->gs_proto == VPC_IPPROTO_TCP) {
		gr->gr_nextseq = vpc_get_be32(d + s->gs_l4 + 4) +
		    s->gs_paylen;
		gr->gr_flags = d[s->gs_l4 + 13];
	} else
		gr->gr_flags = 0;
	gr->gr_closed = (gr->gr_flags & TCP_PSH) != 0;
	gr->gr_idmode = 0;
	gr->gr_lastid = s->gs_v6 ? 0 : vpc_get_be16(d + GRO_L3 + 4);
	gr->gr_src = *src;
	return (1);
}

/*
 * Append the payload of matching segment 'd', verifying its checksums.
 * Returns 0 if they are wrong (then nothing was appended).
 */
static int
gro_append(struct vpcd_gro *gr, const uint8_t *d, const struct gro_seg *s)
{
	uint8_t *a = gr->gr_buf + VPCD_RX_HEADROOM;
	uint64_t sum;
	uint16_t id;

	if (!s->gs_v6 && !gro_ip4_ok(d + GRO_L3))
		return (0);
	sum = vpcd_csum_pseudo(d + GRO_L3, s->gs_v6, s->gs_proto,
	    s->gs_hdrlen - s->gs_l4 + s->gs_paylen);
	sum = vpcd_csum_add(sum, d + s->gs_l4, s->gs_hdrlen - s->gs_l4);
	sum = vpcd_csum_copy(a + gr->gr_len, d + s->gs_hdrlen, s->gs_paylen,
	    sum);
	if (vpcd_csum_fold(sum) != 0xffff)
		return (0);
	if (!s->gs_v6) {
		id = vpc_get_be16(d + GRO_L3 + 4);
		gr->gr_idmode = id == gr->gr_lastid ? 2 : 1;
		gr->gr_lastid = id;
	}
	gr->gr_len += s->gs_paylen;
	gr->gr_nseg++;
	if (s->gs_paylen < gr->gr_mss)
		gr->gr_closed = 1;
	if (s->gs_proto == VPC_IPPROTO_UDP)
		return (1);
	gr->gr_nextseq += s->gs_paylen;
	gr->gr_flags |= d[s->gs_l4 + 13];
	if ((d[s->gs_l4 + 13] & TCP_PSH) != 0)
		gr->gr_closed = 1;
	return (1);
}

/*
 * Hand what 'gr' holds to its function: one segment as it is (checksum
 * verified), several as one super-frame with lengths and IPv4 header
 * checksum fixed and the L4 checksum left partial (pseudo-header sum in
 * place), as a GSO frame of MSS-sized segments.
 */
void
vpcd_gro_flush(struct vpcd_gro *gr)
{
	uint8_t *a = gr->gr_buf + VPCD_RX_HEADROOM;
	uint8_t *ip = a + GRO_L3, *th = a + gr->gr_l4;
	struct vpc_pkt pkt;
	uint32_t l4len;
	uint16_t c;

	if (gr->gr_len == 0)
		return;
	vpc_pkt_init(&pkt, a, gr->gr_len, gr->gr_len, VPCD_RX_HEADROOM, NULL);
	if (gr->gr_nseg == 1) {
		pkt.p_offload = VPC_PKT_CSUM_VALID;
	} else {
		l4len = gr->gr_len - gr->gr_l4;
		if (gr->gr_v6) {
			vpc_put_be16(ip + 4, (uint16_t)l4len);
		} else {
			vpc_put_be16(ip + 2, (uint16_t)(l4len + VPC_IP4_HLEN));
			ip[10] = ip[11] = 0;
			c = (uint16_t)~vpcd_csum_fold(vpcd_csum_add(0, ip,
			    VPC_IP4_HLEN));
			memcpy(ip + 10, &c, 2);
		}
		c = vpcd_csum_fold(vpcd_csum_pseudo(ip, gr->gr_v6,
		    gr->gr_proto, l4len));
		pkt.p_offload = VPC_PKT_CSUM_PARTIAL;
		pkt.p_csum_start = (uint16_t)gr->gr_l4;
		if (gr->gr_proto == VPC_IPPROTO_UDP) {
			/* Cut per datagram, length and sum adjusted. */
			vpc_put_be16(th + 4, (uint16_t)l4len);
			memcpy(th + 6, &c, 2);
			pkt.p_csum_offset = 6;
			pkt.p_gso_type = VPC_GSO_UDP_L4;
		} else {
			th[13] = gr->gr_flags;
			memcpy(th + 16, &c, 2);
			pkt.p_csum_offset = 16;
			pkt.p_gso_type = gr->gr_v6 ? VPC_GSO_TCPV6 :
			    VPC_GSO_TCPV4;
		}
		pkt.p_gso_size = (uint16_t)gr->gr_mss;
	}
	gr->gr_len = 0;
	gr->gr_fn(gr->gr_arg, &pkt, &gr->gr_src, 1);
}

/*
 * Take VXLAN datagram 'dgram' ('len' bytes, 'headroom' writable bytes
 * before it) from VTEP 'src': join it to the frame being built, or send
 * that on and start a new one with it, or send both on as they are.
 */
void
vpcd_gro_input(struct vpcd_gro *gr, uint8_t *dgram, uint32_t len,
    uint32_t headroom, const struct vpc_ipaddr *src)
{
	struct gro_seg s;
	struct vpc_pkt pkt;

	if (gro_parse(gr, dgram, len, &s)) {
		if (gr->gr_len != 0 && gro_match(gr, dgram, &s, src) &&
		    gro_append(gr, dgram, &s))
			return;
		vpcd_gro_flush(gr);
		if (gro_start(gr, dgram, &s, src))
			return;
	} else
		vpcd_gro_flush(gr);
	vpc_pkt_init(&pkt, dgram, len, len, headroom, NULL);
	gr->gr_fn(gr->gr_arg, &pkt, src, 0);
}
