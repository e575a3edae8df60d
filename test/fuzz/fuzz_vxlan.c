/*
 * fuzz_vxlan.c: libFuzzer harness of VXLAN decapsulation.
 *
 * Input: the 5-byte header of fz_pkt.h (its selector byte picks the
 * outer source address: a known VTEP, this host, an IPv6 one or a
 * stranger), then the UDP payload that arrives at the vpclink: VXLAN
 * header and inner frame.  vpc_input_vpclink() runs it on the fixed
 * topology of fz_pkt.c; besides the common checks, nothing may go back
 * to an uplink (split horizon) and whatever is delivered must be the
 * inner frame, into the segment its VNI names.
 */

#include <stddef.h>
#include <stdint.h>

#include "fz_pkt.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < FZ_HDRLEN)
		return (0);
	fz_pkt_vxlan(data, data + FZ_HDRLEN, size - FZ_HDRLEN);
	return (0);
}
