/*
 * libvpc_impl.h: what the files of libvpc share and do not export.
 *
 * The handle's layout, the transport entry point that tells a failed
 * connect to vpcd apart from an error of the object store, and the
 * handle's checked vpc_ctl wrapper the typed helpers are built on.
 */

#ifndef _LIBVPC_IMPL_H_
#define	_LIBVPC_IMPL_H_

#include <sys/un.h>

#include "libvpc.h"

#define	LIBVPC_HIDDEN	__attribute__((__visibility__("hidden")))

/* Size of a Unix socket path buffer, with the NUL. */
#define	LIBVPC_PATH_MAX		sizeof(((struct sockaddr_un *)0)->sun_path)

/* Room for the longest message libvpc_errstr() composes. */
#define	LIBVPC_ERRSTR_MAX	(2 * LIBVPC_PATH_MAX + 128)

/* Where vpc_open failed, for a message that says what to do. */
enum libvpc_stage {
	LIBVPC_STAGE_NONE = 0,		/* no failure, or not in transport */
	LIBVPC_STAGE_CONNECT,		/* connect(2) to vpcd's socket */
	LIBVPC_STAGE_SOCKET		/* socket path unusable (too long) */
};

struct libvpc_handle {
	int		h_errno;	/* errno of the last failure, 0 none */
	vpc_op_t	h_op;		/* op that failed; 0 if not vpc_ctl */
	const char	*h_what;	/* call that failed when h_op is 0 */
	enum libvpc_stage h_stage;	/* where a vpc_open failed */
	/* Socket path of a failed connect. */
	char		h_path[LIBVPC_PATH_MAX];
	/* The text libvpc_errstr() returns. */
	char		h_msg[LIBVPC_ERRSTR_MAX];
};

/*
 * vpc_open() with the failing stage reported in '*stage' (may be NULL)
 * and, for a connect failure, the socket path copied to 'path' (may be
 * NULL, else 'pathsz' bytes).
 */
int	libvpc_transport_open(const vpc_id_t *id, vpc_type_t type,
	    vpc_flags_t flags, enum libvpc_stage *stage, char *path,
	    size_t pathsz) LIBVPC_HIDDEN;

/* Record failure 'err' of op 'op' (or call 'what') in 'h'; returns -1. */
int	libvpc_fail(libvpc_handle_t *h, vpc_op_t op, const char *what,
	    int err) LIBVPC_HIDDEN;

/*
 * vpc_ctl() on 'vd' that records a failure in 'h'.  'outcap' is the room
 * at 'out'; on success '*outlen' (may be NULL when the op has no output)
 * is the length written.  Returns 0, or -1 with errno set and recorded.
 */
int	libvpc_hctl(libvpc_handle_t *h, int vd, vpc_op_t op, const void *in,
	    size_t inlen, void *out, size_t outcap, size_t *outlen)
	    LIBVPC_HIDDEN;

/*
 * The reply spin of the socket transport (libvpc_transport.c): the spin
 * time $VPC_SPIN_US text 's' gives; and, for tests, setting it (returns
 * the old one) and reading the calling thread's back-off ('*skip':
 * replies it will not spin for; '*back': the skip after the next spin
 * that runs out, 0 meaning 1).
 */
uint32_t libvpc_spin_parse(const char *s) LIBVPC_HIDDEN;
uint32_t libvpc_spin_set(uint32_t us) LIBVPC_HIDDEN;
void	libvpc_spin_state(uint32_t *skip, uint32_t *back) LIBVPC_HIDDEN;

#endif /* !_LIBVPC_IMPL_H_ */
