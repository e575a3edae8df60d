/*
 * vpc_htab.c: the epoch-protected hash table of the core (vpc_htab.h).
 *
 * Layout.  A table points to a slot array of 64-byte cache lines, each
 * holding three slots (a 96-bit key and its entry's value each: a 24-bit
 * VNI and a 48-bit MAC do not fit one 64-bit word) and an overflow
 * count, the array aligned on a line; a parallel array holds each slot's
 * entry pointer.  Open addressing with linear probing: a key's probe
 * sequence starts at the first slot of its home line and runs forward,
 * wrapping, until the key or an empty slot.  A line's overflow count is
 * the number of keys whose probe sequence passed over the line because
 * it was full (keys placed past it): a lookup that does not find its key
 * in a full line whose count is 0 stops there.  The array keeps at most
 * half of its slots live, so a probe almost always ends inside the home
 * line, whether the key is there or not (at load 1/2, 93 % of hits and
 * 91 % of misses; at 1/3, 98 % of each): a vpc_htab_get() costs one
 * cache miss at 1M entries, a lookup of the entry two more (its pointer,
 * the entry).  1M entries take 64 MiB of lines and 24 MiB of pointers.
 * Entries are never moved or copied: growth builds a new array pointing
 * to the same entries.
 *
 * Concurrency.  A slot's value word: 0 (empty: ends a probe), 1 (the key's
 * entry was removed: probes go on), or the live entry's value; its
 * pointer word: NULL, HTAB_TOMB or the entry, likewise.  A slot takes a
 * key once, when it stops being empty, and keeps it for the life of the
 * array: a removed key leaves a tombstone that only the same key may take
 * again, and slots never become empty again (a rebuild purges the
 * tombstones).  So a reader that finds its key in a slot whose value is
 * live has that key's value, with no check against the entry: the value
 * cannot belong to a key that took the slot meanwhile.  Overflow counts
 * only grow (a rebuild recounts them).  Writers (under the owner's lock)
 * fill an empty slot by raising the counts of the lines the key passes
 * over, storing the pointer, the key, then the value with a release
 * store; replace by storing the pointer, then the value; remove by
 * storing 1 and HTAB_TOMB; and retire what they unlinked through the
 * epoch.  Readers load the value (acquire), then the key, then, for a
 * lookup, the pointer (acquire); a reader that sees a count still 0 runs
 * before the insert that raises it.  A key has at most one slot in an
 * array, so a reader stops at its key's tombstone.  An insert that would
 * take live slots and tombstones together past 3/4 of the array first
 * rebuilds it (same size, fresh secrets, no tombstones): churn of
 * distinct keys costs an O(n) rebuild per n/4 or so inserts, amortised
 * O(1), and keeps probes of absent keys short.
 *
 * Filter.  Each array also has a membership filter: one 64-bit word per
 * HTAB_FILT_LINES lines (2 bytes per line, 2 MiB at 1M entries), in
 * which a key's insertion into the array sets three bits chosen by its
 * hash (the word is the one of its home line's group).  Bits are never
 * cleared; a rebuild starts a new filter with the live keys only.  So a
 * key whose bits are not all set was never inserted into the array, and
 * vpc_htab_get_filtered() answers "absent" from the filter word alone:
 * for a lookup expected to miss (a switch-table lookup of a remote
 * destination), a read of the filter, which stays in the CPU caches,
 * instead of a cache miss on a slot line.  Keys placed at load 1/3
 * with tombstones up to 3/4 give a false positive (the slot line read
 * after all) for 0.5-4 % of absent keys.  Writers set the bits before
 * they publish the slot (htab_put()), and readers check them before the
 * line: a reader that finds them unset runs before the insert.
 *
 * Hash and hash flooding.  The home line is a keyed mix of the key: the
 * 64-bit word xored with a secret k0 plus the 32-bit word times a secret
 * odd k3, then xor-shift, multiply by a secret odd k1, xor-shift,
 * multiply by a secret odd k2, xor-shift (the shape of MurmurHash3's
 * 64-bit finaliser, with secret multipliers), low bits.  The secrets (256
 * bits, see htab_secret()) are drawn afresh for every array.  Keys come
 * partly from tenants (MAC and IP addresses, and what learning takes from
 * frames), who choose them but do not see the secrets: to aim at one line
 * they would have to infer the secrets from timing.  This mix is not a
 * PRF (SipHash-1-3 was, at about five times the instructions per lookup),
 * so the table does not rely on it alone: an insert that probes more than
 * t_plimit slots rebuilds the array with fresh secrets, which throws away
 * whatever an attacker learned.  Such reseeds are allowed once per
 * count/4 inserts, so their O(n) cost stays amortised O(1) per insert
 * even if provoked; between two reseeds at most count/4 keys can be
 * aimed, and the load stays <= 1/2.
 */

#include "vpc_os.h"
#include "vpc_htab.h"

#define	HTAB_WAYS		3		/* slots per line */
#define	HTAB_LINE		64		/* bytes the array aligns to */
#define	HTAB_MIN_LINES		4u
#define	HTAB_MAX_LINES		(1u << 26)
/*
 * Default reseed threshold, in slots.  With random placement at load 1/2
 * the longest probe of a table is 23-35 slots at 98k entries and 35-44
 * at 1.5M (measured over a few secrets each); 128 is then reached by
 * accident only with negligible probability.
 */
#define	HTAB_PROBE_LIMIT	128u
/*
 * Membership filter: one 64-bit word per HTAB_FILT_LINES lines, and
 * vpc_htab_get_filtered() consults it in arrays of more than
 * HTAB_FILT_MIN lines (smaller ones stay in the caches anyway).
 */
#define	HTAB_FILT_LINES		4u
#define	HTAB_FILT_WORDS(lines)	(((size_t)(lines) + HTAB_FILT_LINES - 1) / \
				    HTAB_FILT_LINES)
#define	HTAB_FILT_MIN		(VPC_HTAB_CACHED / HTAB_LINE)
#define	HTAB_TOMB		((struct vpc_hentry *)(uintptr_t)1)
#define	HTAB_VEMPTY		0		/* value word: never used */
#define	HTAB_VTOMB		1		/* value word: removed */

/*
 * One line of the slot array: three slots (a key's words, set once, and
 * its value or HTAB_VEMPTY, HTAB_VTOMB) and the line's overflow count.
 */
struct vpc_hline {
	uint64_t		 hl_lo[HTAB_WAYS];	/* keys' 64-bit words */
	uint64_t		 hl_val[HTAB_WAYS];	/* acquire/release */
	uint32_t		 hl_hi[HTAB_WAYS];	/* keys' 32-bit words */
	uint32_t		 hl_over;	/* keys placed past this line */
};

_Static_assert(sizeof(struct vpc_hline) == HTAB_LINE,
    "a slot line is one cache line");

/* One slot array and its hash secrets; replaced whole on rebuild. */
struct vpc_hbuckets {
	uint64_t		 hb_k0;		/* secret xored in */
	uint64_t		 hb_k1;		/* secret odd multiplier */
	uint64_t		 hb_k2;		/* second odd multiplier */
	uint64_t		 hb_k3;		/* odd multiplier of hk_hi */
	uint32_t		 hb_lmask;	/* lines - 1 (a power of 2) */
	uint32_t		 hb_slots;	/* HTAB_WAYS * lines */
	struct vpc_hline	*hb_line;	/* the lines, line-aligned */
	struct vpc_hentry	**hb_ent;	/* slot s's entry, NULL, TOMB */
	uint64_t		*hb_filt;	/* membership filter words */
	struct vpc_epoch_ctx	 hb_ctx;	/* deferred free */
};

struct vpc_htab {
	struct vpc_hbuckets	*t_b;		/* current array, epoch-read */
	const struct vpc_htab_ops *t_ops;	/* entry free */
	struct vpc_os_mtx	*t_lock;	/* writers' lock, or NULL */
	uint32_t		 t_count;	/* live entries, relaxed */
	uint32_t		 t_tombs;	/* HTAB_TOMB slots in t_b */
	uint32_t		 t_since;	/* inserts since last build */
	uint32_t		 t_plimit;	/* probe forcing a reseed */
	uint32_t		 t_rebuilds;	/* arrays built */
	uint32_t		 t_reseeds;	/* of which for long probes */
	struct vpc_hentry	*t_limbo;	/* replaced, given in *oldp */
};

static uint64_t	htab_hash(const struct vpc_hbuckets *b,
		    struct vpc_hkey key);
static uint32_t	htab_home(const struct vpc_hbuckets *b,
		    struct vpc_hkey key);
static uint64_t	htab_siphash(uint64_t k0, uint64_t k1, uint64_t m);
static uint64_t	htab_secret(void);
static struct vpc_hbuckets *htab_buckets_alloc(uint32_t lines);
static void	htab_entry_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_buckets_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_free_entries(struct vpc_htab *t, struct vpc_hbuckets *b);
static void	htab_retire(struct vpc_htab *t, struct vpc_hentry *e);
static int64_t	htab_seek(const struct vpc_hbuckets *b, struct vpc_hkey key,
		    uint32_t *probep);
static void	htab_put(struct vpc_hbuckets *b, uint32_t s,
		    struct vpc_hentry *e);
static int	htab_rebuild(struct vpc_htab *t, uint32_t lines);
static void	htab_unlink(struct vpc_htab *t, struct vpc_hbuckets *b,
		    uint32_t s);
static void	htab_writer_enter(struct vpc_htab *t);

/* The keyed 64-bit mix of 'key' in array 'b' (see Hash above). */
static inline uint64_t
htab_hash(const struct vpc_hbuckets *b, struct vpc_hkey key)
{
	uint64_t h;

	h = (key.hk_lo ^ b->hb_k0) + (uint64_t)key.hk_hi * b->hb_k3;
	h ^= h >> 32;
	h *= b->hb_k1;
	h ^= h >> 29;
	h *= b->hb_k2;
	h ^= h >> 32;
	return (h);
}

/* Home line of 'key' in array 'b'. */
static inline uint32_t
htab_home(const struct vpc_hbuckets *b, struct vpc_hkey key)
{
	return ((uint32_t)htab_hash(b, key) & b->hb_lmask);
}

/* The filter word of the key whose mix is 'h' (see Filter above). */
static inline uint64_t *
htab_fword(const struct vpc_hbuckets *b, uint64_t h)
{
	return (&b->hb_filt[((uint32_t)h & b->hb_lmask) / HTAB_FILT_LINES]);
}

/* The filter bits of the key whose mix is 'h'. */
static inline uint64_t
htab_fbits(uint64_t h)
{
	return ((uint64_t)1 << (h >> 40 & 63) | (uint64_t)1 << (h >> 46 & 63) |
	    (uint64_t)1 << (h >> 52 & 63));
}
#define	ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define	SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);	\
	v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);	\
} while (0)

/* SipHash-2-4 of the one-word message 'm' under the key ('k0', 'k1'). */
static uint64_t
htab_siphash(uint64_t k0, uint64_t k1, uint64_t m)
{
	uint64_t v0, v1, v2, v3, fin;

	v0 = k0 ^ 0x736f6d6570736575ull;
	v1 = k1 ^ 0x646f72616e646f6dull;
	v2 = k0 ^ 0x6c7967656e657261ull;
	v3 = k1 ^ 0x7465646279746573ull;
	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	fin = (uint64_t)8 << 56;	/* message length in the last word */
	v3 ^= fin;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= fin;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (v0 ^ v1 ^ v2 ^ v3);
}

/*
 * A fresh 64-bit secret for an array: SipHash-2-4 of a counter under a
 * 128-bit key drawn once from vpc_os_random32().  SipHash is a PRF, so
 * whatever one array's secrets reveal says nothing about the key or any
 * other array's.  This replaces six vpc_os_random32() calls per array
 * (a getrandom(2) each in vpcd: 24 system calls to create one switch).
 */
static uint64_t
htab_secret(void)
{
	static uint64_t gkey[2];	/* the key, written once */
	static uint64_t gctr;		/* secrets handed out, atomic */
	static uint32_t gstate;		/* 0: no key, 1: being set, 2: set */
	uint64_t k0, k1;
	uint32_t st;

	if (__atomic_load_n(&gstate, __ATOMIC_ACQUIRE) != 2) {
		k0 = (uint64_t)vpc_os_random32() << 32 | vpc_os_random32();
		k1 = (uint64_t)vpc_os_random32() << 32 | vpc_os_random32();
		st = 0;
		if (__atomic_compare_exchange_n(&gstate, &st, 1, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			gkey[0] = k0;
			gkey[1] = k1;
			__atomic_store_n(&gstate, 2, __ATOMIC_RELEASE);
		}
		/* Another thread is storing its two words: a short wait. */
		while (__atomic_load_n(&gstate, __ATOMIC_ACQUIRE) != 2)
			;
	}
	return (htab_siphash(gkey[0], gkey[1],
	    __atomic_fetch_add(&gctr, 1, __ATOMIC_RELAXED)));
}

/*
 * First step of every write: check the lock and retire the entry a
 * previous replacement handed out in *oldp.  So *oldp stays readable until
 * the next write to the same table, whether or not the caller is in an
 * epoch section.
 */
static void
htab_writer_enter(struct vpc_htab *t)
{
	struct vpc_hentry *e;

	if (t->t_lock != NULL)
		vpc_os_mtx_assert(t->t_lock, VPC_MA_OWNED);
	if ((e = t->t_limbo) != NULL) {
		t->t_limbo = NULL;
		htab_retire(t, e);
	}
}

void
vpc_mac48_put(uint64_t mac48, uint8_t mac[6])
{
	int i;

	for (i = 5; i >= 0; i--) {
		mac[i] = (uint8_t)mac48;
		mac48 >>= 8;
	}
}

/*
 * An empty (zeroed) array of 'lines' lines (a power of 2) with fresh
 * secrets: one allocation, the lines aligned on a cache line inside it,
 * the entry pointers after them.
 */
static struct vpc_hbuckets *
htab_buckets_alloc(uint32_t lines)
{
	struct vpc_hbuckets *b;
	uintptr_t a;

	b = vpc_os_malloc(sizeof(*b) + HTAB_LINE + (size_t)lines *
	    (sizeof(struct vpc_hline) +
	    HTAB_WAYS * sizeof(struct vpc_hentry *)) +
	    HTAB_FILT_WORDS(lines) * sizeof(uint64_t));
	if (b == NULL)
		return (NULL);
	a = ((uintptr_t)(b + 1) + HTAB_LINE - 1) & ~(uintptr_t)(HTAB_LINE - 1);
	b->hb_line = (struct vpc_hline *)a;
	b->hb_ent = (struct vpc_hentry **)(void *)(b->hb_line + lines);
	b->hb_filt = (uint64_t *)(void *)(b->hb_ent + (size_t)lines *
	    HTAB_WAYS);
	b->hb_k0 = htab_secret();
	b->hb_k1 = htab_secret() | 1;
	b->hb_k2 = htab_secret() | 1;
	b->hb_k3 = htab_secret() | 1;
	b->hb_lmask = lines - 1;
	b->hb_slots = lines * HTAB_WAYS;
	return (b);
}

struct vpc_htab *
vpc_htab_create(const struct vpc_htab_ops *ops, struct vpc_os_mtx *lock,
    uint32_t hint)
{
	struct vpc_htab *t;
	uint32_t lines;

	t = vpc_os_malloc(sizeof(*t));
	if (t == NULL)
		return (NULL);
	/* At most half the slots live: two per expected entry. */
	lines = HTAB_MIN_LINES;
	while ((uint64_t)lines * HTAB_WAYS / 2 < hint &&
	    lines < HTAB_MAX_LINES)
		lines <<= 1;
	t->t_b = htab_buckets_alloc(lines);
	if (t->t_b == NULL) {
		vpc_os_free(t);
		return (NULL);
	}
	t->t_ops = ops;
	t->t_lock = lock;
	t->t_plimit = HTAB_PROBE_LIMIT;
	t->t_rebuilds = 1;
	return (t);
}

/* Free every entry array 'b' of table 't' points to, now. */
static void
htab_free_entries(struct vpc_htab *t, struct vpc_hbuckets *b)
{
	struct vpc_hentry *e;
	uint32_t s;

	for (s = 0; s < b->hb_slots; s++) {
		e = b->hb_ent[s];
		if (e != NULL && e != HTAB_TOMB)
			t->t_ops->hto_free(e);
	}
}

void
vpc_htab_destroy(struct vpc_htab *t)
{
	if (t == NULL)
		return;
	if (t->t_limbo != NULL)
		t->t_ops->hto_free(t->t_limbo);
	htab_free_entries(t, t->t_b);
	vpc_os_free(t->t_b);
	vpc_os_free(t);
}

/*
 * Reader: the slot of 'key' in array 'b' with its value in '*valp', or
 * -1 (*valp 0) if the key has no live entry.
 */
static inline int64_t
htab_find(const struct vpc_hbuckets *b, struct vpc_hkey key, uint64_t *valp)
{
	const struct vpc_hline *l;
	uint64_t v;
	uint32_t i, n, w;

	i = htab_home(b, key);
	for (n = b->hb_lmask + 1; n != 0; n--) {
		l = &b->hb_line[i];
		for (w = 0; w < HTAB_WAYS; w++) {
			v = vpc_load_acq_64(&l->hl_val[w]);
			if (v == HTAB_VEMPTY)
				goto absent;
			if (vpc_load_relaxed(&l->hl_lo[w]) == key.hk_lo &&
			    vpc_load_relaxed(&l->hl_hi[w]) == key.hk_hi) {
				if (v == HTAB_VTOMB)
					goto absent;	/* a key has one slot */
				*valp = v;
				return ((int64_t)i * HTAB_WAYS + w);
			}
		}
		/* A full line: the key is past it only if some key is. */
		if (vpc_load_relaxed(&l->hl_over) == 0)
			break;
		i = (i + 1) & b->hb_lmask;
	}
absent:
	*valp = 0;
	return (-1);
}

uint64_t
vpc_htab_get(struct vpc_htab *t, struct vpc_hkey key)
{
	uint64_t v;

	(void)htab_find(vpc_load_acq_ptr(&t->t_b), key, &v);
	return (v);
}

uint64_t
vpc_htab_get_filtered(struct vpc_htab *t, struct vpc_hkey key)
{
	const struct vpc_hbuckets *b;
	uint64_t h, v;

	b = vpc_load_acq_ptr(&t->t_b);
	if (b->hb_lmask >= HTAB_FILT_MIN) {
		h = htab_hash(b, key);
		if ((vpc_load_relaxed(htab_fword(b, h)) & htab_fbits(h)) !=
		    htab_fbits(h))
			return (0);	/* never inserted into this array */
	}
	(void)htab_find(b, key, &v);
	return (v);
}

struct vpc_hentry *
vpc_htab_lookup(struct vpc_htab *t, struct vpc_hkey key)
{
	const struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint64_t v;
	int64_t s;

	b = vpc_load_acq_ptr(&t->t_b);
	if ((s = htab_find(b, key, &v)) < 0)
		return (NULL);
	e = vpc_load_acq_ptr(&b->hb_ent[s]);
	/* Removed since the value was read. */
	if (e == NULL || e == HTAB_TOMB)
		return (NULL);
	VPC_ASSERT(vpc_hkey_eq(e->he_key, key));
	return (e);
}

/*
 * Prefetching, for callers that look up many keys at once (a burst of
 * frames): start the load of the key's home line.  A probe longer than
 * one line is left to the lookup itself.
 */
void
vpc_htab_prefetch(struct vpc_htab *t, struct vpc_hkey key)
{
	const struct vpc_hbuckets *b;

	b = vpc_load_acq_ptr(&t->t_b);
	vpc_prefetch(&b->hb_line[htab_home(b, key)]);
}

void
vpc_htab_prefetch_filter(struct vpc_htab *t, struct vpc_hkey key)
{
	const struct vpc_hbuckets *b;

	b = vpc_load_acq_ptr(&t->t_b);
	if (b->hb_lmask >= HTAB_FILT_MIN)
		vpc_prefetch(htab_fword(b, htab_hash(b, key)));
}

void
vpc_htab_prefetch_filtered(struct vpc_htab *t, struct vpc_hkey key)
{
	const struct vpc_hbuckets *b;
	uint64_t h;

	b = vpc_load_acq_ptr(&t->t_b);
	h = htab_hash(b, key);
	if (b->hb_lmask < HTAB_FILT_MIN ||
	    (vpc_load_relaxed(htab_fword(b, h)) & htab_fbits(h)) ==
	    htab_fbits(h))
		vpc_prefetch(&b->hb_line[(uint32_t)h & b->hb_lmask]);
}

bool
vpc_htab_large(struct vpc_htab *t)
{
	const struct vpc_hbuckets *b;

	b = vpc_load_acq_ptr(&t->t_b);
	return (((size_t)b->hb_lmask + 1) * sizeof(struct vpc_hline) >
	    VPC_HTAB_CACHED);
}

/* Epoch callback of one retired entry. */
static void
htab_entry_free_cb(struct vpc_epoch_ctx *ctx)
{
	struct vpc_hentry *e;

	e = (struct vpc_hentry *)(void *)((char *)ctx -
	    __builtin_offsetof(struct vpc_hentry, he_ctx));
	e->he_ops->hto_free(e);
}

/* Epoch callback of a replaced array; its entries live on in the new one. */
static void
htab_buckets_free_cb(struct vpc_epoch_ctx *ctx)
{
	struct vpc_hbuckets *b;

	b = (struct vpc_hbuckets *)(void *)((char *)ctx -
	    __builtin_offsetof(struct vpc_hbuckets, hb_ctx));
	vpc_os_free(b);
}

/* Hand an unlinked entry to the epoch: freed once no reader can see it. */
static void
htab_retire(struct vpc_htab *t __unused, struct vpc_hentry *e)
{
	vpc_os_epoch_call(&e->he_ctx, htab_entry_free_cb);
}

/* The value slot words hold for entry 'e'. */
static inline uint64_t
htab_val(const struct vpc_hentry *e)
{
	return (e->he_val != 0 ? e->he_val : (uint64_t)(uintptr_t)e);
}

/*
 * Writer: the slot of 'key' in 'b' (live, or its tombstone), else the
 * first empty slot of its probe sequence, else -1 (no empty slot left);
 * '*probep' is the number of slots looked at.
 */
static int64_t
htab_seek(const struct vpc_hbuckets *b, struct vpc_hkey key,
    uint32_t *probep)
{
	const struct vpc_hline *l;
	uint32_t i, n, w, probe;

	i = htab_home(b, key);
	probe = 0;
	for (n = 0; n <= b->hb_lmask; n++, i = (i + 1) & b->hb_lmask) {
		l = &b->hb_line[i];
		for (w = 0; w < HTAB_WAYS; w++) {
			probe++;
			if (b->hb_ent[i * HTAB_WAYS + w] == NULL ||
			    (l->hl_lo[w] == key.hk_lo &&
			    l->hl_hi[w] == key.hk_hi)) {
				*probep = probe;
				return ((int64_t)i * HTAB_WAYS + w);
			}
		}
	}
	*probep = probe;
	return (-1);
}

/*
 * Writer: make 'e' the entry of slot 's' of 'b': its key's tombstone, or
 * the first empty slot of its probe sequence, whose taking raises the
 * overflow counts of the lines before it in the sequence.
 */
static void
htab_put(struct vpc_hbuckets *b, uint32_t s, struct vpc_hentry *e)
{
	struct vpc_hline *l;
	uint64_t *fw, h;
	uint32_t i, ls, w;

	ls = s / HTAB_WAYS;
	w = s % HTAB_WAYS;
	l = &b->hb_line[ls];
	if (b->hb_ent[s] == NULL) {
		h = htab_hash(b, e->he_key);
		fw = htab_fword(b, h);
		vpc_store_relaxed(fw, *fw | htab_fbits(h));
		for (i = (uint32_t)h & b->hb_lmask; i != ls;
		    i = (i + 1) & b->hb_lmask)
			vpc_store_relaxed(&b->hb_line[i].hl_over,
			    b->hb_line[i].hl_over + 1);
		vpc_store_relaxed(&l->hl_lo[w], e->he_key.hk_lo);
		vpc_store_relaxed(&l->hl_hi[w], e->he_key.hk_hi);
	}
	vpc_store_rel_ptr(&b->hb_ent[s], e);		/* table owns e */
	vpc_store_rel_64(&l->hl_val[w], htab_val(e));
}

/*
 * Build an array of 'lines' lines with fresh secrets holding the same
 * entries and publish it; readers see the old array or the new one, each
 * whole.  On failure nothing changed.
 */
static int
htab_rebuild(struct vpc_htab *t, uint32_t lines)
{
	struct vpc_hbuckets *ob, *nb;
	struct vpc_hentry *e;
	uint32_t probe, s;
	int64_t ns;

	ob = t->t_b;
	nb = htab_buckets_alloc(lines);
	if (nb == NULL)
		return (ENOMEM);
	for (s = 0; s < ob->hb_slots; s++) {
		e = ob->hb_ent[s];
		if (e == NULL || e == HTAB_TOMB)
			continue;
		/* Distinct keys, at most half the slots: an empty one. */
		ns = htab_seek(nb, e->he_key, &probe);
		VPC_ASSERT(ns >= 0 && nb->hb_ent[ns] == NULL);
		htab_put(nb, (uint32_t)ns, e);
	}
	vpc_store_rel_ptr(&t->t_b, nb);
	/* Only the old array goes to the epoch: the entries live on. */
	vpc_os_epoch_call(&ob->hb_ctx, htab_buckets_free_cb);
	t->t_tombs = 0;
	t->t_since = 0;
	t->t_rebuilds++;
	return (0);
}

/*
 * Remove the entry of slot 's' from array 'b' (the current one) and
 * retire it.  The slot becomes a tombstone that keeps its key (see
 * Concurrency above).
 */
static void
htab_unlink(struct vpc_htab *t, struct vpc_hbuckets *b, uint32_t s)
{
	struct vpc_hentry *e;

	e = b->hb_ent[s];
	vpc_store_rel_64(&b->hb_line[s / HTAB_WAYS].hl_val[s % HTAB_WAYS],
	    HTAB_VTOMB);
	vpc_store_rel_ptr(&b->hb_ent[s], HTAB_TOMB);
	t->t_tombs++;
	vpc_store_relaxed(&t->t_count, t->t_count - 1);
	htab_retire(t, e);
}

int
vpc_htab_insert(struct vpc_htab *t, struct vpc_hentry *e,
    struct vpc_hentry **oldp)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *o;
	uint32_t lines, probe, slots;
	int64_t s;
	bool grow, purge, reseed;
	int error;

	htab_writer_enter(t);
	if (oldp != NULL)
		*oldp = NULL;
	VPC_ASSERT(e->he_val == 0 || e->he_val >= VPC_HVAL_MIN);
	e->he_ops = t->t_ops;
	b = t->t_b;
	/* The key's own slot (live or its tombstone), or the first empty. */
	s = htab_seek(b, e->he_key, &probe);
	o = s >= 0 ? b->hb_ent[s] : NULL;
	if (o != NULL && o != HTAB_TOMB) {
		/* Replace in place; readers see the old entry or the new. */
		vpc_store_rel_ptr(&b->hb_ent[s], e);
		vpc_store_rel_64(&b->hb_line[s / HTAB_WAYS].hl_val[s %
		    HTAB_WAYS], htab_val(e));
		if (oldp != NULL) {
			/* Retired by the next write (see writer_enter). */
			t->t_limbo = o;
			*oldp = o;
		} else
			htab_retire(t, o);
		return (0);
	}
	/* A new key: keep live <= 1/2 and live + tombstones <= 3/4. */
	lines = b->hb_lmask + 1;
	slots = b->hb_slots;
	grow = t->t_count + 1 > slots / 2;
	if (grow && lines >= HTAB_MAX_LINES) {
		if (t->t_count + 1 > slots / 8 * 7)
			return (ENOMEM);	/* at the cap and full */
		grow = false;
	}
	purge = s < 0 || (o == NULL &&
	    t->t_count + t->t_tombs + 1 > slots / 4 * 3);
	reseed = probe > t->t_plimit && t->t_since >= t->t_count / 4;
	if (grow || purge || reseed) {
		error = htab_rebuild(t, grow ? lines * 2 : lines);
		if (error != 0 && (grow || s < 0))
			return (error);
		if (error == 0) {
			if (!grow && !purge)
				t->t_reseeds++;
			/* The new array has no tombstones: first empty. */
			b = t->t_b;
			s = htab_seek(b, e->he_key, &probe);
			VPC_ASSERT(s >= 0 && b->hb_ent[s] == NULL);
			o = NULL;
		}
	}
	if (o == HTAB_TOMB)
		t->t_tombs--;		/* the key's own tombstone */
	htab_put(b, (uint32_t)s, e);
	vpc_store_relaxed(&t->t_count, t->t_count + 1);
	t->t_since++;
	return (0);
}

int
vpc_htab_remove(struct vpc_htab *t, struct vpc_hkey key)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint32_t probe;
	int64_t s;

	htab_writer_enter(t);
	b = t->t_b;
	s = htab_seek(b, key, &probe);
	if (s < 0)
		return (ENOENT);
	e = b->hb_ent[s];
	if (e == NULL || e == HTAB_TOMB)
		return (ENOENT);
	htab_unlink(t, b, (uint32_t)s);
	return (0);
}

uint32_t
vpc_htab_remove_if(struct vpc_htab *t,
    bool (*pred)(const struct vpc_hentry *e, void *arg), void *arg)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint32_t s, n;

	htab_writer_enter(t);
	b = t->t_b;
	n = 0;
	for (s = 0; s < b->hb_slots; s++) {
		e = b->hb_ent[s];
		if (e == NULL || e == HTAB_TOMB || !pred(e, arg))
			continue;
		htab_unlink(t, b, s);
		n++;
	}
	return (n);
}

uint32_t
vpc_htab_count(const struct vpc_htab *t)
{
	return (vpc_load_relaxed(&t->t_count));
}

int
vpc_htab_foreach(struct vpc_htab *t,
    int (*fn)(struct vpc_hentry *e, void *arg), void *arg)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint32_t s;
	int rv;

	b = vpc_load_acq_ptr(&t->t_b);
	for (s = 0; s < b->hb_slots; s++) {
		e = vpc_load_acq_ptr(&b->hb_ent[s]);
		if (e == NULL || e == HTAB_TOMB)
			continue;
		if ((rv = fn(e, arg)) != 0)
			return (rv);
	}
	return (0);
}

void
vpc_htab_diag(const struct vpc_htab *t, struct vpc_htab_diag *d)
{
	const struct vpc_hbuckets *b = t->t_b;
	const struct vpc_hentry *e;
	uint32_t h, i, n, s;

	vpc_memset(d, 0, sizeof(*d));
	d->hd_slots = b->hb_slots;
	d->hd_tombs = t->t_tombs;
	d->hd_rebuilds = t->t_rebuilds;
	d->hd_reseeds = t->t_reseeds;
	for (i = 0; i <= b->hb_lmask; i++)
		if (b->hb_line[i].hl_over != 0)
			d->hd_over++;
	d->hd_filt_bits = (uint32_t)HTAB_FILT_WORDS(b->hb_lmask + 1) * 64;
	for (i = 0; i < HTAB_FILT_WORDS(b->hb_lmask + 1); i++)
		d->hd_filt_set += (uint32_t)__builtin_popcountll(b->hb_filt[i]);
	for (s = 0; s < b->hb_slots; s++) {
		e = b->hb_ent[s];
		if (e == NULL || e == HTAB_TOMB)
			continue;
		h = htab_home(b, e->he_key);
		n = ((s / HTAB_WAYS - h) & b->hb_lmask) * HTAB_WAYS +
		    s % HTAB_WAYS + 1;
		if (n > d->hd_maxprobe)
			d->hd_maxprobe = n;
	}
}

void
vpc_htab_set_probe_limit(struct vpc_htab *t, uint32_t limit)
{
	if (t->t_lock != NULL)
		vpc_os_mtx_assert(t->t_lock, VPC_MA_OWNED);
	t->t_plimit = limit != 0 ? limit : HTAB_PROBE_LIMIT;
}
