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

/*
 * One 64-bit word into the running hash: a multiply by the 64-bit golden
 * ratio and a xor-shift (each step a bijection, so no input word is lost).
 * The words are loaded in host byte order: the hash only picks paths on
 * this host, it is never compared across hosts.
 */
static inline uint64_t
vpc_hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * 0x9e3779b97f4a7c15ull;
	return (h ^ (h >> 29));
}

/* Final avalanche to 32 bits, so every input bit reaches the low bits. */
static inline uint32_t
vpc_hash_final(uint64_t h)
{
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 32;
	return ((uint32_t)h);
}

/* 8 bytes at 'b' (any alignment) as a word. */
static inline uint64_t
vpc_hash_load64(const uint8_t *b)
{
	uint64_t v;

	vpc_memcpy(&v, b, 8);
	return (v);
}

/*
 * The 'n' bytes at 'off' of frame 'p' that the hash reads, or NULL.  A
 * successful parse (pm_parsed) has checked every range the hash asks
 * for (IPv4 and IPv6 headers, 4 bytes of TCP/UDP ports, the 14-byte
 * Ethernet header), so only an unparsed frame needs the bounds test.
 */
static inline const uint8_t *
vpc_hash_at(const struct vpc_pkt *p, uint32_t off, uint32_t n)
{
	if (p->p_meta.pm_parsed)
		return (p->p_data + off);
	return (vpc_pkt_at(p, off, n));
}

/*
 * Flow hash of frame 'p' (parsed, or hashed by its MAC addresses): about
 * 15 instructions for IPv4, where a byte-wise 32-bit hash took 50.
 */
static inline uint32_t
vpc_flowhash(const struct vpc_pkt *p)
{
	const struct vpc_pkt_meta *m = &p->p_meta;
	const uint8_t *l3, *l4;
	uint64_t h;
	uint32_t ports;

	h = 0x5650430aull;
	l3 = NULL;
	if (m->pm_ethertype == VPC_ETHERTYPE_IPV4 &&
	    (l3 = vpc_hash_at(p, m->pm_l3off, VPC_IP4_HLEN)) != NULL)
		h = vpc_hash_mix(h, vpc_hash_load64(l3 + 12));
	else if (m->pm_ethertype == VPC_ETHERTYPE_IPV6 &&
	    (l3 = vpc_hash_at(p, m->pm_l3off, VPC_IP6_HLEN)) != NULL) {
		h = vpc_hash_mix(h, vpc_hash_load64(l3 + 8));
		h = vpc_hash_mix(h, vpc_hash_load64(l3 + 16));
		h = vpc_hash_mix(h, vpc_hash_load64(l3 + 24));
		h = vpc_hash_mix(h, vpc_hash_load64(l3 + 32));
	}
	if (l3 == NULL) {
		/* Not IP: both MAC addresses and the ethertype. */
		if ((l3 = vpc_hash_at(p, 0, 12)) != NULL) {
			h = vpc_hash_mix(h, vpc_hash_load64(l3));
			h = vpc_hash_mix(h, vpc_get_be32(l3 + 8));
		}
		return (vpc_hash_final(vpc_hash_mix(h, m->pm_ethertype)));
	}
	ports = 0;
	if (m->pm_l4off != 0 && (m->pm_l4proto == VPC_IPPROTO_TCP ||
	    m->pm_l4proto == VPC_IPPROTO_UDP) &&
	    (l4 = vpc_hash_at(p, m->pm_l4off, 4)) != NULL)
		vpc_memcpy(&ports, l4, 4);
	return (vpc_hash_final(vpc_hash_mix(h,
	    (uint64_t)ports << 8 | m->pm_l4proto)));
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
