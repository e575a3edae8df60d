/*
 * vpc_os_user.c: the OS seam for userland (vpcd, unit tests, fuzzers).
 *
 * Kernel primitives are emulated faithfully enough that the core's
 * contracts are checked here too: a mutex remembers its owner so
 * vpc_os_mtx_assert() fires, and the epoch really defers frees until
 * every reader that could hold an old pointer has left its section.
 *
 * Epoch: each thread that reads has a record with the global epoch it
 * entered at (0 when outside).  A retired object is tagged with a fresh
 * epoch number e; it is freed once every record is 0 or greater than e.
 */

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "vpc_os.h"
#include "vpc_os_user.h"

struct vpc_os_mtx {
	pthread_mutex_t	 m_mtx;
	pthread_t	 m_owner;	/* valid while m_held */
	int		 m_held;
	const char	*m_name;
};

/* A retired object's record, stored inside its struct vpc_epoch_ctx. */
struct ep_call {
	struct ep_call	*ec_next;
	vpc_epoch_cb_t	*ec_cb;
	uint64_t	 ec_epoch;
};
_Static_assert(sizeof(struct ep_call) <= sizeof(struct vpc_epoch_ctx),
    "epoch ctx too small");

/* A reader thread. */
struct ep_thread {
	struct ep_thread *et_next;
	uint64_t	 et_active;	/* epoch entered at, 0: outside */
	uint32_t	 et_depth;	/* nesting */
};

static pthread_mutex_t	 ep_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct ep_thread	*ep_threads;	/* under ep_mtx */
static struct ep_call	*ep_pending;	/* under ep_mtx */
static uint32_t		 ep_npending;	/* hint, relaxed */
static uint64_t		 ep_global = 1;	/* atomic */
static pthread_key_t	 ep_key;
static pthread_once_t	 ep_once = PTHREAD_ONCE_INIT;
static __thread struct ep_thread *ep_self;

static void	ep_thread_gone(void *arg);
static void	ep_init(void);
static struct ep_thread *ep_thread_get(void);
static void	ep_collect(uint64_t upto);
static uint64_t	ep_oldest_active(void);

void *
vpc_os_malloc(size_t size)
{
	return (calloc(1, size));
}

void
vpc_os_free(void *p)
{
	free(p);
}

struct vpc_os_mtx *
vpc_os_mtx_alloc(const char *name)
{
	struct vpc_os_mtx *m;

	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return (NULL);
	pthread_mutex_init(&m->m_mtx, NULL);
	m->m_name = name;
	return (m);
}

void
vpc_os_mtx_free(struct vpc_os_mtx *m)
{
	if (m == NULL)
		return;
	VPC_ASSERT(!m->m_held);
	pthread_mutex_destroy(&m->m_mtx);
	free(m);
}

void
vpc_os_mtx_lock(struct vpc_os_mtx *m)
{
	if (m->m_held && pthread_equal(m->m_owner, pthread_self()))
		vpc_os_assert_fail("recursion on non-recursive mutex",
		    m->m_name, 0);
	pthread_mutex_lock(&m->m_mtx);
	m->m_owner = pthread_self();
	m->m_held = 1;
}

void
vpc_os_mtx_unlock(struct vpc_os_mtx *m)
{
	VPC_ASSERT(m->m_held && pthread_equal(m->m_owner, pthread_self()));
	m->m_held = 0;
	pthread_mutex_unlock(&m->m_mtx);
}

void
vpc_os_mtx_assert(struct vpc_os_mtx *m, int what)
{
	int mine;

	mine = m->m_held && pthread_equal(m->m_owner, pthread_self());
	if (what == VPC_MA_OWNED && !mine)
		vpc_os_assert_fail("mutex not owned", m->m_name, 0);
	if (what == VPC_MA_NOTOWNED && mine)
		vpc_os_assert_fail("mutex owned", m->m_name, 0);
}

static void
ep_thread_gone(void *arg)
{
	struct ep_thread *t = arg, **tp;

	pthread_mutex_lock(&ep_mtx);
	for (tp = &ep_threads; *tp != NULL; tp = &(*tp)->et_next) {
		if (*tp == t) {
			*tp = t->et_next;
			break;
		}
	}
	pthread_mutex_unlock(&ep_mtx);
	free(t);
}

static void
ep_init(void)
{
	pthread_key_create(&ep_key, ep_thread_gone);
}

static struct ep_thread *
ep_thread_get(void)
{
	struct ep_thread *t;

	if ((t = ep_self) != NULL)
		return (t);
	pthread_once(&ep_once, ep_init);
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		vpc_os_log(VPC_LOG_ERR, "epoch: out of memory for a thread");
		abort();
	}
	pthread_mutex_lock(&ep_mtx);
	t->et_next = ep_threads;
	ep_threads = t;
	pthread_mutex_unlock(&ep_mtx);
	pthread_setspecific(ep_key, t);
	ep_self = t;
	return (t);
}

void
vpc_os_epoch_enter(struct vpc_epoch_tracker *et __unused)
{
	struct ep_thread *t;

	t = ep_thread_get();
	if (t->et_depth++ == 0) {
		__atomic_store_n(&t->et_active,
		    __atomic_load_n(&ep_global, __ATOMIC_SEQ_CST),
		    __ATOMIC_SEQ_CST);
		/* The store must be visible before any pointer is read. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
}

void
vpc_os_epoch_exit(struct vpc_epoch_tracker *et __unused)
{
	struct ep_thread *t = ep_self;

	VPC_ASSERT(t != NULL && t->et_depth > 0);
	if (--t->et_depth == 0) {
		__atomic_store_n(&t->et_active, 0, __ATOMIC_RELEASE);
		if (__atomic_load_n(&ep_npending, __ATOMIC_RELAXED) != 0)
			ep_collect(0);
	}
}

bool
vpc_os_in_epoch(void)
{
	return (ep_self != NULL && ep_self->et_depth > 0);
}

/* Smallest epoch any reader is in, or UINT64_MAX.  Under ep_mtx. */
static uint64_t
ep_oldest_active(void)
{
	struct ep_thread *t;
	uint64_t a, min;

	min = UINT64_MAX;
	for (t = ep_threads; t != NULL; t = t->et_next) {
		a = __atomic_load_n(&t->et_active, __ATOMIC_SEQ_CST);
		if (a != 0 && a < min)
			min = a;
	}
	return (min);
}

/*
 * Run the callbacks no reader can still need (and, if 'upto' is not 0,
 * only those retired at or before 'upto').  Callbacks run unlocked.
 */
static void
ep_collect(uint64_t upto)
{
	struct ep_call *c, **cp, *ready;
	uint64_t oldest;

	ready = NULL;
	pthread_mutex_lock(&ep_mtx);
	oldest = ep_oldest_active();
	for (cp = &ep_pending; (c = *cp) != NULL;) {
		if (c->ec_epoch < oldest && (upto == 0 || c->ec_epoch <= upto)) {
			*cp = c->ec_next;
			c->ec_next = ready;
			ready = c;
			__atomic_fetch_sub(&ep_npending, 1, __ATOMIC_RELAXED);
		} else
			cp = &c->ec_next;
	}
	pthread_mutex_unlock(&ep_mtx);
	while ((c = ready) != NULL) {
		ready = c->ec_next;
		c->ec_cb((struct vpc_epoch_ctx *)(void *)c);
	}
}

void
vpc_os_epoch_call(struct vpc_epoch_ctx *ctx, vpc_epoch_cb_t *cb)
{
	struct ep_call *c = (struct ep_call *)(void *)ctx;

	c->ec_cb = cb;
	/* Readers that entered before this point may hold the pointer. */
	c->ec_epoch = __atomic_fetch_add(&ep_global, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&ep_mtx);
	c->ec_next = ep_pending;
	ep_pending = c;
	__atomic_fetch_add(&ep_npending, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&ep_mtx);
	if (!vpc_os_in_epoch())
		ep_collect(0);
}

void
vpc_os_epoch_wait(void)
{
	uint64_t e;

	VPC_ASSERT(!vpc_os_in_epoch());
	e = __atomic_fetch_add(&ep_global, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		pthread_mutex_lock(&ep_mtx);
		if (ep_oldest_active() > e) {
			pthread_mutex_unlock(&ep_mtx);
			break;
		}
		pthread_mutex_unlock(&ep_mtx);
		sched_yield();
	}
	ep_collect(e);
}

uint64_t
vpc_os_uptime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

uint32_t
vpc_os_random32(void)
{
	uint32_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)vpc_os_uptime_ms() * 2654435761u;
	return (v);
}

static int vpc_os_log_level = VPC_LOG_INFO;

/*
 * Set the most verbose level vpc_os_log() prints to 'level'.
 */
void
vpc_os_user_log_level(int level)
{
	vpc_os_log_level = level;
}

void
vpc_os_log(int level, const char *fmt, ...)
{
	static const char *const names[] = {
		[VPC_LOG_ERR] = "error", [VPC_LOG_WARN] = "warning",
		[VPC_LOG_INFO] = "info", [VPC_LOG_DEBUG] = "debug",
	};
	struct timespec ts;
	struct tm tm;
	va_list ap;
	char when[32];

	if (level > vpc_os_log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s.%03ldZ vpcd[%d] %s: ", when, ts.tv_nsec / 1000000,
	    (int)getpid(), level >= 0 && level <= VPC_LOG_DEBUG &&
	    names[level] != NULL ? names[level] : "log");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void
vpc_os_assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "vpc assertion failed: %s at %s:%d\n", expr, file,
	    line);
	abort();
}
