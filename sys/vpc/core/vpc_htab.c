/*
 * vpc_htab.c: the epoch-protected hash table of the core (vpc_htab.h).
 *
 * Layout.  A table points to a slot array; a slot holds a key and its
 * entry's value (16 bytes, four to a 64-byte cache line, the array
 * aligned on a line), and a parallel array holds each slot's entry
 * pointer.  Open addressing with linear probing: a key's probe sequence
 * starts at the first slot of its home line and runs forward, wrapping,
 * until the key or an empty slot.  The array keeps at most half of its
 * slots live, so a probe almost always ends inside the home line: a
 * vpc_htab_get() costs one cache miss at 1M entries, a lookup of the
 * entry two more (its pointer, the entry).  Entries are never moved or
 * copied: growth builds a new array pointing to the same entries.
 *
 * Concurrency.  A slot's value word: 0 (empty: ends a probe), 1 (the key's
 * entry was removed: probes go on), or the live entry's value; its
 * pointer word: NULL, HTAB_TOMB or the entry, likewise.  A slot takes a
 * key once, when it stops being empty, and keeps it for the life of the
 * array: a removed key leaves a tombstone that only the same key may take
 * again, and slots never become empty again (a rebuild purges the
 * tombstones).  So a reader that finds its key in a slot whose value is
 * live has that key's value, with no check against the entry: the value
 * cannot belong to a key that took the slot meanwhile.  Writers (under
 * the owner's lock) fill an empty slot by storing the pointer, the key,
 * then the value with a release store; replace by storing the pointer,
 * then the value; remove by storing 1 and HTAB_TOMB; and retire what they
 * unlinked through the epoch.  Readers load the value (acquire), then
 * the key, then, for a lookup, the pointer (acquire).  A key has at most
 * one slot in an array, so a reader stops at its key's tombstone.  An
 * insert that would take live slots and tombstones together past 3/4 of
 * the array first rebuilds it (same size, fresh secrets, no tombstones):
 * churn of distinct keys costs an O(n) rebuild per n/4 or so inserts,
 * amortised O(1), and keeps probes of absent keys short.
 *
 * Hash and hash flooding.  The home line is a keyed mix of the 64-bit key:
 * xor with a secret k0, then xor-shift, multiply by a secret odd k1,
 * xor-shift, multiply by a secret odd k2, xor-shift (the shape of
 * MurmurHash3's 64-bit finaliser, with secret multipliers), low bits.
 * Each step is a bijection of 64-bit words, so distinct keys never share
 * the full hash; the three secrets (192 bits, see htab_secret()) are
 * drawn afresh for every array.  Keys come partly from tenants (MAC and
 * IP addresses, and what learning takes from frames), who choose them
 * but do not see the secrets: to aim at one line they would have to infer
 * the secrets from timing.  This mix is not a PRF (SipHash-1-3 was, at
 * about five times the instructions per lookup), so the table does not
 * rely on it alone: an insert that probes more than t_plimit slots
 * rebuilds the array with fresh secrets, which throws away whatever an
 * attacker learned.  Such reseeds are allowed once per count/4 inserts,
 * so their O(n) cost stays amortised O(1) per insert even if provoked;
 * between two reseeds at most count/4 keys can be aimed, and the load
 * stays <= 1/2.
 */

#include "vpc_os.h"
#include "vpc_htab.h"

#define	HTAB_WAY_SHIFT		2		/* 4 slots per cache line */
#define	HTAB_LINE		64		/* bytes the array aligns to */
#define	HTAB_MIN_SLOTS		16u
#define	HTAB_MAX_SLOTS		(1u << 28)
/*
 * Default reseed threshold, in slots.  With random placement at load 1/2
 * the longest probe of a table is about 30 slots at 64k entries and 40
 * at 1M (measured over many secrets); 128 (32 cache lines) is then
 * reached by accident only with negligible probability.
 */
#define	HTAB_PROBE_LIMIT	128u
#define	HTAB_TOMB		((struct vpc_hentry *)(uintptr_t)1)
#define	HTAB_VEMPTY		0		/* value word: never used */
#define	HTAB_VTOMB		1		/* value word: removed */

/* One slot: a key and its entry's value (or HTAB_VEMPTY, HTAB_VTOMB). */
struct vpc_hslot {
	uint64_t		 hs_key;	/* set once, relaxed */
	uint64_t		 hs_val;	/* acquire/release */
};

_Static_assert(sizeof(struct vpc_hslot) << HTAB_WAY_SHIFT == HTAB_LINE,
    "a line holds 1 << HTAB_WAY_SHIFT slots");

/* One slot array and its hash secrets; replaced whole on rebuild. */
struct vpc_hbuckets {
	uint64_t		 hb_k0;		/* secret xored in */
	uint64_t		 hb_k1;		/* secret odd multiplier */
	uint64_t		 hb_k2;		/* second odd multiplier */
	uint32_t		 hb_smask;	/* slots - 1 (a power of 2) */
	uint32_t		 hb_lmask;	/* lines - 1 */
	struct vpc_hslot	*hb_slot;	/* the slots, line-aligned */
	struct vpc_hentry	**hb_ent;	/* slot i's entry, NULL, TOMB */
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

static uint32_t	htab_home(const struct vpc_hbuckets *b, uint64_t key);
static uint64_t	htab_siphash(uint64_t k0, uint64_t k1, uint64_t m);
static uint64_t	htab_secret(void);
static struct vpc_hbuckets *htab_buckets_alloc(uint32_t n);
static void	htab_entry_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_buckets_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_free_entries(struct vpc_htab *t, struct vpc_hbuckets *b);
static void	htab_retire(struct vpc_htab *t, struct vpc_hentry *e);
static uint32_t	htab_place(struct vpc_hbuckets *b, struct vpc_hentry *e);
static int	htab_rebuild(struct vpc_htab *t, uint32_t n);
static void	htab_unlink(struct vpc_htab *t, struct vpc_hbuckets *b,
		    uint32_t i);
static void	htab_writer_enter(struct vpc_htab *t);

/* First slot of the home line of 'key' in array 'b'. */
static inline uint32_t
htab_home(const struct vpc_hbuckets *b, uint64_t key)
{
	uint64_t h;

	h = key ^ b->hb_k0;
	h ^= h >> 32;
	h *= b->hb_k1;
	h ^= h >> 29;
	h *= b->hb_k2;
	h ^= h >> 32;
	return (((uint32_t)h & b->hb_lmask) << HTAB_WAY_SHIFT);
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
 * An empty (zeroed) array of 'n' slots (a power of 2, >= one line) with
 * fresh secrets: one allocation, the slots aligned on a line inside it,
 * the entry pointers after them.
 */
static struct vpc_hbuckets *
htab_buckets_alloc(uint32_t n)
{
	struct vpc_hbuckets *b;
	uintptr_t a;

	b = vpc_os_malloc(sizeof(*b) + HTAB_LINE + (size_t)n *
	    (sizeof(struct vpc_hslot) + sizeof(struct vpc_hentry *)));
	if (b == NULL)
		return (NULL);
	a = ((uintptr_t)(b + 1) + HTAB_LINE - 1) & ~(uintptr_t)(HTAB_LINE - 1);
	b->hb_slot = (struct vpc_hslot *)a;
	b->hb_ent = (struct vpc_hentry **)(void *)(b->hb_slot + n);
	b->hb_k0 = htab_secret();
	b->hb_k1 = htab_secret() | 1;
	b->hb_k2 = htab_secret() | 1;
	b->hb_smask = n - 1;
	b->hb_lmask = (n >> HTAB_WAY_SHIFT) - 1;
	return (b);
}

struct vpc_htab *
vpc_htab_create(const struct vpc_htab_ops *ops, struct vpc_os_mtx *lock,
    uint32_t hint)
{
	struct vpc_htab *t;
	uint32_t n;

	t = vpc_os_malloc(sizeof(*t));
	if (t == NULL)
		return (NULL);
	/* At most half the slots live: two per expected entry. */
	n = HTAB_MIN_SLOTS;
	while (n / 2 < hint && n < HTAB_MAX_SLOTS)
		n <<= 1;
	t->t_b = htab_buckets_alloc(n);
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
	uint32_t i;

	for (i = 0; i <= b->hb_smask; i++) {
		e = b->hb_ent[i];
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
htab_find(const struct vpc_hbuckets *b, uint64_t key, uint64_t *valp)
{
	const struct vpc_hslot *s, *first, *end;
	uint64_t v;
	uint32_t n;

	first = b->hb_slot;
	end = first + b->hb_smask + 1;
	s = first + htab_home(b, key);
	for (n = b->hb_smask + 1; n != 0; n--) {
		v = vpc_load_acq_64(&s->hs_val);
		if (v == HTAB_VEMPTY)
			break;
		if (vpc_load_relaxed(&s->hs_key) == key) {
			if (v == HTAB_VTOMB)
				break;	/* a key has one slot */
			*valp = v;
			return (s - first);
		}
		if (++s == end)
			s = first;
	}
	*valp = 0;
	return (-1);
}

uint64_t
vpc_htab_get(struct vpc_htab *t, uint64_t key)
{
	uint64_t v;

	(void)htab_find(vpc_load_acq_ptr(&t->t_b), key, &v);
	return (v);
}

struct vpc_hentry *
vpc_htab_lookup(struct vpc_htab *t, uint64_t key)
{
	const struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint64_t v;
	int64_t i;

	b = vpc_load_acq_ptr(&t->t_b);
	if ((i = htab_find(b, key, &v)) < 0)
		return (NULL);
	e = vpc_load_acq_ptr(&b->hb_ent[i]);
	/* Removed since the value was read. */
	if (e == NULL || e == HTAB_TOMB)
		return (NULL);
	VPC_ASSERT(e->he_key == key);
	return (e);
}

/*
 * Prefetching, for callers that look up many keys at once (a burst of
 * frames): start the load of the key's home line.  A probe longer than
 * one line is left to the lookup itself.
 */
void
vpc_htab_prefetch(struct vpc_htab *t, uint64_t key)
{
	const struct vpc_hbuckets *b;

	b = vpc_load_acq_ptr(&t->t_b);
	vpc_prefetch(b->hb_slot + htab_home(b, key));
}

bool
vpc_htab_large(struct vpc_htab *t)
{
	const struct vpc_hbuckets *b;

	b = vpc_load_acq_ptr(&t->t_b);
	return (((size_t)b->hb_smask + 1) * sizeof(struct vpc_hslot) >
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
 * Put 'e' into the first empty slot of its probe sequence in an array
 * that no reader sees yet; returns the probe length (slots looked at).
 */
static uint32_t
htab_place(struct vpc_hbuckets *b, struct vpc_hentry *e)
{
	uint32_t i, n;

	i = htab_home(b, e->he_key);
	for (n = 1; b->hb_ent[i] != NULL; n++)
		i = (i + 1) & b->hb_smask;
	b->hb_ent[i] = e;
	b->hb_slot[i].hs_key = e->he_key;
	b->hb_slot[i].hs_val = htab_val(e);
	return (n);
}

/*
 * Build an array of 'n' slots with fresh secrets holding the same entries
 * and publish it; readers see the old array or the new one, each whole.
 * On failure nothing changed.
 */
static int
htab_rebuild(struct vpc_htab *t, uint32_t n)
{
	struct vpc_hbuckets *ob, *nb;
	struct vpc_hentry *e;
	uint32_t i;

	ob = t->t_b;
	nb = htab_buckets_alloc(n);
	if (nb == NULL)
		return (ENOMEM);
	for (i = 0; i <= ob->hb_smask; i++) {
		e = ob->hb_ent[i];
		if (e != NULL && e != HTAB_TOMB)
			(void)htab_place(nb, e);
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
 * Remove the entry of slot 'i' from array 'b' (the current one) and
 * retire it.  The slot becomes a tombstone that keeps its key (see
 * Concurrency above).
 */
static void
htab_unlink(struct vpc_htab *t, struct vpc_hbuckets *b, uint32_t i)
{
	struct vpc_hentry *e;

	e = b->hb_ent[i];
	vpc_store_rel_64(&b->hb_slot[i].hs_val, HTAB_VTOMB);
	vpc_store_rel_ptr(&b->hb_ent[i], HTAB_TOMB);
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
	uint32_t i, n, mask, freei, probe, slots;
	bool grow, purge, reseed;
	int error;

	htab_writer_enter(t);
	if (oldp != NULL)
		*oldp = NULL;
	VPC_ASSERT(e->he_val == 0 || e->he_val >= VPC_HVAL_MIN);
	e->he_ops = t->t_ops;
	b = t->t_b;
	mask = b->hb_smask;
	/* The key's own slot (live or its tombstone), or the first empty. */
	freei = mask + 1;
	probe = 0;
	i = htab_home(b, e->he_key);
	for (n = 0; n <= mask; n++, i = (i + 1) & mask) {
		o = b->hb_ent[i];
		if (o == NULL) {
			freei = i;
			probe = n + 1;
			break;
		}
		if (b->hb_slot[i].hs_key != e->he_key)
			continue;
		if (o == HTAB_TOMB) {
			freei = i;
			probe = n + 1;
			break;
		}
		/* Replace in place; readers see the old entry or the new. */
		vpc_store_rel_ptr(&b->hb_ent[i], e);
		vpc_store_rel_64(&b->hb_slot[i].hs_val, htab_val(e));
		if (oldp != NULL) {
			/* Retired by the next write (see writer_enter). */
			t->t_limbo = o;
			*oldp = o;
		} else
			htab_retire(t, o);
		return (0);
	}
	/* A new key: keep live <= 1/2 and live + tombstones <= 3/4. */
	slots = mask + 1;
	grow = t->t_count + 1 > slots / 2;
	if (grow && slots >= HTAB_MAX_SLOTS) {
		if (t->t_count + 1 > slots / 8 * 7)
			return (ENOMEM);	/* at the cap and full */
		grow = false;
	}
	purge = freei > mask || (b->hb_ent[freei] == NULL &&
	    t->t_count + t->t_tombs + 1 > slots / 4 * 3);
	reseed = probe > t->t_plimit && t->t_since >= t->t_count / 4;
	if (grow || purge || reseed) {
		error = htab_rebuild(t, grow ? slots * 2 : slots);
		if (error != 0 && (grow || freei > mask))
			return (error);
		if (error == 0) {
			if (!grow && !purge)
				t->t_reseeds++;
			/* The new array has no tombstones: first empty. */
			b = t->t_b;
			mask = b->hb_smask;
			freei = htab_home(b, e->he_key);
			while (b->hb_ent[freei] != NULL)
				freei = (freei + 1) & mask;
		}
	}
	if (b->hb_ent[freei] == HTAB_TOMB)
		t->t_tombs--;		/* the key's own tombstone */
	else
		vpc_store_relaxed(&b->hb_slot[freei].hs_key, e->he_key);
	vpc_store_rel_ptr(&b->hb_ent[freei], e);	/* table owns e */
	vpc_store_rel_64(&b->hb_slot[freei].hs_val, htab_val(e));
	vpc_store_relaxed(&t->t_count, t->t_count + 1);
	t->t_since++;
	return (0);
}

int
vpc_htab_remove(struct vpc_htab *t, uint64_t key)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint32_t i, n, mask;

	htab_writer_enter(t);
	b = t->t_b;
	mask = b->hb_smask;
	i = htab_home(b, key);
	for (n = 0; n <= mask; n++, i = (i + 1) & mask) {
		e = b->hb_ent[i];
		if (e == NULL)
			break;
		if (b->hb_slot[i].hs_key != key)
			continue;
		if (e == HTAB_TOMB)
			break;
		htab_unlink(t, b, i);
		return (0);
	}
	return (ENOENT);
}

uint32_t
vpc_htab_remove_if(struct vpc_htab *t,
    bool (*pred)(const struct vpc_hentry *e, void *arg), void *arg)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;
	uint32_t i, n;

	htab_writer_enter(t);
	b = t->t_b;
	n = 0;
	for (i = 0; i <= b->hb_smask; i++) {
		e = b->hb_ent[i];
		if (e == NULL || e == HTAB_TOMB || !pred(e, arg))
			continue;
		htab_unlink(t, b, i);
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
	uint32_t i;
	int rv;

	b = vpc_load_acq_ptr(&t->t_b);
	for (i = 0; i <= b->hb_smask; i++) {
		e = vpc_load_acq_ptr(&b->hb_ent[i]);
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
	uint32_t i, n, h;

	vpc_memset(d, 0, sizeof(*d));
	d->hd_slots = b->hb_smask + 1;
	d->hd_tombs = t->t_tombs;
	d->hd_rebuilds = t->t_rebuilds;
	d->hd_reseeds = t->t_reseeds;
	for (i = 0; i <= b->hb_smask; i++) {
		e = b->hb_ent[i];
		if (e == NULL || e == HTAB_TOMB)
			continue;
		h = htab_home(b, e->he_key);
		n = ((i - h) & b->hb_smask) + 1;
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
