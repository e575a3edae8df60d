/*
 * vpc_vxlan.h: VXLAN (RFC 7348) encapsulation and decapsulation.
 *
 * The core never builds outer headers: encapsulation fills the txinfo a
 * host uses to send the VXLAN header and the inner frame as one UDP
 * datagram; decapsulation validates and strips the VXLAN header of a
 * received UDP payload.
 */

#ifndef _VPC_VXLAN_H_
#define	_VPC_VXLAN_H_

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_var.h"

#define	VPC_VXLAN_FLAG_I	0x08	/* the VNI field is valid */

/*
 * Fill 'tx' to send the parsed inner frame 'p' in segment 'vni' to
 * 'remote': tx_encap, the VXLAN header, the remote and the flow hash.
 * tx_vlan and tx_last are left as they were.
 */
void	vpc_vxlan_encap(const struct vpc_pkt *p, uint32_t vni,
	    const struct vpc_ipaddr *remote, struct vpc_txinfo *tx);

/*
 * Check and strip the VXLAN header at the start of 'p' (a UDP payload)
 * and set p_vni.  Returns 0 or VXLAN_SHORT, VXLAN_BAD_FLAGS or
 * VXLAN_INNER_SHORT, leaving 'p' unchanged on error.
 */
int	vpc_vxlan_decap(struct vpc_pkt *p);

#endif /* !_VPC_VXLAN_H_ */
