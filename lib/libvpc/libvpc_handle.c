/*
 * libvpc_handle.c: handles, and the errors they record.
 *
 * Like libifconfig, a handle remembers the errno of the last failure and
 * the op (or call) that failed, so a tool can say what went wrong after a
 * chain of helper calls.  A successful call leaves the record alone.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvpc_impl.h"

static void	libvpc_strerror(int err, char *buf, size_t len);

/* Portable strerror_r: GNU and XSI versions differ in what they return. */
static void
libvpc_strerror(int err, char *buf, size_t len)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	const char *s;

	s = strerror_r(err, buf, len);
	if (s != buf)
		(void)snprintf(buf, len, "%s", s);
#else
	if (strerror_r(err, buf, len) != 0)
		(void)snprintf(buf, len, "error %d", err);
#endif
}

/* A new handle with no error recorded; NULL with errno ENOMEM. */
libvpc_handle_t *
libvpc_open(void)
{
	return (calloc(1, sizeof(struct libvpc_handle)));
}

/* Free handle 'h' (NULL is allowed). */
void
libvpc_close(libvpc_handle_t *h)
{
	free(h);
}

/* The errno of the last failure recorded in 'h'; 0 if none. */
int
libvpc_errno(const libvpc_handle_t *h)
{
	return (h->h_errno);
}

/* The op of the last failure in 'h'; 0 if it was not a vpc_ctl(2). */
vpc_op_t
libvpc_err_op(const libvpc_handle_t *h)
{
	return (h->h_op);
}

/*
 * Record failure 'err' of op 'op', or when 'op' is 0 of the call named
 * 'what', in 'h' (NULL: only set errno).  Returns -1 for the caller to
 * return.
 */
int
libvpc_fail(libvpc_handle_t *h, vpc_op_t op, const char *what, int err)
{
	if (h != NULL) {
		h->h_errno = err;
		h->h_op = op;
		h->h_what = what;
		h->h_stage = LIBVPC_STAGE_NONE;
		h->h_path[0] = '\0';
	}
	errno = err;
	return (-1);
}

/*
 * A message for the last failure recorded in 'h', valid until the next
 * call on 'h': "VPC_OP_PORT_VNI_SET: Invalid argument", or for vpc_open
 * failing to reach vpcd, what to do about it.
 */
const char *
libvpc_errstr(libvpc_handle_t *h)
{
	char es[128];
	const char *name;

	if (h->h_errno == 0) {
		(void)snprintf(h->h_msg, sizeof(h->h_msg), "no error");
		return (h->h_msg);
	}
	libvpc_strerror(h->h_errno, es, sizeof(es));
	if (h->h_stage == LIBVPC_STAGE_CONNECT && h->h_errno == ENOENT) {
		(void)snprintf(h->h_msg, sizeof(h->h_msg),
		    "vpcd is not running (no socket at %s); "
		    "start it with: vpcd -s %s", h->h_path, h->h_path);
	} else if (h->h_stage == LIBVPC_STAGE_CONNECT &&
	    h->h_errno == ECONNREFUSED) {
		(void)snprintf(h->h_msg, sizeof(h->h_msg),
		    "vpcd is not running (nothing listens on %s); "
		    "start it with: vpcd -s %s", h->h_path, h->h_path);
	} else if (h->h_stage == LIBVPC_STAGE_CONNECT) {
		(void)snprintf(h->h_msg, sizeof(h->h_msg),
		    "cannot connect to vpcd at %s: %s", h->h_path, es);
	} else if (h->h_stage == LIBVPC_STAGE_SOCKET) {
		(void)snprintf(h->h_msg, sizeof(h->h_msg),
		    "vpcd socket path %s (from $%s) is too long: %s",
		    h->h_path, LIBVPC_SOCKET_ENV, es);
	} else if (h->h_op != 0) {
		name = libvpc_op_name(h->h_op);
		if (name != NULL)
			(void)snprintf(h->h_msg, sizeof(h->h_msg), "%s: %s",
			    name, es);
		else
			(void)snprintf(h->h_msg, sizeof(h->h_msg),
			    "op 0x%08x: %s", (unsigned)h->h_op, es);
	} else {
		(void)snprintf(h->h_msg, sizeof(h->h_msg), "%s: %s",
		    h->h_what != NULL ? h->h_what : "libvpc", es);
	}
	return (h->h_msg);
}

/*
 * Open object 'id' of 'type' with VPC_F_* 'flags' through 'h'; returns
 * the descriptor, or -1 with the failure recorded (op 0, "vpc_open").
 */
int
libvpc_obj_open(libvpc_handle_t *h, const vpc_id_t *id, vpc_type_t type,
    vpc_flags_t flags)
{
	enum libvpc_stage stage;
	char path[LIBVPC_PATH_MAX];
	int vd;

	vd = libvpc_transport_open(id, type, flags, &stage, path,
	    sizeof(path));
	if (vd == -1) {
		(void)libvpc_fail(h, 0, "vpc_open", errno);
		if (h != NULL) {
			h->h_stage = stage;
			if (stage != LIBVPC_STAGE_NONE)
				(void)snprintf(h->h_path, sizeof(h->h_path),
				    "%s", path);
		}
		return (-1);
	}
	return (vd);
}

/* Close descriptor 'vd'; a failure is recorded in 'h' as "close". */
int
libvpc_obj_close(libvpc_handle_t *h, int vd)
{
	if (close(vd) == -1)
		return (libvpc_fail(h, 0, "close", errno));
	return (0);
}

/*
 * vpc_ctl(2) of 'op' on 'vd' with 'inlen' bytes at 'in' and room
 * 'outcap' at 'out'.  On success, or on ERANGE, '*outlen' (may be NULL)
 * is the length the reply gave.  A failure is recorded in 'h'.
 */
int
libvpc_hctl(libvpc_handle_t *h, int vd, vpc_op_t op, const void *in,
    size_t inlen, void *out, size_t outcap, size_t *outlen)
{
	size_t n;

	n = outcap;
	if (vpc_ctl(vd, op, inlen, in, &n, out) == -1) {
		if (errno == ERANGE && outlen != NULL)
			*outlen = n;
		return (libvpc_fail(h, op, NULL, errno));
	}
	if (outlen != NULL)
		*outlen = n;
	return (0);
}
