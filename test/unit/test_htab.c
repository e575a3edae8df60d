/*
 * test_htab.c: vpc_htab against a naive model, entries and slot values
 * (also with the reseed of the hash-flooding defence forced on nearly
 * every insert), growth that keeps entries in place, probe lengths on
 * structured key sets, tombstones that keep their key, tombstone churn,
 * keys that differ only in their 32-bit word (a VNI's top bits), the
 * membership filter of large tables (no false negatives), and
 * concurrent readers of entries and values under the epoch (run under
 * ASan to catch use after free).
 */

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vpct.h"
#include "vpc_os.h"
#include "vpc_htab.h"

#define	GOLDEN		0x9e3779b97f4a7c15ull	/* spreads keys */

/* A test entry: the value is a function of the key, checked by readers. */
struct tent {
	struct vpc_hentry	t_h;
	uint64_t		t_val;		/* the model's value */
	uint64_t		t_check;	/* ~t_val */
	struct vpc_hkey		t_key2;		/* copy of the key */
};

static uint64_t tent_live;		/* allocated - freed, atomic */

static void	tent_free(struct vpc_hentry *e);
static struct vpc_hkey tkey(uint64_t k);
static struct tent *tent_new(struct vpc_hkey key, uint64_t val);
static uint64_t	tent_hval(uint64_t val);
static uint64_t	slot_val(const struct vpc_hentry *e);
static uint64_t	rnd(uint64_t *s);
static bool	pred_mod(const struct vpc_hentry *e, void *arg);
static int	visit(struct vpc_hentry *e, void *arg);
static void	differential(uint32_t probe_limit);

static const struct vpc_htab_ops tent_ops = { tent_free };

/*
 * The table key of the tests' 64-bit key 'k': one to one, and eight keys
 * share each 64-bit word, told apart by the 32-bit word alone.
 */
static struct vpc_hkey
tkey(uint64_t k)
{
	return (VPC_HKEY(k >> 3, (uint32_t)(k & 7) << 21));
}

static struct tent *
tent_new(struct vpc_hkey key, uint64_t val)
{
	struct tent *t;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return (NULL);
	t->t_h.he_key = key;
	t->t_h.he_val = tent_hval(val);
	t->t_key2 = key;
	t->t_val = val;
	t->t_check = ~val;
	__atomic_fetch_add(&tent_live, 1, __ATOMIC_RELAXED);
	return (t);
}

/* The he_val of an entry with value 'val': a third use the default. */
static uint64_t
tent_hval(uint64_t val)
{
	return (val % 3 == 0 ? 0 : val << 2 | 2);
}

/* What vpc_htab_get() must return for entry 'e'. */
static uint64_t
slot_val(const struct vpc_hentry *e)
{
	return (e->he_val != 0 ? e->he_val : (uint64_t)(uintptr_t)e);
}

static void
tent_free(struct vpc_hentry *e)
{
	struct tent *t = (struct tent *)(void *)e;

	/* Poison, so a reader of a freed entry fails even without ASan. */
	memset(t, 0xa5, sizeof(*t));
	free(t);
	__atomic_fetch_sub(&tent_live, 1, __ATOMIC_RELAXED);
}

/* xorshift64*: a fixed-seed generator, so failures reproduce. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (*s * 2685821657736338717ull);
}

struct pred_arg {
	uint64_t	pa_mod;
	uint64_t	pa_rem;
};

static bool
pred_mod(const struct vpc_hentry *e, void *arg)
{
	const struct pred_arg *pa = arg;

	return (((const struct tent *)(const void *)e)->t_val % pa->pa_mod ==
	    pa->pa_rem);
}

/* The naive model: a flat array searched linearly. */
#define	MODEL_MAX	2048
struct model {
	uint64_t	m_key[MODEL_MAX];
	uint64_t	m_val[MODEL_MAX];
	uint32_t	m_n;
};

static int
model_find(const struct model *m, struct vpc_hkey key)
{
	uint32_t i;

	for (i = 0; i < m->m_n; i++)
		if (vpc_hkey_eq(tkey(m->m_key[i]), key))
			return ((int)i);
	return (-1);
}

static void
model_del(struct model *m, int i)
{
	m->m_n--;
	m->m_key[i] = m->m_key[m->m_n];
	m->m_val[i] = m->m_val[m->m_n];
}

struct visit_arg {
	const struct model *va_m;
	uint32_t	va_n;
	uint32_t	va_bad;
};

static int
visit(struct vpc_hentry *e, void *arg)
{
	struct visit_arg *va = arg;
	const struct tent *t = (const struct tent *)(void *)e;
	int i;

	va->va_n++;
	i = model_find(va->va_m, e->he_key);
	if (i < 0 || va->va_m->m_val[i] != t->t_val)
		va->va_bad++;
	return (0);
}

/*
 * A long random sequence of every operation, each result compared with
 * the model.  Keys come from a space a little larger than the model's
 * capacity so that hits, misses, replacements and growth all happen;
 * the keys are spread over the whole 64-bit range.  'probe_limit' is
 * given to vpc_htab_set_probe_limit() (0: the default).
 */
static void
differential(uint32_t probe_limit)
{
	static struct model m;
	struct vpc_htab_diag d;
	struct vpc_epoch_tracker et;
	struct vpc_os_mtx *mtx;
	struct vpc_htab *t;
	struct vpc_hentry *e, *old;
	struct tent *te;
	struct pred_arg pa;
	struct visit_arg va;
	uint64_t seed, key, val, r;
	uint32_t step, n, expect, mismatches;
	int i, error;

	memset(&m, 0, sizeof(m));
	tent_live = 0;
	seed = 0x9e3779b97f4a7c15ull;
	mtx = vpc_os_mtx_alloc("htab test");
	t = vpc_htab_create(&tent_ops, mtx, 0);
	VPCT_REQUIRE(t != NULL);
	mismatches = 0;
	vpc_os_mtx_lock(mtx);
	vpc_htab_set_probe_limit(t, probe_limit);
	for (step = 0; step < 200000; step++) {
		r = rnd(&seed);
		/* 1500 distinct keys, spread by a multiplier. */
		key = (r % 1500) * GOLDEN;
		i = model_find(&m, tkey(key));
		switch ((r >> 32) % 10) {
		case 0: case 1: case 2: case 3:		/* insert/replace */
			if (i < 0 && m.m_n == MODEL_MAX)
				break;
			val = rnd(&seed);
			te = tent_new(tkey(key), val);
			VPCT_REQUIRE(te != NULL);
			error = vpc_htab_insert(t, &te->t_h,
			    (r >> 40) & 1 ? &old : NULL);
			VPCT_REQUIRE(error == 0);
			if ((r >> 40) & 1) {
				if (i < 0)
					VPCT_CHECK(old == NULL);
				else {
					VPCT_REQUIRE(old != NULL);
					VPCT_CHECK(vpc_hkey_eq(old->he_key,
					    tkey(key)));
					VPCT_CHECK(((struct tent *)(void *)
					    old)->t_val == m.m_val[i]);
				}
			}
			if (i < 0) {
				m.m_key[m.m_n] = key;
				m.m_val[m.m_n++] = val;
			} else
				m.m_val[i] = val;
			break;
		case 4: case 5:				/* remove */
			error = vpc_htab_remove(t, tkey(key));
			VPCT_EQ(error, i < 0 ? ENOENT : 0);
			if (i >= 0)
				model_del(&m, i);
			break;
		case 6:					/* remove_if */
			if ((r >> 48) % 50 != 0)
				goto lookup;
			pa.pa_mod = 2 + (r >> 56) % 5;
			pa.pa_rem = (r >> 20) % pa.pa_mod;
			expect = 0;
			for (i = (int)m.m_n - 1; i >= 0; i--) {
				if (m.m_val[i] % pa.pa_mod == pa.pa_rem) {
					model_del(&m, i);
					expect++;
				}
			}
			n = vpc_htab_remove_if(t, pred_mod, &pa);
			VPCT_EQ(n, expect);
			break;
		default:				/* lookup */
		lookup:
			vpc_os_epoch_enter(&et);
			e = vpc_htab_lookup(t, tkey(key));
			val = vpc_htab_get(t, tkey(key));
			if (i < 0) {
				if (e != NULL || val != 0)
					mismatches++;
			} else if (e == NULL ||
			    !vpc_hkey_eq(e->he_key, tkey(key)) ||
			    ((struct tent *)(void *)e)->t_val != m.m_val[i] ||
			    val != slot_val(e))
				mismatches++;
			vpc_os_epoch_exit(&et);
			break;
		}
		if (vpc_htab_count(t) != m.m_n)
			mismatches++;
	}
	vpc_htab_diag(t, &d);
	vpc_os_mtx_unlock(mtx);
	VPCT_EQ(mismatches, 0);
	/* Removals keep the array from filling up with tombstones. */
	VPCT_CHECK(d.hd_tombs + m.m_n <= d.hd_slots / 4 * 3);
	VPCT_CHECK(m.m_n <= d.hd_slots / 2);
	if (probe_limit == 1)
		VPCT_CHECK(d.hd_reseeds > 10);	/* the defence did run */
	else
		VPCT_CHECK(d.hd_maxprobe <= 96);
	/* Every entry once, each as the model has it. */
	memset(&va, 0, sizeof(va));
	va.va_m = &m;
	vpc_htab_foreach(t, visit, &va);
	VPCT_EQ(va.va_n, m.m_n);
	VPCT_EQ(va.va_bad, 0);
	/* Every model key is found. */
	vpc_os_epoch_enter(&et);
	for (n = 0; n < m.m_n; n++) {
		e = vpc_htab_lookup(t, tkey(m.m_key[n]));
		VPCT_CHECK(e != NULL &&
		    ((struct tent *)(void *)e)->t_val == m.m_val[n] &&
		    vpc_htab_get(t, tkey(m.m_key[n])) == slot_val(e));
	}
	vpc_os_epoch_exit(&et);
	vpc_os_epoch_wait();
	/* Live entries: those in the table, plus one kept for *oldp. */
	VPCT_CHECK(tent_live == m.m_n || tent_live == m.m_n + 1);
	vpc_htab_destroy(t);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, 0);
	vpc_os_mtx_free(mtx);
}

VPCT_CASE(htab_differential)
{
	differential(0);
}

/*
 * The same with a probe limit of 1: nearly every insert that lands past
 * its home slot rebuilds the array with fresh secrets (as often as the
 * amortisation rule allows), so rebuilds interleave with every operation.
 */
VPCT_CASE(htab_differential_reseed)
{
	differential(1);
}

/*
 * The membership filter of a large table never rules out a key that is
 * in it: vpc_htab_get_filtered() answers as vpc_htab_get() and the model
 * through inserts, replacements, removals, bulk removals, growth from the
 * smallest array past the size where the filter is consulted, and
 * purge rebuilds.  And it does filter: a rebuild leaves only the live
 * keys' bits, so after one the filter is far from full.
 */
#define	FK_KEYS		24000	/* key space; up to 16k lines */
VPCT_CASE(htab_filter_no_false_negative)
{
	static uint64_t val[FK_KEYS];	/* 0: absent */
	struct vpc_epoch_tracker et;
	struct vpc_htab_diag d;
	struct vpc_htab *t;
	struct tent *te;
	struct pred_arg pa;
	uint64_t seed, r, k, v, got;
	uint32_t step, live, bad, i;

	memset(val, 0, sizeof(val));
	tent_live = 0;
	seed = 0x51f15eedull;
	t = vpc_htab_create(&tent_ops, NULL, 0);
	VPCT_REQUIRE(t != NULL);
	live = 0;
	bad = 0;
	for (step = 0; step < 120000; step++) {
		r = rnd(&seed);
		/* Grow to about 16k keys, then churn around that. */
		k = (r >> 8) % (step < 40000 ? step / 2 + 1 : FK_KEYS);
		if ((r & 7) < 5 || step < 40000) {
			v = (r >> 32) | 1;
			te = tent_new(tkey(k * GOLDEN), v);
			VPCT_REQUIRE(te != NULL);
			VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
			if (val[k] == 0)
				live++;
			val[k] = v;
		} else if ((r & 7) < 7) {
			VPCT_EQ(vpc_htab_remove(t, tkey(k * GOLDEN)),
			    val[k] != 0 ? 0 : ENOENT);
			if (val[k] != 0)
				live--;
			val[k] = 0;
		} else if ((r >> 60) == 0) {
			pa.pa_mod = 7;
			pa.pa_rem = (r >> 40) % 7;
			for (i = 0; i < FK_KEYS; i++)
				if (val[i] != 0 && val[i] % 7 == pa.pa_rem) {
					val[i] = 0;
					live--;
				}
			(void)vpc_htab_remove_if(t, pred_mod, &pa);
		}
		/* The key touched and another one, present or not. */
		vpc_os_epoch_enter(&et);
		for (i = 0; i < 2; i++, k = (r >> 20) % FK_KEYS) {
			got = vpc_htab_get_filtered(t, tkey(k * GOLDEN));
			if (got != vpc_htab_get(t, tkey(k * GOLDEN)) ||
			    (got != 0) != (val[k] != 0))
				bad++;
		}
		vpc_os_epoch_exit(&et);
		if (step % 4096 == 0)
			vpc_os_epoch_wait();
	}
	VPCT_EQ(bad, 0);
	VPCT_EQ(vpc_htab_count(t), live);
	vpc_htab_diag(t, &d);
	/* Past the size where lookups consult the filter. */
	VPCT_CHECK(d.hd_slots / 3 > VPC_HTAB_CACHED / 64);
	VPCT_CHECK(d.hd_rebuilds > 3);
	/* Every key, at the end. */
	vpc_os_epoch_enter(&et);
	for (k = 0; k < FK_KEYS; k++) {
		got = vpc_htab_get_filtered(t, tkey(k * GOLDEN));
		if ((got != 0) != (val[k] != 0) ||
		    got != vpc_htab_get(t, tkey(k * GOLDEN)))
			bad++;
	}
	vpc_os_epoch_exit(&et);
	VPCT_EQ(bad, 0);
	/* At most three bits per key the array took; under half set. */
	VPCT_CHECK(d.hd_filt_set <= 3 * (live + d.hd_tombs));
	VPCT_CHECK(d.hd_filt_set < d.hd_filt_bits / 2);
	vpc_htab_destroy(t);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, 0);
}

/* Growth from the smallest array keeps every entry, in place. */
VPCT_CASE(htab_growth_keeps_entries)
{
	struct vpc_epoch_tracker et;
	struct vpc_htab_diag d;
	struct vpc_htab *t;
	struct vpc_hentry *e;
	struct tent *te, **ents;
	uint32_t i, missing;
	const uint32_t n = 100000;

	tent_live = 0;
	ents = calloc(n, sizeof(*ents));
	VPCT_REQUIRE(ents != NULL);
	t = vpc_htab_create(&tent_ops, NULL, 0);
	VPCT_REQUIRE(t != NULL);
	for (i = 0; i < n; i++) {
		te = tent_new(VPC_L2KEY(i % 7, 0x020000000000ull + i), i);
		VPCT_REQUIRE(te != NULL);
		VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
		ents[i] = te;
	}
	VPCT_EQ(vpc_htab_count(t), n);
	vpc_htab_diag(t, &d);
	VPCT_CHECK(d.hd_rebuilds > 10);	/* it did grow, from 16 slots */
	VPCT_CHECK(n <= d.hd_slots / 2);
	missing = 0;
	vpc_os_epoch_enter(&et);
	for (i = 0; i < n; i++) {
		e = vpc_htab_lookup(t, VPC_L2KEY(i % 7, 0x020000000000ull + i));
		/* The very entry inserted: growth moved slots, not entries. */
		if (e != &ents[i]->t_h ||
		    ((struct tent *)(void *)e)->t_val != i)
			missing++;
	}
	VPCT_CHECK(vpc_htab_lookup(t, VPC_L2KEY(7, 0x020000000000ull)) ==
	    NULL);
	vpc_os_epoch_exit(&et);
	VPCT_EQ(missing, 0);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, n);		/* old arrays freed, entries kept */
	vpc_htab_destroy(t);
	VPCT_EQ(tent_live, 0);
	free(ents);
}

/*
 * Key sets with structure a plain multiplicative hash handles badly (keys
 * that differ only in the top bits, strides of large powers of 2,
 * sequential MACs in many VNIs): probes stay as short as with random
 * placement, and no insert needed the reseed of the flooding defence.
 */
VPCT_CASE(htab_structured_keys_probe_short)
{
	struct vpc_htab_diag d;
	struct vpc_htab *t;
	struct tent *te;
	struct vpc_hkey key;
	uint32_t set, i;
	const uint32_t n = 65536;

	for (set = 0; set < 5; set++) {
		tent_live = 0;
		t = vpc_htab_create(&tent_ops, NULL, 0);
		VPCT_REQUIRE(t != NULL);
		for (i = 0; i < n; i++) {
			switch (set) {
			case 0:		/* only the top 16 bits differ */
				key = VPC_KEY((uint64_t)i << 48 |
				    0x02aabbccddeeull);
				break;
			case 1:		/* stride 2^20 */
				key = VPC_KEY((uint64_t)i << 20);
				break;
			case 2:		/* one MAC in many VNIs */
				key = VPC_L2KEY(i << 8, 0x02aabbccddeeull);
				break;
			case 3:		/* sequential MACs, 16 VNIs */
				key = VPC_L2KEY(i & 15,
				    0x020000000000ull + (i >> 4));
				break;
			default:	/* (VNI, IPv4) of a /16 */
				key = VPC_L3KEY4(100, 0x0a000000u + i);
				break;
			}
			te = tent_new(key, i);
			VPCT_REQUIRE(te != NULL);
			VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
		}
		vpc_htab_diag(t, &d);
		/* Random placement: about 15 here, 24 in 200 trials. */
		VPCT_CHECK(d.hd_maxprobe <= 96);
		VPCT_EQ(d.hd_reseeds, 0);
		VPCT_EQ(vpc_htab_count(t), n);
		vpc_htab_destroy(t);
		VPCT_EQ(tent_live, 0);
	}
}

/*
 * Churn: a steady live set while keys come and go (as learning and aging
 * do).  Tombstones are purged by same-size rebuilds, so the array does
 * not grow past what the live set needs and every key is still found.
 */
VPCT_CASE(htab_churn_bounded)
{
	struct vpc_epoch_tracker et;
	struct vpc_htab_diag d;
	struct vpc_htab *t;
	struct tent *te;
	uint32_t i, missing;
	const uint32_t live = 1000, rounds = 200000;

	tent_live = 0;
	t = vpc_htab_create(&tent_ops, NULL, live);
	VPCT_REQUIRE(t != NULL);
	for (i = 0; i < rounds; i++) {
		te = tent_new(tkey(i * GOLDEN), i);
		VPCT_REQUIRE(te != NULL);
		VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
		if (i >= live)
			VPCT_REQUIRE(vpc_htab_remove(t,
			    tkey((i - live) * GOLDEN)) == 0);
		if (i % 1024 == 0)
			vpc_os_epoch_wait();
	}
	vpc_htab_diag(t, &d);
	VPCT_EQ(vpc_htab_count(t), live);
	VPCT_CHECK(d.hd_slots <= 4096);
	VPCT_CHECK(d.hd_tombs + live <= d.hd_slots / 4 * 3);
	missing = 0;
	vpc_os_epoch_enter(&et);
	for (i = rounds - live; i < rounds; i++)
		if (vpc_htab_lookup(t, tkey(i * GOLDEN)) == NULL)
			missing++;
	VPCT_CHECK(vpc_htab_lookup(t, tkey(0)) == NULL);
	vpc_os_epoch_exit(&et);
	VPCT_EQ(missing, 0);
	vpc_htab_destroy(t);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, 0);
}

/*
 * A removed key's slot keeps the key: the same key takes it back, another
 * key never does (so a reader that matched a key in a slot cannot be
 * handed another key's value), and a purge rebuild clears tombstones.
 */
VPCT_CASE(htab_tombstone_keeps_key)
{
	struct vpc_epoch_tracker et;
	struct vpc_htab_diag d;
	struct vpc_htab *t;
	struct tent *te;
	uint64_t k;
	uint32_t i, rebuilds;

	tent_live = 0;
	t = vpc_htab_create(&tent_ops, NULL, 4);
	VPCT_REQUIRE(t != NULL);
	VPCT_REQUIRE((te = tent_new(tkey(7), 1)) != NULL);
	VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
	vpc_htab_diag(t, &d);
	rebuilds = d.hd_rebuilds;
	VPCT_EQ(vpc_htab_remove(t, tkey(7)), 0);
	VPCT_EQ(vpc_htab_remove(t, tkey(7)), ENOENT);
	vpc_htab_diag(t, &d);
	VPCT_EQ(d.hd_tombs, 1);
	/* Same 64-bit word, another key: a fresh slot; the tombstone stays. */
	VPCT_REQUIRE((te = tent_new(tkey(6), 2)) != NULL);
	VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
	vpc_htab_diag(t, &d);
	VPCT_EQ(d.hd_tombs, 1);
	/* The same key again: its own tombstone, no rebuild. */
	VPCT_REQUIRE((te = tent_new(tkey(7), 4)) != NULL);
	VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
	vpc_htab_diag(t, &d);
	VPCT_EQ(d.hd_tombs, 0);
	VPCT_EQ(d.hd_rebuilds, rebuilds);
	vpc_os_epoch_enter(&et);
	VPCT_EQ(vpc_htab_get(t, tkey(7)), tent_hval(4));
	VPCT_EQ(vpc_htab_get(t, tkey(6)), tent_hval(2));
	VPCT_EQ(vpc_htab_get(t, tkey(5)), 0);
	vpc_os_epoch_exit(&et);
	/*
	 * Distinct keys come and go with two live: tombstones pile up to
	 * 3/4 of the 12 slots, then a rebuild of the same size purges them.
	 */
	for (i = 0; i < 40; i++) {
		k = 100 + i;
		VPCT_REQUIRE((te = tent_new(tkey(k), i)) != NULL);
		VPCT_REQUIRE(vpc_htab_insert(t, &te->t_h, NULL) == 0);
		VPCT_EQ(vpc_htab_remove(t, tkey(k)), 0);
		vpc_htab_diag(t, &d);
		VPCT_CHECK(d.hd_tombs + 2 <= d.hd_slots / 4 * 3);
	}
	VPCT_EQ(d.hd_slots, 12);
	VPCT_CHECK(d.hd_rebuilds > rebuilds);
	VPCT_EQ(vpc_htab_count(t), 2);
	vpc_htab_destroy(t);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, 0);
}

VPCT_CASE(htab_mac48)
{
	static const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0xff };
	uint8_t out[6];

	VPCT_CHECK(vpc_mac48(mac) == 0x0211223344ffull);
	vpc_mac48_put(0x0211223344ffull, out);
	VPCT_CHECK(memcmp(out, mac, 6) == 0);
	/* The whole VNI is in the key: 24 bits, beside the MAC's 48. */
	VPCT_CHECK(!vpc_hkey_eq(VPC_L2KEY(0x000064, 0x0211223344ffull),
	    VPC_L2KEY(0x010064, 0x0211223344ffull)));
	VPCT_CHECK(!vpc_hkey_eq(VPC_L3KEY4(0x000064, 0xc0000201u),
	    VPC_L3KEY4(0x800064, 0xc0000201u)));
	VPCT_CHECK(vpc_hkey_eq(VPC_L2KEY(0xffffff, 0xffffffffffffull),
	    VPC_HKEY(0xffffffffffffull, 0xffffff)));
}

/* Concurrency: one writer, two readers, about one second. */
#define	MT_KEYS		(1u << 20)
#define	MT_HOT		256	/* keys replaced and removed all the time */
struct mt_state {
	struct vpc_htab	*ms_t;
	uint32_t	 ms_stop;	/* atomic */
	uint32_t	 ms_hi;		/* keys below this were inserted */
	uint64_t	 ms_found[2];
	uint64_t	 ms_bad[2];
};

static void *
mt_reader(void *arg)
{
	struct mt_state *ms = arg;
	struct vpc_epoch_tracker et;
	struct vpc_hentry *e;
	const struct tent *te;
	uint64_t seed, key, val;
	uint32_t hi, i, id;
	static uint32_t next_id;

	id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED) & 1;
	seed = 0x1234567ull + id;
	while (!__atomic_load_n(&ms->ms_stop, __ATOMIC_ACQUIRE)) {
		vpc_os_epoch_enter(&et);
		for (i = 0; i < 64; i++) {
			hi = __atomic_load_n(&ms->ms_hi, __ATOMIC_RELAXED);
			key = rnd(&seed);
			/* Half on the hot keys the writer keeps replacing. */
			key = (key & 1) ? (key >> 1) % MT_HOT :
			    (key >> 1) % (MT_HOT + hi + 1);
			if (i & 1) {
				/* A value never belongs to another key. */
				val = vpc_htab_get(ms->ms_t, tkey(key));
				if (val == 0)
					continue;
				ms->ms_found[id]++;
				if (val != tent_hval(key * 3 + 1))
					ms->ms_bad[id]++;
				continue;
			}
			e = vpc_htab_lookup(ms->ms_t, tkey(key));
			if (e == NULL)
				continue;
			te = (const struct tent *)(const void *)e;
			ms->ms_found[id]++;
			if (!vpc_hkey_eq(e->he_key, tkey(key)) ||
			    !vpc_hkey_eq(te->t_key2, tkey(key)) ||
			    te->t_val != key * 3 + 1 ||
			    te->t_check != ~te->t_val)
				ms->ms_bad[id]++;
		}
		vpc_os_epoch_exit(&et);
	}
	return (NULL);
}

VPCT_CASE(htab_concurrent_readers)
{
	struct mt_state ms;
	struct vpc_os_mtx *mtx;
	struct tent *te;
	pthread_t rd[2];
	uint64_t seed, r, key, t0, ops;
	uint32_t hi;

	memset(&ms, 0, sizeof(ms));
	tent_live = 0;
	mtx = vpc_os_mtx_alloc("htab mt");
	ms.ms_t = vpc_htab_create(&tent_ops, mtx, 0);
	VPCT_REQUIRE(ms.ms_t != NULL);
	VPCT_REQUIRE(pthread_create(&rd[0], NULL, mt_reader, &ms) == 0);
	VPCT_REQUIRE(pthread_create(&rd[1], NULL, mt_reader, &ms) == 0);
	seed = 42;
	hi = 0;
	ops = 0;
	t0 = vpc_os_uptime_ms();
	while (vpc_os_uptime_ms() - t0 < 1000) {
		vpc_os_mtx_lock(mtx);
		for (r = 0; r < 256; r++, ops++) {
			key = rnd(&seed);
			if (key % 4 == 0 && hi < MT_KEYS - 1) {
				/* New keys: the table keeps growing. */
				key = MT_HOT + hi++;
			} else
				key = (key >> 2) % MT_HOT;
			if ((rnd(&seed) & 3) == 0) {
				(void)vpc_htab_remove(ms.ms_t, tkey(key));
				continue;
			}
			te = tent_new(tkey(key), key * 3 + 1);
			VPCT_REQUIRE(te != NULL);
			VPCT_REQUIRE(vpc_htab_insert(ms.ms_t, &te->t_h,
			    NULL) == 0);
		}
		vpc_os_mtx_unlock(mtx);
		__atomic_store_n(&ms.ms_hi, hi, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&ms.ms_stop, 1, __ATOMIC_RELEASE);
	pthread_join(rd[0], NULL);
	pthread_join(rd[1], NULL);
	VPCT_CHECK(ms.ms_found[0] > 1000 && ms.ms_found[1] > 1000);
	VPCT_EQ(ms.ms_bad[0], 0);
	VPCT_EQ(ms.ms_bad[1], 0);
	VPCT_CHECK(ops > 10000);
	vpc_os_epoch_wait();
	VPCT_EQ(tent_live, vpc_htab_count(ms.ms_t));
	vpc_htab_destroy(ms.ms_t);
	VPCT_EQ(tent_live, 0);
	vpc_os_mtx_free(mtx);
}
