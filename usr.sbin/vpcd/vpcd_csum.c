/*
 * vpcd_csum.c: Internet checksums (RFC 1071) for vpcd's offloads.
 *
 * Sums are ones' complement sums of 16-bit words in memory order, kept
 * unfolded in 64 bits: 32-bit halves of 64-bit loads are added into
 * 64-bit accumulators, so no carry is lost for any frame vpcd handles,
 * and folding at the end gives the same 16-bit result as a word-by-word
 * sum.  A folded sum is stored in memory as it is, on any byte order.
 *
 * On x86-64 CPUs with AVX2 the bulk of a buffer (whole 64-byte blocks)
 * is summed, or copied and summed, 32 bytes per instruction: its 16-bit
 * words are widened into 32-bit lanes, which cannot carry out within
 * CSUM_VEC_CHUNK bytes, and the lanes are added up at the end of each
 * chunk; the rest goes through the portable code.  Same sums, two to
 * three times faster (the copy as fast as memcpy).
 */

#include <arpa/inet.h>
#include <string.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpc_parse.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define	CSUM_VEC		1
/* Per 64-byte block a lane takes two words: 2^15 blocks fit 32 bits. */
#define	CSUM_VEC_CHUNK		(1024 * 1024)

static int	csum_vec = -1;	/* -1: not asked yet; 0: off; 1: on */

static uint64_t	csum_vec_add(const uint8_t *s, size_t n);
static uint64_t	csum_vec_copy(uint8_t *d, const uint8_t *s, size_t n);

/* Whether to use the AVX2 code: the CPU has it and no test said no. */
static inline int
csum_vec_on(void)
{
	if (__builtin_expect(csum_vec < 0, 0))
		csum_vec = __builtin_cpu_supports("avx2") ? 1 : 0;
	return (csum_vec);
}

/* The sum of the 32-bit lanes of 'a'. */
__attribute__((target("avx2")))
static inline uint64_t
csum_vec_lanes(__m256i a)
{
	__m256i z, q;
	__m128i r;

	z = _mm256_setzero_si256();
	q = _mm256_add_epi64(_mm256_unpacklo_epi32(a, z),
	    _mm256_unpackhi_epi32(a, z));
	r = _mm_add_epi64(_mm256_castsi256_si128(q),
	    _mm256_extracti128_si256(q, 1));
	return ((uint64_t)_mm_cvtsi128_si64(r) +
	    (uint64_t)_mm_extract_epi64(r, 1));
}

/*
 * The sum of the 'n' bytes at 's' (a multiple of 64), copied to 'd'
 * first if 'd' is not NULL.
 */
__attribute__((target("avx2")))
static inline uint64_t
csum_vec_run(uint8_t *d, const uint8_t *s, size_t n)
{
	__m256i z, a0, a1, v, w;
	uint64_t sum;
	size_t i, end;

	z = _mm256_setzero_si256();
	sum = 0;
	for (i = 0; i < n; i = end) {
		end = n - i > CSUM_VEC_CHUNK ? i + CSUM_VEC_CHUNK : n;
		a0 = a1 = z;
		for (; i < end; i += 64) {
			v = _mm256_loadu_si256((const __m256i *)(s + i));
			w = _mm256_loadu_si256((const __m256i *)(s + i + 32));
			if (d != NULL) {
				_mm256_storeu_si256((__m256i *)(d + i), v);
				_mm256_storeu_si256((__m256i *)(d + i + 32),
				    w);
			}
			a0 = _mm256_add_epi32(a0, _mm256_unpacklo_epi16(v, z));
			a1 = _mm256_add_epi32(a1, _mm256_unpackhi_epi16(v, z));
			a0 = _mm256_add_epi32(a0, _mm256_unpacklo_epi16(w, z));
			a1 = _mm256_add_epi32(a1, _mm256_unpackhi_epi16(w, z));
		}
		sum += csum_vec_lanes(a0) + csum_vec_lanes(a1);
	}
	return (sum);
}

__attribute__((target("avx2")))
static uint64_t
csum_vec_add(const uint8_t *s, size_t n)
{
	return (csum_vec_run(NULL, s, n));
}

__attribute__((target("avx2")))
static uint64_t
csum_vec_copy(uint8_t *d, const uint8_t *s, size_t n)
{
	return (csum_vec_run(d, s, n));
}
#endif /* x86-64 */

int
vpcd_csum_vector(int on)
{
#ifdef CSUM_VEC
	csum_vec = -1;
	if (!on)
		csum_vec = 0;
	return (csum_vec_on());
#else
	(void)on;
	return (0);
#endif
}

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
#ifdef CSUM_VEC
	size_t n;

	if (len >= 64 && csum_vec_on()) {
		n = len & ~(size_t)63;
		sum += csum_vec_add(p, n);
		p += n;
		len -= n;
	}
#endif

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
#ifdef CSUM_VEC
	size_t n;

	if (len >= 64 && csum_vec_on()) {
		n = len & ~(size_t)63;
		sum += csum_vec_copy(d, s, n);
		s += n;
		d += n;
		len -= n;
	}
#endif

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
