/*
 * vpcd_vnet.c: the virtio-net header of TAPs and packet sockets, to and
 * from the offload fields of struct vpc_pkt.
 *
 * A TAP opened with IFF_VNET_HDR (and a packet socket with
 * PACKET_VNET_HDR) puts struct virtio_net_hdr before every frame: GSO
 * type and segment size of a super-frame, and whether its L4 checksum is
 * partial (NEEDS_CSUM: csum_start, csum_offset) or already verified
 * (DATA_VALID).  The core carries the same facts in p_gso_type,
 * p_gso_size, p_offload and p_csum_start/p_csum_offset.
 */

#include <linux/virtio_net.h>
#include <errno.h>
#include <string.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpc_parse.h"

/* Newer than some installed headers (Linux 6.2). */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define	VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif

/*
 * Set the offload fields of 'pkt' from header 'vh' read with it.
 * Returns 0, or EINVAL for a GSO type the core does not carry (UFO) or a
 * checksum position outside the frame.
 */
int
vpcd_vnet_to_pkt(const struct virtio_net_hdr *vh, struct vpc_pkt *pkt)
{
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if ((uint32_t)vh->csum_start + vh->csum_offset + 2 >
		    pkt->p_totlen)
			return (EINVAL);
		pkt->p_offload |= VPC_PKT_CSUM_PARTIAL;
		pkt->p_csum_start = vh->csum_start;
		pkt->p_csum_offset = vh->csum_offset;
	} else if (vh->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		pkt->p_offload |= VPC_PKT_CSUM_VALID;
	switch (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_NONE:
		return (0);
	case VIRTIO_NET_HDR_GSO_TCPV4:
		pkt->p_gso_type = VPC_GSO_TCPV4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		pkt->p_gso_type = VPC_GSO_TCPV6;
		break;
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		pkt->p_gso_type = VPC_GSO_UDP_L4;
		break;
	default:
		return (EINVAL);
	}
	if (vh->gso_size == 0)
		return (EINVAL);
	pkt->p_gso_size = vh->gso_size;
	/*
	 * ECN: the sender set CWR in a TCP super-frame; whoever segments it
	 * keeps CWR in the first segment only (vpcd_gso.c does; so does a
	 * stack or NIC told GSO_ECN on output).
	 */
	if ((vh->gso_type & VIRTIO_NET_HDR_GSO_ECN) != 0 &&
	    pkt->p_gso_type != VPC_GSO_UDP_L4)
		pkt->p_offload |= VPC_PKT_GSO_ECN;
	return (0);
}

/*
 * Fill header 'vh' for writing 'pkt' with 'shift' bytes (a VLAN tag)
 * inserted before its L3 header.  Returns 0, or EINVAL for a super-frame
 * whose headers the core did not parse.
 */
int
vpcd_vnet_from_pkt(const struct vpc_pkt *pkt, uint32_t shift,
    struct virtio_net_hdr *vh)
{
	const struct vpc_pkt_meta *m = &pkt->p_meta;
	const uint8_t *l4;
	uint32_t hlen;

	memset(vh, 0, sizeof(*vh));
	if (pkt->p_offload & VPC_PKT_CSUM_PARTIAL) {
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->csum_start = (uint16_t)(pkt->p_csum_start + shift);
		vh->csum_offset = pkt->p_csum_offset;
	} else if (pkt->p_offload & VPC_PKT_CSUM_VALID)
		vh->flags = VIRTIO_NET_HDR_F_DATA_VALID;
	if (pkt->p_gso_type == VPC_GSO_NONE)
		return (0);
	if (m->pm_l4off == 0)
		return (EINVAL);
	switch (pkt->p_gso_type) {
	case VPC_GSO_TCPV4:
	case VPC_GSO_TCPV6:
		if ((l4 = vpc_pkt_at(pkt, m->pm_l4off, VPC_TCP_HLEN)) == NULL)
			return (EINVAL);
		hlen = m->pm_l4off + (uint32_t)(l4[12] >> 4) * 4;
		vh->gso_type = pkt->p_gso_type == VPC_GSO_TCPV4 ?
		    VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
		break;
	case VPC_GSO_UDP_L4:
		hlen = m->pm_l4off + VPC_UDP_HLEN;
		vh->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		break;
	default:
		return (EINVAL);
	}
	if ((pkt->p_offload & VPC_PKT_GSO_ECN) != 0)
		vh->gso_type |= VIRTIO_NET_HDR_GSO_ECN;
	vh->hdr_len = (uint16_t)(hlen + shift);
	vh->gso_size = pkt->p_gso_size;
	return (0);
}
