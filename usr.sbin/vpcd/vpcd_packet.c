/*
 * vpcd_packet.c: AF_PACKET sockets, and the ethlink devices built on them.
 *
 * A packet socket bound to one interface (ETH_P_ALL) receives every frame
 * that interface receives and sends frames out of it.  It serves the host
 * side of a vmnic TAP (vpcd_tap.c) and an ethlink's NIC.  vpcd's own
 * transmissions are not read back (PACKET_IGNORE_OUTGOING, and outgoing
 * frames are filtered as well for kernels without it).  The kernel
 * strips a received frame's VLAN tag into the packet's metadata; it is
 * put back (PACKET_AUXDATA) so the core sees the frame as it was sent.
 *
 * Every frame is preceded by a virtio-net header (PACKET_VNET_HDR), both
 * ways: a guest behind a vmnic TAP (or a NIC with GRO) hands over TCP
 * super-frames with partial checksums, which the core carries as such
 * (vpcd_vnet.c), and super-frames vpcd sends out are segmented by the
 * kernel only if the device needs it.
 */

#include <sys/socket.h>
#include <sys/uio.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_offload.h"

#define	PSOCK_RCVBUF	(4 * 1024 * 1024)	/* receive queue bytes */
/* A super-frame is up to 64 KiB of IP packet and its Ethernet header. */
#define	PSOCK_RX_FRAME	(VPCD_RX_FRAME + 256)
#define	PSOCK_RX_BUFSIZE (VPCD_RX_HEADROOM + PSOCK_RX_FRAME)

/* A packet socket on one interface. */
struct vpcd_psock {
	struct vpcd		*ps_vpcd;	/* the daemon */
	int			 ps_fd;		/* the socket */
	int			 ps_ifindex;	/* bound interface */
	char			 ps_ifname[IFNAMSIZ]; /* its name, for logs */
	struct vpcd_ev		*ps_ev;		/* its registration */
	uint8_t			*ps_buf;	/* receive buffer */
	vpcd_psock_input_fn	*ps_input;	/* where frames go */
	void			*ps_arg;	/* ps_input's argument */
	struct vpc_obj		*ps_obj;	/* counts its drops */
	struct vpcd_defer	 ps_defer;	/* deferred free */
};

/* An ethlink device. */
struct vpcd_ethlink {
	struct vpcd_dev		 e_dev;		/* common head, first */
	struct vpcd_psock	*e_ps;		/* on the NIC, or NULL */
	char			 e_ifname[IFNAMSIZ]; /* the NIC, "" if none */
};

static void	psock_readable(void *arg, uint32_t events);
static void	psock_free(struct vpcd_defer *df);
static void	ethlink_input(void *arg, struct vpc_pkt *pkt);
static void	ethlink_free(struct vpcd_defer *df);

/*
 * Open a packet socket on interface 'ifname' of vpcd 'v' (promiscuous if
 * 'promisc') that gives each received frame to 'fn'('arg', pkt) and
 * counts the frames it cannot take in as drops of object 'obj'.  Returns
 * 0 and the socket in '*psp', or an errno.
 */
int
vpcd_psock_open(struct vpcd *v, const char *ifname, int promisc,
    vpcd_psock_input_fn *fn, void *arg, struct vpc_obj *obj,
    struct vpcd_psock **psp)
{
	struct vpcd_psock *ps;
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int error, one = 1, sz = PSOCK_RCVBUF;

	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		return (ENOMEM);
	ps->ps_vpcd = v;
	ps->ps_input = fn;
	ps->ps_arg = arg;
	ps->ps_obj = obj;
	snprintf(ps->ps_ifname, sizeof(ps->ps_ifname), "%s", ifname);
	ps->ps_fd = -1;
	if ((ps->ps_ifindex = vpcd_if_index(ifname)) == 0) {
		error = errno != 0 ? errno : ENXIO;
		goto fail;
	}
	ps->ps_fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    htons(ETH_P_ALL));
	if (ps->ps_fd == -1) {
		error = errno;
		goto fail;
	}
	/* Old kernels lack it; psock_readable() filters as well. */
	(void)setsockopt(ps->ps_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	if (setsockopt(ps->ps_fd, SOL_PACKET, PACKET_AUXDATA, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(ps->ps_fd, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) == -1) {
		error = errno;
		goto fail;
	}
	if (setsockopt(ps->ps_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz)) == -1)
		(void)setsockopt(ps->ps_fd, SOL_SOCKET, SO_RCVBUF, &sz,
		    sizeof(sz));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ps->ps_ifindex;
	if (bind(ps->ps_fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		error = errno;
		goto fail;
	}
	if (promisc) {
		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = ps->ps_ifindex;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(ps->ps_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP,
		    &mr, sizeof(mr)) == -1) {
			error = errno;
			goto fail;
		}
	}
	if ((ps->ps_buf = vpcd_rxbuf_alloc(PSOCK_RX_BUFSIZE)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	ps->ps_ev = vpcd_ev_add(v->v_loop, ps->ps_fd, VPCD_EV_IN,
	    psock_readable, ps);
	if (ps->ps_ev == NULL) {
		error = errno;
		goto fail;
	}
	*psp = ps;
	return (0);
fail:
	vpcd_rxbuf_free(ps->ps_buf, PSOCK_RX_BUFSIZE);
	if (ps->ps_fd != -1)
		close(ps->ps_fd);
	free(ps);
	return (error);
}

static void
psock_free(struct vpcd_defer *df)
{
	struct vpcd_psock *ps = (struct vpcd_psock *)(void *)
	    ((char *)df - offsetof(struct vpcd_psock, ps_defer));

	vpcd_rxbuf_free(ps->ps_buf, PSOCK_RX_BUFSIZE);
	free(ps);
}

/*
 * Close packet socket 'ps' (the promiscuous membership goes with it).
 */
void
vpcd_psock_close(struct vpcd_psock *ps)
{
	vpcd_ev_del(ps->ps_ev);
	close(ps->ps_fd);
	vpcd_loop_defer(ps->ps_vpcd->v_loop, &ps->ps_defer, psock_free);
}

/* Frames the interface received. */
static void
psock_readable(void *arg, uint32_t events __unused)
{
	struct vpcd_psock *ps = arg;
	union {
		struct cmsghdr	cm;
		uint8_t		buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct tpacket_auxdata aux;
	struct virtio_net_hdr vh;
	struct sockaddr_ll sll;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov[2];
	struct vpc_pkt pkt;
	uint8_t *frame;
	uint32_t len, headroom;
	ssize_t r;
	int i, tagged;

	for (i = 0; i < VPCD_RX_BUDGET; i++) {
		frame = ps->ps_buf + VPCD_RX_HEADROOM;
		iov[0].iov_base = &vh;
		iov[0].iov_len = sizeof(vh);
		iov[1].iov_base = frame;
		iov[1].iov_len = PSOCK_RX_FRAME;
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		msg.msg_iov = iov;
		msg.msg_iovlen = 2;
		msg.msg_control = &ctl;
		msg.msg_controllen = sizeof(ctl);
		r = recvmsg(ps->ps_fd, &msg, 0);
		if (r == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			if (errno == ENETDOWN)
				continue;	/* said once; may come back */
			if (errno != EBADF && errno != ENODEV &&
			    errno != ENXIO) {
				/*
				 * That frame alone is gone: e.g. EINVAL for a
				 * UFO frame a guest wrote to its TAP, whose
				 * offload the virtio-net header cannot carry
				 * back out (the kernel dropped it).
				 */
				vpc_count_drop(ps->ps_obj,
				    VPC_DROP_RX_UNSUPPORTED);
				continue;
			}
			vpc_os_log(VPC_LOG_WARN, "%s: receive: %s; no longer "
			    "receiving", ps->ps_ifname, strerror(errno));
			vpcd_ev_del(ps->ps_ev);
			ps->ps_ev = NULL;
			return;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if ((msg.msg_flags & MSG_TRUNC) != 0 ||
		    (size_t)r < sizeof(vh)) {
			/* Over the buffer, or no header (short frames: core). */
			vpc_count_drop(ps->ps_obj, VPC_DROP_RX_UNSUPPORTED);
			continue;
		}
		len = (uint32_t)((size_t)r - sizeof(vh));
		headroom = VPCD_RX_HEADROOM;
		tagged = 0;
		memset(&aux, 0, sizeof(aux));
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level != SOL_PACKET ||
			    cm->cmsg_type != PACKET_AUXDATA ||
			    cm->cmsg_len < CMSG_LEN(sizeof(aux)))
				continue;
			memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
			tagged = (aux.tp_status & TP_STATUS_VLAN_VALID) != 0;
		}
		if (tagged && len >= 12) {
			/* Put the tag back between the addresses and type. */
			memmove(frame - 4, frame, 12);
			frame -= 4;
			headroom -= 4;
			vpc_put_be16(frame + 12,
			    (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			    aux.tp_vlan_tpid : ETH_P_8021Q);
			vpc_put_be16(frame + 14, aux.tp_vlan_tci);
			len += 4;
		}
		vpc_pkt_init(&pkt, frame, len, len, headroom, NULL);
		if (tagged && (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
			vh.csum_start += 4;
		if (vpcd_vnet_to_pkt(&vh, &pkt) != 0) {
			/* An offload vpcd does not carry. */
			vpc_count_drop(ps->ps_obj, VPC_DROP_RX_UNSUPPORTED);
			continue;
		}
		ps->ps_input(ps->ps_arg, &pkt);
	}
}

/*
 * Send frame 'pkt' out of the interface of 'ps', tagged with tx->tx_vlan
 * if set; a super-frame or partial checksum as such, in the virtio-net
 * header.  Returns 0 or an errno.
 */
int
vpcd_psock_send(struct vpcd_psock *ps, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct virtio_net_hdr vh;
	struct msghdr msg;
	struct iovec iov[4];
	uint8_t tag[4];
	int cnt;

	if (vpcd_vnet_from_pkt(pkt, tx->tx_vlan != 0 ? 4 : 0, &vh) != 0)
		return (EINVAL);
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	if ((cnt = vpcd_frame_iov(pkt, tx, tag, &iov[1])) == 0)
		return (EINVAL);
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)cnt + 1;
	if (sendmsg(ps->ps_fd, &msg, MSG_DONTWAIT) == -1)
		return (errno);
	return (0);
}

/*
 * Make the device of ethlink 'o' for vpcd 'v' into '*devp'.  It has no
 * NIC until VPC_ATTR_IFNAME is set.  Returns 0 or an errno.
 */
int
vpcd_ethlink_create(struct vpcd *v, struct vpc_obj *o,
    struct vpcd_dev **devp)
{
	struct vpcd_ethlink *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return (ENOMEM);
	e->e_dev.dv_vpcd = v;
	e->e_dev.dv_obj = o;
	e->e_dev.dv_type = o->o_type;
	*devp = &e->e_dev;
	return (0);
}

static void
ethlink_free(struct vpcd_defer *df)
{
	free(df);	/* the head is first in struct vpcd_ethlink */
}

/*
 * Remove the device of an ethlink: its socket is closed (the NIC leaves
 * promiscuous mode).
 */
void
vpcd_ethlink_destroy(struct vpcd_dev *dev)
{
	struct vpcd_ethlink *e = (struct vpcd_ethlink *)(void *)dev;

	if (e->e_ps != NULL) {
		vpcd_psock_close(e->e_ps);
		e->e_ps = NULL;
		vpc_os_log(VPC_LOG_INFO, "ethlink on %s removed",
		    e->e_ifname);
	}
	vpcd_loop_defer(dev->dv_vpcd->v_loop, &dev->dv_defer, ethlink_free);
}

/* A frame the ethlink's NIC received. */
static void
ethlink_input(void *arg, struct vpc_pkt *pkt)
{
	struct vpcd_ethlink *e = arg;

	vpc_input_ethlink((struct vpc_ethlink *)(void *)e->e_dev.dv_obj, pkt);
}

/*
 * Apply attribute 'a' ('val', 'len' bytes) to ethlink 'dev': IFNAME
 * attaches it to a NIC ("" detaches).  The NIC's own MAC and MTU are
 * never changed.  Returns 0 or an errno (then nothing changed).
 */
int
vpcd_ethlink_set(struct vpcd_dev *dev, enum vpc_attr a, const void *val,
    size_t len)
{
	struct vpcd_ethlink *e = (struct vpcd_ethlink *)(void *)dev;
	struct vpcd_psock *ps;
	struct vpc_ifname vn;
	char id[VPCD_ID_STRLEN];
	int error;

	switch (a) {
	case VPC_ATTR_IFNAME:
		if (len != sizeof(vn))
			return (EINVAL);
		memcpy(&vn, val, sizeof(vn));
		if (memchr(vn.vn_name, '\0', sizeof(vn.vn_name)) == NULL)
			return (EINVAL);
		vpcd_id_format(&dev->dv_obj->o_id, id);
		ps = NULL;
		if (vn.vn_name[0] != '\0') {
			error = vpcd_psock_open(dev->dv_vpcd, vn.vn_name, 1,
			    ethlink_input, e, dev->dv_obj, &ps);
			if (error != 0) {
				vpc_os_log(VPC_LOG_ERR, "ethlink %s: cannot "
				    "attach to %s: %s", id, vn.vn_name,
				    strerror(error));
				return (error);
			}
		}
		if (e->e_ps != NULL) {
			vpcd_psock_close(e->e_ps);
			vpc_os_log(VPC_LOG_INFO, "ethlink %s detached from "
			    "%s", id, e->e_ifname);
		}
		e->e_ps = ps;
		snprintf(e->e_ifname, sizeof(e->e_ifname), "%s", vn.vn_name);
		if (ps != NULL)
			vpc_os_log(VPC_LOG_INFO, "ethlink %s attached to %s",
			    id, e->e_ifname);
		return (0);
	case VPC_ATTR_MAC:
	case VPC_ATTR_MTU:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Read attribute 'a' of ethlink 'dev' into 'val' ('len' bytes).
 * Returns 0 or an errno.
 */
int
vpcd_ethlink_get(struct vpcd_dev *dev, enum vpc_attr a, void *val,
    size_t len)
{
	struct vpcd_ethlink *e = (struct vpcd_ethlink *)(void *)dev;
	struct vpc_ifname vn;
	uint32_t mtu;
	int error;

	switch (a) {
	case VPC_ATTR_IFNAME:
		if (len != sizeof(vn))
			return (EINVAL);
		memset(&vn, 0, sizeof(vn));
		snprintf(vn.vn_name, sizeof(vn.vn_name), "%s", e->e_ifname);
		memcpy(val, &vn, sizeof(vn));
		return (0);
	case VPC_ATTR_MTU:
		if (len != sizeof(mtu))
			return (EINVAL);
		if (e->e_ps == NULL)
			return (ENXIO);
		if ((error = vpcd_if_get_mtu(e->e_ifname, &mtu)) != 0)
			return (error);
		memcpy(val, &mtu, sizeof(mtu));
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Send frame 'pkt' out of ethlink 'dev''s NIC, tagged with tx->tx_vlan
 * if set.  Returns 0 or an errno (ENXIO while detached).
 */
int
vpcd_ethlink_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpcd_ethlink *e = (struct vpcd_ethlink *)(void *)dev;

	if (e->e_ps == NULL)
		return (ENXIO);
	return (vpcd_psock_send(e->e_ps, pkt, tx));
}
