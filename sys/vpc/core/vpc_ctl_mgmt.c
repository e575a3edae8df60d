/*
 * vpc_ctl_mgmt.c: handlers of the management object's ops: counting and
 * listing the objects of a type, and dumping the configuration of all.
 */

#include "vpc_obj.h"

/* Where vpc_dump_rec() puts records: NULL 'dc_out' only counts. */
struct vpc_dumpctx {
	uint8_t			*dc_out;	/* output, or NULL */
	size_t			 dc_cap;	/* its bytes */
	size_t			 dc_len;	/* bytes of records so far */
};

static int	vpc_mgmt_type(struct vpc_ctlreq *r, uint32_t *type);
static int	vpc_dump_rec(void *arg, const struct vpc_snaprec *sr);

/* The type argument: any type number the ABI defines (EINVAL else). */
static int
vpc_mgmt_type(struct vpc_ctlreq *r, uint32_t *type)
{
	vpc_memcpy(type, r->cr_in, sizeof(*type));
	if (*type == VPC_TYPE_INVALID || *type >= VPC_TYPE_MAX)
		return (EINVAL);
	return (0);
}

/* VPC_OP_MGMT_COUNT: how many objects of a type exist. */
int
vpc_ctl_mgmt_count(struct vpc_ctlreq *r)
{
	uint32_t type, n;
	int error;

	if ((error = vpc_mgmt_type(r, &type)) != 0)
		return (error);
	(void)vpc_mgmt_count(r->cr_obj->o_reg, type, &n);
	vpc_ctl_out32(r, n);
	return (0);
}

/* VPC_OP_MGMT_LIST: the ids of the objects of a type. */
int
vpc_ctl_mgmt_list(struct vpc_ctlreq *r)
{
	uint32_t type;
	int error;

	if ((error = vpc_mgmt_type(r, &type)) != 0)
		return (error);
	return (vpc_mgmt_list(r->cr_obj->o_reg, type, r));
}

/* Snapshot visitor: one struct vpc_dumprec and its input, padded. */
static int
vpc_dump_rec(void *arg, const struct vpc_snaprec *sr)
{
	struct vpc_dumpctx *dc = arg;
	struct vpc_dumprec h;
	uint8_t *p;
	size_t inlen, size;

	inlen = sr->sr_inlen + sr->sr_in2len;
	size = (sizeof(h) + inlen + VPC_DUMP_ALIGN - 1) &
	    ~(size_t)(VPC_DUMP_ALIGN - 1);
	if (size > VPC_CTL_OUT_MAX - dc->dc_len)
		return (EFBIG);
	if (dc->dc_out != NULL && size > dc->dc_cap - dc->dc_len)
		dc->dc_out = NULL;	/* grew since it was measured: count */
	if (dc->dc_out != NULL) {
		vpc_memset(&h, 0, sizeof(h));
		h.dr_id = sr->sr_id;
		h.dr_type = sr->sr_type;
		h.dr_op = sr->sr_op;
		h.dr_inlen = (uint32_t)inlen;
		h.dr_size = (uint32_t)size;
		p = dc->dc_out + dc->dc_len;
		vpc_memcpy(p, &h, sizeof(h));
		p += sizeof(h);
		if (sr->sr_inlen != 0)
			vpc_memcpy(p, sr->sr_in, sr->sr_inlen);
		if (sr->sr_in2len != 0)
			vpc_memcpy(p + sr->sr_inlen, sr->sr_in2,
			    sr->sr_in2len);
		vpc_memset(p + inlen, 0, size - sizeof(h) - inlen);
	}
	dc->dc_len += size;
	return (0);
}

/*
 * VPC_OP_MGMT_DUMP: the records of every committed object.  Both passes,
 * measuring then writing, run under one hold of the registry lock, so a
 * too small buffer (ERANGE, with the size needed) is left untouched.
 * Tables change under their object's lock alone, so the state can still
 * grow between the passes: then the second pass stops writing at the
 * buffer's end and the op fails with ERANGE and the new size (what it
 * wrote is not copied out: hosts copy output only on success).
 */
int
vpc_ctl_mgmt_dump(struct vpc_ctlreq *r)
{
	struct vpc_registry *rg = r->cr_obj->o_reg;
	struct vpc_dumpctx dc;
	int error;

	vpc_memset(&dc, 0, sizeof(dc));
	vpc_os_mtx_lock(rg->rg_mtx);
	error = vpc_snapshot_all_locked(rg, vpc_dump_rec, &dc);
	if (error == 0) {
		r->cr_outlen = dc.dc_len;
		if (dc.dc_len > r->cr_outcap)
			error = ERANGE;
	}
	if (error == 0 && dc.dc_len != 0) {
		dc.dc_out = r->cr_out;
		dc.dc_cap = r->cr_outcap;
		dc.dc_len = 0;
		error = vpc_snapshot_all_locked(rg, vpc_dump_rec, &dc);
		if (error == 0) {
			r->cr_outlen = dc.dc_len;
			if (dc.dc_out == NULL)
				error = ERANGE;
		}
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}
