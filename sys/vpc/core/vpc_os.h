/*
 * vpc_os.h: the seam between the portable core and its host.
 *
 * The core includes this header and nothing else from the outside world.
 * It declares fixed-width types, opaque handles and the vpc_os_*
 * functions, implemented once per host: sys/vpc/freebsd/vpc_os_freebsd.c
 * for the kernel module and sys/vpc/user/vpc_os_user.c for vpcd and the
 * tests.  Small helpers that are the same everywhere (atomics through the
 * compiler's builtins, byte order from byte arrays) are inline here.
 */

#ifndef _VPC_OS_H_
#define	_VPC_OS_H_

#if defined(_KERNEL) && defined(__FreeBSD__)
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/counter.h>
#include <machine/stdarg.h>
#elif !defined(_KERNEL)
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#else
#error unsupported platform
#endif

#include <net/vpc.h>

#ifndef __printflike
#define	__printflike(a, b)	__attribute__((__format__(__printf__, a, b)))
#endif
#ifndef __unused
#define	__unused		__attribute__((__unused__))
#endif
#ifndef __predict_false
#define	__predict_false(e)	__builtin_expect(!!(e), 0)
#define	__predict_true(e)	__builtin_expect(!!(e), 1)
#endif
#ifndef nitems
#define	nitems(a)		(sizeof(a) / sizeof((a)[0]))
#endif

/* Memory.  Allocations are zeroed; NULL on failure.  Never per packet. */
void	*vpc_os_malloc(size_t size);
void	 vpc_os_free(void *p);

/*
 * Sleepable mutex for control paths.  The user implementation remembers
 * its owner so that vpc_os_mtx_assert() fires in tests as it would under
 * INVARIANTS.
 */
struct vpc_os_mtx;
struct vpc_os_mtx *vpc_os_mtx_alloc(const char *name);
void	 vpc_os_mtx_free(struct vpc_os_mtx *m);
void	 vpc_os_mtx_lock(struct vpc_os_mtx *m);
void	 vpc_os_mtx_unlock(struct vpc_os_mtx *m);
#define	VPC_MA_OWNED	1
#define	VPC_MA_NOTOWNED	2
void	 vpc_os_mtx_assert(struct vpc_os_mtx *m, int what);

/*
 * Epoch-based reclamation for the data path.  Readers run between
 * enter/exit and never block; writers publish with vpc_store_rel_ptr()
 * and retire with vpc_os_epoch_call(), whose callback runs once no reader
 * that could see the old pointer remains.  The tracker lives on the
 * reader's stack; the context is embedded in the retired object.
 */
struct vpc_epoch_tracker {
	uint64_t	vet_opaque[16];	/* host's tracker */
};
struct vpc_epoch_ctx {
	uint64_t	vec_opaque[4];	/* host's deferred-call record */
};
typedef void vpc_epoch_cb_t(struct vpc_epoch_ctx *ctx);
void	 vpc_os_epoch_enter(struct vpc_epoch_tracker *et);
void	 vpc_os_epoch_exit(struct vpc_epoch_tracker *et);
void	 vpc_os_epoch_call(struct vpc_epoch_ctx *ctx, vpc_epoch_cb_t *cb);
void	 vpc_os_epoch_wait(void);	/* all earlier readers and calls done */
bool	 vpc_os_in_epoch(void);		/* for assertions */

/* Time and randomness. */
uint64_t vpc_os_uptime_ms(void);	/* monotonic milliseconds */
uint32_t vpc_os_random32(void);		/* for hash seeds */

/* Logging: level is one of the VPC_LOG_* below. */
#define	VPC_LOG_ERR	3
#define	VPC_LOG_WARN	4
#define	VPC_LOG_INFO	6
#define	VPC_LOG_DEBUG	7
void	 vpc_os_log(int level, const char *fmt, ...) __printflike(2, 3);

/* Assertions: fatal in tests and INVARIANTS kernels, free otherwise. */
void	 vpc_os_assert_fail(const char *expr, const char *file, int line);
#if defined(VPC_INVARIANTS) || defined(INVARIANTS)
#define	VPC_ASSERT(e)	do {						\
	if (__predict_false(!(e)))					\
		vpc_os_assert_fail(#e, __FILE__, __LINE__);		\
} while (0)
#else
/* Not evaluated, but still compiled: what only assertions use stays used. */
#define	VPC_ASSERT(e)	do {						\
	if (0)								\
		(void)(e);						\
} while (0)
#endif

/* Memory helpers: compiler builtins, which both hosts provide. */
#define	vpc_memcpy(d, s, n)	__builtin_memcpy((d), (s), (n))
#define	vpc_memmove(d, s, n)	__builtin_memmove((d), (s), (n))
#define	vpc_memset(d, c, n)	__builtin_memset((d), (c), (n))
#define	vpc_memcmp(a, b, n)	__builtin_memcmp((a), (b), (n))
/* A hint to start loading the line at 'p' for reading (no fault). */
#define	vpc_prefetch(p)		__builtin_prefetch((p), 0, 3)

/*
 * Atomics through the compiler's __atomic builtins: on amd64 and arm64
 * these inline to the same instructions atomic(9) uses, in the kernel as
 * in userland.
 */
#define	vpc_load_acq_ptr(pp)	__atomic_load_n((pp), __ATOMIC_ACQUIRE)
#define	vpc_store_rel_ptr(pp, v) __atomic_store_n((pp), (v), __ATOMIC_RELEASE)
#define	vpc_load_acq_64(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define	vpc_store_rel_64(p, v)	__atomic_store_n((p), (uint64_t)(v),	\
				    __ATOMIC_RELEASE)
#define	vpc_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define	vpc_store_relaxed(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

/*
 * Statistics counters: a block of 'n' 64-bit counters that the data
 * path adds to and a reader fetches.  Each counter is exact on its own;
 * several read one after the other are not one instant.  In the kernel a
 * block is 'n' counter(9) counters: each CPU adds to its own copy with
 * no locked instruction and no cache line shared between CPUs, and a
 * fetch sums the copies.  In userland a block is one array.  Adds are
 * relaxed atomic adds, except in a process that declared, with
 * vpc_os_counters_one_thread(), that one thread alone runs the core (as
 * vpcd does): there they are plain loads and stores, since a locked add
 * waits for every earlier store to drain, and a dozen of them per
 * forwarded frame cost 4-16 % of core-bench's best rates.  Never
 * allocated per packet.
 */
struct vpc_os_counters;
struct vpc_os_counters *vpc_os_counters_alloc(uint32_t n); /* zeroed */
void	 vpc_os_counters_free(struct vpc_os_counters *c);
uint64_t vpc_os_counter_fetch(const struct vpc_os_counters *c, uint32_t i);

#if defined(_KERNEL)
struct vpc_os_counters {
	uint32_t	 vc_n;		/* counters */
	counter_u64_t	 vc_c[];	/* one counter(9) each */
};

/* Add 'v' to counter 'i' of 'c'. */
static inline void
vpc_os_counter_add(struct vpc_os_counters *c, uint32_t i, uint64_t v)
{
	counter_u64_add(c->vc_c[i], (int64_t)v);
}

/* Add 'v' to counter 'i' and 'w' to counter 'j' of 'c'. */
static inline void
vpc_os_counter_add2(struct vpc_os_counters *c, uint32_t i, uint64_t v,
    uint32_t j, uint64_t w)
{
	counter_u64_add(c->vc_c[i], (int64_t)v);
	counter_u64_add(c->vc_c[j], (int64_t)w);
}
#else
struct vpc_os_counters {
	uint32_t	 vc_n;		/* counters */
	uint32_t	 vc_pad;
	uint64_t	 vc_v[];	/* the counters */
};

/* Whether one thread alone adds (vpc_os_counters_one_thread()). */
extern bool vpc_os_ctr_one_thread __attribute__((__visibility__("hidden")));

/* Add 'v' to counter 'i' of 'c'. */
static inline void
vpc_os_counter_add(struct vpc_os_counters *c, uint32_t i, uint64_t v)
{
	uint64_t *p = &c->vc_v[i];

	if (__predict_true(vpc_os_ctr_one_thread))
		__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + v,
		    __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

/*
 * Add 'v' to counter 'i' and 'w' to counter 'j' of 'c' (a packet and its
 * bytes): one test of the flag and one load of 'c' where two separate
 * adds reload both after the first store.
 */
static inline void
vpc_os_counter_add2(struct vpc_os_counters *c, uint32_t i, uint64_t v,
    uint32_t j, uint64_t w)
{
	uint64_t *p = &c->vc_v[i], *q = &c->vc_v[j];

	if (__predict_true(vpc_os_ctr_one_thread)) {
		v += __atomic_load_n(p, __ATOMIC_RELAXED);
		w += __atomic_load_n(q, __ATOMIC_RELAXED);
		__atomic_store_n(p, v, __ATOMIC_RELAXED);
		__atomic_store_n(q, w, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(p, v, __ATOMIC_RELAXED);
		__atomic_fetch_add(q, w, __ATOMIC_RELAXED);
	}
}
#endif

static inline uint32_t
vpc_refcount_acquire(uint32_t *r)
{
	return (__atomic_add_fetch(r, 1, __ATOMIC_ACQ_REL));
}

/* Returns the new count; the caller frees at zero. */
static inline uint32_t
vpc_refcount_release(uint32_t *r)
{
	return (__atomic_sub_fetch(r, 1, __ATOMIC_ACQ_REL));
}

/* Byte order: loads and stores of network-order fields, any alignment. */
static inline uint16_t
vpc_get_be16(const uint8_t *p)
{
	return ((uint16_t)(p[0] << 8 | p[1]));
}

static inline uint32_t
vpc_get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3]);
}

static inline void
vpc_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
vpc_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* !_VPC_OS_H_ */
