/*
 * vpc_stats.c: per-object counters and the names of drop reasons.
 *
 * Each object has a block of counters from the OS seam (vpc_os_counters:
 * counter(9) per-CPU counters in the kernel) laid out as struct
 * vpc_stats, which is all uint64_t; the data path adds to them
 * (vpc_count_rx/tx, inline in vpc_var.h) and a reader fetches them field
 * by field (each field is exact, the set is not a single instant).
 */

#include "vpc_os.h"
#include "vpc_var.h"

const char *const vpc_drop_names[VPC_DROP_COUNT] = {
#define	VPC_DROP_NAME(name, num, str)	[num] = str,
	VPC_DROP_REASONS(VPC_DROP_NAME)
#undef VPC_DROP_NAME
};

void
vpc_count_drop(struct vpc_obj *o, enum vpc_drop why)
{
	VPC_ASSERT((unsigned)why < VPC_DROP_COUNT);
	if ((unsigned)why >= VPC_DROP_COUNT)
		why = VPC_DROP_NONE;
	vpc_os_counter_add(o->o_stats, VPC_CNT(vs_drops) + why, 1);
	vpc_os_counter_add(o->o_stats, VPC_CNT(vs_drops_total), 1);
}

void
vpc_stats_read(const struct vpc_obj *o, struct vpc_stats *s)
{
	uint64_t *v = (uint64_t *)(void *)s;
	uint32_t i;

	for (i = 0; i < VPC_CNT_N; i++)
		v[i] = vpc_os_counter_fetch(o->o_stats, i);
}
