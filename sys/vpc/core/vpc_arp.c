/*
 * vpc_arp.c: ARP proxy replies from the switch's (VNI, IPv4) -> MAC table.
 *
 * Ethernet/IPv4 ARP packet (RFC 826), after the Ethernet header:
 *   0 htype  2 ptype  4 hlen  5 plen  6 op  8 sha  14 spa  18 tha  24 tpa
 * The reply reuses the request's buffer: the parser has already checked
 * that all 28 bytes are in the window.
 */

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"
#include "vpc_htab.h"
#include "vpc_parse.h"
#include "vpc_arp.h"

#define	ARP_OP		6
#define	ARP_SHA		8
#define	ARP_SPA		14
#define	ARP_THA		18
#define	ARP_TPA		24

void
vpc_arp_prefetch(struct vpc_htab *arp, const struct vpc_pkt *p, uint32_t vni)
{
	const uint8_t *a;

	if (!p->p_meta.pm_parsed ||
	    p->p_meta.pm_ethertype != VPC_ETHERTYPE_ARP ||
	    (a = vpc_pkt_at(p, p->p_meta.pm_l3off, VPC_ARP_LEN)) == NULL)
		return;
	vpc_htab_prefetch(arp, VPC_L3KEY4(vni, vpc_get_be32(a + ARP_TPA)));
}

enum vpc_arp_result
vpc_arp_proxy(struct vpc_switch *sw, struct vpc_pkt *p, uint32_t vni)
{
	uint64_t v;
	uint8_t *eh, *a;
	uint8_t req_mac[6], req_ip[4], tgt_ip[4], mac[6];

	VPC_ASSERT(vpc_os_in_epoch());
	if (!p->p_meta.pm_parsed ||
	    p->p_meta.pm_ethertype != VPC_ETHERTYPE_ARP)
		return (VPC_ARP_NOT_REQUEST);
	eh = vpc_pkt_at(p, 0, VPC_ETH_HLEN);
	a = vpc_pkt_at(p, p->p_meta.pm_l3off, VPC_ARP_LEN);
	if (eh == NULL || a == NULL ||
	    vpc_get_be16(a + ARP_OP) != VPC_ARP_OP_REQUEST)
		return (VPC_ARP_NOT_REQUEST);
	if (vpc_memcmp(a + ARP_SPA, a + ARP_TPA, 4) == 0 ||
	    vpc_mac_multicast(a + ARP_SHA))
		return (VPC_ARP_NOT_REQUEST);
	/* The answer is the slot's value (VPC_ARPVAL): no entry read. */
	v = vpc_htab_get(sw->sw_arp,
	    VPC_L3KEY4(vni, vpc_get_be32(a + ARP_TPA)));
	if (v == 0)
		return (VPC_ARP_MISS);
	vpc_mac48_put(v, mac);
	/* A guest asking about its own address (duplicate detection). */
	if (vpc_memcmp(mac, a + ARP_SHA, 6) == 0)
		return (VPC_ARP_NOT_REQUEST);

	vpc_memcpy(req_mac, a + ARP_SHA, 6);
	vpc_memcpy(req_ip, a + ARP_SPA, 4);
	vpc_memcpy(tgt_ip, a + ARP_TPA, 4);
	vpc_memcpy(eh, req_mac, 6);			/* to the requester */
	vpc_memcpy(eh + 6, mac, 6);		/* from the answer */
	vpc_put_be16(a + ARP_OP, VPC_ARP_OP_REPLY);
	vpc_memcpy(a + ARP_SHA, mac, 6);
	vpc_memcpy(a + ARP_SPA, tgt_ip, 4);
	vpc_memcpy(a + ARP_THA, req_mac, 6);
	vpc_memcpy(a + ARP_TPA, req_ip, 4);
	/* The reply is a new frame: nothing of the request's offloads. */
	p->p_offload = 0;
	p->p_gso_type = VPC_GSO_NONE;
	p->p_gso_size = 0;
	return (VPC_ARP_REPLY);
}
