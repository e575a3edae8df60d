/*
 * mem_floor.c: what the memory accesses of a lookup-bound data path cost
 * on this machine, without the data path.
 *
 * The core's burst path (vpc_input_*_burst()) reads, per frame, random
 * slot lines of its hash tables and no entry (a hit's value is in its
 * slot): for encap the switch table's slot line (a miss) and the
 * forwarding table's; for decap and ARP one table's slot line.  This
 * program makes the same accesses over arrays laid out as the core's
 * are at N entries (slot arrays of 64-byte lines of three slots, the
 * lines a power of two that keeps N at most half the slots), in bursts
 * of 32 (prefetch every frame's lines, then read them), and does
 * nothing else.  Its time per frame is what the accesses alone cost on
 * this machine when nothing else competes for the memory system:
 * compared with core-bench at the same size, it tells how much of the
 * core's time at 1M entries is the memory's and how much is its
 * misses not overlapping with its work.
 *
 * Patterns: encap (two slot lines), line (one slot line: decap, ARP).
 * Output: one line of JSON per measurement.
 * Usage: mem-floor [-r repeats] [-n frames]
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define	BURST		32
#define	LINE		64
#define	WAYS		3		/* slots per line */

enum pattern { P_ENCAP, P_LINE, P_COUNT };
static const char *const pattern_name[P_COUNT] = { "encap", "line" };

/* Arrays laid out as the core's tables at 'n' entries. */
struct world {
	uint32_t	 w_lines;	/* slot lines per array (a power of 2) */
	uint64_t	*w_sa;		/* first slot array (the miss) */
	uint64_t	*w_sb;		/* second slot array */
};

static uint64_t	xorshift(uint64_t *x);
static double	now_s(void);
static void	world_make(struct world *w, uint32_t n);
static void	world_free(struct world *w);
static double	run(const struct world *w, enum pattern p, uint32_t frames);

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (*x);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

static void
world_make(struct world *w, uint32_t n)
{
	size_t lines, i;
	uint64_t x;

	for (lines = 4; lines * WAYS / 2 < (size_t)n; lines <<= 1)
		;
	w->w_lines = (uint32_t)lines;
	w->w_sa = aligned_alloc(LINE, lines * LINE);
	w->w_sb = aligned_alloc(LINE, lines * LINE);
	if (w->w_sa == NULL || w->w_sb == NULL) {
		fprintf(stderr, "mem-floor: out of memory\n");
		exit(1);
	}
	/* Every page written, so none is a shared zero page. */
	x = 0x9e3779b97f4a7c15ull;
	for (i = 0; i < lines * LINE / sizeof(uint64_t); i++) {
		w->w_sa[i] = xorshift(&x);
		w->w_sb[i] = xorshift(&x);
	}
}

static void
world_free(struct world *w)
{
	free(w->w_sa);
	free(w->w_sb);
}

/* Seconds for 'frames' frames of pattern 'p'. */
static double
run(const struct world *w, enum pattern p, uint32_t frames)
{
	const uint64_t *la[BURST], *lb[BURST];
	volatile uint64_t sink;
	uint64_t x, sum;
	uint32_t f, i;
	double t0;

	x = 0x2545f4914f6cdd1dull;
	sum = 0;
	t0 = now_s();
	for (f = 0; f < frames; f += BURST) {
		for (i = 0; i < BURST; i++) {
			la[i] = w->w_sa + (xorshift(&x) & (w->w_lines - 1)) *
			    (LINE / sizeof(uint64_t));
			lb[i] = w->w_sb + (xorshift(&x) & (w->w_lines - 1)) *
			    (LINE / sizeof(uint64_t));
			if (p == P_ENCAP)
				__builtin_prefetch(la[i]);
			__builtin_prefetch(lb[i]);
		}
		for (i = 0; i < BURST; i++) {
			sum += lb[i][0];
			if (p == P_ENCAP)
				sum += la[i][0];
		}
	}
	sink = sum;
	(void)sink;
	return (now_s() - t0);
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = { 1000, 1000000 };
	struct world w;
	uint32_t frames, r, repeats, s;
	int c, p;
	double t;

	repeats = 3;
	frames = 4000000;
	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		switch (c) {
		case 'n':
			frames = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			repeats = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr,
			    "usage: mem-floor [-r repeats] [-n frames]\n");
			return (2);
		}
	}
	frames = (frames + BURST - 1) / BURST * BURST;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		world_make(&w, sizes[s]);
		for (r = 0; r < repeats; r++)
			for (p = 0; p < P_COUNT; p++) {
				t = run(&w, (enum pattern)p, frames);
				printf("{\"kind\": \"memfloor\", \"pattern\": "
				    "\"%s\", \"entries\": %u, \"frames\": %u, "
				    "\"seconds\": %.6f}\n", pattern_name[p],
				    sizes[s], frames, t);
			}
		world_free(&w);
	}
	return (0);
}
