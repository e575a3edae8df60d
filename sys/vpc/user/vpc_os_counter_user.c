/*
 * vpc_os_counter_user.c: statistics counters (vpc_os.h) for userland.
 *
 * vpcd forwards on one thread, so a block is one array of counters that
 * takes relaxed atomic adds (correct from any thread; uncontended, as
 * cheap here as per-thread copies measured in core-bench).
 */

#include <stdlib.h>

#include "vpc_os.h"

/*
 * A zeroed block of 'n' counters; NULL when memory is short.
 */
struct vpc_os_counters *
vpc_os_counters_alloc(uint32_t n)
{
	struct vpc_os_counters *c;

	c = calloc(1, sizeof(*c) + (size_t)n * sizeof(uint64_t));
	if (c != NULL)
		c->vc_n = n;
	return (c);
}

/*
 * Free 'c' (NULL is a no-op).
 */
void
vpc_os_counters_free(struct vpc_os_counters *c)
{
	free(c);
}

/*
 * Counter 'i' of 'c'.
 */
uint64_t
vpc_os_counter_fetch(const struct vpc_os_counters *c, uint32_t i)
{
	VPC_ASSERT(i < c->vc_n);
	return (__atomic_load_n(&c->vc_v[i], __ATOMIC_RELAXED));
}
