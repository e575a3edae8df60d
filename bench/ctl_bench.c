/*
 * ctl_bench.c: control-plane speed through vpc_open(2)/vpc_ctl(2).
 *
 * Against the vpcd (or vpc.ko) libvpc reaches ($VPC_SOCKET), creates
 * 'count' switches, each with its own descriptor: open with CREATE,
 * COMMIT, close (so each outlives its descriptor), then opens each again
 * and destroys it.  Prints one line of JSON with both times.  Switches
 * have no host device, so this measures the control path itself (socket
 * round trips, dispatch, registry), not TAP creation.
 *
 * With -j N, N threads (each with its own libvpc handle) share the work,
 * as a tool that applies many objects at once would: each creates, then
 * (after all have created) destroys, its own slice of the objects.  The
 * times are those of the whole phase, first start to last end.
 *
 * Usage: ctl-bench [-j threads] [count]	(default 1 thread, 10000)
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvpc.h"

#define	CB_THREADS_MAX	64

/* One thread's share. */
struct cb_worker {
	pthread_t	 w_thr;
	uint32_t	 w_first;	/* objects [w_first, w_end) */
	uint32_t	 w_end;
	int		 w_failed;
};

static pthread_barrier_t cb_barrier;	/* between the two phases */
static uint32_t		 cb_run;	/* this run, in every UUID */

static int	parse_count(const char *what, const char *s, uint32_t max,
		    uint32_t *vp);
static double	now_s(void);
static void	make_id(vpc_id_t *id, uint32_t i);
static int	phase(libvpc_handle_t *h, const struct cb_worker *w,
		    int destroy);
static void	*worker(void *arg);

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

/*
 * '*vp' = 's', a whole decimal number from 1 to 'max'; else a message
 * naming 'what' and -1.
 */
static int
parse_count(const char *what, const char *s, uint32_t max, uint32_t *vp)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < 1 || v > max) {
		fprintf(stderr, "ctl-bench: %s: expected a number from 1 to "
		    "%u, got \"%s\"\n", what, max, s);
		return (-1);
	}
	*vp = (uint32_t)v;
	return (0);
}

/* A version-4-looking UUID that encodes 'i' and this run. */
static void
make_id(vpc_id_t *id, uint32_t i)
{
	memset(id, 0, sizeof(*id));
	memcpy(id->vi_bytes, &cb_run, 4);
	id->vi_bytes[6] = 0x40;
	id->vi_bytes[8] = 0x80;
	id->vi_bytes[12] = (uint8_t)(i >> 24);
	id->vi_bytes[13] = (uint8_t)(i >> 16);
	id->vi_bytes[14] = (uint8_t)(i >> 8);
	id->vi_bytes[15] = (uint8_t)i;
}

/*
 * One phase over 'w''s objects: create each (open with CREATE, COMMIT) or
 * destroy each (open, DESTROY), closing the descriptor after.
 */
static int
phase(libvpc_handle_t *h, const struct cb_worker *w, int destroy)
{
	vpc_id_t id;
	uint32_t i;
	int vd;

	for (i = w->w_first; i < w->w_end; i++) {
		make_id(&id, i);
		vd = libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
		    (destroy ? VPC_F_OPEN : VPC_F_CREATE) | VPC_F_READ |
		    VPC_F_WRITE);
		if (vd == -1 || (destroy ? libvpc_destroy(h, vd) :
		    libvpc_commit(h, vd)) == -1) {
			fprintf(stderr, "ctl-bench: %s %u: %s\n", destroy ?
			    "destroy" : "create", i, libvpc_errstr(h));
			return (-1);
		}
		libvpc_obj_close(h, vd);
	}
	return (0);
}

/*
 * A thread: its own handle; create its slice, wait for the others, then
 * destroy it.  The barriers are passed even after a failure, so that the
 * others are not left waiting.
 */
static void *
worker(void *arg)
{
	struct cb_worker *w = arg;
	libvpc_handle_t *h;

	if ((h = libvpc_open()) == NULL) {
		fprintf(stderr, "ctl-bench: libvpc_open failed\n");
		w->w_failed = 1;
	}
	(void)pthread_barrier_wait(&cb_barrier);
	if (!w->w_failed && phase(h, w, 0) != 0)
		w->w_failed = 1;
	(void)pthread_barrier_wait(&cb_barrier);
	(void)pthread_barrier_wait(&cb_barrier);
	if (!w->w_failed && phase(h, w, 1) != 0)
		w->w_failed = 1;
	(void)pthread_barrier_wait(&cb_barrier);
	if (h != NULL)
		libvpc_close(h);
	return (NULL);
}

int
main(int argc, char **argv)
{
	struct cb_worker w[CB_THREADS_MAX];
	uint32_t count = 10000, nthr = 1, t;
	double t0, t1, t2;
	int c, failed = 0;

	while ((c = getopt(argc, argv, "j:")) != -1) {
		switch (c) {
		case 'j':
			if (parse_count("-j (threads)", optarg,
			    CB_THREADS_MAX, &nthr) != 0)
				return (2);
			break;
		default:
			fprintf(stderr, "usage: ctl-bench [-j threads] "
			    "[count]\n");
			return (2);
		}
	}
	if (optind < argc && parse_count("count (objects)", argv[optind],
	    0xffffff, &count) != 0)
		return (2);
	cb_run = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	if (pthread_barrier_init(&cb_barrier, NULL, nthr + 1) != 0) {
		perror("ctl-bench: pthread_barrier_init");
		return (1);
	}
	for (t = 0; t < nthr; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].w_first = (uint32_t)((uint64_t)count * t / nthr);
		w[t].w_end = (uint32_t)((uint64_t)count * (t + 1) / nthr);
		if (pthread_create(&w[t].w_thr, NULL, worker, &w[t]) != 0) {
			perror("ctl-bench: pthread_create");
			return (1);
		}
	}
	(void)pthread_barrier_wait(&cb_barrier);	/* all connected */
	t0 = now_s();
	(void)pthread_barrier_wait(&cb_barrier);	/* all created */
	t1 = now_s();
	(void)pthread_barrier_wait(&cb_barrier);
	(void)pthread_barrier_wait(&cb_barrier);	/* all destroyed */
	t2 = now_s();
	for (t = 0; t < nthr; t++) {
		(void)pthread_join(w[t].w_thr, NULL);
		failed |= w[t].w_failed;
	}
	if (failed)
		return (1);
	printf("{\"kind\": \"ctl\", \"objects\": %u, \"threads\": %u, "
	    "\"create_seconds\": %.6f, \"destroy_seconds\": %.6f}\n", count,
	    nthr, t1 - t0, t2 - t1);
	return (0);
}
