/*
 * vpcd_gso.c: cutting a TCP or UDP super-frame into segments.
 *
 * A guest's TSO frame (p_gso_type TCPV4/TCPV6, p_gso_size = MSS) is one
 * set of headers and up to 64 KiB of payload.  Segment i gets a copy of
 * the headers (with a VLAN tag inserted if asked) in which the IPv4 total
 * length, identification (+i) and header checksum, or the IPv6 payload
 * length, and the TCP sequence number (+i * MSS) are fixed; FIN and PSH
 * stay on the last segment only and CWR on the first only, as a NIC
 * doing TSO would.  The TCP checksum of each segment is computed over
 * its own header and payload.  UDP super-frames (USO, VPC_GSO_UDP_L4)
 * become datagrams of MSS bytes with their own length and checksum.
 *
 * The payload is not copied: vpcd_gso_seg() returns a pointer into the
 * super-frame, so a caller can hand headers and payloads to one
 * scatter-gather send.
 */

#include <errno.h>
#include <string.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpc_parse.h"

#define	TCP_FIN		0x01
#define	TCP_PSH		0x08
#define	TCP_CWR		0x80

/*
 * Prepare to cut super-frame 'pkt' (contiguous and parsed) into segments
 * of p_gso_size payload bytes, inserting VLAN tag 'vlan' if not 0.
 * Returns 0, or EINVAL if it is not a TCP/UDP super-frame vpcd can cut.
 */
int
vpcd_gso_init(struct vpcd_gso *g, const struct vpc_pkt *pkt, uint16_t vlan)
{
	const struct vpc_pkt_meta *m = &pkt->p_meta;
	const uint8_t *l4;
	uint32_t payload;

	memset(g, 0, sizeof(*g));
	if (pkt->p_len != pkt->p_totlen || !m->pm_parsed ||
	    m->pm_l4off == 0 || pkt->p_gso_size == 0)
		return (EINVAL);
	switch (pkt->p_gso_type) {
	case VPC_GSO_TCPV4:
	case VPC_GSO_TCPV6:
		if (m->pm_l4proto != VPC_IPPROTO_TCP ||
		    m->pm_ethertype != (pkt->p_gso_type == VPC_GSO_TCPV4 ?
		    VPC_ETHERTYPE_IPV4 : VPC_ETHERTYPE_IPV6))
			return (EINVAL);
		if ((l4 = vpc_pkt_at(pkt, m->pm_l4off, VPC_TCP_HLEN)) == NULL)
			return (EINVAL);
		g->g_hdrlen = m->pm_l4off + (uint32_t)(l4[12] >> 4) * 4;
		break;
	case VPC_GSO_UDP_L4:
		if (m->pm_l4proto != VPC_IPPROTO_UDP)
			return (EINVAL);
		g->g_hdrlen = m->pm_l4off + VPC_UDP_HLEN;
		break;
	default:
		return (EINVAL);
	}
	if (m->pm_ethertype != VPC_ETHERTYPE_IPV4 &&
	    m->pm_ethertype != VPC_ETHERTYPE_IPV6)
		return (EINVAL);
	if (g->g_hdrlen + VPC_VLAN_HLEN > VPCD_GSO_HDRMAX ||
	    g->g_hdrlen >= pkt->p_len)
		return (EINVAL);
	g->g_frame = pkt->p_data;
	g->g_len = pkt->p_len;
	g->g_l3off = m->pm_l3off;
	g->g_l4off = m->pm_l4off;
	g->g_mss = pkt->p_gso_size;
	g->g_v6 = m->pm_ethertype == VPC_ETHERTYPE_IPV6;
	g->g_proto = m->pm_l4proto;
	g->g_vlan = vlan;
	payload = g->g_len - g->g_hdrlen;
	g->g_nseg = (payload + g->g_mss - 1) / g->g_mss;
	return (0);
}

/*
 * Build the headers of segment 'i' of 'g' into 'hdr' (VPCD_GSO_HDRMAX
 * bytes) and point '*payp' and '*paylenp' at its payload in the
 * super-frame.  Returns the length of the headers.
 */
uint32_t
vpcd_gso_seg(const struct vpcd_gso *g, uint32_t i, uint8_t *hdr,
    const uint8_t **payp, uint32_t *paylenp)
{
	const uint8_t *pay;
	uint8_t *l3, *l4;
	uint64_t sum;
	uint32_t off, seglen, hlen, t, l4len;
	uint16_t c, w;

	off = i * g->g_mss;
	pay = g->g_frame + g->g_hdrlen + off;
	seglen = g->g_len - g->g_hdrlen - off;
	if (seglen > g->g_mss)
		seglen = g->g_mss;
	t = g->g_vlan != 0 ? VPC_VLAN_HLEN : 0;
	memcpy(hdr, g->g_frame, 12);
	if (t != 0) {
		vpc_put_be16(hdr + 12, VPC_ETHERTYPE_VLAN);
		vpc_put_be16(hdr + 14, g->g_vlan & 0x0fff);
	}
	memcpy(hdr + 12 + t, g->g_frame + 12, g->g_hdrlen - 12);
	hlen = g->g_hdrlen + t;
	l3 = hdr + g->g_l3off + t;
	l4 = hdr + g->g_l4off + t;
	l4len = g->g_hdrlen - g->g_l4off + seglen;
	if (g->g_v6) {
		vpc_put_be16(l3 + 4, (uint16_t)(g->g_l4off - g->g_l3off -
		    VPC_IP6_HLEN + l4len));
	} else {
		vpc_put_be16(l3 + 2, (uint16_t)(g->g_l4off - g->g_l3off +
		    l4len));
		w = vpc_get_be16(l3 + 4);
		vpc_put_be16(l3 + 4, (uint16_t)(w + i));
		l3[10] = l3[11] = 0;
		c = (uint16_t)~vpcd_csum_fold(vpcd_csum_add(0, l3,
		    g->g_l4off - g->g_l3off));
		memcpy(l3 + 10, &c, 2);
	}
	if (g->g_proto == VPC_IPPROTO_TCP) {
		vpc_put_be32(l4 + 4, vpc_get_be32(l4 + 4) + off);
		if (i + 1 != g->g_nseg)
			l4[13] &= (uint8_t)~(TCP_FIN | TCP_PSH);
		if (i != 0)
			l4[13] &= (uint8_t)~TCP_CWR;
		l4[16] = l4[17] = 0;
	} else {
		vpc_put_be16(l4 + 4, (uint16_t)l4len);
		l4[6] = l4[7] = 0;
	}
	sum = vpcd_csum_pseudo(l3, g->g_v6, g->g_proto, l4len);
	sum = vpcd_csum_add(sum, l4, g->g_hdrlen - g->g_l4off);
	sum = vpcd_csum_add(sum, pay, seglen);
	c = (uint16_t)~vpcd_csum_fold(sum);
	if (g->g_proto == VPC_IPPROTO_TCP)
		memcpy(l4 + 16, &c, 2);
	else {
		if (c == 0)
			c = 0xffff;	/* 0 would mean "no checksum" */
		memcpy(l4 + 6, &c, 2);
	}
	*payp = pay;
	*paylenp = seglen;
	return (hlen);
}
