/*
 * vpc_syscall.c: vpc_open(2) and vpc_ctl(2), and the vpc descriptor.
 *
 * Both system calls are registered in free slots (NO_SYSCALL) by
 * SYSCALL_MODULE(), as modules "sys/vpc_open" and "sys/vpc_ctl" whose
 * modstat(2) data is the slot number.  A descriptor is an ordinary file
 * (falloc_noinstall, finit, finstall) whose f_data is a struct vpc_file:
 * the core's struct vpc_desc and the namespace (vnet) it was opened in;
 * its close runs vpc_desc_close() in that vnet.
 *
 * Namespaces: vpc_open(2) works in the caller's vnet (vpc_vnet.c), so an
 * object created in a VNET jail is visible only there.  A creation that
 * makes a device, and VPC_OP_VPCLINK_LOCAL_SET, are prepared before the
 * core runs (vpc_host.c: the core's locks forbid sleeping).
 *
 * Permissions, three layers:
 *   - the core's descriptor rights: VPC_R_READ for ops without
 *     VPC_OPF_MUTATE, VPC_R_WRITE for ops with it (vpc_desc_ctl checks);
 *   - privilege: a caller is privileged when priv_check(PRIV_NET_IFCREATE)
 *     passes (root on the host, and root in a VNET jail), which creation
 *     and VPC_OPF_PRIV ops need (the core checks struct vpc_cred);
 *   - Capsicum: vpc_ctl(2) works in capability mode on a descriptor that
 *     holds CAP_READ for ops without VPC_OPF_MUTATE and CAP_WRITE for ops
 *     with it (limit a descriptor with cap_rights_limit(2)); vpc_open(2)
 *     names objects (a global namespace of the vnet) and fails with
 *     ECAPMODE there.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/capsicum.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/jail.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/sx.h>
#include <sys/sysent.h>
#include <sys/taskqueue.h>
#include <bsm/audit_kevents.h>
#include <sys/ucred.h>
#include <sys/user.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

/*
 * System call arguments arrive one per register_t slot; the padding
 * macros place each argument in its slot as <sys/sysproto.h> does (which
 * undefines its own at its end).
 */
#define	VPC_PAD_(t)	(sizeof(register_t) <= sizeof(t) ? 0 :		\
			    sizeof(register_t) - sizeof(t))
#if BYTE_ORDER == LITTLE_ENDIAN
#define	VPC_PADL_(t)	0
#define	VPC_PADR_(t)	VPC_PAD_(t)
#else
#define	VPC_PADL_(t)	VPC_PAD_(t)
#define	VPC_PADR_(t)	0
#endif

/* Arguments of vpc_open(2). */
struct vpc_open_args {
	char	id_l_[VPC_PADL_(const vpc_id_t *)];
	const vpc_id_t *id;		/* object id, user address */
	char	id_r_[VPC_PADR_(const vpc_id_t *)];
	char	type_l_[VPC_PADL_(vpc_type_t)];
	vpc_type_t type;		/* enum vpc_obj_type */
	char	type_r_[VPC_PADR_(vpc_type_t)];
	char	flags_l_[VPC_PADL_(vpc_flags_t)];
	vpc_flags_t flags;		/* VPC_F_* */
	char	flags_r_[VPC_PADR_(vpc_flags_t)];
};

/* Arguments of vpc_ctl(2). */
struct vpc_ctl_args {
	char	vd_l_[VPC_PADL_(int)];
	int	vd;			/* vpc descriptor */
	char	vd_r_[VPC_PADR_(int)];
	char	op_l_[VPC_PADL_(vpc_op_t)];
	vpc_op_t op;			/* op word */
	char	op_r_[VPC_PADR_(vpc_op_t)];
	char	innbyte_l_[VPC_PADL_(size_t)];
	size_t	innbyte;		/* input payload size */
	char	innbyte_r_[VPC_PADR_(size_t)];
	char	in_l_[VPC_PADL_(const void *)];
	const void *in;			/* input payload, user address */
	char	in_r_[VPC_PADR_(const void *)];
	char	outnbyte_l_[VPC_PADL_(size_t *)];
	size_t	*outnbyte;		/* in: capacity, out: bytes written */
	char	outnbyte_r_[VPC_PADR_(size_t *)];
	char	out_l_[VPC_PADL_(void *)];
	void	*out;			/* output buffer, user address */
	char	out_r_[VPC_PADR_(void *)];
};

/* What a vpc descriptor's f_data points to. */
struct vpc_file {
	struct vpc_desc		*vf_desc;	/* the core's descriptor */
	struct vpc_vnet		*vf_vv;		/* namespace it was opened in */
};

static int	sys_vpc_open(struct thread *td, struct vpc_open_args *uap);
static int	sys_vpc_ctl(struct thread *td, struct vpc_ctl_args *uap);
static int	vpc_ctl_syscall_run(struct thread *td,
		    struct vpc_ctl_args *uap);
static int	vpc_open_in(struct thread *td, struct vpc_open_args *uap,
		    struct vpc_vnet *vv);
static int	vpc_ctl_run(struct vpc_file *vf, vpc_op_t op, const void *kin,
		    size_t innbyte, void *kout, size_t *outn,
		    const struct vpc_cred *cred);
static fo_close_t	vpc_fo_close;
static fo_stat_t	vpc_fo_stat;
static fo_fill_kinfo_t	vpc_fo_fill_kinfo;

/*
 * The descriptor's file operations: only close does something; reads,
 * writes, ioctls, polling and the rest are refused with the kernel's
 * invfo_* stubs, since everything goes through vpc_ctl(2).
 */
static VPC_FILEOPS_CONST struct fileops vpc_fileops = {
	.fo_read = invfo_rdwr,
	.fo_write = invfo_rdwr,
	.fo_truncate = invfo_truncate,
	.fo_ioctl = invfo_ioctl,
	.fo_poll = invfo_poll,
	.fo_kqfilter = invfo_kqfilter,
	.fo_stat = vpc_fo_stat,
	.fo_close = vpc_fo_close,
	.fo_chmod = invfo_chmod,
	.fo_chown = invfo_chown,
	.fo_sendfile = invfo_sendfile,
	.fo_fill_kinfo = vpc_fo_fill_kinfo,
	.fo_flags = 0			/* not passable over Unix sockets */
};

/*
 * Last close of a vpc descriptor: release the core's descriptor, in the
 * vnet it was opened in (an uncommitted object's device goes with it).
 */
static int
vpc_fo_close(struct file *fp, struct thread *td __unused)
{
	struct vpc_file *vf;

	vf = fp->f_data;
	fp->f_data = NULL;
	if (vf != NULL) {
		CURVNET_SET(vf->vf_vv->vv_vnet);
		vpc_desc_close(vf->vf_desc);
		CURVNET_RESTORE();
		free(vf, M_VPC);
		vpc_fbsd_desc_rele();
	}
	return (0);
}

/* fstat(2): nothing to report but that the descriptor exists. */
static int
vpc_fo_stat(struct file *fp __unused, struct stat *sb,
    struct ucred *active_cred __unused)
{
	bzero(sb, sizeof(*sb));
	return (0);
}

/* procstat(1) and kern.proc.filedesc: an unknown descriptor type. */
static int
vpc_fo_fill_kinfo(struct file *fp __unused, struct kinfo_file *kif,
    struct filedesc *fdp __unused)
{
	kif->kf_type = KF_TYPE_UNKNOWN;
	return (0);
}

/*
 * vpc_open(2): open or create the object 'uap->id' of 'uap->type' as
 * 'uap->flags' ask, in the caller's vnet; the new descriptor is returned
 * in td_retval[0].
 */
static int
sys_vpc_open(struct thread *td, struct vpc_open_args *uap)
{
	struct vpc_vnet *vv;
	int error;

	CURVNET_SET(TD_TO_VNET(td));
	vv = vpc_vnet_get();
	error = vv == NULL ? ENXIO : vpc_open_in(td, uap, vv);
	CURVNET_RESTORE();
	return (error);
}

/* vpc_open(2) in namespace 'vv' (curvnet is its vnet). */
static int
vpc_open_in(struct thread *td, struct vpc_open_args *uap, struct vpc_vnet *vv)
{
	struct vpc_prep pr;
	struct vpc_file *vf;
	struct vpc_desc *d;
	struct vpc_cred cred;
	struct file *fp;
	vpc_id_t id;
	int error, fd, fflags;

	error = copyin(uap->id, &id, sizeof(id));
	if (error != 0)
		return (error);
	vpc_vnet_cred(td, &cred);

	/* A file first: if that fails, no object was created. */
	error = falloc_noinstall(td, &fp);
	if (error != 0)
		return (error);
	vf = malloc(sizeof(*vf), M_VPC, M_WAITOK | M_ZERO);
	vf->vf_vv = vv;
	/* A device the creation may need, made before the core's locks. */
	error = vpc_prep_open(vv, uap->type, uap->flags, &cred, &pr);
	if (error == 0) {
		error = vpc_desc_open(vv->vv_reg, &id, uap->type, uap->flags,
		    &cred, &d);
		vpc_prep_finish(vv, &pr);
	}
	if (error != 0) {
		free(vf, M_VPC);
		fdrop(fp, td);		/* still badfileops: nothing to close */
		return (error);
	}
	vf->vf_desc = d;
	vpc_fbsd_desc_hold();
	fflags = 0;
	if (uap->flags & VPC_F_READ)
		fflags |= FREAD;
	if (uap->flags & VPC_F_WRITE)
		fflags |= FWRITE;
	/* No DTYPE exists for vpc on a stock kernel: DTYPE_NONE. */
	finit(fp, fflags, DTYPE_NONE, vf, &vpc_fileops);
	/* Inherited across exec(2) like other new descriptors. */
	error = finstall(td, fp, &fd, 0, NULL);
	/* On success the table has its reference; on failure ours closes. */
	fdrop(fp, td);
	if (error != 0)
		return (error);
	td->td_retval[0] = fd;
	return (0);
}

/*
 * Run one op on 'vf' in its vnet.  VPC_OP_VPCLINK_LOCAL_SET gets its
 * socket made and bound first (sleeps; the core's ho_set takes it), by a
 * privileged caller only: others get the core's EPERM without a socket.
 */
static int
vpc_ctl_run(struct vpc_file *vf, vpc_op_t op, const void *kin,
    size_t innbyte, void *kout, size_t *outn, const struct vpc_cred *cred)
{
	struct vpc_vnet *vv = vf->vf_vv;
	struct vpc_prep pr;
	int error;

	bzero(&pr, sizeof(pr));
	CURVNET_SET(vv->vv_vnet);
	if (op == VPC_OP_VPCLINK_LOCAL_SET && cred->vc_priv != 0) {
		sx_xlock(&vv->vv_create_sx);
		pr.pr_type = VPC_TYPE_VPCLINK;
		pr.pr_attr = VPC_ATTR_LOCAL;
		/* A failed bind is the op's error, reported by ho_set. */
		pr.pr_error = vpc_vl_prep(vv, kin, innbyte, &pr.pr_sock);
		vv->vv_prep = &pr;
	}
	error = vpc_desc_ctl(vf->vf_desc, op, kin, innbyte, kout, outn, cred);
	vpc_prep_finish(vv, &pr);
	CURVNET_RESTORE();
	return (error);
}

/*
 * vpc_ctl(2): run op 'uap->op' on the descriptor 'uap->vd' with the
 * 'uap->innbyte' bytes at 'uap->in'; up to *'uap->outnbyte' bytes of
 * output go to 'uap->out' and *'uap->outnbyte' is set to the bytes
 * written (with ERANGE, to the bytes needed; on any other error, to 0).
 */
static int
sys_vpc_ctl(struct thread *td, struct vpc_ctl_args *uap)
{
	size_t zero = 0;
	int error;

	error = vpc_ctl_syscall_run(td, uap);
	if (error != 0 && error != ERANGE && uap->outnbyte != NULL)
		(void)copyout(&zero, uap->outnbyte, sizeof(zero));
	return (error);
}

/* sys_vpc_ctl() but for *'uap->outnbyte' on errors other than ERANGE. */
static int
vpc_ctl_syscall_run(struct thread *td, struct vpc_ctl_args *uap)
{
	struct vpc_cred cred;
	struct file *fp;
	void *kin, *kout;
	size_t outcap, outn;
	int error, error2;

	kin = kout = NULL;
	if (uap->innbyte > VPC_CTL_IN_MAX)
		return (E2BIG);
	error = fget(td, uap->vd, (uap->op & VPC_OPF_MUTATE) ?
	    &cap_write_rights : &cap_read_rights, &fp);
	if (error != 0)
		return (error);
	if (fp->f_ops != &vpc_fileops || fp->f_data == NULL) {
		fdrop(fp, td);
		return (EBADF);
	}
	outcap = 0;
	if (uap->outnbyte != NULL) {
		error = copyin(uap->outnbyte, &outcap, sizeof(outcap));
		if (error != 0)
			goto out;
		if (outcap > VPC_CTL_OUT_MAX)
			outcap = VPC_CTL_OUT_MAX;
	}
	if (uap->innbyte != 0) {
		kin = malloc(uap->innbyte, M_VPC, M_WAITOK);
		error = copyin(uap->in, kin, uap->innbyte);
		if (error != 0)
			goto out_free;
	}
	if (outcap != 0)
		kout = malloc(outcap, M_VPC, M_WAITOK | M_ZERO);
	vpc_vnet_cred(td, &cred);
	outn = outcap;
	error = vpc_ctl_run(fp->f_data, uap->op, kin, uap->innbyte, kout,
	    &outn, &cred);
	if (error == 0 && outn > outcap)
		error = EFAULT;		/* core broke its contract */
	if (error == 0 && outn != 0)
		error = copyout(kout, uap->out, outn);
	if ((error == 0 || error == ERANGE) && uap->outnbyte != NULL) {
		error2 = copyout(&outn, uap->outnbyte, sizeof(outn));
		if (error == 0)
			error = error2;
	}
out_free:
	free(kout, M_VPC);
	free(kin, M_VPC);
out:
	fdrop(fp, td);
	return (error);
}

static int vpc_open_syscall = NO_SYSCALL;
static struct sysent vpc_open_sysent = {
	.sy_narg = sizeof(struct vpc_open_args) / sizeof(register_t),
	.sy_call = (sy_call_t *)sys_vpc_open,
	.sy_auevent = AUE_NULL,
	.sy_flags = 0,			/* not in capability mode */
	.sy_thrcnt = SY_THR_STATIC_KLD,
};
SYSCALL_MODULE(vpc_open, &vpc_open_syscall, &vpc_open_sysent, NULL, NULL);

static int vpc_ctl_syscall = NO_SYSCALL;
static struct sysent vpc_ctl_sysent = {
	.sy_narg = sizeof(struct vpc_ctl_args) / sizeof(register_t),
	.sy_call = (sy_call_t *)sys_vpc_ctl,
	.sy_auevent = AUE_NULL,
	.sy_flags = SYF_CAPENABLED,	/* rights checked with fget() */
	.sy_thrcnt = SY_THR_STATIC_KLD,
};
SYSCALL_MODULE(vpc_ctl, &vpc_ctl_syscall, &vpc_ctl_sysent, NULL, NULL);
