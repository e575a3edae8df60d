/*
 * fuzz_arp.c: libFuzzer harness of ARP handling (proxy replies).
 *
 * The input is decoded into an ARP frame so that nearly every run
 * reaches vpc_arp_proxy(): the 5-byte header of fz_pkt.h, then a
 * control byte and the fields.  Control bits choose a broadcast or
 * fuzzed destination, an 802.1Q tag, a fuzzed ethertype instead of
 * 0x0806, fuzzed instead of Ethernet/IPv4 hardware/protocol fields, the
 * target address from the proxy table's addresses or fuzzed, and a
 * truncation of the frame.  The common checks of fz_pkt.c apply; a reply
 * must answer from the entry of the asking port's own switch and VNI.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fz_util.h"
#include "fz_pkt.h"

#define	C_DSTFUZZ	0x01	/* destination MAC from the input */
#define	C_TAG		0x02	/* 802.1Q tag with a fuzzed TCI */
#define	C_ETYPE		0x04	/* ethertype from the input */
#define	C_HWFUZZ	0x08	/* htype/ptype/hlen/plen from the input */
#define	C_TPAFUZZ	0x10	/* target IP from the input */
#define	C_TRUNC		0x20	/* cut the frame */
#define	C_NOPAD		0x40	/* no padding to 60 bytes */
#define	C_SPAEQ		0x80	/* sender IP = target IP (gratuitous) */

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t tpas[][4] = {
	{ 192, 0, 2, 1 }, { 192, 0, 2, 2 }, { 192, 0, 2, 5 },
	{ 192, 0, 2, 10 }, { 192, 0, 2, 99 },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[FZ_HDRLEN], f[128], *a;
	struct fz_rd r;
	size_t len, off;
	uint16_t cut;
	uint8_t c;

	if (size < FZ_HDRLEN + 1)
		return (0);
	memcpy(hdr, data, FZ_HDRLEN);
	r.r_p = data + FZ_HDRLEN;
	r.r_left = size - FZ_HDRLEN;
	c = fz_u8(&r);
	memset(f, 0, sizeof(f));
	if (c & C_DSTFUZZ)
		fz_bytes(&r, f, 6);
	else
		memset(f, 0xff, 6);
	fz_bytes(&r, f + 6, 6);
	off = 12;
	if (c & C_TAG) {
		vpc_put_be16(f + 12, 0x8100);
		vpc_put_be16(f + 14, fz_u16(&r));
		off = 16;
	}
	vpc_put_be16(f + off, (c & C_ETYPE) ? fz_u16(&r) : 0x0806);
	a = f + off + 2;
	if (c & C_HWFUZZ)
		fz_bytes(&r, a, 6);
	else {
		vpc_put_be16(a, 1);
		vpc_put_be16(a + 2, 0x0800);
		a[4] = 6;
		a[5] = 4;
	}
	vpc_put_be16(a + 6, (uint16_t)(fz_u8(&r) % 4));	/* op 0..3 */
	fz_bytes(&r, a + 8, 6);				/* sha */
	fz_bytes(&r, a + 14, 4);			/* spa */
	fz_bytes(&r, a + 18, 6);			/* tha */
	if (c & C_TPAFUZZ)
		fz_bytes(&r, a + 24, 4);
	else
		memcpy(a + 24, tpas[fz_u8(&r) % nitems(tpas)], 4);
	if (c & C_SPAEQ)
		memcpy(a + 14, a + 24, 4);
	len = off + 2 + 28;
	if (!(c & C_NOPAD) && len < 60)
		len = 60;
	if (c & C_TRUNC) {
		cut = fz_u16(&r);
		len = cut % (len + 1);
	}
	fz_pkt_nic(hdr, f, len);
	return (0);
}
