/*
 * fuzz_ingress.c: libFuzzer harness of the guest ingress pipeline.
 *
 * Input: the 5-byte header of fz_pkt.h (switch modes, ingress NIC,
 * offload flags, GSO size, window), then the Ethernet frame a guest
 * sends.  The frame runs through vpc_input_nic() on the fixed topology
 * of fz_pkt.c, whose host checks every output and the drop counters.
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
	fz_pkt_nic(data, data + FZ_HDRLEN, size - FZ_HDRLEN);
	return (0);
}
