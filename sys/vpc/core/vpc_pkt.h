/*
 * vpc_pkt.h: the packet view the core works on.
 *
 * A host wraps each frame (an mbuf, a buffer read from a TAP or a socket)
 * in a struct vpc_pkt: a contiguous window onto its first bytes, the room
 * before it, its total length and the host's own handle, which the core
 * carries but never touches.  Hosts make at least VPC_PKT_PULLUP bytes of
 * a frame contiguous (or the whole frame if it is shorter), so headers can
 * be parsed from the window; parsers check every read against p_len.
 */

#ifndef _VPC_PKT_H_
#define	_VPC_PKT_H_

#include "vpc_os.h"

#define	VPC_PKT_PULLUP		128	/* contiguous bytes a host provides */
#define	VPC_PKT_HEADROOM	64	/* room hosts leave before p_data */

/* Offload state carried with a frame (the virtio-net header's meaning). */
#define	VPC_PKT_CSUM_PARTIAL	0x0001	/* L4 checksum to be completed */
#define	VPC_PKT_CSUM_VALID	0x0002	/* checksum already verified */
#define	VPC_PKT_GSO_ECN		0x0004	/* TCP super-frame with CWR set */
#define	VPC_GSO_NONE		0
#define	VPC_GSO_TCPV4		1
#define	VPC_GSO_TCPV6		2
#define	VPC_GSO_UDP_L4		3

/* What the parser learned; offsets are from p_data, 0 means absent. */
struct vpc_pkt_meta {
	uint16_t	pm_ethertype;	/* after any VLAN tag */
	uint16_t	pm_vlan;	/* VLAN id of the tag, 0: untagged */
	uint16_t	pm_l3off;	/* start of ARP/IPv4/IPv6 header */
	uint16_t	pm_l4off;	/* start of UDP/TCP/ICMP header */
	uint8_t		pm_l4proto;	/* IP protocol number */
	uint8_t		pm_parsed;	/* parser ran */
};

struct vpc_pkt {
	uint8_t		*p_data;	/* first byte of the Ethernet frame */
	uint32_t	 p_len;		/* contiguous bytes at p_data */
	uint32_t	 p_totlen;	/* whole frame, >= p_len */
	uint32_t	 p_headroom;	/* writable bytes before p_data */
	uint16_t	 p_offload;	/* VPC_PKT_CSUM_* */
	uint8_t		 p_gso_type;	/* VPC_GSO_* */
	uint8_t		 p_pad;
	uint16_t	 p_gso_size;	/* segment payload size, if GSO */
	uint16_t	 p_csum_start;	/* from p_data, if CSUM_PARTIAL */
	uint16_t	 p_csum_offset;	/* from p_csum_start */
	uint16_t	 p_pad2;
	uint32_t	 p_vni;		/* segment the frame is in */
	struct vpc_pkt_meta p_meta;	/* filled by vpc_parse_eth() */
	void		*p_os;		/* host's handle, opaque to the core */
};

/* Initialise a view of a contiguous buffer. */
static inline void
vpc_pkt_init(struct vpc_pkt *p, uint8_t *data, uint32_t len,
    uint32_t totlen, uint32_t headroom, void *os)
{
	vpc_memset(p, 0, sizeof(*p));
	p->p_data = data;
	p->p_len = len;
	p->p_totlen = totlen;
	p->p_headroom = headroom;
	p->p_os = os;
}

/* Pointer to 'n' bytes at 'off', or NULL if they are not in the window. */
static inline uint8_t *
vpc_pkt_at(const struct vpc_pkt *p, uint32_t off, uint32_t n)
{
	if (off > p->p_len || n > p->p_len - off)
		return (NULL);
	return (p->p_data + off);
}

/* Drop 'n' bytes from the front (decapsulation). */
static inline int
vpc_pkt_pull(struct vpc_pkt *p, uint32_t n)
{
	if (n > p->p_len)
		return (EMSGSIZE);
	p->p_data += n;
	p->p_len -= n;
	p->p_totlen -= n;
	p->p_headroom += n;
	return (0);
}

/* Make room for 'n' bytes at the front (encapsulation). */
static inline int
vpc_pkt_push(struct vpc_pkt *p, uint32_t n)
{
	if (n > p->p_headroom)
		return (ENOBUFS);
	p->p_data -= n;
	p->p_len += n;
	p->p_totlen += n;
	p->p_headroom -= n;
	return (0);
}

#endif /* !_VPC_PKT_H_ */
