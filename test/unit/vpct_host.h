/*
 * vpct_host.h: a recording dummy host and hand-built topologies for the
 * data path unit tests.
 *
 * struct vpct_host's ho_output records every output (object, txinfo and
 * a copy of the frame) so tests assert on what left the core.  The
 * fixture functions build switches, ports, NICs and links by hand (no
 * vpc_ctl), wire them the way the control plane would, and free them all
 * in vpct_world_fini().
 */

#ifndef _VPCT_HOST_H_
#define	_VPCT_HOST_H_

#include <stddef.h>
#include <stdint.h>

#include "vpc_os.h"
#include "vpc_var.h"

#define	VPCT_OUT_MAX	64		/* outputs recorded */
#define	VPCT_FRAME_MAX	2048		/* bytes of each kept */
#define	VPCT_OBJ_MAX	64		/* objects in a world */

/* One recorded call of ho_output. */
struct vpct_out {
	struct vpc_obj		*vo_obj;	/* output object */
	struct vpc_txinfo	 vo_tx;		/* as passed */
	uint32_t		 vo_len;	/* p_totlen */
	uint8_t			 vo_frame[VPCT_FRAME_MAX]; /* frame copy */
};

/* The dummy host. */
struct vpct_host {
	struct vpct_out		 vh_out[VPCT_OUT_MAX];	/* recorded */
	uint32_t		 vh_nout;	/* outputs, even beyond MAX */
	uint32_t		 vh_nlast;	/* of which with tx_last */
	int			 vh_fail;	/* errno ho_output returns */
};

extern const struct vpc_host_ops vpct_host_ops;

/* A packet buffer with headroom. */
struct vpct_buf {
	uint8_t			 vb_bytes[VPC_PKT_HEADROOM + VPCT_FRAME_MAX];
};

/* A registry with a recording host and the objects built on it. */
struct vpct_world {
	struct vpct_host	 w_host;	/* outputs */
	struct vpc_registry	*w_rg;		/* registry of w_host */
	struct vpc_obj		*w_objs[VPCT_OBJ_MAX];	/* to free */
	uint32_t		 w_nobjs;
};

/* World. */
void	vpct_world_init(struct vpct_world *w);
void	vpct_world_fini(struct vpct_world *w);
void	vpct_host_reset(struct vpct_host *h);

/* Objects (fixtures).  MAC addresses are given; ids are left nil. */
struct vpc_switch *vpct_switch(struct vpct_world *w, uint32_t mode);
struct vpc_port	*vpct_port(struct vpct_world *w, uint32_t vni, uint16_t vlan);
struct vpc_nic	*vpct_nic(struct vpct_world *w, uint32_t type,
		    const uint8_t mac[6]);
struct vpc_ethlink *vpct_ethlink(struct vpct_world *w, uint16_t vlan);
struct vpc_vpclink *vpct_vpclink(struct vpct_world *w,
		    const struct vpc_ipaddr *local, uint32_t mtu);

/* Relations, as the control plane makes them. */
void	vpct_sw_add(struct vpc_switch *sw, struct vpc_port *pt);
void	vpct_connect(struct vpc_port *pt, struct vpc_obj *peer);
void	vpct_arp_add(struct vpc_switch *sw, uint32_t vni, const uint8_t ip[4],
	    const uint8_t mac[6]);
void	vpct_l2_add(struct vpc_switch *sw, uint32_t vni, const uint8_t mac[6],
	    struct vpc_port *pt);
void	vpct_fwd_add(struct vpc_vpclink *vl, uint32_t vni,
	    const uint8_t mac[6], const struct vpc_ipaddr *remote);
void	vpct_flood_set(struct vpc_switch *sw, uint32_t vni,
	    const struct vpc_ipaddr *addrs, uint32_t count);

/* Addresses. */
void	vpct_ip4(struct vpc_ipaddr *a, uint8_t b0, uint8_t b1, uint8_t b2,
	    uint8_t b3);
void	vpct_ip6(struct vpc_ipaddr *a, uint16_t last);	/* 2001:db8::last */

/* Frames: each returns the length written at 'f'. */
uint32_t vpct_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
	    uint16_t vlan, uint16_t ethertype);	/* vlan 0: untagged */
uint32_t vpct_udp4(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
	    uint16_t vlan, const uint8_t sip[4], const uint8_t dip[4],
	    uint16_t sport, uint16_t dport, uint32_t paylen);
uint32_t vpct_tcp6(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
	    uint16_t sport, uint16_t dport, uint32_t paylen);
uint32_t vpct_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
	    uint16_t op, const uint8_t sha[6], const uint8_t spa[4],
	    const uint8_t tha[6], const uint8_t tpa[4]);

/* A packet view of 'len' bytes copied into 'b' after its headroom. */
struct vpc_pkt *vpct_pkt(struct vpc_pkt *p, struct vpct_buf *b,
	    const uint8_t *frame, uint32_t len);

/* Counters. */
uint64_t vpct_drops(const struct vpc_obj *o, enum vpc_drop why);

#endif /* !_VPCT_HOST_H_ */
