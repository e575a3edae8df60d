/*
 * fuzz_ctl.c: libFuzzer harness of vpc_ctl request decoding against a
 * live registry.
 *
 * Each input runs on a fresh registry holding a small committed topology
 * (a switch with a port on a vmnic and an uplink port on a bound
 * vpclink, an ethlink, an uncommitted vpci and port) and descriptors of
 * several types and rights (one restricted to WRITE only, read-only ones,
 * the management object).  The input is a sequence of records:
 *
 *   ctl	descriptor, op (a row of the dispatch table, perhaps with a
 *		flipped bit, another type byte or a reserved bit; or a raw
 *		word), input size (exact, one short, one long, raw, over
 *		VPC_CTL_IN_MAX), output capacity (exact, short, 0, large,
 *		NULL buffer, NULL size), NULL input, unprivileged caller,
 *		payload (ids biased to the topology's)
 *   open	an id of the pool, any type, any flag bits, either caller
 *   close	a descriptor
 *   host	make the host's next ho_set / ho_create fail
 *
 * After every call: the errno is one vpc_ctl(2) documents, and the one a
 * model of the generic checks (op word, type, rights, privilege, sizes,
 * capacity) predicts; a failed call wrote no output, reported no size
 * (except ERANGE, the size needed) and left a dump of the whole registry
 * byte for byte identical; rights never grew.  A request the model says
 * the generic checks refuse (before any handler runs) is compared on a
 * light dump (object and descriptor counts, references, flags, rights);
 * every other failure on the full dump, which is written with
 * list and get ops: every object of every type (MGMT_LIST), every read op
 * of the dispatch table on each, every flood list, plus reference counts,
 * flags and the rights of the harness's descriptors.  At the end every
 * descriptor is closed and the registry destroyed (its assertions check
 * that no reference leaked).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "vpc_obj.h"
#include "vpc_htab.h"

#define	NDESC		16	/* descriptor slots */
#define	NIDS		12	/* id pool: 0 (nil), 1..11 */
#define	NREC		24	/* records per input */
#define	DUMP_MAX	(256 * 1024)
#define	IO_MAX		(64 * 1024)
#define	CANARY		0xa5

enum { A_CTL0, A_CTL1, A_CTL2, A_CTL3, A_CTL4, A_OPEN, A_CLOSE, A_HOST };

/* The state of one input. */
struct cz {
	struct vpc_registry	*z_rg;
	struct vpc_desc		*z_d[NDESC];
	int			 z_fail_set;	/* next ho_set fails */
	int			 z_fail_create;	/* next ho_create fails */
	uint8_t			*z_dump;	/* current dump */
	size_t			 z_dlen;
	uint8_t			*z_prev;	/* dump before the call */
	size_t			 z_plen;
	int			 z_stale;	/* z_prev is not current */
};

/* A read-only view for dumping, without a real descriptor. */
struct dumpctx {
	uint8_t			*dc_p;
	size_t			 dc_len;
};

static struct cz	 z;
static const struct vpc_ctl_op *rows[128];
static size_t		 nrows;
static uint8_t		 io_out[IO_MAX];
static uint8_t		 scratch[IO_MAX];
static size_t		 sort_size;

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int	host_create(void *host, struct vpc_obj *o, void **devp);
static int	host_set(void *host, struct vpc_obj *o, enum vpc_attr a,
		    const void *val, size_t len);
static int	row_add(const struct vpc_ctl_op *op, void *arg);
static void	build(void);
static void	put(struct dumpctx *dc, const void *p, size_t n);
static int	cmp_entry(const void *a, const void *b);
static int	flood_vni(struct vpc_hentry *e, void *arg);
static void	dump_obj(struct dumpctx *dc, struct vpc_obj *o);
static void	dump(void);
static size_t	light(uint8_t *buf);
static int	errno_documented(int e);
static int	model(struct vpc_desc *d, vpc_op_t op, size_t innbyte,
		    const void *in, size_t cap, const void *out,
		    const size_t *outp, const struct vpc_cred *cred);
static void	rec_ctl(struct fz_rd *r);
static void	rec_open(struct fz_rd *r);
static void	after(int error, int mutated);
static void	before_handler(void);

static const struct vpc_host_ops cz_ops = {
	.ho_create = host_create,
	.ho_set = host_set,
	.ho_get = fz_host_get,
};

static int
host_create(void *host __unused, struct vpc_obj *o __unused, void **devp)
{
	if (z.z_fail_create) {
		z.z_fail_create = 0;
		return (ENOMEM);
	}
	*devp = NULL;
	return (0);
}

static int
host_set(void *host __unused, struct vpc_obj *o __unused,
    enum vpc_attr a __unused, const void *val, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		scratch[i % sizeof(scratch)] = ((const uint8_t *)val)[i];
	if (z.z_fail_set) {
		z.z_fail_set = 0;
		return (ENOMEM);
	}
	return (0);
}

static int
row_add(const struct vpc_ctl_op *op, void *arg __unused)
{
	FZ_CHECK(nrows < nitems(rows));
	rows[nrows++] = op;
	return (0);
}

/* The topology and descriptors every input starts from. */
static void
build(void)
{
	const vpc_flags_t cf = VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE;
	struct {
		struct vpc_flood_hdr	h;
		struct vpc_ipaddr	a[2];
	} fl;
	struct vpc_udpaddr ua;
	struct vpc_neigh ne;
	struct vpc_fwd fw;
	vpc_id_t id;
	uint32_t w = VPC_R_WRITE;
	int i;

	memset(z.z_d, 0, sizeof(z.z_d));
	z.z_fail_set = z.z_fail_create = 0;
	z.z_rg = vpc_registry_create(&cz_ops, &z);
	FZ_CHECK(z.z_rg != NULL);
	z.z_d[0] = fz_open(z.z_rg, VPC_TYPE_MGMT, 0, VPC_F_OPEN | VPC_F_READ);
	z.z_d[1] = fz_open(z.z_rg, VPC_TYPE_SWITCH, 1, cf);
	z.z_d[3] = fz_open(z.z_rg, VPC_TYPE_PORT, 2, cf);
	z.z_d[4] = fz_open(z.z_rg, VPC_TYPE_VMNIC, 3, cf);
	z.z_d[5] = fz_open(z.z_rg, VPC_TYPE_VPCLINK, 4, cf);
	z.z_d[7] = fz_open(z.z_rg, VPC_TYPE_PORT, 5, cf);
	z.z_d[6] = fz_open(z.z_rg, VPC_TYPE_ETHLINK, 6, cf);
	z.z_d[8] = fz_open(z.z_rg, VPC_TYPE_VPCI, 7, cf);
	z.z_d[9] = fz_open(z.z_rg, VPC_TYPE_PORT, 8, cf);
	for (i = 1; i <= 7; i++)
		if (i != 2)
			fz_ctl(z.z_d[i], VPC_OP_COMMIT, NULL, 0, NULL, 0);
	fz_ctl32(z.z_d[3], VPC_OP_PORT_VNI_SET, 100);
	fz_ctl32(z.z_d[7], VPC_OP_PORT_VNI_SET, 100);
	memset(&ua, 0, sizeof(ua));
	fz_ip(&ua.vu_addr, "198.51.100.1");
	fz_ctl(z.z_d[5], VPC_OP_VPCLINK_LOCAL_SET, &ua, sizeof(ua), NULL, 0);
	fz_id(&id, 2);
	fz_ctl(z.z_d[1], VPC_OP_SW_PORT_ADD, &id, sizeof(id), NULL, 0);
	fz_id(&id, 5);
	fz_ctl(z.z_d[1], VPC_OP_SW_PORT_ADD, &id, sizeof(id), NULL, 0);
	fz_id(&id, 3);
	fz_ctl(z.z_d[3], VPC_OP_PORT_CONNECT, &id, sizeof(id), NULL, 0);
	fz_id(&id, 4);
	fz_ctl(z.z_d[7], VPC_OP_PORT_CONNECT, &id, sizeof(id), NULL, 0);
	memset(&ne, 0, sizeof(ne));
	ne.vn_vni = 100;
	fz_ip(&ne.vn_ip, "192.0.2.1");
	memcpy(ne.vn_mac, "\x02\x00\x00\x00\x01\x01", 6);
	fz_ctl(z.z_d[1], VPC_OP_SW_ARP_ADD, &ne, sizeof(ne), NULL, 0);
	memset(&fw, 0, sizeof(fw));
	fw.vf_vni = 100;
	memcpy(fw.vf_mac, "\x02\x00\x00\x00\x0a\x01", 6);
	fz_ip(&fw.vf_remote, "198.51.100.2");
	fz_ctl(z.z_d[5], VPC_OP_VPCLINK_FWD_SET, &fw, sizeof(fw), NULL, 0);
	memset(&fl, 0, sizeof(fl));
	fl.h.vfh_vni = 100;
	fl.h.vfh_count = 2;
	fz_ip(&fl.a[0], "198.51.100.2");
	fz_ip(&fl.a[1], "2001:db8::2");
	fz_ctl(z.z_d[1], VPC_OP_SW_FLOOD_SET, &fl, sizeof(fl), NULL, 0);
	/* Read-only and write-only descriptors. */
	z.z_d[2] = fz_open(z.z_rg, VPC_TYPE_SWITCH, 1, VPC_F_OPEN | VPC_F_READ);
	z.z_d[10] = fz_open(z.z_rg, VPC_TYPE_VPCLINK, 4,
	    VPC_F_OPEN | VPC_F_READ);
	fz_ctl(z.z_d[7], VPC_OP_RESTRICT, &w, sizeof(w), NULL, 0);
}

static void
put(struct dumpctx *dc, const void *p, size_t n)
{
	FZ_CHECK(dc->dc_len + n <= DUMP_MAX);
	memcpy(dc->dc_p + dc->dc_len, p, n);
	dc->dc_len += n;
}

static int
cmp_entry(const void *a, const void *b)
{
	return (memcmp(a, b, sort_size));
}

static int
flood_vni(struct vpc_hentry *e, void *arg)
{
	struct dumpctx *dc = arg;
	uint32_t vni = (uint32_t)e->he_key.hk_lo;

	put(dc, &vni, sizeof(vni));
	return (0);
}

/* Every read op of the table on 'o', and its hidden counts. */
static void
dump_obj(struct dumpctx *dc, struct vpc_obj *o)
{
	struct vpc_desc rd = { .d_obj = o, .d_rights = VPC_R_READ };
	struct dumpctx vnis;
	static uint8_t vbuf[4 * 4096];
	const struct vpc_ctl_op *co;
	size_t i, k, n;
	uint32_t vni;
	int error;

	put(dc, &o->o_id, sizeof(o->o_id));
	put(dc, &o->o_type, sizeof(o->o_type));
	put(dc, &o->o_refs, sizeof(o->o_refs));
	put(dc, &o->o_flags, sizeof(o->o_flags));
	for (i = 0; i < nrows; i++) {
		co = rows[i];
		if ((co->co_types & VPC_TM(o->o_type)) == 0 ||
		    (co->co_op & (VPC_OPF_MUTATE | VPC_OPF_IN)) != 0)
			continue;
		n = sizeof(io_out);
		error = vpc_desc_ctl(&rd, co->co_op, NULL, 0, io_out, &n,
		    &fz_priv);
		put(dc, &co->co_op, sizeof(co->co_op));
		put(dc, &error, sizeof(error));
		if (error != 0)
			continue;
		if ((co->co_flags & VPC_COF_OUTLIST) != 0 && n > 0) {
			sort_size = co->co_outsize;
			qsort(io_out, n / sort_size, sort_size, cmp_entry);
		}
		put(dc, &n, sizeof(n));
		put(dc, io_out, n);
	}
	if (o->o_type != VPC_TYPE_SWITCH)
		return;
	/* Flood lists: FLOOD_GET of every VNI that has one. */
	vnis.dc_p = vbuf;
	vnis.dc_len = 0;
	vpc_os_mtx_lock(o->o_mtx);
	(void)vpc_htab_foreach(VPC_SW(o)->sw_flood, flood_vni, &vnis);
	vpc_os_mtx_unlock(o->o_mtx);
	sort_size = sizeof(uint32_t);
	qsort(vbuf, vnis.dc_len / 4, 4, cmp_entry);
	for (k = 0; k < vnis.dc_len; k += 4) {
		memcpy(&vni, vbuf + k, 4);
		n = sizeof(io_out);
		error = vpc_desc_ctl(&rd, VPC_OP_SW_FLOOD_GET, &vni,
		    sizeof(vni), io_out, &n, &fz_priv);
		FZ_CHECK(error == 0);
		sort_size = sizeof(struct vpc_ipaddr);
		qsort(io_out, n / sort_size, sort_size, cmp_entry);
		put(dc, &vni, sizeof(vni));
		put(dc, &n, sizeof(n));
		put(dc, io_out, n);
	}
}

/* The whole registry, into z_dump. */
static void
dump(void)
{
	static const uint32_t types[] = { VPC_TYPE_SWITCH, VPC_TYPE_PORT,
	    VPC_TYPE_VPCLINK, VPC_TYPE_VMNIC, VPC_TYPE_ETHLINK,
	    VPC_TYPE_VPCI };
	static vpc_id_t ids[256];
	struct vpc_desc md;
	struct dumpctx dc;
	struct vpc_obj *o;
	size_t i, k, n;
	uint32_t cnt;
	int error;

	dc.dc_p = z.z_dump;
	dc.dc_len = 0;
	put(&dc, &z.z_rg->rg_count, sizeof(z.z_rg->rg_count));
	put(&dc, &z.z_rg->rg_ndesc, sizeof(z.z_rg->rg_ndesc));
	for (i = 0; i < NDESC; i++) {
		if (z.z_d[i] == NULL) {
			put(&dc, "-", 1);
			continue;
		}
		put(&dc, &z.z_d[i]->d_rights, sizeof(z.z_d[i]->d_rights));
		put(&dc, &z.z_d[i]->d_obj->o_id, sizeof(vpc_id_t));
		put(&dc, &z.z_d[i]->d_obj->o_flags, sizeof(uint32_t));
	}
	md.d_obj = z.z_rg->rg_mgmt;
	md.d_rights = VPC_R_READ;
	for (i = 0; i < nitems(types); i++) {
		error = vpc_desc_ctl(&md, VPC_OP_MGMT_COUNT, &types[i], 4,
		    &cnt, &(size_t){ 4 }, &fz_priv);
		FZ_CHECK(error == 0);
		n = sizeof(ids);
		error = vpc_desc_ctl(&md, VPC_OP_MGMT_LIST, &types[i], 4,
		    ids, &n, &fz_priv);
		FZ_CHECK(error == 0 && n == cnt * sizeof(vpc_id_t));
		sort_size = sizeof(vpc_id_t);
		qsort(ids, cnt, sizeof(vpc_id_t), cmp_entry);
		put(&dc, &cnt, sizeof(cnt));
		for (k = 0; k < cnt; k++) {
			vpc_os_mtx_lock(z.z_rg->rg_mtx);
			o = vpc_obj_lookup(z.z_rg, &ids[k]);
			vpc_os_mtx_unlock(z.z_rg->rg_mtx);
			FZ_CHECK(o != NULL && o->o_type == types[i]);
			dump_obj(&dc, o);
		}
	}
	z.z_dlen = dc.dc_len;
}

/*
 * The light dump: what a request refused by the generic checks (before
 * any handler runs) could have touched: the index and descriptor counts,
 * each descriptor's rights, and each object's references and flags.
 */
static size_t
light(uint8_t *buf)
{
	struct dumpctx dc;
	struct vpc_obj *o;
	uint32_t i;

	dc.dc_p = buf;
	dc.dc_len = 0;
	put(&dc, &z.z_rg->rg_count, sizeof(z.z_rg->rg_count));
	put(&dc, &z.z_rg->rg_ndesc, sizeof(z.z_rg->rg_ndesc));
	for (i = 0; i < NDESC; i++) {
		if (z.z_d[i] == NULL)
			continue;
		o = z.z_d[i]->d_obj;
		put(&dc, &z.z_d[i]->d_rights, sizeof(z.z_d[i]->d_rights));
		put(&dc, &o->o_refs, sizeof(o->o_refs));
		put(&dc, &o->o_flags, sizeof(o->o_flags));
	}
	return (dc.dc_len);
}

static int
errno_documented(int e)
{
	switch (e) {
	case 0: case EBADF: case EINVAL: case EOPNOTSUPP: case ENOTTY:
	case EPERM: case E2BIG: case EFAULT: case ERANGE: case ENXIO:
	case ENOMEM: case ENOENT: case EEXIST: case EBUSY: case EISCONN:
	case ENOTCONN: case EPROTOTYPE: case EAFNOSUPPORT:
		return (1);
	default:
		return (0);
	}
}

/*
 * The errno the generic checks of vpc_ctl(2) give, in their documented
 * order, or -1 if the request passes them (the handler decides).
 */
static int
model(struct vpc_desc *d, vpc_op_t op, size_t innbyte, const void *in,
    size_t cap, const void *out, const size_t *outp,
    const struct vpc_cred *cred)
{
	const struct vpc_ctl_op *co = NULL;
	uint32_t count;
	size_t i;

	if ((op & VPC_OP_RSVD) != 0)
		return (EINVAL);
	for (i = 0; i < nrows; i++)
		if (VPC_OP_TYPE(rows[i]->co_op) == VPC_OP_TYPE(op) &&
		    VPC_OP_NUM(rows[i]->co_op) == VPC_OP_NUM(op))
			co = rows[i];
	if (co == NULL)
		return (EOPNOTSUPP);
	if (co->co_op != op)
		return (EINVAL);
	if ((co->co_types & VPC_TM(d->d_obj->o_type)) == 0)
		return (ENOTTY);
	if ((co->co_rights & ~d->d_rights) != 0)
		return (EBADF);
	if (co->co_priv && !cred->vc_priv)
		return (EPERM);
	if (innbyte > VPC_CTL_IN_MAX)
		return (E2BIG);
	if (innbyte != 0 && in == NULL)
		return (EFAULT);
	if ((co->co_flags & VPC_COF_INLIST) != 0) {
		if (innbyte < co->co_insize)
			return (EINVAL);
		memcpy(&count, (const uint8_t *)in + co->co_incount, 4);
		if (count > co->co_inmax || innbyte != co->co_insize +
		    (uint64_t)count * co->co_inentry)
			return (EINVAL);
	} else if (innbyte != co->co_insize)
		return (EINVAL);
	if ((co->co_flags & VPC_COF_OUTLIST) == 0 && co->co_outsize != 0 &&
	    cap < co->co_outsize)
		return (ERANGE);
	if ((co->co_flags & VPC_COF_OUTLIST) != 0 && cap != 0 && out == NULL)
		return (EFAULT);
	if ((co->co_flags & VPC_COF_OUTLIST) == 0 && co->co_outsize != 0 &&
	    out == NULL)
		return (EFAULT);
	if ((co->co_flags & VPC_COF_DEADOK) == 0 && vpc_obj_dead(d->d_obj))
		return (ENXIO);
	(void)outp;
	return (-1);
}

/*
 * Before a call the handler will see: make sure z_prev holds the dump
 * of the current state (it is stale after a successful change).
 */
static void
before_handler(void)
{
	uint8_t *t;

	if (!z.z_stale)
		return;
	dump();
	t = z.z_prev;
	z.z_prev = z.z_dump;
	z.z_dump = t;
	z.z_plen = z.z_dlen;
	z.z_stale = 0;
}

/* After a call: a failure changed nothing; a success may have. */
static void
after(int error, int mutated)
{
	uint8_t *t;

	if (error == 0) {
		if (mutated)
			z.z_stale = 1;
		return;
	}
	FZ_CHECK(!z.z_stale);
	dump();
	if (error != 0) {
		if (z.z_dlen != z.z_plen ||
		    memcmp(z.z_dump, z.z_prev, z.z_dlen) != 0) {
			fprintf(stderr, "failed call (errno %d) changed the "
			    "registry dump (%zu -> %zu bytes)\n", error,
			    z.z_plen, z.z_dlen);
			FZ_CHECK(!"a failed call changed state");
		}
		return;
	}
	t = z.z_prev;
	z.z_prev = z.z_dump;
	z.z_dump = t;
	z.z_plen = z.z_dlen;
}

static void
rec_ctl(struct fz_rd *r)
{
	const struct vpc_ctl_op *co;
	const struct vpc_cred *cred;
	struct vpc_desc *d;
	vpc_rights_t before;
	vpc_id_t id;
	vpc_op_t op;
	size_t innbyte, cap, outn, *outp, i, alloc;
	uint32_t count;
	uint8_t di, sel, mut, sm, om, *in, *out;
	static uint8_t lbuf[2][4096];
	size_t l0 = 0, l1;
	int error, want, big;

	di = fz_u8(r) % NDESC;
	sel = fz_u8(r);
	mut = fz_u8(r);
	sm = fz_u8(r);
	om = fz_u8(r);
	co = NULL;
	if (sel < 0xc0) {
		co = rows[sel % nrows];
		op = co->co_op;
		switch (mut % 8) {
		case 5:
			op ^= 1u << (fz_u8(r) % 32);
			break;
		case 6:
			op = (op & ~0xff00u) | (uint32_t)fz_u8(r) << 8;
			break;
		case 7:
			op |= (1u << (16 + fz_u8(r) % 12));
			break;
		}
	} else
		op = fz_u32(r);
	cred = (om & 0x80) != 0 ? &fz_user : &fz_priv;

	/* Input size. */
	innbyte = co != NULL ? co->co_insize : 4;
	big = 0;
	switch (sm % 8) {
	case 4:
		innbyte = innbyte > 0 ? innbyte - 1 : 0;
		break;
	case 5:
		innbyte++;
		break;
	case 6:
		innbyte = fz_u16(r) % 300;
		break;
	case 7:
		innbyte = VPC_CTL_IN_MAX + 1 + fz_u16(r);
		big = 1;
		break;
	}
	count = 0;
	if (co != NULL && (co->co_flags & VPC_COF_INLIST) != 0 &&
	    sm % 8 < 6) {
		count = fz_u8(r) % 4;
		innbyte = co->co_insize + count * co->co_inentry +
		    (sm % 8 == 5) - (sm % 8 == 4);
	}
	alloc = big ? 64 : innbyte;
	in = malloc(alloc > 0 ? alloc : 1);
	FZ_CHECK(in != NULL);
	if ((sm & 0x08) != 0 && co != NULL &&
	    co->co_insize == sizeof(vpc_id_t) && alloc >= sizeof(vpc_id_t)) {
		fz_id(&id, fz_u8(r) % NIDS);
		memcpy(in, &id, sizeof(id));
		fz_bytes(r, in + sizeof(id), alloc - sizeof(id));
	} else
		fz_bytes(r, in, alloc);
	if (co != NULL && (co->co_flags & VPC_COF_INLIST) != 0 &&
	    alloc >= co->co_incount + 4 && sm % 8 < 6)
		memcpy(in + co->co_incount, &count, 4);
	if ((sm & 0x10) != 0 && alloc >= 4 && co != NULL &&
	    (co->co_op & 0xff00) != 0 && co->co_insize >= 4)
		memcpy(in, &(uint32_t){ 100 }, 4);	/* a VNI that exists */

	/* Output capacity. */
	cap = co != NULL && (co->co_flags & VPC_COF_OUTLIST) == 0 ?
	    co->co_outsize : 4096;
	outp = &outn;
	out = NULL;
	switch ((om >> 3) % 8) {
	case 2:
		cap = cap > 0 ? cap - 1 : 0;
		break;
	case 3:
		cap = 0;
		break;
	case 4:
		cap = IO_MAX;
		break;
	case 5:
		out = (uint8_t *)-1;	/* NULL below, capacity kept */
		break;
	case 6:
		outp = NULL;
		cap = 0;
		break;
	case 7:
		cap = fz_u16(r) % 512;
		break;
	}
	if (out == NULL) {
		out = malloc(cap > 0 ? cap : 1);
		FZ_CHECK(out != NULL);
		memset(out, CANARY, cap > 0 ? cap : 1);
	} else
		out = NULL;
	outn = cap;

	if ((d = z.z_d[di]) == NULL) {
		free(in);
		free(out);
		return;
	}
	before = d->d_rights;
	want = model(d, op, innbyte, (om & 0x40) ? NULL : in, cap, out, outp,
	    cred);
	if (want == -1)
		before_handler();
	else
		l0 = light(lbuf[0]);
	error = vpc_desc_ctl(d, op, (om & 0x40) ? NULL : in, innbyte, out,
	    outp, cred);
	if (!errno_documented(error) || (want != -1 && error != want)) {
		fprintf(stderr, "op %#x in %zu cap %zu on type %u rights %u: "
		    "errno %d, model %d\n", op, innbyte, cap,
		    d->d_obj->o_type, before, error, want);
		FZ_CHECK(errno_documented(error));
		FZ_CHECK(want == -1 || error == want);
	}
	FZ_CHECK((d->d_rights & ~before) == 0);
	if (error != 0 && error != ERANGE && outp != NULL)
		FZ_CHECK(outn == 0);
	if (error == ERANGE && outp != NULL)
		FZ_CHECK(outn > cap);
	if (error != 0 && out != NULL)
		for (i = 0; i < cap; i++)
			FZ_CHECK(out[i] == CANARY);
	if (error == 0 && outp != NULL) {
		FZ_CHECK(outn <= cap);
		if (co != NULL && co->co_op == op &&
		    (co->co_flags & VPC_COF_OUTLIST) == 0)
			FZ_CHECK(outn == co->co_outsize);
		if (co != NULL && co->co_op == op &&
		    (co->co_flags & VPC_COF_OUTLIST) != 0)
			FZ_CHECK(outn % co->co_outsize == 0);
	}
	if (error == 0) {
		FZ_CHECK((op & VPC_OPF_MUTATE) == 0 ||
		    (before & VPC_R_WRITE) != 0);
		FZ_CHECK((op & VPC_OPF_PRIV) == 0 || cred->vc_priv);
	}
	free(in);
	free(out);
	if (want != -1) {
		/* Refused before any handler: nothing it could touch moved. */
		FZ_CHECK(error != 0);
		l1 = light(lbuf[1]);
		FZ_CHECK(l0 == l1 && memcmp(lbuf[0], lbuf[1], l0) == 0);
		return;
	}
	after(error, (op & VPC_OPF_MUTATE) != 0 || op == VPC_OP_RESTRICT);
}

static void
rec_open(struct fz_rd *r)
{
	const struct vpc_cred *cred;
	struct vpc_desc *d;
	vpc_id_t id;
	uint32_t type, flags, slot;
	uint8_t b;
	int error;

	fz_id(&id, fz_u8(r) % NIDS);
	type = fz_u8(r) % (VPC_TYPE_MAX + 1);
	b = fz_u8(r);
	flags = b & 0x1f;
	cred = (b & 0x80) != 0 ? &fz_user : &fz_priv;
	for (slot = 0; slot < NDESC && z.z_d[slot] != NULL; slot++)
		;
	if (slot == NDESC)
		return;
	before_handler();
	error = vpc_desc_open(z.z_rg, &id, type, flags, cred, &d);
	FZ_CHECK(errno_documented(error));
	if ((flags & ~VPC_F_ALL) != 0 || (flags & 3) == 0 ||
	    (flags & 0xc) == 0 || type >= VPC_TYPE_MAX)
		FZ_CHECK(error == EINVAL);
	if (!cred->vc_priv && (flags & (VPC_F_CREATE | VPC_F_WRITE)) != 0)
		FZ_CHECK(error != 0);
	if (error == 0) {
		FZ_CHECK(d->d_obj->o_type == type);
		FZ_CHECK(d->d_rights == (((flags & VPC_F_READ) ?
		    VPC_R_READ : 0) | ((flags & VPC_F_WRITE) ? VPC_R_WRITE :
		    0)));
		z.z_d[slot] = d;
	}
	after(error, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *bufs[2];
	static int selftested;
	static uint8_t *base;
	static size_t baselen;
	struct fz_rd r;
	uint8_t a, di;
	int i;

	if (nrows == 0) {
		fz_quiet();
		(void)vpc_ctl_foreach_op(row_add, NULL);
		bufs[0] = malloc(DUMP_MAX);
		bufs[1] = malloc(DUMP_MAX);
		FZ_CHECK(bufs[0] != NULL && bufs[1] != NULL);
	}
	z.z_dump = bufs[0];
	z.z_prev = bufs[1];
	z.z_plen = 0;
	build();
	/* Every input starts from the same state: its dump is cached. */
	if (base == NULL) {
		dump();
		base = malloc(z.z_dlen);
		FZ_CHECK(base != NULL);
		memcpy(base, z.z_dump, z.z_dlen);
		baselen = z.z_dlen;
	}
	memcpy(z.z_prev, base, baselen);
	z.z_plen = baselen;
	z.z_stale = 0;
	if (!selftested) {
		/* The dump must see a change, or it proves nothing. */
		fz_ctl32(z.z_d[1], VPC_OP_SW_MODE_SET, VPC_SW_MODE_LEARNING);
		dump();
		FZ_CHECK(z.z_dlen != z.z_plen ||
		    memcmp(z.z_dump, z.z_prev, z.z_dlen) != 0);
		fz_ctl32(z.z_d[1], VPC_OP_SW_MODE_SET, VPC_SW_MODE_PROGRAMMED);
		dump();
		FZ_CHECK(z.z_dlen == z.z_plen &&
		    memcmp(z.z_dump, z.z_prev, z.z_dlen) == 0);
		selftested = 1;
	}
	r.r_p = data;
	r.r_left = size;
	for (i = 0; i < NREC && r.r_left > 0; i++) {
		a = fz_u8(&r);
		switch (a % 8) {
		case A_OPEN:
			rec_open(&r);
			break;
		case A_CLOSE:
			di = fz_u8(&r) % NDESC;
			if (z.z_d[di] != NULL) {
				vpc_desc_close(z.z_d[di]);
				z.z_d[di] = NULL;
				after(0, 1);
			}
			break;
		case A_HOST:
			z.z_fail_set = (a & 0x10) != 0;
			z.z_fail_create = (a & 0x20) != 0;
			break;
		default:
			rec_ctl(&r);
			break;
		}
	}
	for (i = 0; i < NDESC; i++)
		if (z.z_d[i] != NULL)
			vpc_desc_close(z.z_d[i]);
	vpc_registry_destroy(z.z_rg);
	z.z_rg = NULL;
	return (0);
}
