/*
 * vpcd_server.c: the control socket, speaking vpc_proto.h.
 *
 * Each accepted connection is one descriptor: its first request must be
 * OPEN (vpc_desc_open() with the peer's credentials, taken when it
 * connected), every later one CTL (vpc_desc_ctl()); closing the
 * connection closes the descriptor.  Sockets are non-blocking and every
 * connection has its own buffers and state, so a client that is slow to
 * send or to read its replies holds up nobody but itself.  A connection
 * handles one request at a time: it is not read while its reply is still
 * going out.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_state.h"
#include "vpc_proto.h"

#define	CONN_INLINE	256		/* payloads kept in the connection */
#define	CONN_BUDGET	64		/* requests per wake-up */
#define	CONN_DRAIN_MAX	(1ull << 30)	/* oversized input still drained */

/* Where a connection is in its request/reply cycle. */
enum conn_state {
	CONN_HDR,		/* reading a struct vpc_msg_req */
	CONN_BODY,		/* reading rq_inlen payload bytes */
	CONN_DRAIN,		/* discarding an oversized payload */
	CONN_REPLY		/* writing the reply */
};

/* One client connection: one descriptor. */
struct vpcd_conn {
	struct vpcd_defer	 c_defer;	/* deferred free, first */
	struct vpcd_server	*c_srv;		/* the server */
	struct vpcd_conn	*c_next;	/* server's list */
	struct vpcd_conn	**c_prevp;	/* where we are linked from */
	uint32_t		 c_num;		/* for logs */
	int			 c_fd;		/* the socket */
	int			 c_dead;	/* closed, awaiting free */
	int			 c_close;	/* close after the reply */
	struct vpcd_ev		*c_ev;		/* its registration */
	struct vpc_cred		 c_cred;	/* peer, at connect time */
	struct vpc_desc		*c_desc;	/* after a good OPEN */
	enum conn_state		 c_state;	/* see above */
	struct vpc_msg_req	 c_req;		/* request being read */
	size_t			 c_got;		/* bytes of header or body */
	uint8_t			*c_in;		/* body: c_inbuf or heap */
	uint64_t		 c_drain;	/* bytes left to discard */
	int			 c_drain_errno;	/* reply after draining */
	struct vpc_msg_rep	 c_rep;		/* reply being written */
	uint8_t			*c_out;		/* payload: c_outbuf or heap */
	size_t			 c_outlen;	/* payload bytes */
	size_t			 c_sent;	/* of header and payload */
	uint8_t			 c_inbuf[CONN_INLINE];	/* small inputs */
	uint8_t			 c_outbuf[CONN_INLINE];	/* small outputs */
};

struct vpcd_server {
	struct vpcd		*s_vpcd;	/* the daemon */
	int			 s_fd;		/* listening socket */
	struct vpcd_ev		*s_ev;		/* its registration */
	int			 s_paused;	/* out of descriptors */
	uint32_t		 s_nextnum;	/* connection numbers */
	uint32_t		 s_nconns;	/* open connections */
	struct vpcd_conn	*s_conns;	/* all of them */
	char			 s_path[sizeof(((struct sockaddr_un *)0)->
				    sun_path)];	/* socket path */
};

static int	srv_probe(const char *path);
static void	srv_accept(void *arg, uint32_t events);
static void	conn_new(struct vpcd_server *s, int fd);
static void	conn_close(struct vpcd_conn *c);
static void	conn_free(struct vpcd_defer *df);
static void	conn_event(void *arg, uint32_t events);
static void	conn_header(struct vpcd_conn *c);
static void	conn_ctl(struct vpcd_conn *c);
static void	conn_reply(struct vpcd_conn *c, int error, uint64_t outlen,
		    size_t payload);
static void	conn_flush(struct vpcd_conn *c);
static void	conn_release_in(struct vpcd_conn *c);
static void	conn_release_out(struct vpcd_conn *c);

/*
 * Whether something listens on 'path'.  Returns 0 if the path is free
 * (a stale socket is removed), EADDRINUSE if a server answers, or another
 * errno.
 */
static int
srv_probe(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int error, fd;

	if (lstat(path, &st) == -1)
		return (errno == ENOENT ? 0 : errno);
	if (!S_ISSOCK(st.st_mode)) {
		vpc_os_log(VPC_LOG_ERR, "%s exists and is not a socket; not "
		    "touching it", path);
		return (EEXIST);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return (errno);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	error = 0;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		error = EADDRINUSE;
	else if (errno != ECONNREFUSED)
		error = errno;
	close(fd);
	if (error == EADDRINUSE) {
		vpc_os_log(VPC_LOG_ERR, "another vpcd is listening on %s",
		    path);
		return (error);
	}
	if (error != 0)
		return (error);
	if (unlink(path) == -1 && errno != ENOENT)
		return (errno);
	vpc_os_log(VPC_LOG_INFO, "removed stale socket %s", path);
	return (0);
}

/*
 * Listen on Unix socket 'path' for vpcd 'v' (mode 0660, group -g if
 * given).  Returns 0 and the server in '*sp', or an errno (logged).
 */
int
vpcd_server_start(struct vpcd *v, const char *path, struct vpcd_server **sp)
{
	struct vpcd_server *s;
	struct sockaddr_un sun;
	mode_t omask;
	int error;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		vpc_os_log(VPC_LOG_ERR, "socket path too long: %s", path);
		return (ENAMETOOLONG);
	}
	if ((error = srv_probe(path)) != 0)
		return (error);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (ENOMEM);
	s->s_vpcd = v;
	snprintf(s->s_path, sizeof(s->s_path), "%s", path);
	s->s_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s->s_fd == -1) {
		error = errno;
		free(s);
		return (error);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	/* Never reachable by others, even for an instant. */
	omask = umask(0117);
	if (bind(s->s_fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		error = errno;
		umask(omask);
		vpc_os_log(VPC_LOG_ERR, "bind %s: %s", path, strerror(error));
		goto fail_close;
	}
	umask(omask);
	if (v->v_have_group && chown(path, (uid_t)-1, v->v_group) == -1) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "chown %s: %s", path, strerror(error));
		goto fail_unlink;
	}
	if (chmod(path, 0660) == -1 || listen(s->s_fd, SOMAXCONN) == -1) {
		error = errno;
		vpc_os_log(VPC_LOG_ERR, "listen %s: %s", path,
		    strerror(error));
		goto fail_unlink;
	}
	s->s_ev = vpcd_ev_add(v->v_loop, s->s_fd, VPCD_EV_IN, srv_accept, s);
	if (s->s_ev == NULL) {
		error = errno;
		goto fail_unlink;
	}
	*sp = s;
	return (0);
fail_unlink:
	unlink(path);
fail_close:
	close(s->s_fd);
	free(s);
	return (error);
}

/*
 * Close every connection (and so its descriptor), stop listening and
 * remove the socket.  Frees 's' once the loop is flushed.
 */
void
vpcd_server_stop(struct vpcd_server *s)
{
	while (s->s_conns != NULL)
		conn_close(s->s_conns);
	vpcd_ev_del(s->s_ev);
	close(s->s_fd);
	if (unlink(s->s_path) == -1 && errno != ENOENT)
		vpc_os_log(VPC_LOG_WARN, "unlink %s: %s", s->s_path,
		    strerror(errno));
	vpcd_loop_flush(s->s_vpcd->v_loop);
	free(s);
}

static void
srv_accept(void *arg, uint32_t events __unused)
{
	struct vpcd_server *s = arg;
	int fd, i;

	for (i = 0; i < CONN_BUDGET; i++) {
		fd = accept4(s->s_fd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC);
		if (fd != -1) {
			conn_new(s, fd);
			continue;
		}
		switch (errno) {
		case EINTR:
		case ECONNABORTED:
			continue;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			/* Wait for a connection to close before trying on. */
			vpc_os_log(VPC_LOG_WARN, "accept: %s with %u "
			    "connections; pausing", strerror(errno),
			    s->s_nconns);
			if (vpcd_ev_mod(s->s_ev, 0) == 0)
				s->s_paused = 1;
			return;
		case EAGAIN:
			return;
		default:
			vpc_os_log(VPC_LOG_ERR, "accept: %s", strerror(errno));
			return;
		}
	}
}

static void
conn_new(struct vpcd_server *s, int fd)
{
	struct vpcd_conn *c;
	int error;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		vpc_os_log(VPC_LOG_ERR, "connection: out of memory");
		close(fd);
		return;
	}
	c->c_srv = s;
	c->c_fd = fd;
	c->c_num = s->s_nextnum++;
	c->c_state = CONN_HDR;
	if ((error = vpcd_peer_cred(fd, s->s_vpcd, &c->c_cred)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "connection %u: no credentials: %s",
		    c->c_num, strerror(error));
		close(fd);
		free(c);
		return;
	}
	c->c_ev = vpcd_ev_add(s->s_vpcd->v_loop, fd, VPCD_EV_IN, conn_event,
	    c);
	if (c->c_ev == NULL) {
		vpc_os_log(VPC_LOG_ERR, "connection %u: %s", c->c_num,
		    strerror(errno));
		close(fd);
		free(c);
		return;
	}
	c->c_next = s->s_conns;
	if (c->c_next != NULL)
		c->c_next->c_prevp = &c->c_next;
	c->c_prevp = &s->s_conns;
	s->s_conns = c;
	s->s_nconns++;
	vpc_os_log(VPC_LOG_DEBUG, "connection %u: uid %u%s", c->c_num,
	    c->c_cred.vc_uid, c->c_cred.vc_priv ? ", privileged" : "");
}

static void
conn_free(struct vpcd_defer *df)
{
	free(df);	/* c_defer is first in struct vpcd_conn */
}

static void
conn_release_in(struct vpcd_conn *c)
{
	if (c->c_in != NULL && c->c_in != c->c_inbuf)
		free(c->c_in);
	c->c_in = NULL;
}

static void
conn_release_out(struct vpcd_conn *c)
{
	if (c->c_out != NULL && c->c_out != c->c_outbuf)
		free(c->c_out);
	c->c_out = NULL;
	c->c_outlen = 0;
}

/* Close connection 'c' and its descriptor; freed after the batch. */
static void
conn_close(struct vpcd_conn *c)
{
	struct vpcd_server *s = c->c_srv;

	if (c->c_dead)
		return;
	c->c_dead = 1;
	vpcd_ev_del(c->c_ev);
	close(c->c_fd);
	if (c->c_desc != NULL)
		vpc_desc_close(c->c_desc);
	c->c_desc = NULL;
	conn_release_in(c);
	conn_release_out(c);
	*c->c_prevp = c->c_next;
	if (c->c_next != NULL)
		c->c_next->c_prevp = c->c_prevp;
	s->s_nconns--;
	vpc_os_log(VPC_LOG_DEBUG, "connection %u: closed", c->c_num);
	vpcd_loop_defer(s->s_vpcd->v_loop, &c->c_defer, conn_free);
	if (s->s_paused && vpcd_ev_mod(s->s_ev, VPCD_EV_IN) == 0)
		s->s_paused = 0;
}

/* Queue the reply and start sending it. */
static void
conn_reply(struct vpcd_conn *c, int error, uint64_t outlen, size_t payload)
{
	c->c_rep.rp_magic = VPC_PROTO_MAGIC;
	c->c_rep.rp_errno = (uint32_t)error;
	c->c_rep.rp_outlen = outlen;
	c->c_outlen = payload;
	c->c_sent = 0;
	c->c_state = CONN_REPLY;
	conn_flush(c);
}

/* Send what is left of the reply; then read again, or close. */
static void
conn_flush(struct vpcd_conn *c)
{
	struct iovec iov[2];
	size_t hlen = sizeof(c->c_rep), total;
	ssize_t r;
	int cnt;

	total = hlen + c->c_outlen;
	while (c->c_sent < total) {
		cnt = 0;
		if (c->c_sent < hlen) {
			iov[cnt].iov_base = (uint8_t *)&c->c_rep + c->c_sent;
			iov[cnt++].iov_len = hlen - c->c_sent;
		}
		if (c->c_outlen > 0) {
			iov[cnt].iov_base = c->c_out + (c->c_sent > hlen ?
			    c->c_sent - hlen : 0);
			iov[cnt++].iov_len = c->c_outlen - (c->c_sent > hlen ?
			    c->c_sent - hlen : 0);
		}
		r = writev(c->c_fd, iov, cnt);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (vpcd_ev_mod(c->c_ev, VPCD_EV_OUT) != 0)
					conn_close(c);
				return;
			}
			/* EPIPE, ECONNRESET: the client left. */
			conn_close(c);
			return;
		}
		c->c_sent += (size_t)r;
	}
	conn_release_out(c);
	/* The client's next request is likely to follow at once. */
	vpcd_loop_linger(c->c_srv->s_vpcd->v_loop,
	    c->c_srv->s_vpcd->v_linger_us);
	if (c->c_close) {
		conn_close(c);
		return;
	}
	c->c_state = CONN_HDR;
	c->c_got = 0;
	if (vpcd_ev_mod(c->c_ev, VPCD_EV_IN) != 0)
		conn_close(c);
}

/* A whole request header has arrived. */
static void
conn_header(struct vpcd_conn *c)
{
	struct vpc_msg_req *rq = &c->c_req;
	char id[VPCD_ID_STRLEN];
	int error;

	if (rq->rq_magic != VPC_PROTO_MAGIC) {
		vpc_os_log(VPC_LOG_DEBUG, "connection %u: bad magic %#x",
		    c->c_num, rq->rq_magic);
		c->c_close = 1;
		conn_reply(c, EINVAL, 0, 0);
		return;
	}
	if (c->c_desc == NULL) {
		/* OPEN, without payload, comes first and only once. */
		if (rq->rq_kind != VPC_MSG_OPEN || rq->rq_inlen != 0 ||
		    rq->rq_pad != 0) {
			vpc_os_log(VPC_LOG_DEBUG, "connection %u: bad first "
			    "request (kind %u)", c->c_num, rq->rq_kind);
			c->c_close = 1;
			conn_reply(c, EINVAL, 0, 0);
			return;
		}
		error = vpc_desc_open(c->c_srv->s_vpcd->v_reg, &rq->rq_id,
		    rq->rq_type, rq->rq_flags, &c->c_cred, &c->c_desc);
		vpcd_id_format(&rq->rq_id, id);
		vpc_os_log(VPC_LOG_DEBUG, "connection %u: open %s type %u "
		    "flags %#x: %s", c->c_num, id, rq->rq_type, rq->rq_flags,
		    error == 0 ? "ok" : strerror(error));
		if (error != 0) {
			c->c_desc = NULL;
			c->c_close = 1;
		}
		conn_reply(c, error, 0, 0);
		return;
	}
	if (rq->rq_kind != VPC_MSG_CTL) {
		vpc_os_log(VPC_LOG_DEBUG, "connection %u: bad request kind "
		    "%u", c->c_num, rq->rq_kind);
		c->c_close = 1;
		conn_reply(c, EINVAL, 0, 0);
		return;
	}
	if (rq->rq_inlen > VPC_CTL_IN_MAX) {
		if (rq->rq_inlen > CONN_DRAIN_MAX) {
			/* Not worth reading: answer and hang up. */
			c->c_close = 1;
			conn_reply(c, E2BIG, 0, 0);
			return;
		}
		c->c_drain = rq->rq_inlen;
		c->c_drain_errno = E2BIG;
		c->c_state = CONN_DRAIN;
		return;
	}
	if (rq->rq_inlen == 0) {
		conn_ctl(c);
		return;
	}
	if (rq->rq_inlen <= CONN_INLINE)
		c->c_in = c->c_inbuf;
	else if ((c->c_in = malloc(rq->rq_inlen)) == NULL) {
		c->c_drain = rq->rq_inlen;
		c->c_drain_errno = ENOMEM;
		c->c_state = CONN_DRAIN;
		return;
	}
	c->c_got = 0;
	c->c_state = CONN_BODY;
}

/* A whole CTL request has arrived: run it and reply. */
static void
conn_ctl(struct vpcd_conn *c)
{
	struct vpc_msg_req *rq = &c->c_req;
	size_t cap, outn;
	int error;

	cap = rq->rq_outcap < VPC_CTL_OUT_MAX ? (size_t)rq->rq_outcap :
	    VPC_CTL_OUT_MAX;
	if (cap <= CONN_INLINE)
		c->c_out = c->c_outbuf;
	else if ((c->c_out = calloc(1, cap)) == NULL) {
		conn_release_in(c);
		conn_reply(c, ENOMEM, 0, 0);
		return;
	}
	outn = cap;
	if (rq->rq_pad != 0)
		error = EINVAL;
	else
		error = vpc_desc_ctl(c->c_desc, rq->rq_op,
		    rq->rq_inlen != 0 ? c->c_in : NULL, (size_t)rq->rq_inlen,
		    cap != 0 ? c->c_out : NULL, &outn, &c->c_cred);
	/* Persisted before the reply goes out (vpcd_state.c). */
	if (error == 0)
		vpcd_state_ctl(c->c_srv->s_vpcd, c->c_desc, rq->rq_op,
		    c->c_in, (size_t)rq->rq_inlen);
	conn_release_in(c);
	vpc_os_log(VPC_LOG_DEBUG, "connection %u: op %#x in %zu out %zu: %s",
	    c->c_num, rq->rq_op, (size_t)rq->rq_inlen, outn,
	    error == 0 ? "ok" : strerror(error));
	if (error == 0 && outn > cap) {
		vpc_os_log(VPC_LOG_ERR, "op %#x claims %zu output bytes in "
		    "%zu", rq->rq_op, outn, cap);
		error = EFAULT;
	}
	if (error == 0)
		conn_reply(c, 0, outn, outn);
	else if (error == ERANGE)
		conn_reply(c, ERANGE, outn, 0);
	else
		conn_reply(c, error, 0, 0);
}

static void
conn_event(void *arg, uint32_t events)
{
	static uint8_t scratch[16384];
	struct vpcd_conn *c = arg;
	void *dst;
	size_t want;
	ssize_t r;
	int n;

	if (c->c_state == CONN_REPLY) {
		if (events & (VPCD_EV_OUT | VPCD_EV_ERR))
			conn_flush(c);
		if (c->c_dead || c->c_state == CONN_REPLY)
			return;
	}
	for (n = 0; n < CONN_BUDGET && !c->c_dead &&
	    c->c_state != CONN_REPLY;) {
		switch (c->c_state) {
		case CONN_HDR:
			dst = (uint8_t *)&c->c_req + c->c_got;
			want = sizeof(c->c_req) - c->c_got;
			break;
		case CONN_BODY:
			dst = c->c_in + c->c_got;
			want = (size_t)c->c_req.rq_inlen - c->c_got;
			break;
		default:	/* CONN_DRAIN */
			dst = scratch;
			want = c->c_drain < sizeof(scratch) ?
			    (size_t)c->c_drain : sizeof(scratch);
			break;
		}
		r = read(c->c_fd, dst, want);
		if (r == 0) {
			conn_close(c);
			return;
		}
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				conn_close(c);
			return;
		}
		switch (c->c_state) {
		case CONN_HDR:
			c->c_got += (size_t)r;
			if (c->c_got == sizeof(c->c_req)) {
				n++;
				conn_header(c);
			}
			break;
		case CONN_BODY:
			c->c_got += (size_t)r;
			if (c->c_got == c->c_req.rq_inlen)
				conn_ctl(c);
			break;
		default:
			c->c_drain -= (uint64_t)r;
			if (c->c_drain == 0) {
				vpc_os_log(VPC_LOG_DEBUG, "connection %u: "
				    "input of %ju bytes refused", c->c_num,
				    (uintmax_t)c->c_req.rq_inlen);
				conn_reply(c, c->c_drain_errno, 0, 0);
			}
			break;
		}
	}
}
