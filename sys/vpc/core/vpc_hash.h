/*
 * vpc_hash.h: the flow hash of a frame and the UDP source port it picks.
 *
 * The hash covers the inner frame's IP source and destination, protocol
 * and TCP/UDP ports, so that distinct flows usually get distinct values
 * (ECMP entropy in the underlay, RFC 7348 section 5); frames that are not
 * IP hash their MAC addresses and ethertype.  It is not keyed: it chooses
 * paths, not table buckets.  Requires a parsed frame (vpc_parse.h).
 */

#ifndef _VPC_HASH_H_
#define	_VPC_HASH_H_

#include "vpc_os.h"
#include "vpc_pkt.h"
#include "vpc_parse.h"

/* One 32-bit word into the running hash (Murmur3-style block mix). */
static inline uint32_t
vpc_hash_word(uint32_t h, uint32_t w)
{
	w *= 0xcc9e2d51u;
	w = (w << 15) | (w >> 17);
	w *= 0x1b873593u;
	h ^= w;
	h = (h << 13) | (h >> 19);
	return (h * 5 + 0xe6546b64u);
}

/* Final avalanche, so every input bit reaches the low bits. */
static inline uint32_t
vpc_hash_final(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return (h);
}

/* 'n' (a multiple of 4) bytes at 'b' into the running hash 'h'. */
static inline uint32_t
vpc_hash_bytes(uint32_t h, const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i + 4 <= n; i += 4)
		h = vpc_hash_word(h, vpc_get_be32(b + i));
	return (h);
}

/* Flow hash of the parsed frame 'p'. */
static inline uint32_t
vpc_flowhash(const struct vpc_pkt *p)
{
	const struct vpc_pkt_meta *m = &p->p_meta;
	const uint8_t *l3, *l4;
	uint32_t h;

	h = 0x5650430au;
	l3 = NULL;
	if (m->pm_ethertype == VPC_ETHERTYPE_IPV4 &&
	    (l3 = vpc_pkt_at(p, m->pm_l3off, VPC_IP4_HLEN)) != NULL)
		h = vpc_hash_bytes(h, l3 + 12, 8);
	else if (m->pm_ethertype == VPC_ETHERTYPE_IPV6 &&
	    (l3 = vpc_pkt_at(p, m->pm_l3off, VPC_IP6_HLEN)) != NULL)
		h = vpc_hash_bytes(h, l3 + 8, 32);
	if (l3 == NULL) {
		if ((l3 = vpc_pkt_at(p, 0, 12)) != NULL)
			h = vpc_hash_bytes(h, l3, 12);
		return (vpc_hash_final(vpc_hash_word(h, m->pm_ethertype)));
	}
	h = vpc_hash_word(h, m->pm_l4proto);
	if (m->pm_l4off != 0 && (m->pm_l4proto == VPC_IPPROTO_TCP ||
	    m->pm_l4proto == VPC_IPPROTO_UDP) &&
	    (l4 = vpc_pkt_at(p, m->pm_l4off, 4)) != NULL)
		h = vpc_hash_word(h, vpc_get_be32(l4));
	return (vpc_hash_final(h));
}

/*
 * A UDP source port in ['min', 'max'] chosen by 'hash' (for hosts that
 * pick the port per packet; RFC 7348 suggests 49152..65535).
 */
static inline uint16_t
vpc_vxlan_sport(uint32_t hash, uint16_t min, uint16_t max)
{
	uint32_t range;

	if (max <= min)
		return (min);
	range = (uint32_t)(max - min) + 1;
	return ((uint16_t)(min + (uint32_t)(((uint64_t)hash * range) >> 32)));
}

#endif /* !_VPC_HASH_H_ */
