/*
 * ctl_bench.c: control-plane speed through vpc_open(2)/vpc_ctl(2).
 *
 * Against the vpcd (or vpc.ko) libvpc reaches ($VPC_SOCKET), creates
 * 'count' switches, each with its own descriptor: open with CREATE,
 * COMMIT, close (so each outlives its descriptor), then opens each again
 * and destroys it.  Prints one line of JSON with both rates.  Switches
 * have no host device, so this measures the control path itself (socket
 * round trips, dispatch, registry), not TAP creation.
 *
 * Usage: ctl-bench [count]	(default 10000)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libvpc.h"

static double	now_s(void);
static void	make_id(vpc_id_t *id, uint32_t i);

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

/* A version-4-looking UUID that encodes 'i' and this run. */
static void
make_id(vpc_id_t *id, uint32_t i)
{
	static uint32_t run;

	if (run == 0)
		run = (uint32_t)time(NULL) ^ (uint32_t)clock();
	memset(id, 0, sizeof(*id));
	memcpy(id->vi_bytes, &run, 4);
	id->vi_bytes[6] = 0x40;
	id->vi_bytes[8] = 0x80;
	id->vi_bytes[12] = (uint8_t)(i >> 24);
	id->vi_bytes[13] = (uint8_t)(i >> 16);
	id->vi_bytes[14] = (uint8_t)(i >> 8);
	id->vi_bytes[15] = (uint8_t)i;
}

int
main(int argc, char **argv)
{
	libvpc_handle_t *h;
	vpc_id_t id;
	uint32_t i, count = 10000;
	double t0, t1, t2;
	int vd;

	if (argc > 1)
		count = (uint32_t)strtoul(argv[1], NULL, 0);
	if ((h = libvpc_open()) == NULL) {
		fprintf(stderr, "ctl-bench: libvpc_open failed\n");
		return (1);
	}
	t0 = now_s();
	for (i = 0; i < count; i++) {
		make_id(&id, i);
		vd = libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
		    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE);
		if (vd == -1 || libvpc_commit(h, vd) == -1) {
			fprintf(stderr, "ctl-bench: create %u: %s\n", i,
			    libvpc_errstr(h));
			return (1);
		}
		libvpc_obj_close(h, vd);
	}
	t1 = now_s();
	for (i = 0; i < count; i++) {
		make_id(&id, i);
		vd = libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
		    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE);
		if (vd == -1 || libvpc_destroy(h, vd) == -1) {
			fprintf(stderr, "ctl-bench: destroy %u: %s\n", i,
			    libvpc_errstr(h));
			return (1);
		}
		libvpc_obj_close(h, vd);
	}
	t2 = now_s();
	printf("{\"kind\": \"ctl\", \"objects\": %u, \"create_seconds\": "
	    "%.6f, \"destroy_seconds\": %.6f}\n", count, t1 - t0, t2 - t1);
	libvpc_close(h);
	return (0);
}
