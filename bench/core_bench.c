/*
 * core_bench.c: the core's data path in memory, without I/O.
 *
 * Builds one switch by hand (as the unit-test fixtures do): a vmnic
 * behind a port, and an uplink port to a vpclink, then fills the switch
 * table (sw_l2), the ARP proxy table (sw_arp) and the vpclink's
 * forwarding table (vl_fwd) with N entries each, N = 1k, 64k or 1M.
 * Three cases, each on 64-byte and 1514-byte frames, in one thread:
 *
 *   encap   a guest frame to a remote MAC: parse, sw_l2 lookup (miss),
 *           uplink lookup, vl_fwd lookup, VXLAN encapsulation
 *   decap   a VXLAN datagram from a remote: decapsulation, VNI lookup,
 *           parse, sw_l2 lookup (hit), output to the vmnic
 *   arp     an ARP request from the guest answered from sw_arp
 *
 * Every packet targets a table entry drawn at random (a precomputed
 * permutation), so at 1M entries lookups miss the CPU caches as they
 * would in service.  Per packet the loop writes the target's MAC or IP
 * address into one of FRAMES prepared frames and inits a struct vpc_pkt;
 * the same loop without the core call ("prep") is timed as well, so its
 * cost can be told apart.  The host's ho_output counts outputs and checks
 * the verdict (encapsulated to the vpclink, or out to the vmnic, or the
 * ARP reply): a run whose outputs are not all right fails.
 *
 * Heap allocations are counted by wrapping malloc, calloc, realloc,
 * aligned_alloc and free (link with -Wl,--wrap=...): the count during the
 * measured loops is reported per packet and must be 0.
 *
 * Output: one line of JSON per measurement on stdout.  Usage:
 *   core-bench [-n packets] [-r repeats] [-s entries,...] [-C case,...]
 *              [-f frame,...] [-b burst,...] [-c]
 * -C and -f run only the named cases (encap, decap, arp) and frame sizes
 * (64, 1514), for quick A/B comparisons.
 * -b: hand the core bursts of these many frames (vpc_input_*_burst(), at
 * most VPC_BURST_MAX); 1, the default, calls the one-frame entry points
 * (vpc_input_nic(), vpc_input_vpclink()), as vpcd and the kernel do.
 * Every size's world is built first; then, per case and frame size, each
 * repeat measures every size and burst one after the other, so that the
 * VM's changes of speed fall on each alike and repeat r at 1M entries
 * can be set against repeat r at 1k (tools/bench.py's 1M/1k ratios).
 * -c: run once per configuration under valgrind --tool=callgrind with
 * --collect-atstart=no; the loop toggles collection and dumps its counts
 * (callgrind.out.<pid>.<n>, named case-frame-entries-bburst) for
 * instructions per packet.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vpc_os.h"
#include "vpc_var.h"
#include "vpc_htab.h"
#include "vpc_parse.h"
#include "vpc/user/vpc_os_user.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define	HAVE_CALLGRIND	1
#endif
#endif
#ifndef HAVE_CALLGRIND
#define	CALLGRIND_TOGGLE_COLLECT
#define	CALLGRIND_DUMP_STATS_AT(s)	((void)(s))
#define	RUNNING_ON_VALGRIND		0
#endif

#define	FRAMES		256		/* frames cycled through */
#define	FRAME_MAX	1600		/* bytes per frame buffer */
#define	VNI		100
#define	REMOTES		64		/* distinct remote VTEPs */

/* Allocation counters (the --wrap functions). */
static uint64_t	n_alloc;
void	*__real_malloc(size_t n);
void	*__real_calloc(size_t n, size_t m);
void	*__real_realloc(void *p, size_t n);
void	*__real_aligned_alloc(size_t a, size_t n);
void	 __real_free(void *p);
void	*__wrap_malloc(size_t n);
void	*__wrap_calloc(size_t n, size_t m);
void	*__wrap_realloc(void *p, size_t n);
void	*__wrap_aligned_alloc(size_t a, size_t n);
void	 __wrap_free(void *p);

/* What ho_output saw. */
struct bhost {
	uint64_t		 bh_out;	/* outputs */
	uint64_t		 bh_bad;	/* outputs not as expected */
	struct vpc_obj		*bh_want;	/* expected output object */
	int			 bh_encap;	/* expected tx_encap */
};

/* The world: objects and their tables. */
struct bworld {
	struct bhost		 w_host;
	struct vpc_registry	*w_rg;
	struct vpc_switch	*w_sw;
	struct vpc_port		*w_pnic;	/* port of the vmnic */
	struct vpc_port		*w_pup;		/* uplink port */
	struct vpc_nic		*w_nic;
	struct vpc_vpclink	*w_vl;
	uint32_t		 w_n;		/* entries per table */
	uint32_t		*w_perm;	/* random entry order */
};

enum bcase { C_ENCAP, C_DECAP, C_ARP, C_NCASES };
static const char *const case_names[C_NCASES] = { "encap", "decap", "arp" };

static int	b_output(void *host, struct vpc_obj *o, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
static void	*obj_new(struct bworld *w, size_t size, uint32_t type);
static struct vpc_htab *tab_new(struct vpc_obj *o,
		    const struct vpc_htab_ops *ops, uint32_t hint);
static void	tab_put(struct vpc_obj *o, struct vpc_htab *t,
		    struct vpc_hentry *e);
static void	entry_mac(uint32_t i, int remote, uint8_t mac[6]);
static void	entry_ip(uint32_t i, uint8_t ip[4]);
static void	world_build(struct bworld *w, uint32_t n);
static uint32_t	frame_make(enum bcase c, uint32_t size, uint8_t *f);
static double	now_s(void);
static int	measure(struct bworld *w, enum bcase c, const uint8_t *tmpl,
		    uint8_t (*frames)[FRAME_MAX], uint32_t len, uint64_t npkt,
		    uint32_t frame, uint32_t burst, int cg);
static uint64_t	run(struct bworld *w, enum bcase c, const uint8_t *tmpl,
		    uint8_t (*frames)[FRAME_MAX], uint32_t len, uint64_t npkt,
		    int core, uint32_t burst);

static const struct vpc_host_ops b_ops = {
	.ho_output = b_output,
};

static const uint8_t nic_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t nic_ip[4] = { 192, 0, 2, 1 };

void *
__wrap_malloc(size_t n)
{
	n_alloc++;
	return (__real_malloc(n));
}

void *
__wrap_calloc(size_t n, size_t m)
{
	n_alloc++;
	return (__real_calloc(n, m));
}

void *
__wrap_realloc(void *p, size_t n)
{
	n_alloc++;
	return (__real_realloc(p, n));
}

void *
__wrap_aligned_alloc(size_t a, size_t n)
{
	n_alloc++;
	return (__real_aligned_alloc(a, n));
}

void
__wrap_free(void *p)
{
	if (p != NULL)
		n_alloc++;
	__real_free(p);
}

static int
b_output(void *host, struct vpc_obj *o, struct vpc_pkt *pkt __unused,
    const struct vpc_txinfo *tx)
{
	struct bhost *h = host;

	h->bh_out++;
	if (o != h->bh_want || tx->tx_encap != h->bh_encap)
		h->bh_bad++;
	return (0);
}

static void *
obj_new(struct bworld *w, size_t size, uint32_t type)
{
	struct vpc_obj *o;

	if ((o = calloc(1, size)) == NULL) {
		perror("calloc");
		exit(1);
	}
	o->o_type = type;
	o->o_reg = w->w_rg;
	if ((o->o_mtx = vpc_os_mtx_alloc("bench")) == NULL ||
	    (o->o_stats = vpc_os_counters_alloc(VPC_CNT_N)) == NULL)
		exit(1);
	return (o);
}

static struct vpc_htab *
tab_new(struct vpc_obj *o, const struct vpc_htab_ops *ops, uint32_t hint)
{
	struct vpc_htab *t;

	if ((t = vpc_htab_create(ops, o->o_mtx, hint)) == NULL) {
		fprintf(stderr, "core-bench: vpc_htab_create failed\n");
		exit(1);
	}
	return (t);
}

static void
tab_put(struct vpc_obj *o, struct vpc_htab *t, struct vpc_hentry *e)
{
	int error;

	if (e == NULL) {
		fprintf(stderr, "core-bench: entry allocation failed\n");
		exit(1);
	}
	vpc_os_mtx_lock(o->o_mtx);
	error = vpc_htab_insert(t, e, NULL);
	vpc_os_mtx_unlock(o->o_mtx);
	if (error != 0) {
		fprintf(stderr, "core-bench: insert: error %d\n", error);
		exit(1);
	}
}

/* MAC of entry 'i': local (in sw_l2) or 'remote' (in vl_fwd). */
static void
entry_mac(uint32_t i, int remote, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = remote ? 0x52 : 0x4c;
	mac[2] = (uint8_t)(i >> 24);
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

/* IPv4 address of ARP entry 'i' (a 10.0.0.0/8 address, in memory). */
static void
entry_ip(uint32_t i, uint8_t ip[4])
{
	ip[0] = 10;
	ip[1] = (uint8_t)(i >> 16);
	ip[2] = (uint8_t)(i >> 8);
	ip[3] = (uint8_t)i;
}

/* A switch with a vmnic and a vpclink, and 'n' entries in each table. */
static void
world_build(struct bworld *w, uint32_t n)
{
	struct vpc_ipaddr local, remote[REMOTES];
	uint8_t mac[6], ip[4];
	uint32_t i, j, t;
	uint64_t x;

	memset(w, 0, sizeof(*w));
	w->w_n = n;
	if ((w->w_rg = vpc_registry_create(&b_ops, &w->w_host)) == NULL)
		exit(1);
	w->w_sw = obj_new(w, sizeof(*w->w_sw), VPC_TYPE_SWITCH);
	w->w_sw->sw_mode = VPC_SW_MODE_PROGRAMMED;
	w->w_sw->sw_l2 = tab_new(&w->w_sw->sw_obj, &vpc_l2ent_ops, n + 1);
	w->w_sw->sw_arp = tab_new(&w->w_sw->sw_obj, &vpc_arpent_ops, n);
	w->w_sw->sw_flood = tab_new(&w->w_sw->sw_obj, &vpc_floodent_ops, 1);
	w->w_sw->sw_uplink = tab_new(&w->w_sw->sw_obj, &vpc_portent_ops, 1);
	w->w_sw->sw_ports = calloc(1, sizeof(*w->w_sw->sw_ports) +
	    2 * sizeof(w->w_sw->sw_ports->ps_ports[0]));
	w->w_nic = obj_new(w, sizeof(*w->w_nic), VPC_TYPE_VMNIC);
	memcpy(w->w_nic->nic_obj.o_mac, nic_mac, 6);
	w->w_nic->nic_obj.o_mtu = 1500;
	w->w_nic->nic_queues = 1;
	w->w_vl = obj_new(w, sizeof(*w->w_vl), VPC_TYPE_VPCLINK);
	memset(&local, 0, sizeof(local));
	local.va_family = VPC_AF_INET;
	memcpy(local.va_addr, (const uint8_t[]){ 198, 51, 100, 1 }, 4);
	w->w_vl->vl_local.vu_addr = local;
	w->w_vl->vl_local.vu_port = VPC_VXLAN_PORT;
	w->w_vl->vl_obj.o_mtu = 1500;	/* a jumbo underlay: 1514 fits */
	w->w_vl->vl_ports = tab_new(&w->w_vl->vl_obj, &vpc_portent_ops, 1);
	w->w_vl->vl_fwd = tab_new(&w->w_vl->vl_obj, &vpc_fwdent_ops, n);
	w->w_pnic = obj_new(w, sizeof(*w->w_pnic), VPC_TYPE_PORT);
	w->w_pnic->pt_vni = VNI;
	w->w_pup = obj_new(w, sizeof(*w->w_pup), VPC_TYPE_PORT);
	w->w_pup->pt_vni = VNI;
	/* Relations, as the control plane makes them. */
	w->w_sw->sw_ports->ps_ports[0] = w->w_pnic;
	w->w_sw->sw_ports->ps_ports[1] = w->w_pup;
	w->w_sw->sw_ports->ps_count = 2;
	w->w_pnic->pt_sw = w->w_sw;
	w->w_pup->pt_sw = w->w_sw;
	w->w_pnic->pt_peer = &w->w_nic->nic_obj;
	w->w_nic->nic_port = w->w_pnic;
	w->w_pup->pt_peer = &w->w_vl->vl_obj;
	tab_put(&w->w_sw->sw_obj, w->w_sw->sw_l2,
	    &vpc_l2ent_alloc(VNI, nic_mac, w->w_pnic, 0)->l2_h);
	tab_put(&w->w_vl->vl_obj, w->w_vl->vl_ports,
	    &vpc_portent_alloc(VNI, w->w_pup)->pe_h);
	tab_put(&w->w_sw->sw_obj, w->w_sw->sw_uplink,
	    &vpc_portent_alloc(VNI, w->w_pup)->pe_h);
	for (i = 0; i < REMOTES; i++) {
		remote[i] = local;
		remote[i].va_addr[2] = 101;
		remote[i].va_addr[3] = (uint8_t)(i + 1);
	}
	/* n local MACs behind the vmnic's port, n remote, n ARP entries. */
	for (i = 0; i < n; i++) {
		entry_mac(i, 0, mac);
		tab_put(&w->w_sw->sw_obj, w->w_sw->sw_l2,
		    &vpc_l2ent_alloc(VNI, mac, w->w_pnic, 0)->l2_h);
		entry_mac(i, 1, mac);
		tab_put(&w->w_vl->vl_obj, w->w_vl->vl_fwd,
		    &vpc_fwdent_alloc(VNI, mac, &remote[i % REMOTES],
		    0)->fw_h);
		entry_ip(i, ip);
		tab_put(&w->w_sw->sw_obj, w->w_sw->sw_arp,
		    &vpc_arpent_alloc(VNI, ip, mac)->ae_h);
	}
	/* A random order of the entries (Fisher-Yates, fixed seed). */
	if ((w->w_perm = malloc((size_t)n * sizeof(uint32_t))) == NULL)
		exit(1);
	for (i = 0; i < n; i++)
		w->w_perm[i] = i;
	x = 0x9e3779b97f4a7c15ull;
	for (i = n - 1; i > 0; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (uint32_t)(x % (i + 1));
		t = w->w_perm[i];
		w->w_perm[i] = w->w_perm[j];
		w->w_perm[j] = t;
	}
	vpc_os_epoch_wait();	/* free what the table growths retired */
}

/*
 * Write the frame of case 'c' of 'size' bytes (64 or 1514) into 'f';
 * returns its length.  Addresses the loop rewrites are left zero.
 */
static uint32_t
frame_make(enum bcase c, uint32_t size, uint8_t *f)
{
	uint8_t *e, *ip, *a;
	uint32_t off, l3len;

	memset(f, 0, FRAME_MAX);
	off = 0;
	if (c == C_DECAP) {
		f[0] = 0x08;		/* VXLAN, I flag */
		f[4] = (uint8_t)(VNI >> 16);
		f[5] = (uint8_t)(VNI >> 8);
		f[6] = (uint8_t)VNI;
		off = VPC_VXLAN_HDRLEN;
	}
	e = f + off;
	if (c == C_ARP) {
		memset(e, 0xff, 6);
		memcpy(e + 6, nic_mac, 6);
		vpc_put_be16(e + 12, VPC_ETHERTYPE_ARP);
		a = e + 14;
		vpc_put_be16(a, 1);
		vpc_put_be16(a + 2, VPC_ETHERTYPE_IPV4);
		a[4] = 6;
		a[5] = 4;
		vpc_put_be16(a + 6, VPC_ARP_OP_REQUEST);
		memcpy(a + 8, nic_mac, 6);
		memcpy(a + 14, nic_ip, 4);
		return (off + (size < 60 ? 60 : size));
	}
	/* IPv4/UDP; destination MAC filled per packet. */
	if (c == C_DECAP)
		entry_mac(0xffffff, 1, e + 6);	/* a remote guest */
	else
		memcpy(e + 6, nic_mac, 6);
	vpc_put_be16(e + 12, VPC_ETHERTYPE_IPV4);
	ip = e + 14;
	l3len = size - 14;
	ip[0] = 0x45;
	vpc_put_be16(ip + 2, (uint16_t)l3len);
	ip[8] = 64;
	ip[9] = VPC_IPPROTO_UDP;
	memcpy(ip + 12, nic_ip, 4);
	memcpy(ip + 16, (const uint8_t[]){ 192, 0, 2, 2 }, 4);
	vpc_put_be16(ip + 20, 40000);
	vpc_put_be16(ip + 22, 5201);
	vpc_put_be16(ip + 24, (uint16_t)(l3len - 20));
	return (off + size);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
}

/*
 * 'npkt' packets of case 'c' through the core (or, if not 'core', the
 * same preparation alone); 'tmpl' is the frame as made, to restore what
 * an ARP reply overwrote.  Returns the outputs seen.
 */
static uint64_t
run(struct bworld *w, enum bcase c, const uint8_t *tmpl,
    uint8_t (*frames)[FRAME_MAX], uint32_t len, uint64_t npkt, int core,
    uint32_t burst)
{
	static struct vpc_pkt pkts[VPC_BURST_MAX];
	static struct vpc_pkt *pp[VPC_BURST_MAX];
	static struct vpc_ipaddr srcs[VPC_BURST_MAX];
	uint64_t k, out0;
	uint32_t e, fi, j, n = w->w_n;
	uint8_t *f;

	for (j = 0; j < burst; j++) {
		pp[j] = &pkts[j];
		srcs[j] = w->w_vl->vl_local.vu_addr;
	}
	out0 = w->w_host.bh_out;
	for (k = 0, e = 0, j = 0; k < npkt; k++) {
		fi = (uint32_t)k & (FRAMES - 1);
		f = frames[fi];
		switch (c) {
		case C_ENCAP:
			entry_mac(w->w_perm[e], 1, f);
			break;
		case C_DECAP:
			entry_mac(w->w_perm[e], 0, f + VPC_VXLAN_HDRLEN);
			break;
		case C_ARP:
			/* The reply was written over the request. */
			memcpy(f, tmpl, 42);
			entry_ip(w->w_perm[e], f + 14 + 24);
			break;
		default:
			break;
		}
		if (++e == n)
			e = 0;
		vpc_pkt_init(&pkts[j], f, len, len, 0, NULL);
		if (++j < burst && k + 1 < npkt)
			continue;
		if (!core)
			;
		else if (burst == 1 && c == C_DECAP)
			vpc_input_vpclink(w->w_vl, pp[0], &srcs[0]);
		else if (burst == 1)
			vpc_input_nic(w->w_nic, pp[0]);
		else if (c == C_DECAP)
			vpc_input_vpclink_burst(w->w_vl, pp, srcs, j);
		else
			vpc_input_nic_burst(w->w_nic, pp, j);
		j = 0;
	}
	return (w->w_host.bh_out - out0);
}

/*
 * One measurement of case 'c' on 'frame'-byte frames in bursts of 'burst':
 * timed (a line of JSON), or under callgrind if 'cg' (counts dumped by
 * name).  Returns 1 if the outputs were not all right.
 */
static int
measure(struct bworld *w, enum bcase c, const uint8_t *tmpl,
    uint8_t (*frames)[FRAME_MAX], uint32_t len, uint64_t npkt,
    uint32_t frame, uint32_t burst, int cg)
{
	char name[64];
	uint64_t out, a0, a1;
	double t0, t1, prep;

	if (cg) {
		snprintf(name, sizeof(name), "%s-%u-%u-b%u", case_names[c],
		    frame, w->w_n, burst);
		CALLGRIND_TOGGLE_COLLECT;
		out = run(w, c, tmpl, frames, len, npkt, 1, burst);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_DUMP_STATS_AT(name);
		CALLGRIND_TOGGLE_COLLECT;
		(void)run(w, c, tmpl, frames, len, npkt, 0, burst);
		CALLGRIND_TOGGLE_COLLECT;
		snprintf(name, sizeof(name), "prep-%s-%u-%u-b%u",
		    case_names[c], frame, w->w_n, burst);
		CALLGRIND_DUMP_STATS_AT(name);
		printf("{\"kind\": \"callgrind\", \"case\": \"%s\", "
		    "\"frame\": %u, \"entries\": %u, \"burst\": %u, "
		    "\"packets\": %llu, \"outputs\": %llu}\n",
		    case_names[c], frame, w->w_n, burst,
		    (unsigned long long)npkt, (unsigned long long)out);
		return (0);
	}
	t0 = now_s();
	(void)run(w, c, tmpl, frames, len, npkt, 0, burst);
	prep = now_s() - t0;
	w->w_host.bh_bad = 0;
	a0 = n_alloc;
	t0 = now_s();
	out = run(w, c, tmpl, frames, len, npkt, 1, burst);
	t1 = now_s();
	a1 = n_alloc;
	printf("{\"kind\": \"core\", \"case\": \"%s\", \"frame\": %u, "
	    "\"entries\": %u, \"burst\": %u, \"packets\": %llu, "
	    "\"seconds\": %.6f, \"prep_seconds\": %.6f, "
	    "\"outputs\": %llu, \"bad\": %llu, \"allocs\": %llu}\n",
	    case_names[c], frame, w->w_n, burst, (unsigned long long)npkt,
	    t1 - t0, prep, (unsigned long long)out,
	    (unsigned long long)w->w_host.bh_bad,
	    (unsigned long long)(a1 - a0));
	fflush(stdout);
	if (out != npkt || w->w_host.bh_bad) {
		fprintf(stderr, "core-bench: %s: %llu outputs, %llu wrong, "
		    "for %llu packets\n", case_names[c],
		    (unsigned long long)out,
		    (unsigned long long)w->w_host.bh_bad,
		    (unsigned long long)npkt);
		return (1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	static uint8_t frames[FRAMES][FRAME_MAX], tmpl[FRAME_MAX];
	static const uint32_t fsizes[] = { 64, 1514 };
	uint32_t sizes[8], nsizes, si, fz, len, i, r, b;
	uint32_t bursts[8], nbursts;
	uint64_t npkt = 2000000;
	static struct bworld w[8];
	double t0, t1;
	int ch, repeats = 3, cg = 0, c;
	char *s, *tok;
	uint32_t cmask = (1u << C_NCASES) - 1, fmask = 3;

	nbursts = 0;
	bursts[nbursts++] = 1;
	nsizes = 0;
	sizes[nsizes++] = 1000;
	sizes[nsizes++] = 64000;
	sizes[nsizes++] = 1000000;
	/* One thread runs the core, as in vpcd. */
	vpc_os_counters_one_thread();
	while ((ch = getopt(argc, argv, "n:r:s:C:f:b:c")) != -1) {
		switch (ch) {
		case 'n':
			npkt = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			repeats = atoi(optarg);
			break;
		case 's':
			nsizes = 0;
			s = optarg;
			while ((tok = strsep(&s, ",")) != NULL && nsizes < 8)
				sizes[nsizes++] = (uint32_t)strtoul(tok, NULL,
				    0);
			break;
		case 'C':
			cmask = 0;
			s = optarg;
			while ((tok = strsep(&s, ",")) != NULL)
				for (c = 0; c < C_NCASES; c++)
					if (strcmp(tok, case_names[c]) == 0)
						cmask |= 1u << c;
			break;
		case 'f':
			fmask = 0;
			s = optarg;
			while ((tok = strsep(&s, ",")) != NULL)
				for (fz = 0; fz < 2; fz++)
					if (strtoul(tok, NULL, 0) == fsizes[fz])
						fmask |= 1u << fz;
			break;
		case 'b':
			nbursts = 0;
			s = optarg;
			while ((tok = strsep(&s, ",")) != NULL && nbursts < 8) {
				bursts[nbursts] = (uint32_t)strtoul(tok, NULL,
				    0);
				if (bursts[nbursts] < 1 ||
				    bursts[nbursts] > VPC_BURST_MAX) {
					fprintf(stderr, "core-bench: -b: bursts "
					    "of 1 to %d frames\n",
					    VPC_BURST_MAX);
					return (2);
				}
				nbursts++;
			}
			break;
		case 'c':
			cg = 1;
			repeats = 1;
			break;
		default:
			fprintf(stderr, "usage: core-bench [-n packets] "
			    "[-r repeats] [-s n,n,...] [-C case,...] "
			    "[-f frame,...] [-b burst,...] [-c]\n");
			return (2);
		}
	}
	if (cg && !RUNNING_ON_VALGRIND)
		fprintf(stderr, "core-bench: -c without valgrind: no "
		    "instruction counts\n");
	/* Every size's world at once; they are left to process exit. */
	for (si = 0; si < nsizes; si++) {
		t0 = now_s();
		world_build(&w[si], sizes[si]);
		t1 = now_s();
		printf("{\"kind\": \"setup\", \"entries\": %u, "
		    "\"tables\": 3, \"seconds\": %.3f}\n", sizes[si], t1 - t0);
	}
	/*
	 * Sizes and bursts alternate within each repeat, so that the VM's
	 * shifts of speed fall on all alike and repeat r of one size can be
	 * set against repeat r of another (the 1M/1k ratio).
	 */
	for (c = 0; c < C_NCASES; c++) {
		for (fz = 0; fz < 2; fz++) {
			if ((cmask & 1u << c) == 0 || (fmask & 1u << fz) == 0)
				continue;
			len = frame_make((enum bcase)c, fsizes[fz], tmpl);
			for (i = 0; i < FRAMES; i++)
				memcpy(frames[i], tmpl, FRAME_MAX);
			for (si = 0; si < nsizes; si++) {
				w[si].w_host.bh_want = c == C_ENCAP ?
				    &w[si].w_vl->vl_obj : &w[si].w_nic->nic_obj;
				w[si].w_host.bh_encap = c == C_ENCAP;
				for (b = 0; b < nbursts; b++)
					(void)run(&w[si], (enum bcase)c, tmpl,
					    frames, len, npkt / 4, 1,
					    bursts[b]);
			}
			for (r = 0; r < (uint32_t)repeats; r++)
				for (si = 0; si < nsizes; si++)
					for (b = 0; b < nbursts; b++)
						if (measure(&w[si],
						    (enum bcase)c, tmpl, frames,
						    len, npkt, fsizes[fz],
						    bursts[b], cg))
							return (1);
		}
	}
	return (0);
}
