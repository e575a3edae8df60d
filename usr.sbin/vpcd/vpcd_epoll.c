/*
 * vpcd_epoll.c: vpcd's event loop on Linux epoll.
 *
 * Level-triggered: a handler that leaves data unread (it reads a bounded
 * batch per wake-up so one busy device cannot starve the others) is
 * called again on the next round.  A registration removed with
 * vpcd_ev_del() is never called again, even later in the same batch; its
 * memory, and every object handed to vpcd_loop_defer(), is released only
 * once the batch is done.  After vpcd_loop_linger() the loop polls for
 * a while instead of sleeping (see there).  A FreeBSD port provides the
 * same functions on kqueue.
 */

#include <sys/epoll.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vpcd.h"

#define	VPCD_EPOLL_BATCH	64	/* events taken per epoll_wait */

/* A registered file descriptor. */
struct vpcd_ev {
	struct vpcd_loop	*ev_loop;	/* owner */
	int			 ev_fd;		/* watched descriptor */
	int			 ev_dead;	/* deleted, awaiting free */
	uint32_t		 ev_events;	/* VPCD_EV_* asked for */
	vpcd_ev_fn		*ev_fn;		/* handler */
	void			*ev_arg;	/* its argument */
	struct vpcd_ev		*ev_next;	/* graveyard link */
};

struct vpcd_loop {
	int			 l_epfd;	/* the epoll instance */
	struct vpcd_ev		*l_grave;	/* deleted registrations */
	struct vpcd_defer	*l_atend;	/* end-of-batch work */
	struct vpcd_defer	*l_defer;	/* deferred work */
	uint64_t		 l_poll_until;	/* poll, not sleep, till then */
};

static uint32_t	ev_to_epoll(uint32_t events);
static void	defer_push(struct vpcd_defer **list, struct vpcd_defer *df,
		    void (*fn)(struct vpcd_defer *));
static void	defer_run(struct vpcd_defer **list);
static uint64_t	mono_ns(void);
static int	loop_poll(struct vpcd_loop *l, struct epoll_event *evs);

static uint32_t
ev_to_epoll(uint32_t events)
{
	uint32_t e = 0;

	if (events & VPCD_EV_IN)
		e |= EPOLLIN;
	if (events & VPCD_EV_OUT)
		e |= EPOLLOUT;
	return (e);
}

/*
 * Make an event loop.  Returns NULL with errno set on failure.
 */
struct vpcd_loop *
vpcd_loop_create(void)
{
	struct vpcd_loop *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return (NULL);
	if ((l->l_epfd = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		free(l);
		return (NULL);
	}
	return (l);
}

/*
 * Free loop 'l' after running its deferred work.  Registrations still in
 * it are the caller's bug; their descriptors are not closed here.
 */
void
vpcd_loop_destroy(struct vpcd_loop *l)
{
	vpcd_loop_flush(l);
	close(l->l_epfd);
	free(l);
}

/*
 * Run the end-of-batch work of loop 'l', then its deferred work, then
 * release deleted registrations.  The loop calls this after each batch;
 * call it directly outside the loop.
 */
void
vpcd_loop_flush(struct vpcd_loop *l)
{
	struct vpcd_ev *ev;

	defer_run(&l->l_atend);
	defer_run(&l->l_defer);
	while ((ev = l->l_grave) != NULL) {
		l->l_grave = ev->ev_next;
		free(ev);
	}
}

/* Push 'df' with 'fn' on work list '*list'. */
static void
defer_push(struct vpcd_defer **list, struct vpcd_defer *df,
    void (*fn)(struct vpcd_defer *))
{
	df->df_fn = fn;
	df->df_next = *list;
	*list = df;
}

/* Run and empty work list '*list' (work it adds runs too). */
static void
defer_run(struct vpcd_defer **list)
{
	struct vpcd_defer *df;

	while ((df = *list) != NULL) {
		*list = df->df_next;
		df->df_fn(df);
	}
}

/*
 * Run 'fn' on 'df' once loop 'l' has finished its current batch, before
 * any work given to vpcd_loop_defer(): so an object whose free is
 * deferred is still there for it.  For output gathered over a batch.
 */
void
vpcd_loop_at_end(struct vpcd_loop *l, struct vpcd_defer *df,
    void (*fn)(struct vpcd_defer *))
{
	defer_push(&l->l_atend, df, fn);
}

/*
 * Run 'fn' on 'df' once loop 'l' has finished its current batch.
 */
void
vpcd_loop_defer(struct vpcd_loop *l, struct vpcd_defer *df,
    void (*fn)(struct vpcd_defer *))
{
	defer_push(&l->l_defer, df, fn);
}

/* CLOCK_MONOTONIC in nanoseconds. */
static uint64_t
mono_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/*
 * Have loop 'l' poll for events, rather than sleep, until 'usec'
 * microseconds from now (0: no change).  For a caller that expects more
 * work soon: the control server after each reply, since a client that
 * makes many objects sends its next request as soon as it has the reply.
 * On a virtual machine a thread sleeping in epoll_wait() leaves its vCPU
 * halted, and waking it again goes through the hypervisor (about 25 us on
 * the machine BENCHMARKS.md describes, so each blocking round trip cost
 * some 50 us).  Polling costs at most 'usec' of CPU per call, and the
 * loop yields between looks so that a client on the same CPU can run.
 */
void
vpcd_loop_linger(struct vpcd_loop *l, uint32_t usec)
{
	uint64_t until;

	if (usec == 0)
		return;
	until = mono_ns() + (uint64_t)usec * 1000u;
	if (until > l->l_poll_until)
		l->l_poll_until = until;
}

/*
 * Look for events on loop 'l' without sleeping until its linger time
 * runs out; returns what epoll_wait() returned (0: nothing came in time).
 */
static int
loop_poll(struct vpcd_loop *l, struct epoll_event *evs)
{
	int n;

	for (;;) {
		n = epoll_wait(l->l_epfd, evs, VPCD_EPOLL_BATCH, 0);
		if (n != 0)
			return (n);
		if (mono_ns() >= l->l_poll_until) {
			l->l_poll_until = 0;
			return (0);
		}
		(void)sched_yield();
	}
}

/*
 * Wait at most 'timeout_ms' (-1: forever) for events on loop 'l' and run
 * their handlers; while the loop lingers, poll first (0 never waits).
 * Returns 0, or an errno if waiting failed (EINTR is not a failure).
 */
int
vpcd_loop_run(struct vpcd_loop *l, int timeout_ms)
{
	struct epoll_event evs[VPCD_EPOLL_BATCH];
	struct vpcd_ev *ev;
	uint32_t what;
	int i, n;

	n = 0;
	if (l->l_poll_until != 0 && timeout_ms != 0)
		n = loop_poll(l, evs);
	if (n == 0)
		n = epoll_wait(l->l_epfd, evs, VPCD_EPOLL_BATCH, timeout_ms);
	if (n == -1)
		return (errno == EINTR ? 0 : errno);
	for (i = 0; i < n; i++) {
		ev = evs[i].data.ptr;
		if (ev->ev_dead)
			continue;
		what = 0;
		if (evs[i].events & EPOLLIN)
			what |= VPCD_EV_IN;
		if (evs[i].events & EPOLLOUT)
			what |= VPCD_EV_OUT;
		if (evs[i].events & (EPOLLERR | EPOLLHUP))
			what |= VPCD_EV_ERR;
		ev->ev_fn(ev->ev_arg, what);
	}
	vpcd_loop_flush(l);
	return (0);
}

/*
 * Watch 'fd' for 'events' (VPCD_EV_*) on loop 'l', calling 'fn'('arg').
 * Returns the registration, or NULL with errno set.
 */
struct vpcd_ev *
vpcd_ev_add(struct vpcd_loop *l, int fd, uint32_t events, vpcd_ev_fn *fn,
    void *arg)
{
	struct epoll_event ee;
	struct vpcd_ev *ev;
	int error;

	if ((ev = calloc(1, sizeof(*ev))) == NULL)
		return (NULL);
	ev->ev_loop = l;
	ev->ev_fd = fd;
	ev->ev_events = events;
	ev->ev_fn = fn;
	ev->ev_arg = arg;
	memset(&ee, 0, sizeof(ee));
	ee.events = ev_to_epoll(events);
	ee.data.ptr = ev;
	if (epoll_ctl(l->l_epfd, EPOLL_CTL_ADD, fd, &ee) == -1) {
		error = errno;
		free(ev);
		errno = error;
		return (NULL);
	}
	return (ev);
}

/*
 * Change the events registration 'ev' waits for.  Returns 0 or an errno.
 */
int
vpcd_ev_mod(struct vpcd_ev *ev, uint32_t events)
{
	struct epoll_event ee;

	if (ev->ev_events == events)
		return (0);
	memset(&ee, 0, sizeof(ee));
	ee.events = ev_to_epoll(events);
	ee.data.ptr = ev;
	if (epoll_ctl(ev->ev_loop->l_epfd, EPOLL_CTL_MOD, ev->ev_fd,
	    &ee) == -1)
		return (errno);
	ev->ev_events = events;
	return (0);
}

/*
 * Stop watching: 'ev' is never called again and is freed after the
 * current batch.  Call it before closing the descriptor.  NULL is a no-op.
 */
void
vpcd_ev_del(struct vpcd_ev *ev)
{
	struct vpcd_loop *l;

	if (ev == NULL || ev->ev_dead)
		return;
	l = ev->ev_loop;
	(void)epoll_ctl(l->l_epfd, EPOLL_CTL_DEL, ev->ev_fd, NULL);
	ev->ev_dead = 1;
	ev->ev_next = l->l_grave;
	l->l_grave = ev;
}
