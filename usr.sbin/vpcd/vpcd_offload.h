/*
 * vpcd_offload.h: checksums, segmentation and coalescing in vpcd.
 *
 * Guests hand vpcd TCP super-frames (TSO, up to 64 KiB) with a partial
 * checksum through the virtio-net header of a TAP; the core carries them
 * as one struct vpc_pkt (p_gso_type, p_gso_size, p_offload, p_csum_*).
 * A device that can pass such a frame on (a TAP, a packet socket with a
 * virtio-net header) does so; the vpclink, whose UDP payloads must be
 * complete frames, cuts it here (vpcd_gso.c) into MSS-sized inner frames
 * with their own headers and checksums, laid out as equal-size datagrams
 * for one sendmsg with UDP_SEGMENT.  The other way, datagrams of one TCP
 * (or UDP) flow that arrive together (UDP_GRO) are checked and joined
 * back into one super-frame (vpcd_gro.c) before the core sees them.
 *
 * Checksums (vpcd_csum.c) are kept as 64-bit ones' complement sums of
 * 16-bit words in memory order; folding one gives the 16-bit value to
 * store in memory as it is, on any byte order (RFC 1071).
 */

#ifndef _VPCD_OFFLOAD_H_
#define	_VPCD_OFFLOAD_H_

#include <sys/types.h>
#include <sys/uio.h>
#include <stdint.h>

#include "vpc_pkt.h"
#include "vpc_var.h"

/* vpcd_csum.c */
uint64_t	 vpcd_csum_add(uint64_t sum, const void *buf, size_t len);
uint16_t	 vpcd_csum_fold(uint64_t sum);
uint64_t	 vpcd_csum_pseudo(const uint8_t *l3, int v6, uint8_t proto,
		    uint32_t l4len);
uint64_t	 vpcd_csum_copy(void *dst, const void *src, size_t len,
		    uint64_t sum);
int		 vpcd_pkt_csum_finish(struct vpc_pkt *pkt);
/*
 * Sum with the CPU's vector instructions where it has them (on != 0, the
 * default) or with the portable code only (tests, measurements); returns
 * whether vector code is used from now on.
 */
int		 vpcd_csum_vector(int on);

/* vpcd_vnet.c */
struct virtio_net_hdr;
int		 vpcd_vnet_to_pkt(const struct virtio_net_hdr *vh,
		    struct vpc_pkt *pkt);
int		 vpcd_vnet_from_pkt(const struct vpc_pkt *pkt, uint32_t shift,
		    struct virtio_net_hdr *vh);

/*
 * Segmentation of a super-frame (vpcd_gso.c).  Headers of one segment
 * are at most VPCD_GSO_HDRMAX bytes: Ethernet, a VLAN tag, IPv6 (or IPv4
 * with options) and TCP with options.
 */
#define	VPCD_GSO_HDRMAX		(14 + 4 + 60 + 60)

/* A super-frame being cut (filled by vpcd_gso_init). */
struct vpcd_gso {
	const uint8_t	*g_frame;	/* the frame, contiguous */
	uint32_t	 g_len;		/* its length */
	uint32_t	 g_l3off;	/* IP header, in g_frame */
	uint32_t	 g_l4off;	/* TCP/UDP header, in g_frame */
	uint32_t	 g_hdrlen;	/* headers up to the payload */
	uint32_t	 g_mss;		/* payload bytes per segment */
	uint32_t	 g_nseg;	/* segments */
	uint16_t	 g_vlan;	/* tag to insert, 0: none */
	uint8_t		 g_v6;		/* IPv6, else IPv4 */
	uint8_t		 g_proto;	/* VPC_IPPROTO_TCP or _UDP */
};

int		 vpcd_gso_init(struct vpcd_gso *g, const struct vpc_pkt *pkt,
		    uint16_t vlan);
uint32_t	 vpcd_gso_seg(const struct vpcd_gso *g, uint32_t i,
		    uint8_t *hdr, const uint8_t **payp, uint32_t *paylenp);

/*
 * Coalescing of received datagrams (vpcd_gro.c).  A vpcd_gro belongs to
 * one receiving device; 'fn' gets every frame, joined or not, in order.
 * A frame 'fn' gets with 'transient' set is in the context's own buffer
 * and valid only until 'fn' returns; any other is the caller's datagram,
 * valid as long as the caller keeps its buffer.
 */
struct vpcd_gro;
typedef void	 vpcd_gro_fn(void *arg, struct vpc_pkt *pkt,
		    const struct vpc_ipaddr *src, int transient);
struct vpcd_gro	*vpcd_gro_create(vpcd_gro_fn *fn, void *arg,
		    const uint8_t *udp_ok);
void		 vpcd_gro_destroy(struct vpcd_gro *gr);
void		 vpcd_gro_input(struct vpcd_gro *gr, uint8_t *dgram,
		    uint32_t len, uint32_t headroom,
		    const struct vpc_ipaddr *src);
void		 vpcd_gro_flush(struct vpcd_gro *gr);

#endif /* !_VPCD_OFFLOAD_H_ */
