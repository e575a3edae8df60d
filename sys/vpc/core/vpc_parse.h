/*
 * vpc_parse.h: header parsing of Ethernet frames for the data path.
 *
 * vpc_parse_eth() validates the headers the pipeline relies on and
 * records where they are in p_meta.  It reads only the contiguous window
 * (p_data, p_len) and returns 0 or the enum vpc_drop reason.
 *
 * p_meta after a successful parse:
 *   pm_ethertype	the ethertype after any 802.1Q tag
 *   pm_vlan		VLAN id of the tag (0 if untagged or VID 0)
 *   pm_l3off		end of the Ethernet (and tag) header, for any
 *			ethertype: 14 untagged, 18 tagged
 *   pm_l4off		start of the TCP/UDP/ICMP header, 0 if absent (an
 *			IPv4 fragment after the first, other protocols)
 *   pm_l4proto		IPv4 protocol / IPv6 next header, 0 otherwise
 *
 * The flow hash (vpc_hash.h) is not computed here but where it is used
 * (VXLAN encapsulation): most frames never need it.
 */

#ifndef _VPC_PARSE_H_
#define	_VPC_PARSE_H_

#include "vpc_os.h"
#include "vpc_pkt.h"

#define	VPC_ETH_HLEN		14	/* dst, src, ethertype */
#define	VPC_VLAN_HLEN		4	/* 802.1Q tag */
#define	VPC_ETHERTYPE_IPV4	0x0800
#define	VPC_ETHERTYPE_ARP	0x0806
#define	VPC_ETHERTYPE_VLAN	0x8100
#define	VPC_ETHERTYPE_QINQ	0x88a8
#define	VPC_ETHERTYPE_IPV6	0x86dd
#define	VPC_ARP_LEN		28	/* Ethernet/IPv4 ARP packet */
#define	VPC_ARP_OP_REQUEST	1
#define	VPC_ARP_OP_REPLY	2
#define	VPC_IP4_HLEN		20	/* without options */
#define	VPC_IP6_HLEN		40	/* fixed header */
#define	VPC_IPPROTO_ICMP	1
#define	VPC_IPPROTO_TCP		6
#define	VPC_IPPROTO_UDP		17
#define	VPC_IPPROTO_ICMPV6	58
#define	VPC_TCP_HLEN		20	/* without options */
#define	VPC_UDP_HLEN		8
#define	VPC_ICMP_HLEN		4	/* type, code, checksum */

/* Parse 'p' from p_data; 0 or an enum vpc_drop.  Fills p->p_meta. */
int	vpc_parse_eth(struct vpc_pkt *p);

/* Remove the 802.1Q tag of a parsed tagged frame, fixing p_meta. */
void	vpc_pkt_strip_vlan(struct vpc_pkt *p);

/* Whether the parsed frame 'p' carries an 802.1Q tag. */
static inline bool
vpc_pkt_tagged(const struct vpc_pkt *p)
{
	return (p->p_meta.pm_l3off == VPC_ETH_HLEN + VPC_VLAN_HLEN);
}

/* Group (multicast or broadcast) bit of a MAC address 'mac'. */
static inline bool
vpc_mac_multicast(const uint8_t *mac)
{
	return ((mac[0] & 0x01) != 0);
}

#endif /* !_VPC_PARSE_H_ */
