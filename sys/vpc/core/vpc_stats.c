/*
 * vpc_stats.c: per-object counters and the names of drop reasons.
 *
 * Counters are plain uint64_t in struct vpc_stats updated with relaxed
 * atomic adds from any data path thread; a reader takes a snapshot field
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
	vpc_counter_add(&o->o_stats.vs_drops[why], 1);
	vpc_counter_add(&o->o_stats.vs_drops_total, 1);
}

void
vpc_count_rx(struct vpc_obj *o, uint32_t bytes)
{
	vpc_counter_add(&o->o_stats.vs_rx_pkts, 1);
	vpc_counter_add(&o->o_stats.vs_rx_bytes, bytes);
}

void
vpc_count_tx(struct vpc_obj *o, uint32_t bytes)
{
	vpc_counter_add(&o->o_stats.vs_tx_pkts, 1);
	vpc_counter_add(&o->o_stats.vs_tx_bytes, bytes);
}

void
vpc_stats_read(const struct vpc_obj *o, struct vpc_stats *s)
{
	uint32_t i;

	s->vs_rx_pkts = vpc_load_relaxed(&o->o_stats.vs_rx_pkts);
	s->vs_rx_bytes = vpc_load_relaxed(&o->o_stats.vs_rx_bytes);
	s->vs_tx_pkts = vpc_load_relaxed(&o->o_stats.vs_tx_pkts);
	s->vs_tx_bytes = vpc_load_relaxed(&o->o_stats.vs_tx_bytes);
	s->vs_drops_total = vpc_load_relaxed(&o->o_stats.vs_drops_total);
	for (i = 0; i < VPC_DROP_SLOTS; i++)
		s->vs_drops[i] = vpc_load_relaxed(&o->o_stats.vs_drops[i]);
}
