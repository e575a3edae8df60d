/*
 * libvpc_transport.c: vpc_open(2) and vpc_ctl(2) for both hosts.
 *
 * On FreeBSD with vpc.ko loaded the calls are the module's dynamic system
 * calls, whose numbers are looked up once with modfind(2)/modstat(2).
 * Everywhere else (always on Linux) they travel to vpcd over its Unix
 * socket as described in vpc_proto.h: the connection is the descriptor.
 * The only global state is the once-initialised backend choice and spin
 * time, a fixed array of locks that keeps two threads sharing one
 * descriptor from interleaving their requests on the stream, and each
 * thread's spin back-off (libvpc_spin()).
 */

#include <sys/types.h>
#ifdef __FreeBSD__
#include <sys/param.h>
#include <sys/module.h>
#endif
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libvpc_impl.h"
#include "vpc_proto.h"

/* Locks serialising requests per descriptor, picked by fd modulo this. */
#define	LIBVPC_FDLOCKS	64

#define	LIBVPC_SPIN_US		50	/* $VPC_SPIN_US default */
#define	LIBVPC_SPIN_US_MAX	10000	/* and largest value taken */
#define	LIBVPC_SPIN_SKIP_MAX	256	/* longest back-off, in replies */

static void	libvpc_backend_init(void);
static int	libvpc_kernel(void);
static uint64_t	libvpc_mono_ns(void);
static void	libvpc_spin(int fd);
static int	libvpc_wait(int fd, short events);
static int	libvpc_sendv(int fd, struct iovec *iov, int iovcnt);
static int	libvpc_recv_all(int fd, void *buf, size_t len);
static int	libvpc_drain(int fd, uint64_t len);
static int	libvpc_connect(enum libvpc_stage *stage, char *path,
		    size_t pathsz);
static int	libvpc_sock_check(int fd);
static int	libvpc_sock_open(const vpc_id_t *id, vpc_type_t type,
		    vpc_flags_t flags, enum libvpc_stage *stage, char *path,
		    size_t pathsz);
static int	libvpc_sock_ctl(int vd, vpc_op_t op, size_t innbyte,
		    const void *in, size_t *outnbyte, void *out);

static pthread_once_t	libvpc_once = PTHREAD_ONCE_INIT;
static long		libvpc_sys_open = -1;	/* syscall numbers, -1: */
static long		libvpc_sys_ctl = -1;	/* module not loaded */
static uint32_t		libvpc_spin_us;		/* 0: never spin */
static _Thread_local uint32_t libvpc_spin_skip;	/* replies not to spin for */
static _Thread_local uint32_t libvpc_spin_back;	/* next back-off, 0: 1 */
static pthread_mutex_t	libvpc_fdlock[LIBVPC_FDLOCKS] = {
	[0 ... LIBVPC_FDLOCKS - 1] = PTHREAD_MUTEX_INITIALIZER
};

/*
 * Look the module's system calls up once.  The module registers them as
 * "sys/vpc_open" and "sys/vpc_ctl" (SYSCALL_MODULE); the number a dynamic
 * system call got is in the module's data.
 */
static void
libvpc_backend_init(void)
{
#ifdef __FreeBSD__
	struct module_stat ms;
	long no, nc;
	int mid;
#endif

	libvpc_spin_us = libvpc_spin_parse(getenv(LIBVPC_SPIN_ENV));
#ifdef __FreeBSD__
	if ((mid = modfind("sys/vpc_open")) == -1)
		return;
	memset(&ms, 0, sizeof(ms));
	ms.version = sizeof(ms);
	if (modstat(mid, &ms) == -1)
		return;
	no = ms.data.intval;
	if ((mid = modfind("sys/vpc_ctl")) == -1)
		return;
	memset(&ms, 0, sizeof(ms));
	ms.version = sizeof(ms);
	if (modstat(mid, &ms) == -1)
		return;
	nc = ms.data.intval;
	libvpc_sys_open = no;
	libvpc_sys_ctl = nc;
#endif
}

/* Nonzero when the kernel module serves the calls. */
static int
libvpc_kernel(void)
{
	int serrno;

	serrno = errno;
	(void)pthread_once(&libvpc_once, libvpc_backend_init);
	errno = serrno;
	return (libvpc_sys_open != -1 && libvpc_sys_ctl != -1);
}

/*
 * Which backend serves vpc_open(2) now: the module if it was loaded when
 * libvpc first looked, else vpcd if its socket accepts a connection.
 */
enum libvpc_backend
libvpc_backend(void)
{
	int fd, serrno;

	if (libvpc_kernel())
		return (LIBVPC_BACKEND_KERNEL);
	serrno = errno;
	fd = libvpc_connect(NULL, NULL, 0);
	if (fd != -1)
		(void)close(fd);
	errno = serrno;
	return (fd != -1 ? LIBVPC_BACKEND_VPCD : LIBVPC_BACKEND_NONE);
}

/* The path of vpcd's socket: $VPC_SOCKET if set and not empty. */
const char *
libvpc_socket_path(void)
{
	const char *p;

	p = getenv(LIBVPC_SOCKET_ENV);
	if (p == NULL || *p == '\0')
		p = LIBVPC_SOCKET_DEFAULT;
	return (p);
}

/*
 * The spin time 's' ($VPC_SPIN_US, may be NULL) gives: a whole number of
 * microseconds up to LIBVPC_SPIN_US_MAX, else LIBVPC_SPIN_US.
 */
uint32_t
libvpc_spin_parse(const char *s)
{
	unsigned long v;
	char *end;

	if (s == NULL || s[0] < '0' || s[0] > '9')
		return (LIBVPC_SPIN_US);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > LIBVPC_SPIN_US_MAX)
		return (LIBVPC_SPIN_US);
	return ((uint32_t)v);
}

/* Test hook: set the spin time; returns the one it replaces. */
uint32_t
libvpc_spin_set(uint32_t us)
{
	uint32_t old;

	(void)libvpc_kernel();		/* after, not before, the once */
	old = libvpc_spin_us;
	libvpc_spin_us = us;
	return (old);
}

/* Test hook: the calling thread's back-off (see libvpc_spin()). */
void
libvpc_spin_state(uint32_t *skip, uint32_t *back)
{
	*skip = libvpc_spin_skip;
	*back = libvpc_spin_back;
}

/* CLOCK_MONOTONIC in nanoseconds. */
static uint64_t
libvpc_mono_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

/*
 * A request has gone out on 'fd': look for the reply for up to the spin
 * time before the caller sleeps for it.  vpcd answers most requests in a
 * few microseconds, but a thread that sleeps leaves its CPU idle, and on
 * a virtual machine waking a halted vCPU goes through the hypervisor
 * (about 25 us per wake-up on the machine BENCHMARKS.md describes).  The
 * thread yields between looks, so that vpcd can run if it shares the
 * CPU.  A spin that runs out makes this thread skip the next spins, a
 * number that doubles on each such failure up to LIBVPC_SPIN_SKIP_MAX
 * and is reset by a reply found spinning: a client whose replies come
 * slowly (a busy vpcd, slow operations) soon stops spending CPU on it.
 */
static void
libvpc_spin(int fd)
{
	struct pollfd pfd;
	uint64_t end;
	int n;

	if (libvpc_spin_us == 0)
		return;
	if (libvpc_spin_skip > 0) {
		libvpc_spin_skip--;
		return;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	end = libvpc_mono_ns() + (uint64_t)libvpc_spin_us * 1000u;
	for (;;) {
		pfd.revents = 0;
		n = poll(&pfd, 1, 0);
		if (n != 0) {
			/* The reply, an error or EOF: the read will say. */
			libvpc_spin_back = 0;
			return;
		}
		if (libvpc_mono_ns() >= end)
			break;
		(void)sched_yield();
	}
	if (libvpc_spin_back == 0)
		libvpc_spin_back = 1;
	libvpc_spin_skip = libvpc_spin_back;
	if (libvpc_spin_back < LIBVPC_SPIN_SKIP_MAX)
		libvpc_spin_back *= 2;
}

/* Wait until 'fd' is ready for 'events' (a nonblocking descriptor). */
static int
libvpc_wait(int fd, short events)
{
	struct pollfd pfd;

	pfd.fd = fd;
	pfd.events = events;
	pfd.revents = 0;
	while (poll(&pfd, 1, -1) == -1) {
		if (errno != EINTR)
			return (-1);
	}
	return (0);
}

/* Send all of 'iov', however the kernel splits it; no SIGPIPE. */
static int
libvpc_sendv(int fd, struct iovec *iov, int iovcnt)
{
	struct msghdr mh;
	ssize_t n;

	while (iovcnt > 0) {
		if (iov->iov_len == 0) {
			iov++;
			iovcnt--;
			continue;
		}
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = iovcnt;
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    libvpc_wait(fd, POLLOUT) == 0)
				continue;
			return (-1);
		}
		/* Step over what went out. */
		while (n > 0) {
			if ((size_t)n >= iov->iov_len) {
				n -= (ssize_t)iov->iov_len;
				iov->iov_len = 0;
				iov++;
				iovcnt--;
			} else {
				iov->iov_base = (char *)iov->iov_base + n;
				iov->iov_len -= (size_t)n;
				n = 0;
			}
		}
	}
	return (0);
}

/* Read exactly 'len' bytes; end of stream is ECONNRESET. */
static int
libvpc_recv_all(int fd, void *buf, size_t len)
{
	char *p;
	ssize_t n;

	p = buf;
	while (len > 0) {
		n = recv(fd, p, len, 0);
		if (n == 0) {
			errno = ECONNRESET;
			return (-1);
		}
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if ((errno == EAGAIN || errno == EWOULDBLOCK) &&
			    libvpc_wait(fd, POLLIN) == 0)
				continue;
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Read and discard 'len' bytes the caller has no room for. */
static int
libvpc_drain(int fd, uint64_t len)
{
	char scratch[512];
	size_t n;

	while (len > 0) {
		n = len < sizeof(scratch) ? (size_t)len : sizeof(scratch);
		if (libvpc_recv_all(fd, scratch, n) == -1)
			return (-1);
		len -= n;
	}
	return (0);
}

/*
 * Connect to vpcd's socket.  On failure '*stage' (may be NULL) says
 * whether the path or the connect failed, and the path is copied to
 * 'path' (may be NULL) for the message.
 */
static int
libvpc_connect(enum libvpc_stage *stage, char *path, size_t pathsz)
{
	struct sockaddr_un sun;
	const char *p;
	socklen_t len;
	size_t plen;
	int fd, serr, serrno;

	p = libvpc_socket_path();
	plen = strlen(p);
	if (path != NULL && pathsz > 0) {
		strncpy(path, p, pathsz - 1);
		path[pathsz - 1] = '\0';
	}
	if (plen >= sizeof(sun.sun_path)) {
		if (stage != NULL)
			*stage = LIBVPC_STAGE_SOCKET;
		errno = ENAMETOOLONG;
		return (-1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return (-1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, p, plen);
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		if (errno == EINTR || errno == EALREADY) {
			/*
			 * An interrupted connect goes on in the background:
			 * wait for it and fetch its result.
			 */
			if (libvpc_wait(fd, POLLOUT) == -1)
				goto fail;
			len = sizeof(serr);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &serr,
			    &len) == -1)
				goto fail;
			if (serr == 0)
				break;
			errno = serr;
		} else if (errno == EISCONN)
			break;
		if (stage != NULL)
			*stage = LIBVPC_STAGE_CONNECT;
		goto fail;
	}
	return (fd);
fail:
	serrno = errno;
	(void)close(fd);
	errno = serrno;
	return (-1);
}

/*
 * A descriptor vpcd could have handed out: a connected Unix stream.  Two
 * system calls on every vpc_ctl (there were four): getpeername() fails
 * on a non-socket (ENOTSOCK), a closed descriptor (EBADF) and an
 * unconnected socket (ENOTCONN), and names the peer's family; SO_TYPE
 * then tells a stream from a datagram socket.
 */
static int
libvpc_sock_check(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int type;

	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    len < sizeof(ss.ss_family) || ss.ss_family != AF_UNIX)
		goto bad;
	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_STREAM)
		goto bad;
	return (0);
bad:
	errno = EBADF;
	return (-1);
}

/* vpc_open over vpcd's socket; see libvpc_transport_open(). */
static int
libvpc_sock_open(const vpc_id_t *id, vpc_type_t type, vpc_flags_t flags,
    enum libvpc_stage *stage, char *path, size_t pathsz)
{
	struct vpc_msg_req rq;
	struct vpc_msg_rep rp;
	struct iovec iov;
	int fd, err;

	if (id == NULL) {
		errno = EFAULT;
		return (-1);
	}
	if ((fd = libvpc_connect(stage, path, pathsz)) == -1)
		return (-1);
	memset(&rq, 0, sizeof(rq));
	rq.rq_magic = VPC_PROTO_MAGIC;
	rq.rq_kind = VPC_MSG_OPEN;
	rq.rq_type = type;
	rq.rq_flags = flags;
	memcpy(&rq.rq_id, id, sizeof(rq.rq_id));
	iov.iov_base = &rq;
	iov.iov_len = sizeof(rq);
	if (libvpc_sendv(fd, &iov, 1) == -1) {
		err = errno;
		goto fail;
	}
	libvpc_spin(fd);
	if (libvpc_recv_all(fd, &rp, sizeof(rp)) == -1) {
		err = errno;
		goto fail;
	}
	if (rp.rp_magic != VPC_PROTO_MAGIC || rp.rp_outlen != 0 ||
	    rp.rp_errno > 0x7fffffffu) {
		err = EPROTO;
		goto fail;
	}
	if (rp.rp_errno != 0) {
		err = (int)rp.rp_errno;
		goto fail;
	}
	return (fd);
fail:
	(void)close(fd);
	errno = err;
	return (-1);
}

/* vpc_ctl over vpcd's socket. */
static int
libvpc_sock_ctl(int vd, vpc_op_t op, size_t innbyte, const void *in,
    size_t *outnbyte, void *out)
{
	struct vpc_msg_req rq;
	struct vpc_msg_rep rp;
	struct iovec iov[2];
	pthread_mutex_t *mtx;
	size_t cap;
	int err;

	if (vd < 0) {
		errno = EBADF;
		return (-1);
	}
	if (libvpc_sock_check(vd) == -1)
		return (-1);
	/* As the core: the capacity in, 0 out unless success or ERANGE. */
	cap = outnbyte != NULL ? *outnbyte : 0;
	if (outnbyte != NULL)
		*outnbyte = 0;
	if ((innbyte > 0 && in == NULL) || (cap > 0 && out == NULL)) {
		errno = EFAULT;
		return (-1);
	}
	/* The core says E2BIG too; do not stream an oversized payload. */
	if (innbyte > VPC_CTL_IN_MAX) {
		errno = E2BIG;
		return (-1);
	}
	memset(&rq, 0, sizeof(rq));
	rq.rq_magic = VPC_PROTO_MAGIC;
	rq.rq_kind = VPC_MSG_CTL;
	rq.rq_op = op;
	rq.rq_inlen = innbyte;
	rq.rq_outcap = cap;
	iov[0].iov_base = &rq;
	iov[0].iov_len = sizeof(rq);
	iov[1].iov_base = (void *)(uintptr_t)in;
	iov[1].iov_len = innbyte;

	mtx = &libvpc_fdlock[vd % LIBVPC_FDLOCKS];
	(void)pthread_mutex_lock(mtx);
	if (libvpc_sendv(vd, iov, 2) == -1) {
		err = errno;
		goto broken;
	}
	libvpc_spin(vd);
	if (libvpc_recv_all(vd, &rp, sizeof(rp)) == -1) {
		err = errno;
		goto broken;
	}
	if (rp.rp_magic != VPC_PROTO_MAGIC || rp.rp_errno > 0x7fffffffu) {
		err = EPROTO;
		goto broken;
	}
	if (rp.rp_errno == 0) {
		if (rp.rp_outlen > cap) {
			/* More than asked for: keep the stream in step. */
			err = EPROTO;
			if (rp.rp_outlen > VPC_CTL_OUT_MAX ||
			    libvpc_drain(vd, rp.rp_outlen) == -1)
				goto broken;
			goto out;
		}
		if (libvpc_recv_all(vd, out, (size_t)rp.rp_outlen) == -1) {
			err = errno;
			goto broken;
		}
		if (outnbyte != NULL)
			*outnbyte = (size_t)rp.rp_outlen;
		err = 0;
		goto out;
	}
	err = (int)rp.rp_errno;
	if (err == ERANGE && outnbyte != NULL)
		*outnbyte = (size_t)rp.rp_outlen;
	goto out;
broken:
	/*
	 * Part of a message went astray: the stream can no longer be
	 * parsed, so make every later request on it fail at once.
	 */
	(void)shutdown(vd, SHUT_RDWR);
out:
	(void)pthread_mutex_unlock(mtx);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (0);
}

/*
 * vpc_open(2) reporting where it failed: see libvpc_impl.h for 'stage',
 * 'path' and 'pathsz'; 'id', 'type' and 'flags' as for vpc_open.
 */
int
libvpc_transport_open(const vpc_id_t *id, vpc_type_t type,
    vpc_flags_t flags, enum libvpc_stage *stage, char *path, size_t pathsz)
{
	if (stage != NULL)
		*stage = LIBVPC_STAGE_NONE;
	if (libvpc_kernel()) {
#ifdef __FreeBSD__
		return ((int)syscall((int)libvpc_sys_open, id, type, flags));
#endif
	}
	return (libvpc_sock_open(id, type, flags, stage, path, pathsz));
}

/*
 * Open object 'id' of type 'type' with VPC_F_* 'flags'; returns a
 * descriptor or -1 with errno set.  See vpc_open(2).
 */
int
vpc_open(const vpc_id_t *id, vpc_type_t type, vpc_flags_t flags)
{
	return (libvpc_transport_open(id, type, flags, NULL, NULL, 0));
}

/*
 * Run op 'op' on descriptor 'vd' with 'innbyte' input bytes at 'in';
 * '*outnbyte' is the room at 'out' and becomes the length written, or
 * the length needed on ERANGE.  Returns 0 or -1 with errno set.  See
 * vpc_ctl(2).
 */
int
vpc_ctl(int vd, vpc_op_t op, size_t innbyte, const void *in,
    size_t *outnbyte, void *out)
{
	if (libvpc_kernel()) {
#ifdef __FreeBSD__
		return ((int)syscall((int)libvpc_sys_ctl, vd, op, innbyte,
		    in, outnbyte, out));
#endif
	}
	return (libvpc_sock_ctl(vd, op, innbyte, in, outnbyte, out));
}
