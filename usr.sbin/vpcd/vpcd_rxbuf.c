/*
 * vpcd_rxbuf.c: receive buffers.  Devices read frames and datagrams into
 * large buffers (up to 64 KiB per frame with offloads); they are mapped
 * pages, so the part a device never fills costs no memory.
 */

#include <sys/mman.h>
#include <stddef.h>

#include "vpcd.h"

/*
 * Allocate 'n' bytes of receive buffer (page-backed, so 64 KiB buffers
 * cost memory only once touched).  NULL on failure.
 */
uint8_t *
vpcd_rxbuf_alloc(size_t n)
{
	void *p;

	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	return (p == MAP_FAILED ? NULL : p);
}

/*
 * Free receive buffer 'b' of 'n' bytes.  NULL is a no-op.
 */
void
vpcd_rxbuf_free(uint8_t *b, size_t n)
{
	if (b != NULL)
		munmap(b, n);
}
