/*
 * vpc_htab.h: the one hash table of the core.
 *
 * Keys are 96 bits: a 64-bit word and a 32-bit word (struct vpc_hkey),
 * enough for every exact key of the data path with its segment: a
 * (VNI, MAC) pair, a (VNI, IPv4) pair, a VNI or a VLAN alone.  Entries
 * are caller structs that embed a struct vpc_hentry first.  Readers look
 * up inside an epoch section without locks; writers hold the table's
 * owner lock (the caller's, asserted through 'lock').  Published entries
 * are immutable: an update inserts a new entry that replaces the old one,
 * which is retired through the epoch.
 *
 * Each entry also carries a 64-bit value (he_val) that the table keeps
 * next to its key in a slot array (open addressing): the data path asks
 * for the value (vpc_htab_get()) and reads one cache line of the array,
 * never the entry; control paths ask for the entry (vpc_htab_lookup()).
 * Growth builds a new slot array pointing to the same entries and retires
 * the old array, so every update is amortised O(1), entries never move,
 * and readers see either array whole.
 *
 * Allocate an entry outside the lock, insert it under the lock (the table
 * then owns it), let the table free it (ops->free after the epoch).
 */

#ifndef _VPC_HTAB_H_
#define	_VPC_HTAB_H_

#include "vpc_os.h"

struct vpc_htab_ops;

/* A key: the 64-bit word (an address, a VNI) and the 32-bit word. */
struct vpc_hkey {
	uint64_t		 hk_lo;
	uint32_t		 hk_hi;
};

struct vpc_hentry {
	struct vpc_hkey		 he_key;	/* full key */
	uint64_t		 he_val;	/* vpc_htab_get(); 0: address */
	struct vpc_epoch_ctx	 he_ctx;	/* deferred free */
	const struct vpc_htab_ops *he_ops;	/* set by the table: frees it */
};

struct vpc_htab_ops {
	/* Free an entry the table no longer references (after the epoch). */
	void			 (*hto_free)(struct vpc_hentry *e);
};

struct vpc_htab;

/*
 * Keys: a (VNI, MAC) pair, a (VNI, IPv4) pair (the VNI in the 32-bit
 * word, whole: a VNI has 24 bits, a MAC 48), a number alone (a VNI, a
 * VLAN).
 */
#define	VPC_HKEY(lo, hi)	\
	((struct vpc_hkey){ .hk_lo = (lo), .hk_hi = (hi) })
#define	VPC_L2KEY(vni, mac48)	VPC_HKEY((mac48), (vni))
#define	VPC_L3KEY4(vni, ip4)	VPC_HKEY((uint64_t)(ip4), (vni))
#define	VPC_KEY(n)		VPC_HKEY((n), 0)

static inline bool
vpc_hkey_eq(struct vpc_hkey a, struct vpc_hkey b)
{
	return (a.hk_lo == b.hk_lo && a.hk_hi == b.hk_hi);
}

void		 vpc_mac48_put(uint64_t mac48, uint8_t mac[6]);

/* MAC 'mac' as a number (the data path computes it for every frame). */
static inline uint64_t
vpc_mac48(const uint8_t mac[6])
{
	uint32_t hi;
	uint16_t lo;

	/* Two unaligned loads and byte swaps rather than six shifts. */
	vpc_memcpy(&hi, mac, 4);
	vpc_memcpy(&lo, mac + 4, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	hi = __builtin_bswap32(hi);
	lo = __builtin_bswap16(lo);
#endif
	return ((uint64_t)hi << 16 | lo);
}

/*
 * Create a table whose writers hold 'lock' (may be NULL for a table
 * private to one thread, e.g. in tests); 'hint' is the expected number of
 * entries.  NULL on allocation failure.
 */
struct vpc_htab	*vpc_htab_create(const struct vpc_htab_ops *ops,
		    struct vpc_os_mtx *lock, uint32_t hint);
/* Free the table and every entry; no reader may still be inside it. */
void		 vpc_htab_destroy(struct vpc_htab *t);

/*
 * Values.  An entry's he_val is set before insertion and never changes
 * (a new value is a new entry).  0 stands for the entry's own address;
 * any other value must be at least VPC_HVAL_MIN (the table keeps 0 and 1
 * for empty and removed slots).  Pointers qualify as they are.
 */
#define	VPC_HVAL_MIN		2

/* Reader: the entry for 'key' or NULL.  Caller is in an epoch section. */
struct vpc_hentry *vpc_htab_lookup(struct vpc_htab *t, struct vpc_hkey key);

/*
 * Reader: the value of the entry for 'key' (see he_val), 0 if none; reads
 * the key's slot line only.  Caller is in an epoch section, which also
 * keeps a value that is an address valid.
 */
uint64_t	 vpc_htab_get(struct vpc_htab *t, struct vpc_hkey key);

/*
 * Reader: the same as vpc_htab_get(), for keys that are usually absent.
 * A large table keeps a membership filter (about 2 bytes per slot line,
 * so it stays in the CPU caches where the lines do not); a key the
 * filter rules out costs a read of the filter instead of its slot line.
 * Caller is in an epoch section.
 */
uint64_t	 vpc_htab_get_filtered(struct vpc_htab *t, struct vpc_hkey key);

/*
 * Reader: start loading the slot line a vpc_htab_get() or lookup of 'key'
 * will read, to overlap the cache misses of many lookups (a burst).  Only
 * a hint: no effect on results.  Caller is in an epoch section.
 */
void		 vpc_htab_prefetch(struct vpc_htab *t, struct vpc_hkey key);

/*
 * Reader: the two steps of prefetching a vpc_htab_get_filtered() of
 * 'key' in a burst: first start loading the filter word that decides
 * whether its slot line is read; later (once every frame's filter word
 * is on its way) read it and start loading the slot line if needed.
 * Only hints.  Caller is in an epoch section.
 */
void		 vpc_htab_prefetch_filter(struct vpc_htab *t,
		    struct vpc_hkey key);
void		 vpc_htab_prefetch_filtered(struct vpc_htab *t,
		    struct vpc_hkey key);

/*
 * Reader: whether 't' is large enough for its lookups to miss the CPU
 * caches (slot array over VPC_HTAB_CACHED bytes), so that prefetching
 * them pays; for a smaller table it only costs instructions.
 */
#define	VPC_HTAB_CACHED		(256 * 1024)
bool		 vpc_htab_large(struct vpc_htab *t);

/*
 * Writer: insert 'e' (key already set), replacing and retiring any entry
 * with the same key, which is returned in '*oldp' if 'oldp' is not NULL
 * (valid to read until the next write to this table).  ENOMEM if a needed
 * growth failed; the table is then unchanged and 'e' still the caller's.
 */
int		 vpc_htab_insert(struct vpc_htab *t, struct vpc_hentry *e,
		    struct vpc_hentry **oldp);

/* Writer: unlink and retire the entry for 'key'; ENOENT if none. */
int		 vpc_htab_remove(struct vpc_htab *t, struct vpc_hkey key);

/* Writer: remove every entry for which 'pred' returns true. */
uint32_t	 vpc_htab_remove_if(struct vpc_htab *t,
		    bool (*pred)(const struct vpc_hentry *e, void *arg),
		    void *arg);

/* Number of entries (exact under the lock, a snapshot otherwise). */
uint32_t	 vpc_htab_count(const struct vpc_htab *t);

/*
 * Visit every entry, in an epoch section or under the lock; stops early
 * when 'fn' returns non-zero and returns that value.
 */
int		 vpc_htab_foreach(struct vpc_htab *t,
		    int (*fn)(struct vpc_hentry *e, void *arg), void *arg);

/* What vpc_htab_diag() reports, for tests and statistics. */
struct vpc_htab_diag {
	uint32_t	hd_slots;	/* slots in the current array */
	uint32_t	hd_over;	/* lines whose keys run past them */
	uint32_t	hd_tombs;	/* removed-entry markers in it */
	uint32_t	hd_maxprobe;	/* longest probe sequence of an entry */
	uint32_t	hd_rebuilds;	/* arrays built since creation */
	uint32_t	hd_reseeds;	/* of which forced by a long probe */
	uint32_t	hd_filt_bits;	/* bits of its membership filter */
	uint32_t	hd_filt_set;	/* of which set */
};

/* Writer (or a table private to one thread): fill '*d' for table 't'. */
void		 vpc_htab_diag(const struct vpc_htab *t,
		    struct vpc_htab_diag *d);

/*
 * Writer: rebuild with a fresh hash key when an insert probes more than
 * 'limit' slots (0: the default).  Tests lower it to exercise the
 * hash-flooding defence.
 */
void		 vpc_htab_set_probe_limit(struct vpc_htab *t, uint32_t limit);

#endif /* !_VPC_HTAB_H_ */
