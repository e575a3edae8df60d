/*
 * vpc_os_counter_user.c: statistics counters (vpc_os.h) for userland.
 *
 * A block is one array of counters.  Adds are relaxed atomic adds, correct
 * from any number of threads, unless the process declared with
 * vpc_os_counters_one_thread() that only one thread runs the core: then
 * they are plain loads and stores (no locked instruction).  That thread
 * is remembered, and the control calls here assert they run on it.
 */

#include <pthread.h>
#include <stdlib.h>

#include "vpc_os.h"
#include "vpc_os_user.h"

bool		vpc_os_ctr_one_thread;
static pthread_t ctr_owner;	/* the one thread, if vpc_os_ctr_one_thread */

void
vpc_os_counters_one_thread(void)
{
	ctr_owner = pthread_self();
	vpc_os_ctr_one_thread = true;
}

/* Whether the caller may touch counters now (see the file comment). */
static bool
ctr_caller_ok(void)
{
	return (!vpc_os_ctr_one_thread ||
	    pthread_equal(ctr_owner, pthread_self()));
}

/*
 * A zeroed block of 'n' counters; NULL when memory is short.
 */
struct vpc_os_counters *
vpc_os_counters_alloc(uint32_t n)
{
	struct vpc_os_counters *c;

	VPC_ASSERT(ctr_caller_ok());
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
	VPC_ASSERT(ctr_caller_ok());
	return (__atomic_load_n(&c->vc_v[i], __ATOMIC_RELAXED));
}
