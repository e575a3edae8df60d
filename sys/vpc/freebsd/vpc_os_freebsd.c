/*
 * vpc_os_freebsd.c: the OS seam (vpc_os.h) for the FreeBSD kernel.
 *
 * Memory comes from malloc(9) type M_VPC, locks are mtx(9) default
 * mutexes, the epoch is the network epoch (net_epoch_preempt) that ifnet
 * and the protocols use, statistics are counter(9) counters, time is the
 * uptime clock, randomness is arc4random(9), and messages go to log(9).
 *
 * Why a default mutex and M_NOWAIT: the core also takes an object's lock
 * on the data path (learning) inside a network epoch section, where a
 * thread may block on an mtx(9) but must not sleep, so the lock cannot be
 * an sx(9); and the core may allocate while holding that lock (table
 * growth), where malloc(M_WAITOK) must not be used.  The seam's contract
 * ("NULL on failure") lets every core allocation be M_NOWAIT.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/epoch.h>
#include <sys/counter.h>
#include <sys/syslog.h>
#include <sys/time.h>
#include <machine/stdarg.h>

#include "vpc_os.h"
#include "vpc_freebsd.h"

MALLOC_DEFINE(M_VPC, "vpc", "vpc virtual networking");

/* A vpc_os mutex: an mtx(9) of its own. */
struct vpc_os_mtx {
	struct mtx	m_mtx;		/* MTX_DEF */
};

/* The network epoch's records, kept inside the core's opaque ones. */
struct vpc_os_ectx {
	struct epoch_context	 x_ctx;	/* handed to epoch_call() */
	vpc_epoch_cb_t		*x_cb;	/* the core's callback */
};

_Static_assert(sizeof(struct epoch_tracker) <=
    sizeof(struct vpc_epoch_tracker), "epoch_tracker too big for vpc");
_Static_assert(_Alignof(struct epoch_tracker) <=
    _Alignof(struct vpc_epoch_tracker), "epoch_tracker alignment");
_Static_assert(sizeof(struct vpc_os_ectx) <= sizeof(struct vpc_epoch_ctx),
    "epoch_context too big for vpc");
_Static_assert(_Alignof(struct vpc_os_ectx) <=
    _Alignof(struct vpc_epoch_ctx), "epoch_context alignment");

/* The seam's log levels are syslog's. */
_Static_assert(VPC_LOG_ERR == LOG_ERR && VPC_LOG_WARN == LOG_WARNING &&
    VPC_LOG_INFO == LOG_INFO && VPC_LOG_DEBUG == LOG_DEBUG,
    "log levels");

static epoch_callback_t	vpc_os_epoch_cb;

/*
 * Allocate 'size' zeroed bytes of type M_VPC; NULL when memory is short
 * (never sleeps, see the top of the file).
 */
void *
vpc_os_malloc(size_t size)
{
	return (malloc(size, M_VPC, M_NOWAIT | M_ZERO));
}

/* Free 'p' from vpc_os_malloc(); NULL is ignored. */
void
vpc_os_free(void *p)
{
	free(p, M_VPC);
}

/*
 * A zeroed block of 'n' counter(9) counters; NULL when memory is short.
 */
struct vpc_os_counters *
vpc_os_counters_alloc(uint32_t n)
{
	struct vpc_os_counters *c;
	uint32_t i;

	c = malloc(sizeof(*c) + (size_t)n * sizeof(counter_u64_t), M_VPC,
	    M_NOWAIT | M_ZERO);
	if (c == NULL)
		return (NULL);
	c->vc_n = n;
	for (i = 0; i < n; i++) {
		if ((c->vc_c[i] = counter_u64_alloc(M_NOWAIT)) == NULL) {
			vpc_os_counters_free(c);
			return (NULL);
		}
	}
	return (c);
}

/* Free 'c' (NULL is a no-op). */
void
vpc_os_counters_free(struct vpc_os_counters *c)
{
	uint32_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->vc_n; i++) {
		if (c->vc_c[i] != NULL)
			counter_u64_free(c->vc_c[i]);
	}
	free(c, M_VPC);
}

/* Counter 'i' of 'c', summed over the CPUs. */
uint64_t
vpc_os_counter_fetch(const struct vpc_os_counters *c, uint32_t i)
{
	return (counter_u64_fetch(c->vc_c[i]));
}

/*
 * Allocate and initialise a mutex named 'name' (a string that outlives
 * the mutex, as WITNESS keeps it); NULL when memory is short.
 */
struct vpc_os_mtx *
vpc_os_mtx_alloc(const char *name)
{
	struct vpc_os_mtx *m;

	m = malloc(sizeof(*m), M_VPC, M_NOWAIT | M_ZERO);
	if (m == NULL)
		return (NULL);
	mtx_init(&m->m_mtx, name, NULL, MTX_DEF);
	return (m);
}

/* Destroy and free 'm', which no thread holds. */
void
vpc_os_mtx_free(struct vpc_os_mtx *m)
{
	if (m == NULL)
		return;
	mtx_destroy(&m->m_mtx);
	free(m, M_VPC);
}

/* Acquire 'm'. */
void
vpc_os_mtx_lock(struct vpc_os_mtx *m)
{
	mtx_lock(&m->m_mtx);
}

/* Release 'm', which the calling thread holds. */
void
vpc_os_mtx_unlock(struct vpc_os_mtx *m)
{
	mtx_unlock(&m->m_mtx);
}

/*
 * Assert that the calling thread holds 'm' ('what' VPC_MA_OWNED) or does
 * not (VPC_MA_NOTOWNED).  mtx_assert(9) checks it in INVARIANTS kernels;
 * a module built with VPC_INVARIANTS checks it on any kernel.
 */
void
vpc_os_mtx_assert(struct vpc_os_mtx *m, int what)
{
	mtx_assert(&m->m_mtx, what == VPC_MA_OWNED ? MA_OWNED : MA_NOTOWNED);
#ifdef VPC_INVARIANTS
	if (what == VPC_MA_OWNED && !mtx_owned(&m->m_mtx))
		vpc_os_assert_fail("mutex not owned", __FILE__, __LINE__);
	if (what == VPC_MA_NOTOWNED && mtx_owned(&m->m_mtx))
		vpc_os_assert_fail("mutex owned", __FILE__, __LINE__);
#endif
}

/* Enter the network epoch with the tracker stored in 'et'. */
void
vpc_os_epoch_enter(struct vpc_epoch_tracker *et)
{
	struct epoch_tracker *t;

	t = (struct epoch_tracker *)(void *)et;
	NET_EPOCH_ENTER(*t);
}

/* Leave the network epoch section entered with 'et'. */
void
vpc_os_epoch_exit(struct vpc_epoch_tracker *et)
{
	struct epoch_tracker *t;

	t = (struct epoch_tracker *)(void *)et;
	NET_EPOCH_EXIT(*t);
}

/* Runs after the grace period: hand the record back to the core. */
static void
vpc_os_epoch_cb(epoch_context_t ctx)
{
	struct vpc_os_ectx *x;
	vpc_epoch_cb_t *cb;

	x = __containerof(ctx, struct vpc_os_ectx, x_ctx);
	cb = x->x_cb;		/* read before 'cb' frees the record */
	cb((struct vpc_epoch_ctx *)(void *)x);
}

/*
 * Call 'cb' with 'ctx' once every network epoch section that was open
 * now has ended.  'ctx' is embedded in the object 'cb' frees.
 */
void
vpc_os_epoch_call(struct vpc_epoch_ctx *ctx, vpc_epoch_cb_t *cb)
{
	struct vpc_os_ectx *x;

	x = (struct vpc_os_ectx *)(void *)ctx;
	x->x_cb = cb;
	NET_EPOCH_CALL(vpc_os_epoch_cb, &x->x_ctx);
}

/*
 * Wait until every earlier network epoch section has ended and every
 * callback queued with vpc_os_epoch_call() has run.  Sleeps: never call
 * it inside an epoch section or with a mutex held.
 */
void
vpc_os_epoch_wait(void)
{
	NET_EPOCH_WAIT();
	NET_EPOCH_DRAIN_CALLBACKS();
}

/* True inside a network epoch section (for assertions). */
bool
vpc_os_in_epoch(void)
{
	return (in_epoch(net_epoch_preempt) != 0);
}

/* Milliseconds since boot, from the uptime clock (no floating point). */
uint64_t
vpc_os_uptime_ms(void)
{
	sbintime_t sbt;
	uint64_t sec, frac;

	sbt = getsbinuptime();
	sec = (uint64_t)sbt >> 32;
	frac = (uint64_t)sbt & 0xffffffffu;
	return (sec * 1000 + ((frac * 1000) >> 32));
}

/* 32 random bits for hash seeds. */
uint32_t
vpc_os_random32(void)
{
	return (arc4random());
}

/*
 * Log a message at syslog 'level' through log(9), prefixed "vpc: "; the
 * core's messages have no newline.
 */
void
vpc_os_log(int level, const char *fmt, ...)
{
	char buf[VPC_FBSD_LOGLINE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log(level, "vpc: %s\n", buf);
}

/*
 * A core assertion failed: 'expr' at 'file':'line'.  Only reached in
 * builds with VPC_INVARIANTS or INVARIANTS (VPC_ASSERT() is empty
 * otherwise), where it is fatal as KASSERT(9) is.
 */
void
vpc_os_assert_fail(const char *expr, const char *file, int line)
{
	panic("vpc: assertion \"%s\" failed at %s:%d", expr, file, line);
}
