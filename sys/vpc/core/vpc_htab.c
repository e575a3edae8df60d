/*
 * vpc_htab.c: the epoch-protected hash table of the core (vpc_htab.h).
 *
 * A table points to a bucket array; each bucket heads a chain of
 * immutable entries linked through he_next.  Readers load the array and
 * the chain with acquire loads and never write.  Writers (under the
 * owner's lock) publish a fully built entry with one release store, unlink
 * with one release store, and retire what they unlinked through the epoch
 * so a reader still walking it stays safe.
 *
 * The bucket index is a keyed hash (SipHash-1-3 of the 64-bit key, with a
 * 128-bit key drawn from vpc_os_random32() for each array) so that a
 * tenant choosing MAC addresses cannot choose buckets.  The array keeps
 * at least one bucket per entry (load factor <= 1); when an insert would
 * break that, the array is rebuilt at twice the size from copies of the
 * entries (ops->hto_copy) with a fresh key, published, and the old array
 * with all its entries is retired in one epoch callback.
 */

#include "vpc_os.h"
#include "vpc_htab.h"

#define	HTAB_MIN_BUCKETS	16u
#define	HTAB_MAX_BUCKETS	(1u << 30)

/* One bucket array; replaced whole on growth. */
struct vpc_hbuckets {
	uint64_t		 hb_k0;		/* hash key, low half */
	uint64_t		 hb_k1;		/* hash key, high half */
	uint32_t		 hb_mask;	/* buckets - 1 (a power of 2) */
	uint32_t		 hb_pad;
	const struct vpc_htab_ops *hb_ops;	/* frees retired entries */
	struct vpc_epoch_ctx	 hb_ctx;	/* deferred free */
	struct vpc_hentry	*hb_slot[];	/* chain heads, epoch-read */
};

struct vpc_htab {
	struct vpc_hbuckets	*t_b;		/* current array, epoch-read */
	const struct vpc_htab_ops *t_ops;	/* entry copy and free */
	struct vpc_os_mtx	*t_lock;	/* writers' lock, or NULL */
	uint32_t		 t_count;	/* entries, relaxed */
	struct vpc_hentry	*t_limbo;	/* replaced, handed out in *oldp */
};

static uint64_t	htab_hash(const struct vpc_hbuckets *b, uint64_t key);
static struct vpc_hbuckets *htab_buckets_alloc(uint32_t n,
		    const struct vpc_htab_ops *ops);
static void	htab_entry_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_buckets_free_cb(struct vpc_epoch_ctx *ctx);
static void	htab_buckets_free_all(struct vpc_hbuckets *b);
static void	htab_retire(struct vpc_htab *t, struct vpc_hentry *e);
static int	htab_grow(struct vpc_htab *t);
static void	htab_writer_enter(struct vpc_htab *t);

#define	ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define	SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);	\
	v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);	\
} while (0)

/* SipHash-1-3 of the key as one 64-bit message word. */
static inline uint64_t
htab_hash(const struct vpc_hbuckets *b, uint64_t key)
{
	uint64_t v0, v1, v2, v3, fin;

	v0 = b->hb_k0 ^ 0x736f6d6570736575ull;
	v1 = b->hb_k1 ^ 0x646f72616e646f6dull;
	v2 = b->hb_k0 ^ 0x6c7967656e657261ull;
	v3 = b->hb_k1 ^ 0x7465646279746573ull;
	v3 ^= key;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= key;
	fin = (uint64_t)8 << 56;	/* message length in the last word */
	v3 ^= fin;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= fin;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (v0 ^ v1 ^ v2 ^ v3);
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

uint64_t
vpc_mac48(const uint8_t mac[6])
{
	return ((uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	    (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 |
	    (uint64_t)mac[4] << 8 | (uint64_t)mac[5]);
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

/* An empty array of 'n' (a power of 2) buckets with a fresh hash key. */
static struct vpc_hbuckets *
htab_buckets_alloc(uint32_t n, const struct vpc_htab_ops *ops)
{
	struct vpc_hbuckets *b;

	b = vpc_os_malloc(sizeof(*b) + (size_t)n * sizeof(b->hb_slot[0]));
	if (b == NULL)
		return (NULL);
	b->hb_k0 = (uint64_t)vpc_os_random32() << 32 | vpc_os_random32();
	b->hb_k1 = (uint64_t)vpc_os_random32() << 32 | vpc_os_random32();
	b->hb_mask = n - 1;
	b->hb_ops = ops;
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
	n = HTAB_MIN_BUCKETS;
	while (n < hint && n < HTAB_MAX_BUCKETS)
		n <<= 1;
	t->t_b = htab_buckets_alloc(n, ops);
	if (t->t_b == NULL) {
		vpc_os_free(t);
		return (NULL);
	}
	t->t_ops = ops;
	t->t_lock = lock;
	return (t);
}

/* Free an array and every entry still chained in it, now. */
static void
htab_buckets_free_all(struct vpc_hbuckets *b)
{
	struct vpc_hentry *e, *next;
	uint32_t i;

	for (i = 0; i <= b->hb_mask; i++) {
		for (e = b->hb_slot[i]; e != NULL; e = next) {
			next = e->he_next;
			b->hb_ops->hto_free(e);
		}
	}
	vpc_os_free(b);
}

void
vpc_htab_destroy(struct vpc_htab *t)
{
	if (t == NULL)
		return;
	if (t->t_limbo != NULL)
		t->t_ops->hto_free(t->t_limbo);
	htab_buckets_free_all(t->t_b);
	vpc_os_free(t);
}

struct vpc_hentry *
vpc_htab_lookup(struct vpc_htab *t, uint64_t key)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry *e;

	b = vpc_load_acq_ptr(&t->t_b);
	e = vpc_load_acq_ptr(&b->hb_slot[htab_hash(b, key) & b->hb_mask]);
	for (; e != NULL; e = vpc_load_acq_ptr(&e->he_next)) {
		if (e->he_key == key)
			return (e);
	}
	return (NULL);
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

/* Epoch callback of a replaced array: it and its entries are unreachable. */
static void
htab_buckets_free_cb(struct vpc_epoch_ctx *ctx)
{
	struct vpc_hbuckets *b;

	b = (struct vpc_hbuckets *)(void *)((char *)ctx -
	    __builtin_offsetof(struct vpc_hbuckets, hb_ctx));
	htab_buckets_free_all(b);
}

/* Hand an unlinked entry to the epoch: freed once no reader can see it. */
static void
htab_retire(struct vpc_htab *t __unused, struct vpc_hentry *e)
{
	vpc_os_epoch_call(&e->he_ctx, htab_entry_free_cb);
}

/*
 * Double the array.  Copies are linked into the new array before it is
 * published, so readers see either the old array with the old entries or
 * the new one with the copies, each complete.  On failure nothing changed.
 */
static int
htab_grow(struct vpc_htab *t)
{
	struct vpc_hbuckets *ob, *nb;
	struct vpc_hentry *e, *c;
	uint32_t i, n, idx;

	ob = t->t_b;
	if (ob->hb_mask + 1 >= HTAB_MAX_BUCKETS)
		return (0);		/* at the cap: let chains grow */
	n = (ob->hb_mask + 1) * 2;
	nb = htab_buckets_alloc(n, t->t_ops);
	if (nb == NULL)
		return (ENOMEM);
	for (i = 0; i <= ob->hb_mask; i++) {
		for (e = ob->hb_slot[i]; e != NULL; e = e->he_next) {
			c = t->t_ops->hto_copy(e);
			if (c == NULL) {
				/* Never published: free the copies now. */
				htab_buckets_free_all(nb);
				return (ENOMEM);
			}
			c->he_key = e->he_key;
			c->he_ops = t->t_ops;
			idx = (uint32_t)(htab_hash(nb, c->he_key) & nb->hb_mask);
			c->he_next = nb->hb_slot[idx];
			nb->hb_slot[idx] = c;
		}
	}
	vpc_store_rel_ptr(&t->t_b, nb);
	/* The old array and its entries go to the epoch together. */
	vpc_os_epoch_call(&ob->hb_ctx, htab_buckets_free_cb);
	return (0);
}

int
vpc_htab_insert(struct vpc_htab *t, struct vpc_hentry *e,
    struct vpc_hentry **oldp)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry **pp, *o;
	int error;

	htab_writer_enter(t);
	if (oldp != NULL)
		*oldp = NULL;
	b = t->t_b;
	pp = &b->hb_slot[htab_hash(b, e->he_key) & b->hb_mask];
	for (o = *pp; o != NULL; pp = &o->he_next, o = *pp) {
		if (o->he_key == e->he_key)
			break;
	}
	e->he_ops = t->t_ops;
	if (o != NULL) {
		/* Replace in place in the chain; readers see old or new. */
		e->he_next = o->he_next;
		vpc_store_rel_ptr(pp, e);
		if (oldp != NULL) {
			/* Retired by the next write (see writer_enter). */
			t->t_limbo = o;
			*oldp = o;
		} else
			htab_retire(t, o);
		return (0);
	}
	if (t->t_count + 1 > b->hb_mask + 1) {
		error = htab_grow(t);
		if (error != 0)
			return (error);
		b = t->t_b;
	}
	pp = &b->hb_slot[htab_hash(b, e->he_key) & b->hb_mask];
	e->he_next = *pp;
	vpc_store_rel_ptr(pp, e);	/* give the entry to the table */
	vpc_store_relaxed(&t->t_count, t->t_count + 1);
	return (0);
}

int
vpc_htab_remove(struct vpc_htab *t, uint64_t key)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry **pp, *e;

	htab_writer_enter(t);
	b = t->t_b;
	pp = &b->hb_slot[htab_hash(b, key) & b->hb_mask];
	for (e = *pp; e != NULL; pp = &e->he_next, e = *pp) {
		if (e->he_key == key) {
			vpc_store_rel_ptr(pp, e->he_next);
			vpc_store_relaxed(&t->t_count, t->t_count - 1);
			htab_retire(t, e);
			return (0);
		}
	}
	return (ENOENT);
}

uint32_t
vpc_htab_remove_if(struct vpc_htab *t,
    bool (*pred)(const struct vpc_hentry *e, void *arg), void *arg)
{
	struct vpc_hbuckets *b;
	struct vpc_hentry **pp, *e;
	uint32_t i, n;

	htab_writer_enter(t);
	b = t->t_b;
	n = 0;
	for (i = 0; i <= b->hb_mask; i++) {
		pp = &b->hb_slot[i];
		while ((e = *pp) != NULL) {
			if (!pred(e, arg)) {
				pp = &e->he_next;
				continue;
			}
			/* e->he_next stays valid for readers standing on e. */
			vpc_store_rel_ptr(pp, e->he_next);
			htab_retire(t, e);
			n++;
		}
	}
	vpc_store_relaxed(&t->t_count, t->t_count - n);
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
	for (i = 0; i <= b->hb_mask; i++) {
		e = vpc_load_acq_ptr(&b->hb_slot[i]);
		for (; e != NULL; e = vpc_load_acq_ptr(&e->he_next)) {
			if ((rv = fn(e, arg)) != 0)
				return (rv);
		}
	}
	return (0);
}
