/*
 * vpcd_state.c: committed objects survive a restart of vpcd.
 *
 * The state directory (-S, default /var/db/vpcd) holds:
 *   lock        flock(2)ed while a vpcd uses the directory
 *   state       a snapshot: one batch of records, replaced atomically
 *               (write state.tmp, fsync, rename, fsync the directory)
 *   state.prev  the snapshot before it, used if "state" is damaged
 *   journal     batches of records appended since the snapshot
 * A record is a ctl request addressed to an object, exactly as a client
 * would send it (struct st_rec, then the input), or where a vmnic's or
 * vpci's TAP is (struct vpcd_nicrec).  A batch is a fixed-width header
 * (magic, version, kind, generation, record count, length, CRC-32) and
 * its records.  A snapshot is the core's dump of every committed object
 * (vpc_snapshot_all()); the journal gets, after each successful mutating
 * request on a committed object, that request itself, and on COMMIT the
 * object's whole dump; so restoring reads the snapshot, then the
 * journal, keeps the last record for each setting, table entry and
 * relation, and replays the result through vpc_desc_open() and
 * vpc_desc_ctl(): every restored object is checked like a client's.
 *
 * What a record sets is its key (object, setting or table key); COMMIT
 * and DESTROY records reset an object: its older records no longer
 * count, nor do relations to it recorded before.  A relation is kept
 * only if both its objects are committed.  Uncommitted objects and
 * learned entries are never stored.
 *
 * A start where some request fails to replay (an address or device not
 * there yet) writes as its new snapshot what it read, not the objects it
 * restored (st_fold()), and does not compact while it runs: what failed
 * is tried again at the next start instead of being dropped for good.
 *
 * Durability.  The journal batch is written before the reply goes out,
 * so an acknowledged request survives vpcd being killed; fdatasync(2)
 * follows within ST_SYNC_MS (group commit), so it survives a crash of
 * the machine after that.  A batch torn by a crash, or damaged, fails its
 * CRC: it and everything after it are ignored and the log says so; the
 * state is then the one before that batch.  When the journal outgrows
 * the snapshot, it is folded into a new snapshot of the next
 * generation and emptied; batches of an older generation are ignored,
 * so a crash in between loses nothing.  File I/O happens only on control
 * requests, in the one-second tick and when compacting: never on the
 * packet path.
 */

#include <sys/file.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_state.h"
#include "vpc_obj.h"

#define	ST_MAGIC	0x56504353u	/* "VPCS" */
#define	ST_VERSION	1
#define	ST_KIND_SNAP	1		/* the whole state */
#define	ST_KIND_JOURNAL	2		/* changes after a snapshot */
#define	ST_OP_NIC	0u		/* record op of a struct vpcd_nicrec */
#define	ST_REC_MAX	(VPC_CTL_IN_MAX + 64) /* largest record input */
#define	ST_SYNC_MS	50		/* fdatasync at most this late */
#define	ST_COMPACT_MIN	(4u << 20)	/* journal bytes before compacting */
#define	ST_COMPACT_X	4		/* ... or this many snapshots' worth */

/* Header of a batch (a snapshot, or one journal append). */
struct st_hdr {
	uint32_t	sh_magic;	/* ST_MAGIC */
	uint16_t	sh_version;	/* ST_VERSION */
	uint16_t	sh_kind;	/* ST_KIND_* */
	uint32_t	sh_gen;		/* snapshot generation */
	uint32_t	sh_nrec;	/* records that follow */
	uint64_t	sh_nbytes;	/* their bytes */
	uint32_t	sh_crc;		/* CRC-32: header (this 0), records */
	uint32_t	sh_pad;		/* zero */
};
VPC_STATIC_ASSERT(sizeof(struct st_hdr) == 32, "state batch header");

/* Header of a record; r_len input bytes follow, padded to 8. */
struct st_rec {
	vpc_id_t	r_id;		/* object addressed */
	uint32_t	r_type;		/* its type */
	uint32_t	r_op;		/* VPC_OP_*, or ST_OP_NIC */
	uint32_t	r_len;		/* input bytes */
	uint32_t	r_pad;		/* zero */
};
VPC_STATIC_ASSERT(sizeof(struct st_rec) == 32, "state record header");
VPC_STATIC_ASSERT(sizeof(struct vpcd_nicrec) == 128, "state NIC record");

#define	ST_PAD8(n)	(((n) + 7) & ~(size_t)7)

/* A batch being built in memory. */
struct st_buf {
	uint8_t		*b_p;		/* header, then records */
	size_t		 b_len;		/* bytes used */
	size_t		 b_cap;		/* bytes allocated */
	uint32_t	 b_nrec;	/* records */
	int		 b_error;	/* out of memory on the way */
};

/* The state directory of this vpcd. */
struct vpcd_state {
	struct vpcd	*s_vpcd;	/* the daemon */
	char		*s_dir;		/* its path, for logs */
	int		 s_dirfd;	/* the directory */
	int		 s_lockfd;	/* "lock", flock()ed */
	int		 s_jfd;		/* "journal", O_APPEND */
	uint32_t	 s_gen;		/* generation of "state" */
	uint64_t	 s_jsize;	/* journal bytes */
	uint64_t	 s_snapsize;	/* snapshot bytes */
	int		 s_unsynced;	/* journal written, not yet synced */
	uint64_t	 s_synced_ms;	/* last fdatasync */
	int		 s_broken;	/* a write failed: compact */
	int		 s_kept;	/* failed records kept: no compacting */
	struct st_buf	 s_batch;	/* reused for journal batches */
};

/* Key kinds: what a record sets (see st_key()). */
enum st_kind {
	K_OBJ = 1,	/* COMMIT or DESTROY: the object itself */
	K_NIC,		/* where a vmnic's or vpci's TAP is */
	K_ATTR,		/* a setting: k_a is the op */
	K_ARP,		/* ARP entry: k_a VNI, k_b IPv4 */
	K_FLOOD,	/* flood list: k_a VNI */
	K_FWD,		/* static forwarding entry: k_a VNI, k_b MAC */
	K_SW,		/* switch of a port (key: the port) */
	K_PEER		/* peer of a port */
};

/* What a record sets. */
struct st_key {
	vpc_id_t	k_id;		/* object whose key it is */
	uint32_t	k_kind;		/* enum st_kind */
	uint32_t	k_a;		/* see enum st_kind */
	uint64_t	k_b;		/* see enum st_kind */
};

/* A record read back, in the order read (k_seq). */
struct st_ent {
	struct st_key	 e_key;		/* what it sets */
	uint32_t	 e_seq;		/* position: later wins */
	int		 e_tomb;	/* it removes the key */
	const struct st_rec *e_rec;	/* the record */
};

/* A restored object. */
struct st_obj {
	vpc_id_t	 so_id;		/* its id */
	uint32_t	 so_type;	/* its type */
	uint32_t	 so_reset;	/* seq of its COMMIT record */
	struct vpc_desc	*so_desc;	/* open while restoring, or NULL */
	const struct vpcd_nicrec *so_nic; /* where its TAP was, or NULL */
};

/* Everything read back at start. */
struct st_load {
	uint8_t		*l_files[2];	/* snapshot, journal contents */
	struct st_ent	*l_ents;	/* records */
	size_t		 l_nent;
	size_t		 l_cap;
	struct st_obj	*l_objs;	/* committed objects, by id */
	size_t		 l_nobj;
	uint32_t	 l_nsnap;	/* records from the snapshot */
	uint32_t	 l_njournal;	/* from the journal */
	uint32_t	 l_nreq;	/* requests replayed */
	uint32_t	 l_nfail;	/* of which failed */
};

static struct vpcd_state *st;		/* the one state of this vpcd */
static uint32_t crc_table[256];

static void	crc_init(void);
static uint32_t	crc32_update(uint32_t crc, const void *p, size_t n);
static int	buf_need(struct st_buf *b, size_t more);
static void	buf_begin(struct st_buf *b);
static void	buf_rec(struct st_buf *b, const vpc_id_t *id, uint32_t type,
		    uint32_t op, const void *in, size_t inlen, const void *in2,
		    size_t in2len);
static void	buf_finish(struct st_buf *b, uint16_t kind, uint32_t gen);
static int	snap_cb(void *arg, const struct vpc_snaprec *r);
static int	nic_cb(void *arg, struct vpc_obj *o);
static int	nic_force_cb(void *arg, struct vpc_obj *o);
static int	keep_cb(void *arg, struct vpc_obj *o);
static void	st_nic_rec(struct st_buf *b, struct vpc_obj *o, int force);
static void	st_journal(struct st_buf *b);
static int	st_compact(void);
static int	st_seq_cmp(const void *a, const void *b);
static int	st_fold(struct st_load *l);
static int	st_write_snap(struct st_buf *b);
static int	st_write_all(int fd, const void *p, size_t n);
static int	st_read_file(const char *name, uint8_t **pp, size_t *lenp);
static int	st_batch_check(const uint8_t *p, size_t len, uint16_t kind,
		    const char **why);
static int	st_load_snapshot(struct st_load *l, uint32_t *genp);
static void	st_load_journal(struct st_load *l, uint32_t gen);
static int	st_add_batch(struct st_load *l, const uint8_t *p);
static int	st_key(const struct st_rec *r, struct st_key *k, int *tomb);
static int	st_ent_cmp(const void *a, const void *b);
static int	st_obj_cmp(const void *a, const void *b);
static struct st_obj *st_obj_find(struct st_load *l, const vpc_id_t *id);
static int	st_valid(struct st_load *l, const struct st_ent *e);
static void	st_replay(struct st_load *l, const struct st_rec *r,
		    struct st_obj *o);
static void	st_create(struct st_load *l, struct st_obj *o);
static void	st_restore(struct st_load *l);
static void	st_load_free(struct st_load *l);
static const char *st_opname(uint32_t op);

static void
crc_init(void)
{
	uint32_t c, i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC-32 (IEEE 802.3) of 'n' bytes at 'p', continuing 'crc'. */
static uint32_t
crc32_update(uint32_t crc, const void *p, size_t n)
{
	const uint8_t *b = p;

	crc = ~crc;
	while (n-- > 0)
		crc = crc_table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return (~crc);
}

/*
 * Batches in memory.
 */

static int
buf_need(struct st_buf *b, size_t more)
{
	uint8_t *p;
	size_t cap;

	if (b->b_len + more <= b->b_cap)
		return (0);
	cap = b->b_cap == 0 ? 4096 : b->b_cap;
	while (cap < b->b_len + more)
		cap *= 2;
	if ((p = realloc(b->b_p, cap)) == NULL) {
		b->b_error = ENOMEM;
		return (ENOMEM);
	}
	b->b_p = p;
	b->b_cap = cap;
	return (0);
}

/* Start a batch: room for its header. */
static void
buf_begin(struct st_buf *b)
{
	b->b_len = 0;
	b->b_nrec = 0;
	b->b_error = 0;
	if (buf_need(b, sizeof(struct st_hdr)) == 0)
		b->b_len = sizeof(struct st_hdr);
}

/* Append a record: 'op' to 'id' of 'type', input 'in' then 'in2'. */
static void
buf_rec(struct st_buf *b, const vpc_id_t *id, uint32_t type, uint32_t op,
    const void *in, size_t inlen, const void *in2, size_t in2len)
{
	struct st_rec r;
	size_t n = inlen + in2len;

	if (b->b_error != 0 || n > ST_REC_MAX ||
	    buf_need(b, sizeof(r) + ST_PAD8(n)) != 0) {
		if (b->b_error == 0)
			b->b_error = E2BIG;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.r_id = *id;
	r.r_type = type;
	r.r_op = op;
	r.r_len = (uint32_t)n;
	memcpy(b->b_p + b->b_len, &r, sizeof(r));
	b->b_len += sizeof(r);
	if (inlen != 0)
		memcpy(b->b_p + b->b_len, in, inlen);
	if (in2len != 0)
		memcpy(b->b_p + b->b_len + inlen, in2, in2len);
	memset(b->b_p + b->b_len + n, 0, ST_PAD8(n) - n);
	b->b_len += ST_PAD8(n);
	b->b_nrec++;
}

/* Fill in the header of the batch in 'b'. */
static void
buf_finish(struct st_buf *b, uint16_t kind, uint32_t gen)
{
	struct st_hdr h;

	memset(&h, 0, sizeof(h));
	h.sh_magic = ST_MAGIC;
	h.sh_version = ST_VERSION;
	h.sh_kind = kind;
	h.sh_gen = gen;
	h.sh_nrec = b->b_nrec;
	h.sh_nbytes = b->b_len - sizeof(h);
	h.sh_crc = crc32_update(0, &h, sizeof(h));
	h.sh_crc = crc32_update(h.sh_crc, b->b_p + sizeof(h),
	    b->b_len - sizeof(h));
	memcpy(b->b_p, &h, sizeof(h));
}

/* vpc_snapshot_*() callback: append the record to the batch 'arg'. */
static int
snap_cb(void *arg, const struct vpc_snaprec *r)
{
	struct st_buf *b = arg;

	buf_rec(b, &r->sr_id, r->sr_type, r->sr_op, r->sr_in, r->sr_inlen,
	    r->sr_in2, r->sr_in2len);
	return (b->b_error);
}

/* Where the TAP of NIC 'o' is, if that changed (or 'force'). */
static void
st_nic_rec(struct st_buf *b, struct vpc_obj *o, int force)
{
	struct vpcd_nicrec nr;

	if ((VPC_TM(o->o_type) & VPC_TM_NIC) == 0 || o->o_dev == NULL)
		return;
	if (vpcd_nic_where(o->o_dev, &nr, force) == 1)
		buf_rec(b, &o->o_id, o->o_type, ST_OP_NIC, &nr, sizeof(nr),
		    NULL, 0);
}

static int
nic_cb(void *arg, struct vpc_obj *o)
{
	st_nic_rec(arg, o, 0);
	return (0);
}

static int
nic_force_cb(void *arg, struct vpc_obj *o)
{
	st_nic_rec(arg, o, 1);
	return (0);
}

/* At shutdown: committed NICs keep their TAP. */
static int
keep_cb(void *arg __unused, struct vpc_obj *o)
{
	if ((VPC_TM(o->o_type) & VPC_TM_NIC) != 0 && o->o_dev != NULL)
		vpcd_nic_keep(o->o_dev);
	return (0);
}

/*
 * Files.
 */

static int
st_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t r;

	while (n > 0) {
		r = write(fd, b, n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			return (errno);
		}
		b += r;
		n -= (size_t)r;
	}
	return (0);
}

/* Append the batch in 'b' to the journal (not yet synced). */
static void
st_journal(struct st_buf *b)
{
	int error;

	if (b->b_error != 0) {
		vpc_os_log(VPC_LOG_ERR, "state: cannot record a change: %s; "
		    "a snapshot follows", strerror(b->b_error));
		st->s_broken = 1;
		return;
	}
	if (b->b_nrec == 0)
		return;
	buf_finish(b, ST_KIND_JOURNAL, st->s_gen);
	if ((error = st_write_all(st->s_jfd, b->b_p, b->b_len)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "state: journal write in %s: %s; a "
		    "snapshot follows", st->s_dir, strerror(error));
		/* Cut a partial batch off so later ones stay readable. */
		(void)ftruncate(st->s_jfd, (off_t)st->s_jsize);
		st->s_broken = 1;
		return;
	}
	st->s_jsize += b->b_len;
	st->s_unsynced = 1;
}

/*
 * Write a snapshot of every committed object as generation s_gen + 1
 * (see st_write_snap()).  Returns 0 or an errno (logged; the previous
 * snapshot and journal stay valid).
 */
static int
st_compact(void)
{
	struct st_buf b;
	uint64_t t0;
	int error;

	t0 = vpc_os_uptime_ms();
	memset(&b, 0, sizeof(b));
	buf_begin(&b);
	(void)vpc_snapshot_all(st->s_vpcd->v_reg, snap_cb, &b);
	(void)vpc_snapshot_foreach(st->s_vpcd->v_reg, nic_force_cb, &b);
	error = st_write_snap(&b);
	if (error == 0)
		vpc_os_log(VPC_LOG_DEBUG, "state: snapshot %u: %u records, "
		    "%zu bytes, %ju ms", st->s_gen, b.b_nrec, b.b_len,
		    (uintmax_t)(vpc_os_uptime_ms() - t0));
	free(b.b_p);
	return (error);
}

/* By position: the order the records were read in. */
static int
st_seq_cmp(const void *a, const void *b)
{
	const struct st_ent *x = a, *y = b;

	return (x->e_seq < y->e_seq ? -1 : x->e_seq > y->e_seq);
}

/*
 * Write what 'l' restored from, rather than the live objects, as the
 * snapshot of the next generation: the record that won each key, in the
 * order read, which a later start replays to the same result.  For a
 * start where some requests failed (an address or device not there yet):
 * a snapshot of the live objects would drop what failed, for good.
 */
static int
st_fold(struct st_load *l)
{
	struct st_buf b;
	const struct st_rec *r;
	size_t i;
	int error;

	memset(&b, 0, sizeof(b));
	buf_begin(&b);
	qsort(l->l_ents, l->l_nent, sizeof(*l->l_ents), st_seq_cmp);
	for (i = 0; i < l->l_nent; i++) {
		r = l->l_ents[i].e_rec;
		buf_rec(&b, &r->r_id, r->r_type, r->r_op, r + 1, r->r_len,
		    NULL, 0);
	}
	error = st_write_snap(&b);
	free(b.b_p);
	return (error);
}

/*
 * Write the records in 'b' (begun with buf_begin()) as the snapshot of
 * generation s_gen + 1 (state.tmp, fsync, state -> state.prev,
 * state.tmp -> state, fsync the directory), then empty the journal.
 * Returns 0 or an errno (logged; the previous snapshot and journal stay
 * valid).
 */
static int
st_write_snap(struct st_buf *b)
{
	int error, fd;

	if (b->b_error != 0) {
		error = b->b_error;
		goto out;
	}
	buf_finish(b, ST_KIND_SNAP, st->s_gen + 1);
	fd = openat(st->s_dirfd, "state.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		error = errno;
		goto out;
	}
	if ((error = st_write_all(fd, b->b_p, b->b_len)) == 0 &&
	    fsync(fd) == -1)
		error = errno;
	close(fd);
	if (error != 0)
		goto out;
	if (renameat(st->s_dirfd, "state", st->s_dirfd, "state.prev") == -1 &&
	    errno != ENOENT) {
		error = errno;
		goto out;
	}
	if (renameat(st->s_dirfd, "state.tmp", st->s_dirfd, "state") == -1 ||
	    fsync(st->s_dirfd) == -1) {
		error = errno;
		goto out;
	}
	/* The new generation is on disk: older journal batches are void. */
	st->s_gen++;
	st->s_snapsize = b->b_len;
	if (ftruncate(st->s_jfd, 0) == -1 || fdatasync(st->s_jfd) == -1)
		vpc_os_log(VPC_LOG_WARN, "state: cannot empty the journal: "
		    "%s (its batches are of an older generation)",
		    strerror(errno));
	st->s_jsize = 0;
	st->s_unsynced = 0;
	st->s_broken = 0;
	return (0);
out:
	vpc_os_log(VPC_LOG_ERR, "state: cannot write a snapshot in %s: %s",
	    st->s_dir, strerror(error));
	st->s_broken = 1;
	return (error);
}

/* Read file 'name' of the state directory.  ENOENT if absent. */
static int
st_read_file(const char *name, uint8_t **pp, size_t *lenp)
{
	struct stat sb;
	uint8_t *p;
	size_t got;
	ssize_t r;
	int error, fd;

	*pp = NULL;
	*lenp = 0;
	if ((fd = openat(st->s_dirfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return (errno);
	if (fstat(fd, &sb) == -1) {
		error = errno;
		close(fd);
		return (error);
	}
	if ((p = malloc((size_t)sb.st_size + 1)) == NULL) {
		close(fd);
		return (ENOMEM);
	}
	for (got = 0; got < (size_t)sb.st_size; got += (size_t)r) {
		r = read(fd, p + got, (size_t)sb.st_size - got);
		if (r == -1 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0)
			break;
	}
	close(fd);
	*pp = p;
	*lenp = got;
	return (0);
}

/*
 * Whether 'len' bytes at 'p' start with a whole, undamaged batch of
 * 'kind': returns its length, or 0 with the reason in '*why'.
 */
static int
st_batch_check(const uint8_t *p, size_t len, uint16_t kind,
    const char **why)
{
	struct st_hdr h;
	const struct st_rec *r;
	uint32_t crc, n;
	size_t off;

	if (len < sizeof(h)) {
		*why = "truncated header";
		return (0);
	}
	memcpy(&h, p, sizeof(h));
	if (h.sh_magic != ST_MAGIC || h.sh_kind != kind || h.sh_pad != 0) {
		*why = "bad magic";
		return (0);
	}
	if (h.sh_version != ST_VERSION) {
		*why = "unknown version";
		return (0);
	}
	/* The length returned must fit an int. */
	if (h.sh_nbytes > len - sizeof(h) ||
	    h.sh_nbytes > (1ull << 31) - 1 - sizeof(h)) {
		*why = "truncated (torn write)";
		return (0);
	}
	crc = h.sh_crc;
	h.sh_crc = 0;
	if (crc32_update(crc32_update(0, &h, sizeof(h)), p + sizeof(h),
	    (size_t)h.sh_nbytes) != crc) {
		*why = "checksum mismatch";
		return (0);
	}
	/* Record framing, so that readers can trust it. */
	for (off = sizeof(h), n = 0; off < sizeof(h) + h.sh_nbytes; n++) {
		if (sizeof(h) + h.sh_nbytes - off < sizeof(*r)) {
			*why = "bad record framing";
			return (0);
		}
		r = (const struct st_rec *)(const void *)(p + off);
		if (r->r_len > ST_REC_MAX || ST_PAD8(r->r_len) >
		    sizeof(h) + h.sh_nbytes - off - sizeof(*r)) {
			*why = "bad record length";
			return (0);
		}
		off += sizeof(*r) + ST_PAD8(r->r_len);
	}
	if (n != h.sh_nrec) {
		*why = "bad record count";
		return (0);
	}
	return ((int)(sizeof(h) + h.sh_nbytes));
}

/* Add the records of the (checked) batch at 'p'; returns their count. */
static int
st_add_batch(struct st_load *l, const uint8_t *p)
{
	struct st_hdr h;
	const struct st_rec *r;
	struct st_ent *e;
	size_t off;
	uint32_t i;

	memcpy(&h, p, sizeof(h));
	if (l->l_nent + h.sh_nrec > l->l_cap) {
		size_t cap = l->l_cap == 0 ? 1024 : l->l_cap;

		while (cap < l->l_nent + h.sh_nrec)
			cap *= 2;
		e = realloc(l->l_ents, cap * sizeof(*e));
		if (e == NULL)
			return (-1);
		l->l_ents = e;
		l->l_cap = cap;
	}
	for (i = 0, off = sizeof(h); i < h.sh_nrec; i++) {
		r = (const struct st_rec *)(const void *)(p + off);
		off += sizeof(*r) + ST_PAD8(r->r_len);
		e = &l->l_ents[l->l_nent];
		if (st_key(r, &e->e_key, &e->e_tomb) != 0) {
			vpc_os_log(VPC_LOG_WARN, "state: record with op %#x "
			    "(type %u, %u bytes) not understood; skipped",
			    r->r_op, r->r_type, r->r_len);
			continue;
		}
		e->e_seq = (uint32_t)l->l_nent;
		e->e_rec = r;
		l->l_nent++;
	}
	return ((int)h.sh_nrec);
}

/*
 * Read "state" (or, if it is damaged or missing, "state.prev") into 'l';
 * its generation in '*genp' (0: none).  A damaged snapshot is renamed
 * "state.corrupt" and the log says why.
 */
static int
st_load_snapshot(struct st_load *l, uint32_t *genp)
{
	static const char *const names[2] = { "state", "state.prev" };
	struct st_hdr h;
	const char *why;
	size_t len;
	int error, i, n;

	*genp = 0;
	for (i = 0; i < 2; i++) {
		error = st_read_file(names[i], &l->l_files[0], &len);
		if (error == ENOENT)
			continue;
		if (error != 0) {
			vpc_os_log(VPC_LOG_ERR, "state: cannot read %s/%s: %s",
			    st->s_dir, names[i], strerror(error));
			return (error);
		}
		if ((n = st_batch_check(l->l_files[0], len, ST_KIND_SNAP,
		    &why)) == 0 || (size_t)n != len) {
			vpc_os_log(VPC_LOG_ERR, "state: %s/%s is damaged (%s); "
			    "kept as %s.corrupt, trying the previous one",
			    st->s_dir, names[i], n == 0 ? why :
			    "trailing bytes", names[i]);
			free(l->l_files[0]);
			l->l_files[0] = NULL;
			(void)renameat(st->s_dirfd, names[i], st->s_dirfd,
			    i == 0 ? "state.corrupt" : "state.prev.corrupt");
			continue;
		}
		memcpy(&h, l->l_files[0], sizeof(h));
		if (st_add_batch(l, l->l_files[0]) < 0)
			return (ENOMEM);
		l->l_nsnap = h.sh_nrec;
		*genp = h.sh_gen;
		if (i == 1)
			vpc_os_log(VPC_LOG_WARN, "state: using %s/state.prev "
			    "(generation %u)", st->s_dir, h.sh_gen);
		return (0);
	}
	return (0);
}

/*
 * Read the journal batches of generation 'gen' into 'l', up to the
 * first damaged one.
 */
static void
st_load_journal(struct st_load *l, uint32_t gen)
{
	struct st_hdr h;
	const char *why;
	size_t len, off;
	uint32_t skipped = 0;
	int error, n;

	error = st_read_file("journal", &l->l_files[1], &len);
	if (error != 0) {
		if (error != ENOENT)
			vpc_os_log(VPC_LOG_ERR, "state: cannot read %s/journal:"
			    " %s", st->s_dir, strerror(error));
		return;
	}
	for (off = 0; off < len; off += (size_t)n) {
		n = st_batch_check(l->l_files[1] + off, len - off,
		    ST_KIND_JOURNAL, &why);
		if (n == 0) {
			vpc_os_log(VPC_LOG_WARN, "state: journal batch at "
			    "offset %zu is damaged (%s): it and the %zu bytes "
			    "after it are ignored; the state is the one before"
			    " it", off, why, len - off);
			break;
		}
		memcpy(&h, l->l_files[1] + off, sizeof(h));
		if (h.sh_gen != gen) {
			/* Written before the snapshot that includes it. */
			skipped++;
			continue;
		}
		if (st_add_batch(l, l->l_files[1] + off) < 0)
			break;
		l->l_njournal += h.sh_nrec;
	}
	if (skipped != 0)
		vpc_os_log(VPC_LOG_INFO, "state: %u journal batches of an older"
		    " generation ignored (in the snapshot)", skipped);
}

/*
 * What record 'r' sets, in '*k'; '*tomb' if it removes it.  Returns 0,
 * or -1 for a record this version does not understand.
 */
static int
st_key(const struct st_rec *r, struct st_key *k, int *tomb)
{
	const uint8_t *in = (const uint8_t *)(r + 1);
	struct vpc_neigh n;
	struct vpc_fwd f;
	struct vpc_flood_hdr fh;

	memset(k, 0, sizeof(*k));
	k->k_id = r->r_id;
	*tomb = 0;
	switch (r->r_op) {
	case VPC_OP_COMMIT:
	case VPC_OP_DESTROY:
		k->k_kind = K_OBJ;
		*tomb = r->r_op == VPC_OP_DESTROY;
		return (0);
	case ST_OP_NIC:
		if (r->r_len != sizeof(struct vpcd_nicrec))
			return (-1);
		k->k_kind = K_NIC;
		return (0);
	case VPC_OP_SW_ARP_ADD:
	case VPC_OP_SW_ARP_DEL:
		if (r->r_len != sizeof(n))
			return (-1);
		memcpy(&n, in, sizeof(n));
		k->k_kind = K_ARP;
		k->k_a = n.vn_vni;
		k->k_b = vpc_get_be32(n.vn_ip.va_addr);
		*tomb = r->r_op == VPC_OP_SW_ARP_DEL;
		return (0);
	case VPC_OP_SW_FLOOD_SET:
		if (r->r_len < sizeof(fh))
			return (-1);
		memcpy(&fh, in, sizeof(fh));
		k->k_kind = K_FLOOD;
		k->k_a = fh.vfh_vni;
		*tomb = fh.vfh_count == 0;
		return (0);
	case VPC_OP_VPCLINK_FWD_SET:
	case VPC_OP_VPCLINK_FWD_DEL:
		if (r->r_len != sizeof(f))
			return (-1);
		memcpy(&f, in, sizeof(f));
		k->k_kind = K_FWD;
		k->k_a = f.vf_vni;
		k->k_b = vpc_mac48(f.vf_mac);
		*tomb = r->r_op == VPC_OP_VPCLINK_FWD_DEL;
		return (0);
	case VPC_OP_SW_PORT_ADD:
	case VPC_OP_SW_PORT_DEL:
		/* The key is the port's; the switch is the record's id. */
		if (r->r_len != sizeof(vpc_id_t))
			return (-1);
		memcpy(&k->k_id, in, sizeof(vpc_id_t));
		k->k_kind = K_SW;
		*tomb = r->r_op == VPC_OP_SW_PORT_DEL;
		return (0);
	case VPC_OP_PORT_CONNECT:
	case VPC_OP_PORT_DISCONNECT:
		/* st_valid() reads a CONNECT's peer. */
		if (r->r_len != (r->r_op == VPC_OP_PORT_CONNECT ?
		    sizeof(vpc_id_t) : 0))
			return (-1);
		k->k_kind = K_PEER;
		*tomb = r->r_op == VPC_OP_PORT_DISCONNECT;
		return (0);
	case VPC_OP_MAC_SET:
	case VPC_OP_MTU_SET:
	case VPC_OP_SW_MODE_SET:
	case VPC_OP_PORT_VNI_SET:
	case VPC_OP_PORT_VLAN_SET:
	case VPC_OP_VMNIC_QUEUES_SET:
	case VPC_OP_VPCI_QUEUES_SET:
	case VPC_OP_ETHLINK_ATTACH:
	case VPC_OP_ETHLINK_VLAN_SET:
	case VPC_OP_VPCLINK_LOCAL_SET:
		k->k_kind = K_ATTR;
		k->k_a = r->r_op;
		return (0);
	default:
		return (-1);
	}
}

/* By key, then by position. */
static int
st_ent_cmp(const void *a, const void *b)
{
	const struct st_ent *x = a, *y = b;
	int c;

	if ((c = memcmp(&x->e_key.k_id, &y->e_key.k_id,
	    sizeof(vpc_id_t))) != 0)
		return (c);
	if (x->e_key.k_kind != y->e_key.k_kind)
		return (x->e_key.k_kind < y->e_key.k_kind ? -1 : 1);
	if (x->e_key.k_a != y->e_key.k_a)
		return (x->e_key.k_a < y->e_key.k_a ? -1 : 1);
	if (x->e_key.k_b != y->e_key.k_b)
		return (x->e_key.k_b < y->e_key.k_b ? -1 : 1);
	return (x->e_seq < y->e_seq ? -1 : x->e_seq > y->e_seq);
}

static int
st_obj_cmp(const void *a, const void *b)
{
	return (memcmp(&((const struct st_obj *)a)->so_id,
	    &((const struct st_obj *)b)->so_id, sizeof(vpc_id_t)));
}

static struct st_obj *
st_obj_find(struct st_load *l, const vpc_id_t *id)
{
	struct st_obj key;

	key.so_id = *id;
	return (bsearch(&key, l->l_objs, l->l_nobj, sizeof(key), st_obj_cmp));
}

/*
 * Whether the last record 'e' of its key still counts: its object is
 * committed and was not reset after it, and for a relation the same
 * holds for the other object.
 */
static int
st_valid(struct st_load *l, const struct st_ent *e)
{
	const struct st_rec *r = e->e_rec;
	struct st_obj *o, *other;
	vpc_id_t oid;

	if (e->e_tomb || (o = st_obj_find(l, &e->e_key.k_id)) == NULL ||
	    e->e_seq <= o->so_reset || o->so_desc == NULL)
		return (0);
	if (e->e_key.k_kind == K_SW)
		oid = r->r_id;
	else if (e->e_key.k_kind == K_PEER)
		memcpy(&oid, r + 1, sizeof(oid));
	else
		return (1);
	other = st_obj_find(l, &oid);
	return (other != NULL && other->so_desc != NULL &&
	    e->e_seq > other->so_reset);
}

static const char *
st_opname(uint32_t op)
{
	const struct vpc_ctl_op *row = vpc_ctl_find(op);

	return (row != NULL ? row->co_name : "?");
}

/* Replay request 'r' on restored object 'o'; log a failure. */
static void
st_replay(struct st_load *l, const struct st_rec *r, struct st_obj *o)
{
	static const struct vpc_cred cred = { 0, 1, { 0, 0, 0 } };
	char id[VPCD_ID_STRLEN];
	size_t outn = 0;
	int error;

	l->l_nreq++;
	error = vpc_desc_ctl(o->so_desc, r->r_op, r->r_len != 0 ? r + 1 :
	    NULL, r->r_len, NULL, &outn, &cred);
	if (error != 0) {
		l->l_nfail++;
		vpcd_id_format(&o->so_id, id);
		vpc_os_log(VPC_LOG_ERR, "state: restoring %s: %s: %s", id,
		    st_opname(r->r_op), strerror(error));
	}
}

/* Create restored object 'o' (on its old TAP); log a failure. */
static void
st_create(struct st_load *l, struct st_obj *o)
{
	static const struct vpc_cred cred = { 0, 1, { 0, 0, 0 } };
	char id[VPCD_ID_STRLEN];
	int error;

	if (o->so_nic != NULL)
		vpcd_nic_adopt_next(&o->so_id, o->so_nic);
	error = vpc_desc_open(st->s_vpcd->v_reg, &o->so_id, o->so_type,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE, &cred, &o->so_desc);
	vpcd_nic_adopt_next(NULL, NULL);
	if (error != 0) {
		o->so_desc = NULL;
		l->l_nfail++;
		vpcd_id_format(&o->so_id, id);
		vpc_os_log(VPC_LOG_ERR, "state: cannot recreate %s (type %u): "
		    "%s", id, o->so_type, strerror(error));
	}
}

/*
 * Recreate the committed objects of 'l': create them (NICs first, on
 * their old TAPs), replay their settings, then table entries, then
 * relations, then COMMIT them and close the descriptors.
 */
static void
st_restore(struct st_load *l)
{
	static const uint32_t order[] = { K_ATTR, K_ARP, K_FLOOD, K_FWD,
	    K_PEER, K_SW };
	struct st_ent *e, *w;
	struct st_obj *o;
	struct st_rec cr;
	size_t i, j, k, n;
	int pass;

	if (l->l_nent == 0)
		return;
	qsort(l->l_ents, l->l_nent, sizeof(*l->l_ents), st_ent_cmp);
	/* The winner of each key moves to the front, in key order. */
	for (i = 0, n = 0; i < l->l_nent; i = j) {
		for (j = i + 1; j < l->l_nent && memcmp(&l->l_ents[j].e_key,
		    &l->l_ents[i].e_key, sizeof(struct st_key)) == 0; j++)
			continue;
		l->l_ents[n++] = l->l_ents[j - 1];
	}
	l->l_nent = n;
	/* Committed objects (sorted by id, as the keys are). */
	if ((l->l_objs = calloc(n + 1, sizeof(*l->l_objs))) == NULL) {
		vpc_os_log(VPC_LOG_ERR, "state: out of memory");
		l->l_nfail++;		/* nothing restored: keep it all */
		return;
	}
	for (i = 0; i < n; i++) {
		e = &l->l_ents[i];
		if (e->e_key.k_kind != K_OBJ || e->e_tomb)
			continue;
		o = &l->l_objs[l->l_nobj++];
		o->so_id = e->e_key.k_id;
		o->so_type = e->e_rec->r_type;
		o->so_reset = e->e_seq;
	}
	for (i = 0; i < n; i++) {
		e = &l->l_ents[i];
		if (e->e_key.k_kind == K_NIC &&
		    (o = st_obj_find(l, &e->e_key.k_id)) != NULL &&
		    e->e_seq > o->so_reset)
			o->so_nic = (const struct vpcd_nicrec *)(const void *)
			    (e->e_rec + 1);
	}
	/* Create: NICs that had a TAP first, so they get their names. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < l->l_nobj; i++) {
			o = &l->l_objs[i];
			if ((o->so_nic != NULL) != (pass == 0))
				continue;
			st_create(l, o);
		}
	}
	/* Settings, tables, then relations. */
	for (k = 0; k < nitems(order); k++) {
		for (i = 0; i < n; i++) {
			w = &l->l_ents[i];
			if (w->e_key.k_kind != order[k] || !st_valid(l, w))
				continue;
			/* A K_SW record is addressed to the switch. */
			o = st_obj_find(l, &w->e_rec->r_id);
			if (o != NULL && o->so_desc != NULL)
				st_replay(l, w->e_rec, o);
		}
	}
	/* COMMIT, make vpci TAPs persistent, close. */
	for (i = 0; i < l->l_nobj; i++) {
		o = &l->l_objs[i];
		if (o->so_desc == NULL)
			continue;
		memset(&cr, 0, sizeof(cr));
		cr.r_id = o->so_id;
		cr.r_type = o->so_type;
		cr.r_op = VPC_OP_COMMIT;
		st_replay(l, &cr, o);
		if (o->so_type == VPC_TYPE_VPCI &&
		    o->so_desc->d_obj->o_dev != NULL)
			(void)vpcd_nic_persist(o->so_desc->d_obj->o_dev);
		vpc_desc_close(o->so_desc);
		o->so_desc = NULL;
	}
}

static void
st_load_free(struct st_load *l)
{
	free(l->l_files[0]);
	free(l->l_files[1]);
	free(l->l_ents);
	free(l->l_objs);
}

/*
 * Use state directory 'dir' for vpcd 'v': lock it (EWOULDBLOCK if
 * another vpcd has it), restore the committed objects it holds, and
 * write a fresh snapshot.  Called before the control socket is served.
 * Returns 0 or an errno (logged).
 */
int
vpcd_state_open(struct vpcd *v, const char *dir)
{
	struct st_load l;
	uint64_t t0;
	uint32_t gen;
	int error;

	crc_init();
	t0 = vpc_os_uptime_ms();
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->s_dir = strdup(dir)) == NULL) {
		free(st);
		st = NULL;
		return (ENOMEM);
	}
	st->s_vpcd = v;
	st->s_dirfd = st->s_lockfd = st->s_jfd = -1;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "state: mkdir %s: %s", dir,
		    strerror(error));
		goto fail;
	}
	if ((st->s_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "state: %s: %s", dir, strerror(error));
		goto fail;
	}
	st->s_lockfd = openat(st->s_dirfd, "lock", O_RDWR | O_CREAT |
	    O_CLOEXEC, 0600);
	if (st->s_lockfd == -1 || flock(st->s_lockfd, LOCK_EX | LOCK_NB) ==
	    -1) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "state: %s: %s", dir,
		    error == EWOULDBLOCK ? "in use by another vpcd" :
		    strerror(error));
		goto fail;
	}
	memset(&l, 0, sizeof(l));
	if ((error = st_load_snapshot(&l, &gen)) != 0) {
		st_load_free(&l);
		goto fail;
	}
	st_load_journal(&l, gen);
	st->s_gen = gen;
	st_restore(&l);
	if (l.l_nsnap + l.l_njournal != 0)
		vpc_os_log(VPC_LOG_INFO, "state: restored %zu objects from %s "
		    "(generation %u: %u snapshot and %u journal records; %u "
		    "requests, %u failed) in %ju ms", l.l_nobj, dir, gen,
		    l.l_nsnap, l.l_njournal, l.l_nreq, l.l_nfail,
		    (uintmax_t)(vpc_os_uptime_ms() - t0));
	st->s_jfd = openat(st->s_dirfd, "journal", O_WRONLY | O_CREAT |
	    O_APPEND | O_CLOEXEC, 0600);
	if (st->s_jfd == -1) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "state: %s/journal: %s", dir,
		    strerror(error));
		st_load_free(&l);
		goto fail;
	}
	/*
	 * Start from a clean snapshot: no torn tail, one generation on.  If
	 * something failed to replay, the snapshot is what was read, so the
	 * next start tries it again, and no snapshot of the live objects
	 * (which lack it) replaces it while this vpcd runs.
	 */
	if (l.l_nfail != 0) {
		st->s_kept = 1;
		vpc_os_log(VPC_LOG_WARN, "state: %u restoring requests "
		    "failed; what they set is kept in %s and tried again at "
		    "the next start (until then the journal is not compacted)",
		    l.l_nfail, dir);
		error = st_fold(&l);
	} else
		error = st_compact();
	st_load_free(&l);
	if (error != 0)
		goto fail;
	st->s_synced_ms = vpc_os_uptime_ms();
	return (0);
fail:
	vpcd_state_close(NULL);
	return (error);
}

/*
 * Record, for vpcd 'v', mutating request 'op' with input 'in' ('inlen'
 * bytes) that just succeeded on descriptor 'd', if it changed committed
 * state (and on every COMMIT and DESTROY).  Written to the journal
 * before the caller replies.
 */
void
vpcd_state_ctl(struct vpcd *v __unused, struct vpc_desc *d, vpc_op_t op,
    const void *in, size_t inlen)
{
	static const vpc_id_t nil;
	struct st_buf *b;
	struct vpc_obj *o = d->d_obj;

	if (st == NULL || (op & VPC_OPF_MUTATE) == 0)
		return;
	b = &st->s_batch;
	buf_begin(b);
	switch (op) {
	case VPC_OP_DESTROY:
		buf_rec(b, &o->o_id, o->o_type, op, NULL, 0, NULL, 0);
		break;
	case VPC_OP_COMMIT:
		/* The whole object; its TAP now outlives vpcd. */
		if (o->o_type == VPC_TYPE_VPCI && o->o_dev != NULL)
			(void)vpcd_nic_persist(o->o_dev);
		(void)vpc_snapshot_obj(st->s_vpcd->v_reg, &o->o_id, snap_cb,
		    b);
		st_nic_rec(b, o, 1);
		break;
	default:
		if ((vpc_load_relaxed(&o->o_flags) & VPC_OBJF_COMMITTED) == 0)
			return;
		if (op == VPC_OP_SW_PORT_DEL)
			/* "This port is in no switch." */
			buf_rec(b, &nil, VPC_TYPE_SWITCH, op, in, inlen,
			    NULL, 0);
		else
			buf_rec(b, &o->o_id, o->o_type, op, in, inlen, NULL,
			    0);
		st_nic_rec(b, o, 0);
		break;
	}
	st_journal(b);
}

/*
 * Housekeeping for vpcd 'v' at time 'now' (vpc_os_uptime_ms()), after
 * each turn of the event loop: fdatasync the journal at most ST_SYNC_MS
 * after it was written, compact it once it outgrew the snapshot.
 * Returns the milliseconds until it wants to be called again, or -1.
 */
int
vpcd_state_sync(struct vpcd *v __unused, uint64_t now)
{
	uint64_t limit;

	if (st == NULL)
		return (-1);
	limit = st->s_snapsize * ST_COMPACT_X;
	if (limit < ST_COMPACT_MIN)
		limit = ST_COMPACT_MIN;
	if (st->s_broken && st->s_kept) {
		/* An unrecorded change outweighs what failed at start. */
		vpc_os_log(VPC_LOG_WARN, "state: the snapshot that records "
		    "the change is of the live objects: what failed to "
		    "restore at start is no longer kept");
		st->s_kept = 0;
	}
	if (st->s_broken || (!st->s_kept && st->s_jsize > limit))
		(void)st_compact();
	if (!st->s_unsynced)
		return (-1);
	if (now - st->s_synced_ms < ST_SYNC_MS)
		return ((int)(ST_SYNC_MS - (now - st->s_synced_ms)));
	if (fdatasync(st->s_jfd) == -1)
		vpc_os_log(VPC_LOG_ERR, "state: fdatasync journal: %s",
		    strerror(errno));
	st->s_unsynced = 0;
	st->s_synced_ms = now;
	return (-1);
}

/*
 * Once a second for vpcd 'v': record where the TAPs of committed vpcis
 * are now (one may have been moved to another namespace or renamed).
 */
void
vpcd_state_tick(struct vpcd *v)
{
	struct st_buf *b;

	if (st == NULL)
		return;
	b = &st->s_batch;
	buf_begin(b);
	(void)vpc_snapshot_foreach(v->v_reg, nic_cb, b);
	st_journal(b);
}

/*
 * Stop persisting (vpcd 'v' is shutting down cleanly, NULL after a
 * failed open): write a last snapshot and mark the TAPs of committed
 * NICs to be kept when the registry is destroyed.
 */
void
vpcd_state_close(struct vpcd *v)
{
	if (st == NULL)
		return;
	if (v != NULL && st->s_jfd != -1) {
		if (!st->s_kept)
			(void)st_compact();
		else if (fdatasync(st->s_jfd) == -1)
			vpc_os_log(VPC_LOG_ERR, "state: fdatasync journal: %s",
			    strerror(errno));
		(void)vpc_snapshot_foreach(v->v_reg, keep_cb, NULL);
	}
	if (st->s_jfd != -1)
		close(st->s_jfd);
	if (st->s_lockfd != -1)
		close(st->s_lockfd);	/* and the lock goes */
	if (st->s_dirfd != -1)
		close(st->s_dirfd);
	free(st->s_batch.b_p);
	free(st->s_dir);
	free(st);
	st = NULL;
}
