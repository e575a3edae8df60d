/*
 * vpcd_csum.c: Internet checksums (RFC 1071) for vpcd's offloads.
 *
 * Sums are ones' complement sums of 16-bit words in memory order, kept
 * unfolded in 64 bits: 32-bit halves of 64-bit loads are added into
 * 64-bit accumulators, so no carry is lost for any frame vpcd handles,
 * and folding at the end gives the same 16-bit result as a word-by-word
 * sum.  A folded sum is stored in memory as it is, on any byte order.
 */

#include <arpa/inet.h>
#include <string.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpc_parse.h"

/*
 * Add the 'len' bytes at 'buf' to the running sum 'sum'; a trailing odd
 * byte counts as the first byte of a word whose second byte is zero.
 * 'buf' is taken to start on a word boundary of the checksummed data.
 */
uint64_t
vpcd_csum_add(uint64_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t a, b, c, d, s0, s1, s2, s3;
	uint16_t w;

	s0 = sum;
	s1 = s2 = s3 = 0;
	while (len >= 32) {
		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 8);
		memcpy(&d, p + 24, 8);
		s0 += (a & 0xffffffffu) + (a >> 32);
		s1 += (b & 0xffffffffu) + (b >> 32);
		s2 += (c & 0xffffffffu) + (c >> 32);
		s3 += (d & 0xffffffffu) + (d >> 32);
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		memcpy(&a, p, 8);
		s0 += (a & 0xffffffffu) + (a >> 32);
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		memcpy(&w, p, 2);
		s1 += w;
		p += 2;
		len -= 2;
	}
	if (len != 0) {
		w = 0;
		memcpy(&w, p, 1);
		s2 += w;
	}
	return (s0 + s1 + s2 + s3);
}

/*
 * Fold running sum 'sum' to 16 bits (not complemented).
 */
uint16_t
vpcd_csum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return ((uint16_t)sum);
}

/*
 * Sum of the TCP/UDP pseudo-header for the IP header at 'l3' (IPv6 if
 * 'v6', else IPv4), protocol 'proto' and 'l4len' bytes of L4 header and
 * payload (RFC 793, RFC 768, RFC 8200 section 8.1).
 */
uint64_t
vpcd_csum_pseudo(const uint8_t *l3, int v6, uint8_t proto, uint32_t l4len)
{
	uint64_t sum;

	if (v6) {
		sum = vpcd_csum_add(0, l3 + 8, 32);
		sum += htons((uint16_t)(l4len >> 16));
		sum += htons((uint16_t)l4len);
	} else {
		sum = vpcd_csum_add(0, l3 + 12, 8);
		sum += htons((uint16_t)l4len);
	}
	sum += htons(proto);
	return (sum);
}

/*
 * Copy 'len' bytes from 'src' to 'dst' (not overlapping) and add them to
 * running sum 'sum', which is returned; one pass over the data.
 */
uint64_t
vpcd_csum_copy(void *dst, const void *src, size_t len, uint64_t sum)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	uint64_t a, b, s0, s1;
	uint16_t w;

	s0 = sum;
	s1 = 0;
	while (len >= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + 8, &b, 8);
		s0 += (a & 0xffffffffu) + (a >> 32);
		s1 += (b & 0xffffffffu) + (b >> 32);
		s += 16;
		d += 16;
		len -= 16;
	}
	while (len >= 2) {
		memcpy(&w, s, 2);
		memcpy(d, &w, 2);
		s1 += w;
		s += 2;
		d += 2;
		len -= 2;
	}
	if (len != 0) {
		*d = *s;
		w = 0;
		memcpy(&w, s, 1);
		s1 += w;
	}
	return (s0 + s1);
}

/*
 * Finish a checksum the sender left partial (virtio NEEDS_CSUM): sum
 * 'frame' (of 'len' bytes) from 'start' to the end and store the result
 * at 'start' + 'offset', where the pseudo-header sum already is.
 */
void
vpcd_csum_complete(uint8_t *frame, uint32_t len, uint16_t start,
    uint16_t offset)
{
	uint16_t c;

	if (start >= len || offset > len - start ||
	    len - start - offset < 2)
		return;
	c = (uint16_t)~vpcd_csum_fold(vpcd_csum_add(0, frame + start,
	    len - start));
	/* UDP reserves 0 for "no checksum"; 0xffff is the same value. */
	if (c == 0)
		c = 0xffff;
	memcpy(frame + start + offset, &c, 2);
}

/*
 * Complete the partial checksum of contiguous frame 'pkt', if it has
 * one, and clear CSUM_PARTIAL.  Returns 0, or EINVAL if the frame is not
 * contiguous or its checksum position is outside it.
 */
int
vpcd_pkt_csum_finish(struct vpc_pkt *pkt)
{
	if ((pkt->p_offload & VPC_PKT_CSUM_PARTIAL) == 0)
		return (0);
	if (pkt->p_len != pkt->p_totlen ||
	    (uint32_t)pkt->p_csum_start + pkt->p_csum_offset + 2 >
	    pkt->p_len)
		return (EINVAL);
	vpcd_csum_complete(pkt->p_data, pkt->p_len, pkt->p_csum_start,
	    pkt->p_csum_offset);
	pkt->p_offload &= ~VPC_PKT_CSUM_PARTIAL;
	pkt->p_offload |= VPC_PKT_CSUM_VALID;
	return (0);
}
