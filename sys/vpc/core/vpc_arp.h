/*
 * vpc_arp.h: the switch's ARP proxy.
 *
 * An ARP request whose target address has an entry in the switch's
 * sw_arp table for the frame's VNI is answered by rewriting the request,
 * in place, into the reply; the switch sends it back out of the port it
 * came in on.  Nothing crosses the network for addresses the control
 * plane programmed.
 */

#ifndef _VPC_ARP_H_
#define	_VPC_ARP_H_

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"

/* What vpc_arp_proxy() did. */
enum vpc_arp_result {
	VPC_ARP_NOT_REQUEST = 0,	/* not a request it may answer */
	VPC_ARP_MISS,			/* a request without an entry */
	VPC_ARP_REPLY			/* 'p' is now the reply */
};

/*
 * Answer the parsed frame 'p' in segment 'vni' from 'sw''s proxy table,
 * in an epoch section.  Gratuitous ARP (sender address equal to target),
 * replies, requests whose sender MAC is a group address and requests
 * about the requester's own MAC are never answered (VPC_ARP_NOT_REQUEST).
 */
enum vpc_arp_result vpc_arp_proxy(struct vpc_switch *sw, struct vpc_pkt *p,
	    uint32_t vni);

/*
 * Prefetch the slot line (see vpc_htab_prefetch()) of the lookup in proxy
 * table 'arp' that vpc_arp_proxy() will make for frame 'p', if it is an
 * ARP request.
 */
void	vpc_arp_prefetch(struct vpc_htab *arp, const struct vpc_pkt *p,
	    uint32_t vni);

#endif /* !_VPC_ARP_H_ */
