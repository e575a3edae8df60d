/*
 * vpc_vxlan.c: the VXLAN header (RFC 7348 section 5).
 *
 *   byte 0     flags: 0x08 (I) must be set, the others are reserved
 *   bytes 1-3  reserved
 *   bytes 4-6  VNI, network order
 *   byte 7     reserved
 *
 * Reserved bits are sent as zero and ignored on receipt, as the RFC says.
 */

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"
#include "vpc_parse.h"
#include "vpc_hash.h"
#include "vpc_vxlan.h"

void
vpc_vxlan_encap(const struct vpc_pkt *p, uint32_t vni,
    const struct vpc_ipaddr *remote, struct vpc_txinfo *tx)
{
	VPC_ASSERT(vni <= VPC_VNI_MAX);
	tx->tx_encap = 1;
	/* Two word stores: flags and reserved, then VNI and reserved. */
	vpc_put_be32(tx->tx_vxlan, (uint32_t)VPC_VXLAN_FLAG_I << 24);
	vpc_put_be32(tx->tx_vxlan + 4, vni << 8);
	tx->tx_remote = *remote;
	tx->tx_flowhash = vpc_flowhash(p);
}

int
vpc_vxlan_decap(struct vpc_pkt *p)
{
	const uint8_t *vh;

	if ((vh = vpc_pkt_at(p, 0, VPC_VXLAN_HDRLEN)) == NULL)
		return (VPC_DROP_VXLAN_SHORT);
	if ((vh[0] & VPC_VXLAN_FLAG_I) == 0)
		return (VPC_DROP_VXLAN_BAD_FLAGS);
	if (p->p_totlen < VPC_VXLAN_HDRLEN + VPC_ETH_HLEN ||
	    p->p_len < VPC_VXLAN_HDRLEN + VPC_ETH_HLEN)
		return (VPC_DROP_VXLAN_INNER_SHORT);
	p->p_vni = (uint32_t)vh[4] << 16 | (uint32_t)vh[5] << 8 | vh[6];
	(void)vpc_pkt_pull(p, VPC_VXLAN_HDRLEN);
	/* A host that joined segments left the inner checksum partial. */
	if ((p->p_offload & VPC_PKT_CSUM_PARTIAL) != 0) {
		if (p->p_csum_start < VPC_VXLAN_HDRLEN)
			p->p_offload &= ~VPC_PKT_CSUM_PARTIAL;
		else
			p->p_csum_start -= VPC_VXLAN_HDRLEN;
	}
	return (0);
}
