/*
 * vpc_compat.h: the differences between the FreeBSD 14 and 15 kernel
 * interfaces that the vpc module meets, in one place.
 *
 * Every kernel source of the module is compiled with
 * "-include vpc_compat.h" (sys/modules/vpc/Makefile, tools/kmod/kmod.py),
 * so the glue itself is written once, against the names defined here,
 * and carries no __FreeBSD_version tests of its own.  Each entry says
 * what changed and in which release.  Only macros live here: the header
 * is read before any other, so it includes nothing but <sys/param.h>
 * (for __FreeBSD_version).
 */

#ifndef _VPC_COMPAT_H_
#define	_VPC_COMPAT_H_

#ifdef _KERNEL

/*
 * The zig-packaged FreeBSD 15 headers used by `make kmod` test
 * __SSP_FORTIFY_LEVEL in <sys/select.h> without defining it for the
 * kernel; FreeBSD's own 15 headers define it to 0 there.  Define it the
 * same way, before <sys/param.h> pulls <sys/select.h> in (a no-op with
 * FreeBSD's headers).
 */
#ifndef __SSP_FORTIFY_LEVEL
#define	__SSP_FORTIFY_LEVEL	0
#endif

#include <sys/param.h>

#if __FreeBSD_version < 1400000
#error "vpc needs FreeBSD 14.0 or later"
#endif

/*
 * struct fileops tables became const in FreeBSD 15: finit() takes a
 * "const struct fileops *" and struct file's f_ops is const.  On 14 the
 * table must be writable for finit() to accept it without a cast that
 * drops a qualifier.  Declare tables as "static VPC_FILEOPS_CONST struct
 * fileops".
 */
#if __FreeBSD_version >= 1500000
#define	VPC_FILEOPS_CONST	const
#else
#define	VPC_FILEOPS_CONST
#endif

/*
 * The kernel's stdarg header is sys/stdarg.h only from FreeBSD 15 on;
 * 14 has machine/stdarg.h, which 15 keeps.  Kernel sources of the module
 * include machine/stdarg.h (a header cannot be renamed from here).
 */

#endif /* _KERNEL */

#endif /* !_VPC_COMPAT_H_ */
