/*
 * vpc_freebsd.h: what the FreeBSD glue files of the module share.
 *
 * vpc_module.c owns the module's life (the registry, the ageing task),
 * vpc_syscall.c the two system calls and the descriptor file type,
 * vpc_os_freebsd.c the OS seam.  The core never includes this header.
 */

#ifndef _VPC_FREEBSD_H_
#define	_VPC_FREEBSD_H_

#ifdef MALLOC_DECLARE
MALLOC_DECLARE(M_VPC);
#endif

#define	VPC_FBSD_LOGLINE	256	/* longest log(9) line, with prefix */

struct vpc_registry;

/*
 * The module's registry, published by vpc_module.c once created and
 * cleared before it is destroyed; NULL while the module loads or unloads.
 */
struct vpc_registry	*vpc_fbsd_registry_get(void);

/*
 * Open vpc descriptors (files whose close has not run yet).  The module
 * refuses to unload while any exist.
 */
void		 vpc_fbsd_desc_hold(void);
void		 vpc_fbsd_desc_rele(void);
unsigned int	 vpc_fbsd_desc_count(void);

#endif /* !_VPC_FREEBSD_H_ */
