/*
 * vpc_parse.c: Ethernet, 802.1Q, ARP, IPv4, IPv6, TCP and UDP header
 * checks for the data path (see vpc_parse.h for what p_meta holds).
 *
 * Every read goes through vpc_pkt_at(), which refuses bytes outside the
 * contiguous window, so a frame truncated anywhere is dropped with the
 * reason of the header it was truncated in.  Lengths carried in headers
 * are checked against the whole frame (p_totlen), since the window may be
 * shorter than the frame.
 */

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_parse.h"

static int	parse_arp(struct vpc_pkt *p, uint32_t off);
static int	parse_ip4(struct vpc_pkt *p, uint32_t off);
static int	parse_ip6(struct vpc_pkt *p, uint32_t off);
static int	parse_l4(struct vpc_pkt *p, uint32_t off, uint32_t len,
		    uint8_t proto);

int
vpc_parse_eth(struct vpc_pkt *p)
{
	struct vpc_pkt_meta *m = &p->p_meta;
	const uint8_t *eh, *tag;
	uint32_t off;
	uint16_t et;
	int error;

	vpc_memset(m, 0, sizeof(*m));
	if ((eh = vpc_pkt_at(p, 0, VPC_ETH_HLEN)) == NULL)
		return (VPC_DROP_ETH_SHORT);
	et = vpc_get_be16(eh + 12);
	off = VPC_ETH_HLEN;
	if (et == VPC_ETHERTYPE_QINQ)
		return (VPC_DROP_VLAN_STACKED);
	if (et == VPC_ETHERTYPE_VLAN) {
		if ((tag = vpc_pkt_at(p, off, VPC_VLAN_HLEN)) == NULL)
			return (VPC_DROP_VLAN_SHORT);
		m->pm_vlan = vpc_get_be16(tag) & 0x0fff;
		et = vpc_get_be16(tag + 2);
		off += VPC_VLAN_HLEN;
		if (et == VPC_ETHERTYPE_VLAN || et == VPC_ETHERTYPE_QINQ)
			return (VPC_DROP_VLAN_STACKED);
	}
	m->pm_ethertype = et;
	m->pm_l3off = (uint16_t)off;
	switch (et) {
	case VPC_ETHERTYPE_ARP:
		error = parse_arp(p, off);
		break;
	case VPC_ETHERTYPE_IPV4:
		error = parse_ip4(p, off);
		break;
	case VPC_ETHERTYPE_IPV6:
		error = parse_ip6(p, off);
		break;
	default:
		error = 0;	/* other ethertypes are switched unparsed */
		break;
	}
	if (error != 0)
		return (error);
	m->pm_parsed = 1;
	return (0);
}

/* Only Ethernet/IPv4 requests and replies are accepted. */
static int
parse_arp(struct vpc_pkt *p, uint32_t off)
{
	const uint8_t *a;
	uint16_t op;

	if ((a = vpc_pkt_at(p, off, VPC_ARP_LEN)) == NULL)
		return (VPC_DROP_ARP_MALFORMED);
	op = vpc_get_be16(a + 6);
	if (vpc_get_be16(a) != 1 ||			/* htype Ethernet */
	    vpc_get_be16(a + 2) != VPC_ETHERTYPE_IPV4 ||
	    a[4] != 6 || a[5] != 4 ||
	    (op != VPC_ARP_OP_REQUEST && op != VPC_ARP_OP_REPLY))
		return (VPC_DROP_ARP_MALFORMED);
	return (0);
}

static int
parse_ip4(struct vpc_pkt *p, uint32_t off)
{
	const uint8_t *ip;
	uint32_t hl, tot;

	if ((ip = vpc_pkt_at(p, off, VPC_IP4_HLEN)) == NULL)
		return (VPC_DROP_IP4_MALFORMED);
	hl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = vpc_get_be16(ip + 2);
	if ((ip[0] >> 4) != 4 || hl < VPC_IP4_HLEN ||
	    vpc_pkt_at(p, off, hl) == NULL ||
	    tot < hl || tot > p->p_totlen - off)
		return (VPC_DROP_IP4_MALFORMED);
	p->p_meta.pm_l4proto = ip[9];
	if ((vpc_get_be16(ip + 6) & 0x1fff) != 0)
		return (0);		/* later fragment: no L4 header */
	return (parse_l4(p, off + hl, tot - hl, ip[9]));
}

/* The fixed header only; extension headers are carried, not parsed. */
static int
parse_ip6(struct vpc_pkt *p, uint32_t off)
{
	const uint8_t *ip;
	uint32_t plen, avail;

	if ((ip = vpc_pkt_at(p, off, VPC_IP6_HLEN)) == NULL)
		return (VPC_DROP_IP6_MALFORMED);
	plen = vpc_get_be16(ip + 4);
	avail = p->p_totlen - off - VPC_IP6_HLEN;
	if ((ip[0] >> 4) != 6 || plen > avail)
		return (VPC_DROP_IP6_MALFORMED);
	if (plen == 0)
		plen = avail;		/* jumbogram or empty payload */
	p->p_meta.pm_l4proto = ip[6];
	return (parse_l4(p, off + VPC_IP6_HLEN, plen, ip[6]));
}

/*
 * The L4 header at 'off' must be in the window and within the 'len' bytes
 * of IP payload.  Other protocols are left unparsed.
 */
static int
parse_l4(struct vpc_pkt *p, uint32_t off, uint32_t len, uint8_t proto)
{
	const uint8_t *l4;
	uint32_t need;

	switch (proto) {
	case VPC_IPPROTO_TCP:
		need = VPC_TCP_HLEN;
		break;
	case VPC_IPPROTO_UDP:
		need = VPC_UDP_HLEN;
		break;
	case VPC_IPPROTO_ICMP:
	case VPC_IPPROTO_ICMPV6:
		need = VPC_ICMP_HLEN;
		break;
	default:
		return (0);
	}
	if (len < need || (l4 = vpc_pkt_at(p, off, need)) == NULL)
		return (VPC_DROP_L4_MALFORMED);
	if (proto == VPC_IPPROTO_TCP &&
	    ((uint32_t)(l4[12] >> 4) * 4 < VPC_TCP_HLEN ||
	    (uint32_t)(l4[12] >> 4) * 4 > len))
		return (VPC_DROP_L4_MALFORMED);
	p->p_meta.pm_l4off = (uint16_t)off;
	return (0);
}

void
vpc_pkt_strip_vlan(struct vpc_pkt *p)
{
	struct vpc_pkt_meta *m = &p->p_meta;

	VPC_ASSERT(vpc_pkt_tagged(p));
	/* Slide both MAC addresses over the tag, then drop 4 bytes. */
	vpc_memmove(p->p_data + VPC_VLAN_HLEN, p->p_data, 12);
	(void)vpc_pkt_pull(p, VPC_VLAN_HLEN);
	m->pm_l3off -= VPC_VLAN_HLEN;
	if (m->pm_l4off != 0)
		m->pm_l4off -= VPC_VLAN_HLEN;
	m->pm_vlan = 0;
	if ((p->p_offload & VPC_PKT_CSUM_PARTIAL) != 0 &&
	    p->p_csum_start >= VPC_VLAN_HLEN)
		p->p_csum_start -= VPC_VLAN_HLEN;
}
