/*
 * vpcd_udp.c: vpclink devices on UDP sockets.
 *
 * A bound vpclink has one socket receiving on the local underlay address
 * and port (IPv4, or IPv6 only) and a pool of VL_POOL sending sockets
 * bound to the same address with kernel-chosen ports: the flow hash of a
 * frame picks the socket, so each flow keeps one UDP source port and
 * different flows spread over ECMP paths.  IPv4 is sent with DF set; the
 * core keeps frames within the MTU derived from the underlay.
 *
 * Offloads (vpcd_offload.h).  A TCP super-frame from a guest is cut into
 * MSS-sized inner frames, each with its own headers and checksums, laid
 * out as equal-size VXLAN datagrams so that one sendmsg with UDP_SEGMENT
 * sends up to VL_GSO_SEGS of them (and sendmmsg several such messages);
 * a frame with a partial checksum has it completed first.  The receiving
 * socket has UDP_GRO: a burst arrives as one buffer of equal-size
 * datagrams (the cmsg gives their size), received in batches of VL_BATCH
 * with recvmmsg; consecutive TCP segments of one flow (and equal-size
 * UDP datagrams of one flow, where the kernel takes USO frames) are
 * joined back into one super-frame (vpcd_gro.c) before the core sees
 * them.  The core gets the frames of a batch as bursts
 * (vpc_input_vpclink_burst(): one epoch section, and the table lookups
 * of the burst prefetched together when the tables are large): a
 * vpclink collects them (struct vl_pend) and hands them on when
 * VPC_BURST_MAX are waiting, after a joined frame (its buffer is reused
 * for the next), and before the next recvmmsg reuses the batch's
 * buffers, so none is pending between wake-ups.
 *
 * Batching.  Frames that are not super-frames (UDP, ACKs, ICMP, anything
 * from a guest without TSO) are not sent one sendmsg each: a vpclink
 * gathers the VXLAN datagrams the core hands it during one batch of the
 * event loop (struct vl_txq) and sends consecutive ones for the same
 * remote, socket and size as one UDP_SEGMENT message, which the kernel
 * routes and hands to the device once and the peer's UDP_GRO receives
 * whole.  The queue goes out when the next datagram cannot join it, when
 * it is full, before a super-frame, before the sockets close and at the
 * end of the loop's batch.  A queued frame counts as sent for the core;
 * if the kernel then refuses the message, each of its datagrams is
 * counted as a tx_error drop on the vpclink.  A message the kernel
 * refuses as UDP_SEGMENT (EINVAL, EIO: not its datagrams but the
 * segmentation), gathered or from a super-frame, goes out datagram by
 * datagram instead.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_offload.h"

#define	VL_POOL		16		/* sending sockets */
#define	VL_BATCH	32		/* buffers per recvmmsg */
#define	VL_ROUNDS	8		/* recvmmsg calls per wake-up */
#define	VL_RCVBUF	(8 * 1024 * 1024) /* receiving socket queue */
#define	VL_UDP_MAX	65507		/* UDP payload of one IPv4 send */
#define	VL_GSO_SEGS	64		/* datagrams per UDP_SEGMENT send */
#define	VL_GSO_MSGS	4		/* messages per sendmmsg */
#define	VL_SEGHDR	(VPC_VXLAN_HDRLEN + VPCD_GSO_HDRMAX) /* per segment */
#define	VL_CMSG		CMSG_SPACE(sizeof(int))	/* UDP_GRO, UDP_SEGMENT */

/* Scratch space to send one super-frame (vl_output_gso). */
struct vl_gso_tx {
	uint8_t			 gt_hdr[VL_GSO_MSGS * VL_GSO_SEGS][VL_SEGHDR];
	struct iovec		 gt_iov[VL_GSO_MSGS * VL_GSO_SEGS * 2];
	struct mmsghdr		 gt_msgs[VL_GSO_MSGS];
	union {
		struct cmsghdr	 cm;
		uint8_t		 buf[VL_CMSG];
	}			 gt_ctl[VL_GSO_MSGS];
};

/* Datagrams waiting to go as one UDP_SEGMENT message (see Batching). */
struct vl_txq {
	uint8_t			*tq_buf;	/* VL_UDP_MAX bytes */
	uint32_t		 tq_len;	/* bytes queued */
	uint32_t		 tq_nseg;	/* datagrams queued, 0: empty */
	uint32_t		 tq_seg;	/* size of each but the last */
	int			 tq_fd;		/* sending socket */
	int			 tq_armed;	/* end-of-batch flush pending */
	socklen_t		 tq_tolen;	/* destination length */
	struct sockaddr_storage	 tq_to;		/* destination */
	struct vpcd_defer	 tq_atend;	/* end-of-batch flush */
};

/* The sockets of a binding. */
struct vl_socks {
	int			 vs_rfd;	/* receiving socket */
	int			 vs_sfd[VL_POOL]; /* sending sockets */
};

/* Received frames waiting to go to the core as one burst (vl_input). */
struct vl_pend {
	struct vpc_pkt		 vp_pkt[VPC_BURST_MAX];
	struct vpc_pkt		*vp_ptr[VPC_BURST_MAX];	/* &vp_pkt[i] */
	struct vpc_ipaddr	 vp_src[VPC_BURST_MAX];	/* underlay sources */
	uint32_t		 vp_n;
};

/* A vpclink device. */
struct vpcd_vpclink {
	struct vpcd_dev		 l_dev;		/* common head, first */
	int			 l_bound;	/* l_socks are open */
	struct vl_socks		 l_socks;	/* while bound */
	struct vpcd_ev		*l_ev;		/* receiving registration */
	struct vpc_udpaddr	 l_local;	/* bound address, port set */
	uint8_t			*l_bufs;	/* VL_BATCH receive buffers */
	struct mmsghdr		 l_msgs[VL_BATCH]; /* recvmmsg vector */
	struct iovec		 l_iov[VL_BATCH]; /* one per buffer */
	struct sockaddr_storage	 l_from[VL_BATCH]; /* sources */
	union {
		struct cmsghdr	 cm;
		uint8_t		 buf[VL_CMSG];
	}			 l_ctl[VL_BATCH]; /* UDP_GRO sizes */
	struct vpcd_gro		*l_gro;		/* joins segments */
	struct vl_pend		*l_pend;	/* frames for the core */
	struct vl_gso_tx	*l_gso;		/* super-frame sends */
	struct vl_txq		 l_txq;		/* datagrams gathered */
};

static int	vl_sockaddr(const struct vpc_ipaddr *a, uint16_t port,
		    struct sockaddr_storage *ss, socklen_t *lenp);
static int	vl_socket(const struct sockaddr_storage *ss, socklen_t len,
		    int sender, int *fdp);
static int	vl_open(const struct vpc_udpaddr *ua, struct vl_socks *vs);
static void	vl_close(struct vl_socks *vs);
static void	vl_unbind(struct vpcd_vpclink *l);
static int	vl_bind(struct vpcd_vpclink *l, const struct vpc_udpaddr *ua);
static int	vl_underlay_mtu(const struct vpc_ipaddr *a, uint32_t *mtup);
static void	vl_readable(void *arg, uint32_t events);
static void	vl_input(void *arg, struct vpc_pkt *pkt,
		    const struct vpc_ipaddr *src, int transient);
static void	vl_pend_flush(struct vpcd_vpclink *l);
static int	vl_output_gso(struct vpcd_vpclink *l, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx, struct sockaddr_storage *ss,
		    socklen_t sslen);
static int	vl_send_each(int fd, const struct msghdr *mh);
static void	vl_free(struct vpcd_defer *df);
static void	vl_txq_send(struct vpcd_vpclink *l);
static void	vl_txq_atend(struct vpcd_defer *df);
static void	vl_txq_add(struct vpcd_vpclink *l, int fd,
		    const struct sockaddr_storage *to, socklen_t tolen,
		    const struct iovec *iov, int iovcnt, uint32_t len);
static const char *vl_addrstr(const struct vpc_ipaddr *a, char *buf,
		    size_t len);

static const char *
vl_addrstr(const struct vpc_ipaddr *a, char *buf, size_t len)
{
	if (inet_ntop(a->va_family == VPC_AF_INET ? AF_INET : AF_INET6,
	    a->va_addr, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return (buf);
}

/* 'a' and 'port' as a socket address.  EAFNOSUPPORT for other families. */
static int
vl_sockaddr(const struct vpc_ipaddr *a, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *lenp)
{
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;

	memset(ss, 0, sizeof(*ss));
	switch (a->va_family) {
	case VPC_AF_INET:
		sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->va_addr, 4);
		*lenp = sizeof(*sin);
		return (0);
	case VPC_AF_INET6:
		sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->va_addr, 16);
		*lenp = sizeof(*sin6);
		return (0);
	default:
		return (EAFNOSUPPORT);
	}
}

/* A UDP socket bound to 'ss'; a 'sender' gets DF and a small queue. */
static int
vl_socket(const struct sockaddr_storage *ss, socklen_t len, int sender,
    int *fdp)
{
	int error, fd, one = 1, v, sz;

	fd = socket(ss->ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    IPPROTO_UDP);
	if (fd == -1)
		return (errno);
	if (ss->ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &one, sizeof(one)) == -1)
		goto fail;
	if (sender) {
		/* Never fragment: the core sizes frames to the path. */
		if (ss->ss_family == AF_INET) {
			v = IP_PMTUDISC_DO;
			if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &v,
			    sizeof(v)) == -1)
				goto fail;
		} else {
			v = IPV6_PMTUDISC_DO;
			if (setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER,
			    &v, sizeof(v)) == -1)
				goto fail;
		}
		/* Nothing is read from it: keep stray datagrams few. */
		sz = 4096;
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	} else {
		sz = VL_RCVBUF;
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		    sizeof(sz)) == -1)
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz,
			    sizeof(sz));
		/* Bursts in one buffer; kernels before 5.0 lack it. */
		(void)setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof(one));
	}
	if (bind(fd, (const struct sockaddr *)ss, len) == -1)
		goto fail;
	*fdp = fd;
	return (0);
fail:
	error = errno;
	close(fd);
	return (error);
}

/* Open the receiving socket and the sending pool for 'ua' into 'vs'. */
static int
vl_open(const struct vpc_udpaddr *ua, struct vl_socks *vs)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int error, i;

	vs->vs_rfd = -1;
	for (i = 0; i < VL_POOL; i++)
		vs->vs_sfd[i] = -1;
	if ((error = vl_sockaddr(&ua->vu_addr, ua->vu_port, &ss, &len)) != 0)
		return (error);
	if ((error = vl_socket(&ss, len, 0, &vs->vs_rfd)) != 0)
		goto fail;
	/* Same address, port 0: each gets its own source port. */
	if ((error = vl_sockaddr(&ua->vu_addr, 0, &ss, &len)) != 0)
		goto fail;
	for (i = 0; i < VL_POOL; i++)
		if ((error = vl_socket(&ss, len, 1, &vs->vs_sfd[i])) != 0)
			goto fail;
	return (0);
fail:
	vl_close(vs);
	return (error);
}

static void
vl_close(struct vl_socks *vs)
{
	int i;

	if (vs->vs_rfd != -1)
		close(vs->vs_rfd);
	vs->vs_rfd = -1;
	for (i = 0; i < VL_POOL; i++) {
		if (vs->vs_sfd[i] != -1)
			close(vs->vs_sfd[i]);
		vs->vs_sfd[i] = -1;
	}
}

static void
vl_unbind(struct vpcd_vpclink *l)
{
	if (!l->l_bound)
		return;
	vl_txq_send(l);		/* accepted frames still leave */
	vpcd_ev_del(l->l_ev);
	l->l_ev = NULL;
	vl_close(&l->l_socks);
	l->l_bound = 0;
	memset(&l->l_local, 0, sizeof(l->l_local));
}

/*
 * Bind vpclink 'l' to 'ua' (port already resolved), replacing any
 * earlier binding only once the new one works.
 */
static int
vl_bind(struct vpcd_vpclink *l, const struct vpc_udpaddr *ua)
{
	struct vl_socks vs;
	struct vpc_udpaddr old;
	struct vpcd_ev *ev;
	int error;

	if (l->l_bound && memcmp(&l->l_local, ua, sizeof(*ua)) == 0)
		return (0);
	error = vl_open(ua, &vs);
	if (error == EADDRINUSE && l->l_bound) {
		/* The old binding may be what is in the way. */
		old = l->l_local;
		vl_unbind(l);
		error = vl_open(ua, &vs);
		if (error != 0) {
			if (vl_bind(l, &old) != 0)
				vpc_os_log(VPC_LOG_ERR, "vpclink: lost its "
				    "earlier binding");
			return (error);
		}
	}
	if (error != 0)
		return (error);
	ev = vpcd_ev_add(l->l_dev.dv_vpcd->v_loop, vs.vs_rfd, VPCD_EV_IN,
	    vl_readable, l);
	if (ev == NULL) {
		error = errno;
		vl_close(&vs);
		return (error);
	}
	vl_unbind(l);
	l->l_socks = vs;
	l->l_ev = ev;
	l->l_local = *ua;
	l->l_bound = 1;
	return (0);
}

/*
 * A frame from vpcd_gro (joined or as it came): queued for the core,
 * which gets the queue when it is full or the frame is transient.
 */
static void
vl_input(void *arg, struct vpc_pkt *pkt, const struct vpc_ipaddr *src,
    int transient)
{
	struct vpcd_vpclink *l = arg;
	struct vl_pend *vp = l->l_pend;

	vp->vp_pkt[vp->vp_n] = *pkt;
	vp->vp_src[vp->vp_n] = *src;
	if (++vp->vp_n == VPC_BURST_MAX || transient)
		vl_pend_flush(l);
}

/* The queued frames, in order, into the core as one burst. */
static void
vl_pend_flush(struct vpcd_vpclink *l)
{
	struct vl_pend *vp = l->l_pend;

	if (vp->vp_n == 0)
		return;
	vpc_input_vpclink_burst((struct vpc_vpclink *)(void *)l->l_dev.dv_obj,
	    vp->vp_ptr, vp->vp_src, vp->vp_n);
	vp->vp_n = 0;
}

/*
 * Datagrams arrived: up to VL_ROUNDS batches.  A buffer may hold a burst
 * of datagrams of the size the UDP_GRO cmsg gives (the last one shorter);
 * each goes through vpcd_gro, which is flushed before returning.
 */
static void
vl_readable(void *arg, uint32_t events __unused)
{
	struct vpcd_vpclink *l = arg;
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;
	struct vpc_ipaddr src;
	struct cmsghdr *cm;
	struct msghdr *mh;
	uint8_t *data;
	uint32_t len, off, seg, dlen;
	int i, n, round, gso;

	for (round = 0; round < VL_ROUNDS; round++) {
		for (i = 0; i < VL_BATCH; i++) {
			l->l_iov[i].iov_base = l->l_bufs +
			    (size_t)i * VPCD_RX_BUFSIZE + VPCD_RX_HEADROOM;
			l->l_iov[i].iov_len = VPCD_RX_FRAME;
			mh = &l->l_msgs[i].msg_hdr;
			memset(mh, 0, sizeof(*mh));
			mh->msg_name = &l->l_from[i];
			mh->msg_namelen = sizeof(l->l_from[i]);
			mh->msg_iov = &l->l_iov[i];
			mh->msg_iovlen = 1;
			mh->msg_control = &l->l_ctl[i];
			mh->msg_controllen = sizeof(l->l_ctl[i]);
		}
		n = recvmmsg(l->l_socks.vs_rfd, l->l_msgs, VL_BATCH,
		    MSG_DONTWAIT, NULL);
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				vpc_os_log(VPC_LOG_WARN, "vpclink: receive: "
				    "%s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			mh = &l->l_msgs[i].msg_hdr;
			/*
			 * Neither can happen today (a datagram or a UDP_GRO
			 * buffer stays under 64 KiB; the socket has one
			 * family), but a frame vpcd cannot take is counted.
			 */
			if (mh->msg_flags & MSG_TRUNC) {
				vpc_count_drop(l->l_dev.dv_obj,
				    VPC_DROP_RX_UNSUPPORTED);
				continue;
			}
			memset(&src, 0, sizeof(src));
			if (l->l_from[i].ss_family == AF_INET) {
				sin = (struct sockaddr_in *)&l->l_from[i];
				src.va_family = VPC_AF_INET;
				memcpy(src.va_addr, &sin->sin_addr, 4);
			} else if (l->l_from[i].ss_family == AF_INET6) {
				sin6 = (struct sockaddr_in6 *)&l->l_from[i];
				src.va_family = VPC_AF_INET6;
				memcpy(src.va_addr, &sin6->sin6_addr, 16);
			} else {
				vpc_count_drop(l->l_dev.dv_obj,
				    VPC_DROP_RX_UNSUPPORTED);
				continue;
			}
			data = l->l_iov[i].iov_base;
			len = l->l_msgs[i].msg_len;
			seg = len;
			for (cm = CMSG_FIRSTHDR(mh); cm != NULL;
			    cm = CMSG_NXTHDR(mh, cm)) {
				if (cm->cmsg_level == SOL_UDP &&
				    cm->cmsg_type == UDP_GRO &&
				    cm->cmsg_len >= CMSG_LEN(sizeof(gso))) {
					memcpy(&gso, CMSG_DATA(cm),
					    sizeof(gso));
					if (gso > 0)
						seg = (uint32_t)gso;
				}
			}
			/*
			 * One datagram or a GRO batch of 'seg'-byte ones.  An
			 * empty datagram still goes in once, so the core counts
			 * it (vxlan_short) instead of it vanishing here.
			 */
			off = 0;
			do {
				dlen = len - off < seg ? len - off : seg;
				vpcd_gro_input(l->l_gro, data + off, dlen,
				    off == 0 ? VPCD_RX_HEADROOM : 0, &src);
				off += dlen;
			} while (off < len);
		}
		/* The next recvmmsg reuses the buffers queued frames are in. */
		vl_pend_flush(l);
		if (n < VL_BATCH)
			break;
	}
	vpcd_gro_flush(l->l_gro);
	vl_pend_flush(l);
}

/*
 * MTU of the interface that has address 'a' (for a wildcard address:
 * the smallest of the interfaces that are up and have one of its family).
 */
static int
vl_underlay_mtu(const struct vpc_ipaddr *a, uint32_t *mtup)
{
	static const uint8_t zero[16];
	struct ifaddrs *ifa, *i;
	const void *addr;
	uint32_t mtu = 0, best;
	size_t alen;
	int any, family, error;

	family = a->va_family == VPC_AF_INET ? AF_INET : AF_INET6;
	alen = a->va_family == VPC_AF_INET ? 4 : 16;
	any = memcmp(a->va_addr, zero, alen) == 0;
	if (getifaddrs(&ifa) == -1)
		return (errno);
	best = 0;
	error = EADDRNOTAVAIL;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family)
			continue;
		if (family == AF_INET)
			addr = &((struct sockaddr_in *)(void *)
			    i->ifa_addr)->sin_addr;
		else
			addr = &((struct sockaddr_in6 *)(void *)
			    i->ifa_addr)->sin6_addr;
		if (any) {
			if (!(i->ifa_flags & IFF_UP) ||
			    (i->ifa_flags & IFF_LOOPBACK))
				continue;
		} else if (memcmp(addr, a->va_addr, alen) != 0)
			continue;
		if ((error = vpcd_if_get_mtu(i->ifa_name, &mtu)) != 0)
			break;
		if (best == 0 || mtu < best)
			best = mtu;
		if (!any)
			break;
	}
	freeifaddrs(ifa);
	if (best == 0)
		return (error != 0 ? error : EADDRNOTAVAIL);
	*mtup = best;
	return (0);
}

/*
 * Make the device of vpclink 'o' for vpcd 'v' into '*devp'; it is
 * unbound until VPC_ATTR_LOCAL is set.  Returns 0 or an errno.
 */
int
vpcd_vpclink_create(struct vpcd *v, struct vpc_obj *o,
    struct vpcd_dev **devp)
{
	struct vpcd_vpclink *l;
	int i;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return (ENOMEM);
	l->l_dev.dv_vpcd = v;
	l->l_dev.dv_obj = o;
	l->l_dev.dv_type = o->o_type;
	l->l_socks.vs_rfd = -1;
	for (i = 0; i < VL_POOL; i++)
		l->l_socks.vs_sfd[i] = -1;
	l->l_bufs = vpcd_rxbuf_alloc((size_t)VL_BATCH * VPCD_RX_BUFSIZE);
	l->l_gro = vpcd_gro_create(vl_input, l, &v->v_tap_uso);
	l->l_pend = calloc(1, sizeof(*l->l_pend));
	l->l_gso = calloc(1, sizeof(*l->l_gso));
	l->l_txq.tq_buf = malloc(VL_UDP_MAX);
	if (l->l_bufs == NULL || l->l_gro == NULL || l->l_pend == NULL ||
	    l->l_gso == NULL || l->l_txq.tq_buf == NULL) {
		vpcd_rxbuf_free(l->l_bufs, (size_t)VL_BATCH * VPCD_RX_BUFSIZE);
		vpcd_gro_destroy(l->l_gro);
		free(l->l_pend);
		free(l->l_gso);
		free(l->l_txq.tq_buf);
		free(l);
		return (ENOMEM);
	}
	for (i = 0; i < VPC_BURST_MAX; i++)
		l->l_pend->vp_ptr[i] = &l->l_pend->vp_pkt[i];
	*devp = &l->l_dev;
	return (0);
}

static void
vl_free(struct vpcd_defer *df)
{
	struct vpcd_vpclink *l = (struct vpcd_vpclink *)(void *)df;

	vpcd_rxbuf_free(l->l_bufs, (size_t)VL_BATCH * VPCD_RX_BUFSIZE);
	vpcd_gro_destroy(l->l_gro);
	free(l->l_pend);
	free(l->l_gso);
	free(l->l_txq.tq_buf);
	free(l);
}

/*
 * Remove the device of a vpclink: its sockets are closed.
 */
void
vpcd_vpclink_destroy(struct vpcd_dev *dev)
{
	struct vpcd_vpclink *l = (struct vpcd_vpclink *)(void *)dev;
	char a[INET6_ADDRSTRLEN];

	if (l->l_bound)
		vpc_os_log(VPC_LOG_INFO, "vpclink on %s port %u removed",
		    vl_addrstr(&l->l_local.vu_addr, a, sizeof(a)),
		    l->l_local.vu_port);
	vl_unbind(l);
	vpcd_loop_defer(dev->dv_vpcd->v_loop, &dev->dv_defer, vl_free);
}

/*
 * Apply attribute 'a' ('val', 'len' bytes) to vpclink 'dev': LOCAL binds
 * it (family NONE unbinds).  Returns 0 or an errno (then nothing changed).
 */
int
vpcd_vpclink_set(struct vpcd_dev *dev, enum vpc_attr a, const void *val,
    size_t len)
{
	struct vpcd_vpclink *l = (struct vpcd_vpclink *)(void *)dev;
	struct vpc_udpaddr ua;
	char id[VPCD_ID_STRLEN], s[INET6_ADDRSTRLEN];
	int error;

	switch (a) {
	case VPC_ATTR_LOCAL:
		if (len != sizeof(ua))
			return (EINVAL);
		memcpy(&ua, val, sizeof(ua));
		vpcd_id_format(&dev->dv_obj->o_id, id);
		if (ua.vu_addr.va_family == VPC_AF_NONE) {
			if (l->l_bound)
				vpc_os_log(VPC_LOG_INFO, "vpclink %s unbound",
				    id);
			vl_unbind(l);
			return (0);
		}
		if (ua.vu_port == 0)
			ua.vu_port = VPC_VXLAN_PORT;
		if ((error = vl_bind(l, &ua)) != 0) {
			vpc_os_log(VPC_LOG_ERR, "vpclink %s: cannot bind to "
			    "%s port %u: %s", id,
			    vl_addrstr(&ua.vu_addr, s, sizeof(s)),
			    ua.vu_port, strerror(error));
			return (error);
		}
		vpc_os_log(VPC_LOG_INFO, "vpclink %s bound to %s port %u", id,
		    vl_addrstr(&ua.vu_addr, s, sizeof(s)), ua.vu_port);
		return (0);
	case VPC_ATTR_MAC:
	case VPC_ATTR_MTU:
		return (0);	/* the core's alone */
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Read attribute 'a' of vpclink 'dev' into 'val' ('len' bytes).
 * Returns 0 or an errno (ENOTCONN while unbound).
 */
int
vpcd_vpclink_get(struct vpcd_dev *dev, enum vpc_attr a, void *val,
    size_t len)
{
	struct vpcd_vpclink *l = (struct vpcd_vpclink *)(void *)dev;
	uint32_t mtu = 0;
	int error;

	switch (a) {
	case VPC_ATTR_UNDERLAY_MTU:
		if (len != sizeof(mtu))
			return (EINVAL);
		if (!l->l_bound)
			return (ENOTCONN);
		if ((error = vl_underlay_mtu(&l->l_local.vu_addr, &mtu)) != 0)
			return (error);
		memcpy(val, &mtu, sizeof(mtu));
		return (0);
	case VPC_ATTR_LOCAL:
		if (len != sizeof(l->l_local))
			return (EINVAL);
		memcpy(val, &l->l_local, sizeof(l->l_local));
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Send super-frame 'pkt' to 'ss' as VXLAN datagrams of one segment each,
 * VL_GSO_SEGS per message with UDP_SEGMENT, VL_GSO_MSGS messages per
 * sendmmsg.  Returns 0 or an errno.
 */
static int
vl_output_gso(struct vpcd_vpclink *l, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx, struct sockaddr_storage *ss,
    socklen_t sslen)
{
	struct vl_gso_tx *gt = l->l_gso;
	struct vpcd_gso g;
	struct msghdr *mh;
	const uint8_t *pay;
	uint32_t i, k, nmsg, nseg, permsg, segsize, hlen, plen, in;
	int error, fd, r, sent;
	uint16_t gso;

	if ((error = vpcd_gso_init(&g, pkt, tx->tx_vlan)) != 0)
		return (error);
	segsize = VPC_VXLAN_HDRLEN + g.g_hdrlen +
	    (tx->tx_vlan != 0 ? 4 : 0) + g.g_mss;
	permsg = VL_UDP_MAX / segsize;
	if (permsg > VL_GSO_SEGS)
		permsg = VL_GSO_SEGS;
	if (permsg == 0 || segsize > UINT16_MAX)
		return (EMSGSIZE);
	gso = (uint16_t)segsize;
	fd = l->l_socks.vs_sfd[tx->tx_flowhash % VL_POOL];
	for (i = 0; i < g.g_nseg; ) {
		/* Fill up to VL_GSO_MSGS messages, then send them. */
		k = 0;
		for (nmsg = 0; nmsg < VL_GSO_MSGS && i < g.g_nseg; nmsg++) {
			in = k;
			for (nseg = 0; nseg < permsg && i < g.g_nseg;
			    nseg++, i++, k++) {
				memcpy(gt->gt_hdr[k], tx->tx_vxlan,
				    VPC_VXLAN_HDRLEN);
				hlen = vpcd_gso_seg(&g, i, gt->gt_hdr[k] +
				    VPC_VXLAN_HDRLEN, &pay, &plen);
				gt->gt_iov[2 * k].iov_base = gt->gt_hdr[k];
				gt->gt_iov[2 * k].iov_len = VPC_VXLAN_HDRLEN +
				    hlen;
				gt->gt_iov[2 * k + 1].iov_base =
				    (void *)(uintptr_t)pay;
				gt->gt_iov[2 * k + 1].iov_len = plen;
			}
			mh = &gt->gt_msgs[nmsg].msg_hdr;
			memset(mh, 0, sizeof(*mh));
			mh->msg_name = ss;
			mh->msg_namelen = sslen;
			mh->msg_iov = &gt->gt_iov[2 * in];
			mh->msg_iovlen = 2 * nseg;
			if (nseg > 1) {
				memset(&gt->gt_ctl[nmsg], 0,
				    sizeof(gt->gt_ctl[nmsg]));
				mh->msg_control = &gt->gt_ctl[nmsg];
				mh->msg_controllen = CMSG_SPACE(sizeof(gso));
				gt->gt_ctl[nmsg].cm.cmsg_level = SOL_UDP;
				gt->gt_ctl[nmsg].cm.cmsg_type = UDP_SEGMENT;
				gt->gt_ctl[nmsg].cm.cmsg_len =
				    CMSG_LEN(sizeof(gso));
				memcpy(CMSG_DATA(&gt->gt_ctl[nmsg].cm), &gso,
				    sizeof(gso));
			}
		}
		for (sent = 0; sent < (int)nmsg; sent += r) {
			r = sendmmsg(fd, gt->gt_msgs + sent, nmsg - sent,
			    MSG_DONTWAIT);
			if (r != -1)
				continue;
			/* A refused UDP_SEGMENT: that message one by one. */
			mh = &gt->gt_msgs[sent].msg_hdr;
			if (mh->msg_control == NULL || errno == EAGAIN ||
			    errno == ENOBUFS)
				return (errno);
			if ((error = vl_send_each(fd, mh)) != 0)
				return (error);
			r = 1;
		}
	}
	return (0);
}

/*
 * Send the datagrams of UDP_SEGMENT message 'mh' (two iovecs each:
 * headers, payload) one by one, for a kernel or device that refused the
 * message as such.  Returns 0, or an errno (also left in errno).
 */
static int
vl_send_each(int fd, const struct msghdr *mh)
{
	struct msghdr one;
	size_t i;

	one = *mh;
	one.msg_control = NULL;
	one.msg_controllen = 0;
	one.msg_iovlen = 2;
	for (i = 0; i + 1 < mh->msg_iovlen; i += 2) {
		one.msg_iov = &mh->msg_iov[i];
		if (sendmsg(fd, &one, MSG_DONTWAIT) == -1)
			return (errno);
	}
	return (0);
}

/*
 * Send frame 'pkt' behind tx->tx_vxlan to tx->tx_remote at the vpclink's
 * port, from the pool socket tx->tx_flowhash picks.  A super-frame is
 * cut into segments (vl_output_gso); a partial checksum is completed.
 * Returns 0 or an errno.
 */
int
vpcd_vpclink_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpcd_vpclink *l = (struct vpcd_vpclink *)(void *)dev;
	struct sockaddr_storage ss;
	struct iovec iov[4];
	socklen_t sslen;
	uint32_t len;
	uint8_t tag[4];
	int cnt, error;

	if (!l->l_bound)
		return (ENXIO);
	if (!tx->tx_encap)
		return (EINVAL);
	if (tx->tx_remote.va_family != l->l_local.vu_addr.va_family)
		return (EAFNOSUPPORT);
	error = vl_sockaddr(&tx->tx_remote, l->l_local.vu_port, &ss, &sslen);
	if (error != 0)
		return (error);
	if (pkt->p_gso_type != VPC_GSO_NONE) {
		vl_txq_send(l);		/* what came first goes first */
		return (vl_output_gso(l, pkt, tx, &ss, sslen));
	}
	/* A UDP payload leaves the host complete. */
	if ((error = vpcd_pkt_csum_finish(pkt)) != 0)
		return (error);
	iov[0].iov_base = (void *)(uintptr_t)tx->tx_vxlan;
	iov[0].iov_len = sizeof(tx->tx_vxlan);
	if ((cnt = vpcd_frame_iov(pkt, tx, tag, &iov[1])) == 0)
		return (EINVAL);
	len = (uint32_t)sizeof(tx->tx_vxlan) + pkt->p_len +
	    (tx->tx_vlan != 0 ? 4 : 0);
	if (len > VL_UDP_MAX)
		return (EMSGSIZE);
	vl_txq_add(l, l->l_socks.vs_sfd[tx->tx_flowhash % VL_POOL], &ss,
	    sslen, iov, cnt + 1, len);
	return (0);
}

/*
 * Queue the 'len'-byte datagram gathered from 'iov' for 'to' on socket
 * 'fd' (see Batching), sending what is queued first if it cannot join.
 */
static void
vl_txq_add(struct vpcd_vpclink *l, int fd, const struct sockaddr_storage *to,
    socklen_t tolen, const struct iovec *iov, int iovcnt, uint32_t len)
{
	struct vl_txq *q = &l->l_txq;
	uint8_t *d;
	int i;

	if (q->tq_nseg != 0 && (fd != q->tq_fd || tolen != q->tq_tolen ||
	    memcmp(to, &q->tq_to, tolen) != 0 || len > q->tq_seg ||
	    q->tq_len + len > VL_UDP_MAX || q->tq_nseg == VL_GSO_SEGS))
		vl_txq_send(l);
	if (q->tq_nseg == 0) {
		q->tq_fd = fd;
		q->tq_tolen = tolen;
		memcpy(&q->tq_to, to, tolen);
		q->tq_seg = len;
	}
	d = q->tq_buf + q->tq_len;
	for (i = 0; i < iovcnt; i++) {
		memcpy(d, iov[i].iov_base, iov[i].iov_len);
		d += iov[i].iov_len;
	}
	q->tq_len += len;
	q->tq_nseg++;
	if (len < q->tq_seg) {
		/* A shorter datagram can only be the last of a message. */
		vl_txq_send(l);
		return;
	}
	if (!q->tq_armed) {
		q->tq_armed = 1;
		vpcd_loop_at_end(l->l_dev.dv_vpcd->v_loop, &q->tq_atend,
		    vl_txq_atend);
	}
}

/* Send the queued datagrams as one message (UDP_SEGMENT if several). */
static void
vl_txq_send(struct vpcd_vpclink *l)
{
	struct vl_txq *q = &l->l_txq;
	union {
		struct cmsghdr	 cm;
		uint8_t		 buf[VL_CMSG];
	} ctl;
	struct msghdr msg;
	struct iovec iov;
	uint32_t i, off, len;
	uint16_t gso;

	if (q->tq_nseg == 0)
		return;
	iov.iov_base = q->tq_buf;
	iov.iov_len = q->tq_len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &q->tq_to;
	msg.msg_namelen = q->tq_tolen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (q->tq_nseg > 1) {
		gso = (uint16_t)q->tq_seg;
		memset(&ctl, 0, sizeof(ctl));
		ctl.cm.cmsg_level = SOL_UDP;
		ctl.cm.cmsg_type = UDP_SEGMENT;
		ctl.cm.cmsg_len = CMSG_LEN(sizeof(gso));
		memcpy(CMSG_DATA(&ctl.cm), &gso, sizeof(gso));
		msg.msg_control = &ctl;
		msg.msg_controllen = CMSG_SPACE(sizeof(gso));
	}
	if (sendmsg(q->tq_fd, &msg, MSG_DONTWAIT) == -1) {
		if (q->tq_nseg > 1 && errno != EAGAIN && errno != ENOBUFS) {
			/*
			 * A kernel or device that refuses UDP_SEGMENT: the
			 * datagrams one by one, as before batching.
			 */
			msg.msg_control = NULL;
			msg.msg_controllen = 0;
			for (i = 0, off = 0; i < q->tq_nseg; i++, off += len) {
				len = q->tq_len - off < q->tq_seg ?
				    q->tq_len - off : q->tq_seg;
				iov.iov_base = q->tq_buf + off;
				iov.iov_len = len;
				if (sendmsg(q->tq_fd, &msg, MSG_DONTWAIT) == -1)
					vpc_count_drop(l->l_dev.dv_obj,
					    VPC_DROP_TX_ERROR);
			}
		} else
			for (i = 0; i < q->tq_nseg; i++)
				vpc_count_drop(l->l_dev.dv_obj,
				    VPC_DROP_TX_ERROR);
	}
	q->tq_len = 0;
	q->tq_nseg = 0;
}

/* End of the event loop's batch: send what was gathered during it. */
static void
vl_txq_atend(struct vpcd_defer *df)
{
	struct vpcd_vpclink *l;

	l = (struct vpcd_vpclink *)(void *)((char *)df -
	    __builtin_offsetof(struct vpcd_vpclink, l_txq.tq_atend));
	l->l_txq.tq_armed = 0;
	vl_txq_send(l);
}
