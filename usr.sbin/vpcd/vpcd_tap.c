/*
 * vpcd_tap.c: vmnic and vpci devices on Linux TAP interfaces.
 *
 * vmnic: a persistent TAP "vmnicN" that a guest opens (qemu -netdev
 * tap,ifname=vmnicN); vpcd does not hold it, but reaches its host side
 * through an AF_PACKET socket bound to it (vpcd_packet.c): what the guest
 * sends arrives there, and what vpcd sends there goes to the guest.
 *
 * vpci: a TAP "vpciN" whose file descriptor vpcd holds; its netdev is the
 * host's (or, once the user moves it, a namespace's) interface on the
 * VPC.  Frames the stack sends are read from the descriptor, frames for
 * the stack are written to it, each behind a virtio-net header.  The
 * descriptor keeps working when the netdev changes namespace, so vpcd
 * never looks the interface up by name after creating it; settings that
 * need the netdev go through the descriptor (MAC, name) or through a
 * socket opened in the netdev's current namespace (MTU).
 *
 * Restarts (vpcd_state.c).  A committed vpci's TAP is made persistent,
 * so it outlives vpcd; a vmnic's always is.  vpcd records where each
 * TAP is (name, network namespace, MAC: vpcd_nic_where()), and a
 * restarting vpcd adopts the TAP again instead of making a new one
 * (vpcd_nic_adopt_next()): a vpci is looked for in the namespace last
 * recorded, then in vpcd's own, then in every namespace under
 * /run/netns, by name and MAC, and attached by opening /dev/net/tun
 * inside that namespace (TUNSETIFF looks names up in the namespace the
 * descriptor was opened in).  On a clean shutdown with a state
 * directory, committed NICs keep their TAPs (vpcd_nic_keep()); a
 * DESTROY removes them.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_offload.h"
#include "vpcd_state.h"

#define	NIC_UNIT_TRIES	4096	/* names tried before giving up */
#define	NIC_VNET_HDRLEN	12	/* struct virtio_net_hdr_mrg_rxbuf */
/*
 * A TSO frame is at most 64 KiB of IP packet plus the Ethernet header,
 * a little more than VPCD_RX_FRAME.
 */
#define	NIC_RX_FRAME	(VPCD_RX_FRAME + 256)
#define	NIC_RX_BUFSIZE	(VPCD_RX_HEADROOM + NIC_RX_FRAME)

/* Newer than some installed headers (Linux 6.2). */
#ifndef TUN_F_USO4
#define	TUN_F_USO4	0x20
#define	TUN_F_USO6	0x40
#endif
/*
 * Offloads a vpci accepts from its stack: partial checksums and TCP
 * super-frames (TSO); UDP ones (USO) too where the kernel has them.
 */
#define	NIC_OFFLOADS	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)
#define	NIC_OFFLOADS_USO (TUN_F_USO4 | TUN_F_USO6)

/* A vmnic or vpci device. */
struct vpcd_nic {
	struct vpcd_dev		 n_dev;		/* common head, first */
	char			 n_ifname[IFNAMSIZ]; /* name at creation */
	int			 n_ifindex;	/* in vpcd's namespace */
	int			 n_which;	/* VPCD_UNIT_* */
	uint32_t		 n_unit;	/* N of the name */
	int			 n_mq;		/* TAP made IFF_MULTI_QUEUE */
	int			 n_tapfd;	/* vpci: the TAP, else -1 */
	struct vpcd_ev		*n_ev;		/* vpci: its registration */
	uint8_t			*n_buf;		/* vpci: receive buffer */
	struct vpcd_psock	*n_ps;		/* vmnic: host side socket */
	int			 n_persist;	/* vpci: made persistent */
	int			 n_keep;	/* at shutdown: keep the TAP */
	int			 n_where_ok;	/* n_where was recorded */
	struct vpcd_nicrec	 n_where;	/* where it was last recorded */
};

/* The NIC the next vpcd_nic_create() adopts (vpcd_nic_adopt_next()). */
static int		 adopt_set;
static vpc_id_t		 adopt_id;
static struct vpcd_nicrec adopt_rec;
static char		 adopt_where[96]; /* where it was found, for logs */

VPC_STATIC_ASSERT(sizeof(struct virtio_net_hdr_mrg_rxbuf) == NIC_VNET_HDRLEN,
    "virtio-net header size");

static int	tap_open(const char *name, int flags, int nonblock, int *fdp);
static int	vmnic_make(struct vpcd_nic *n, const char *name, int mq);
static void	vmnic_unmake(struct vpcd_nic *n);
static int	vmnic_set_queues(struct vpcd_nic *n, uint32_t queues);
static int	vpci_make(struct vpcd_nic *n, const char *name);
static int	vpci_ifreq(struct vpcd_nic *n, unsigned long req,
		    struct ifreq *ifr);
static void	vmnic_input(void *arg, struct vpc_pkt *pkt);
static void	vpci_readable(void *arg, uint32_t events);
static void	nic_free(struct vpcd_defer *df);
static const char *nic_kind(const struct vpcd_nic *n);
static int	vpci_setup(struct vpcd_nic *n, const char *name, int fresh);
static int	vpci_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr);
static int	vpci_try_ns(struct vpcd_nic *n, int nsfd,
		    const struct vpcd_nicrec *nr, const char *where);
static int	vmnic_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr);
static int	nic_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr);
static int	unit_take(struct vpcd *v, int which, uint32_t unit);
static int	self_ns(void);
static int	ns_find_path(uint64_t dev, uint64_t ino, char *path,
		    size_t len);

static const char *
nic_kind(const struct vpcd_nic *n)
{
	return (n->n_which == VPCD_UNIT_VMNIC ? "vmnic" : "vpci");
}

/*
 * Whether this kernel takes USO frames (Linux 6.2 and later): from a
 * packet socket or a TAP descriptor, and on their way to a vmnic's or
 * vpci's reader, who gets them cut back by the kernel if it did not ask
 * for USO.  Asked once, at start, of a TAP made for the question (an
 * unnamed, not persistent one, gone at the close): a TAP takes the USO
 * bits of TUNSETOFFLOAD exactly on such a kernel.  Without an answer
 * (no /dev/net/tun), 0: vpclinks then do not join UDP datagrams.
 */
void
vpcd_tap_probe(struct vpcd *v)
{
	int fd;

	if (tap_open("", IFF_TAP | IFF_NO_PI, 0, &fd) != 0)
		return;
	v->v_tap_uso = ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM |
	    NIC_OFFLOADS_USO) == 0;
	close(fd);
}

/* Open /dev/net/tun and attach it to TAP 'name' with 'flags'. */
static int
tap_open(const char *name, int flags, int nonblock, int *fdp)
{
	struct ifreq ifr;
	int error, fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC |
	    (nonblock ? O_NONBLOCK : 0));
	if (fd == -1)
		return (errno);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		error = errno;
		close(fd);
		return (error);
	}
	*fdp = fd;
	return (0);
}

/*
 * Create the persistent TAP 'name' of vmnic 'n' (IFF_MULTI_QUEUE if 'mq':
 * a guest's open must agree), bring it up and open the socket on its host
 * side.  EBUSY if the name is taken.
 */
static int
vmnic_make(struct vpcd_nic *n, const char *name, int mq)
{
	struct vpc_obj *o = n->n_dev.dv_obj;
	int error, fd, one = 1;

	error = tap_open(name, IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL |
	    (mq ? IFF_MULTI_QUEUE : 0), 0, &fd);
	if (error != 0)
		return (error);
	if (ioctl(fd, TUNSETPERSIST, one) == -1) {
		error = errno;
		close(fd);	/* not persistent: this deletes it */
		return (error);
	}
	close(fd);
	snprintf(n->n_ifname, sizeof(n->n_ifname), "%s", name);
	n->n_mq = mq;
	n->n_ifindex = vpcd_if_index(name);
	vpcd_if_no_ipv6(name);
	if (o->o_mtu != 0 && (error = vpcd_if_set_mtu(name, o->o_mtu)) != 0)
		goto fail;
	if ((error = vpcd_if_up(name)) != 0)
		goto fail;
	error = vpcd_psock_open(n->n_dev.dv_vpcd, name, 0, vmnic_input, n,
	    n->n_dev.dv_obj, &n->n_ps);
	if (error != 0)
		goto fail;
	return (0);
fail:
	vmnic_unmake(n);
	return (error);
}

/* Delete the TAP of vmnic 'n', even if a guest still has it open. */
static void
vmnic_unmake(struct vpcd_nic *n)
{
	int error, fd, zero = 0;

	if (n->n_ps != NULL) {
		vpcd_psock_close(n->n_ps);
		n->n_ps = NULL;
	}
	if (n->n_ifname[0] == '\0')
		return;
	if (n->n_ifindex == 0 ||
	    vpcd_if_index(n->n_ifname) != n->n_ifindex) {
		vpc_os_log(VPC_LOG_WARN, "vmnic %s: gone or renamed "
		    "behind vpcd's back, not deleted", n->n_ifname);
		n->n_ifname[0] = '\0';
		return;
	}
	/* Attach to it and drop persistence: the last close deletes it. */
	error = tap_open(n->n_ifname, IFF_TAP | IFF_NO_PI |
	    (n->n_mq ? IFF_MULTI_QUEUE : 0), 0, &fd);
	if (error == 0) {
		if (ioctl(fd, TUNSETPERSIST, zero) == -1)
			error = errno;
		close(fd);
	}
	/* A guest holds it (EBUSY): delete the netdev instead. */
	if (error != 0)
		error = vpcd_if_delete(n->n_ifindex);
	if (error != 0)
		vpc_os_log(VPC_LOG_ERR, "vmnic %s: cannot delete: %s",
		    n->n_ifname, strerror(error));
	n->n_ifname[0] = '\0';
	n->n_ifindex = 0;
}

/*
 * A TAP is single- or multi-queue for good, and a guest's open must
 * match: a change between one queue and several remakes the device
 * (refused with EBUSY while a guest holds it).
 */
static int
vmnic_set_queues(struct vpcd_nic *n, uint32_t queues)
{
	char name[IFNAMSIZ];
	int error, fd, mq;

	mq = queues > 1;
	if (mq == n->n_mq)
		return (0);
	/*
	 * Refuse while a guest is attached: it would lose its device.  A
	 * single-queue TAP refuses a second open; a multi-queue one has
	 * carrier exactly while some queue is attached.
	 */
	if (vpcd_if_running(n->n_ifname))
		return (EBUSY);
	error = tap_open(n->n_ifname, IFF_TAP | IFF_NO_PI |
	    (n->n_mq ? IFF_MULTI_QUEUE : 0), 0, &fd);
	if (error != 0)
		return (error);
	close(fd);
	snprintf(name, sizeof(name), "%s", n->n_ifname);
	vmnic_unmake(n);
	if ((error = vmnic_make(n, name, mq)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "vmnic %s: cannot remake with %u "
		    "queues: %s", name, queues, strerror(error));
		if (vmnic_make(n, name, !mq) != 0)
			vpc_os_log(VPC_LOG_ERR, "vmnic %s: lost", name);
		return (error);
	}
	vpc_os_log(VPC_LOG_INFO, "vmnic %s: remade %s-queue", name,
	    mq ? "multi" : "single");
	return (0);
}

/* Create the TAP 'name' of vpci 'n', held open by vpcd.  EBUSY if taken. */
static int
vpci_make(struct vpcd_nic *n, const char *name)
{
	int error;

	error = tap_open(name, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
	    IFF_TUN_EXCL, 1, &n->n_tapfd);
	if (error != 0) {
		n->n_tapfd = -1;
		return (error);
	}
	return (vpci_setup(n, name, 1));
}

/*
 * Set up vpci 'n' on its TAP descriptor n_tapfd, named 'name' when
 * vpcd made it: virtio-net header, offloads, MAC, MTU, up, and the
 * receive side.  A 'fresh' TAP is deleted on failure (closing a TAP that
 * is not persistent deletes it); an adopted one is only let go.
 */
static int
vpci_setup(struct vpcd_nic *n, const char *name, int fresh)
{
	struct vpc_obj *o = n->n_dev.dv_obj;
	struct ifreq ifr;
	int error, hdrlen = NIC_VNET_HDRLEN;

	snprintf(n->n_ifname, sizeof(n->n_ifname), "%s", name);
	if (ioctl(n->n_tapfd, TUNSETVNETHDRSZ, &hdrlen) == -1) {
		error = errno;
		goto fail;
	}
	/*
	 * The stack may hand over partial checksums and super-frames: the
	 * core carries them as one frame, and they are completed or cut
	 * only where a device needs it (vpcd_offload.h).  Kernels without
	 * USO refuse its bits (vpcd_tap_probe()): then without.
	 */
	if (ioctl(n->n_tapfd, TUNSETOFFLOAD, NIC_OFFLOADS |
	    NIC_OFFLOADS_USO) == -1 &&
	    ioctl(n->n_tapfd, TUNSETOFFLOAD, NIC_OFFLOADS) == -1) {
		error = errno;
		goto fail;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, o->o_mac, 6);
	if (ioctl(n->n_tapfd, SIOCSIFHWADDR, &ifr) == -1) {
		error = errno;
		goto fail;
	}
	if (fresh) {
		if (o->o_mtu != 0 &&
		    (error = vpcd_if_set_mtu(name, o->o_mtu)) != 0)
			goto fail;
		if ((error = vpcd_if_up(name)) != 0)
			goto fail;
		n->n_ifindex = vpcd_if_index(name);
	} else {
		/* Wherever it is now; its MTU comes with the restore. */
		memset(&ifr, 0, sizeof(ifr));
		if ((error = vpci_ifreq(n, SIOCGIFFLAGS, &ifr)) == 0 &&
		    (ifr.ifr_flags & IFF_UP) == 0) {
			ifr.ifr_flags |= IFF_UP;
			error = vpci_ifreq(n, SIOCSIFFLAGS, &ifr);
		}
		if (error != 0)
			goto fail;
		n->n_ifindex = 0;
		n->n_persist = 1;
	}
	if ((n->n_buf = vpcd_rxbuf_alloc(NIC_RX_BUFSIZE)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	n->n_ev = vpcd_ev_add(n->n_dev.dv_vpcd->v_loop, n->n_tapfd,
	    VPCD_EV_IN, vpci_readable, n);
	if (n->n_ev == NULL) {
		error = errno;
		goto fail;
	}
	return (0);
fail:
	vpcd_rxbuf_free(n->n_buf, NIC_RX_BUFSIZE);
	n->n_buf = NULL;
	close(n->n_tapfd);	/* fresh: not persistent, this deletes it */
	n->n_tapfd = -1;
	n->n_ifname[0] = '\0';
	n->n_persist = 0;
	return (error);
}

/* vpcd's own network namespace, opened once; -1 if unknown. */
static int
self_ns(void)
{
	static int fd = -2;

	if (fd == -2)
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return (fd);
}

/*
 * Attach vpci 'n' to the TAP of record 'nr' if it is in the namespace of
 * 'nsfd' (-1: vpcd's own; 'where' names it in logs) under its current or
 * original name with its MAC.  Returns 0, or ENOENT if it is not there,
 * or another errno.
 */
static int
vpci_try_ns(struct vpcd_nic *n, int nsfd, const struct vpcd_nicrec *nr,
    const char *where)
{
	const char *names[2] = { nr->nr_cur, nr->nr_name };
	struct ifreq ifr;
	int error, fd, i, self = self_ns();

	for (i = 0; i < 2; i++) {
		if (names[i][0] == '\0' || strnlen(names[i], IFNAMSIZ) ==
		    IFNAMSIZ)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", names[i]);
		if (vpcd_if_ioctl_netns(nsfd, SIOCGIFHWADDR, &ifr) != 0 ||
		    memcmp(ifr.ifr_hwaddr.sa_data, nr->nr_mac, 6) != 0)
			continue;
		/* It is there: open the TUN device from inside. */
		if (nsfd >= 0 && (self < 0 || setns(nsfd, CLONE_NEWNET) == -1))
			return (errno != 0 ? errno : EPERM);
		fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
		error = errno;
		if (nsfd >= 0 && setns(self, CLONE_NEWNET) == -1) {
			vpc_os_log(VPC_LOG_ERR, "cannot return to vpcd's "
			    "network namespace: %s", strerror(errno));
			abort();
		}
		if (fd == -1)
			return (error);
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", names[i]);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
		if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
			error = errno;
			close(fd);
			return (error);
		}
		n->n_tapfd = fd;
		snprintf(adopt_where, sizeof(adopt_where), "as %s in %s",
		    names[i], where);
		return (vpci_setup(n, nr->nr_name, 0));
	}
	return (ENOENT);
}

/*
 * Find the TAP of vpci 'n' as record 'nr' describes it and attach to
 * it: in the namespace recorded, in vpcd's, then in those under
 * /run/netns.  Returns 0, ENOENT if it is nowhere, or another errno.
 */
static int
vpci_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr)
{
	char path[sizeof(nr->nr_ns_path) + 16 + 256];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int error, fd;

	if (nr->nr_ns_path[0] != '\0' &&
	    strnlen(nr->nr_ns_path, sizeof(nr->nr_ns_path)) <
	    sizeof(nr->nr_ns_path) &&
	    (fd = open(nr->nr_ns_path, O_RDONLY | O_CLOEXEC)) != -1) {
		error = ENOENT;
		if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_dev ==
		    nr->nr_ns_dev && (uint64_t)sb.st_ino == nr->nr_ns_ino)
			error = vpci_try_ns(n, fd, nr, nr->nr_ns_path);
		close(fd);
		if (error != ENOENT)
			return (error);
	}
	if ((error = vpci_try_ns(n, -1, nr, "vpcd's namespace")) != ENOENT)
		return (error);
	if ((d = opendir("/run/netns")) == NULL)
		return (ENOENT);
	error = ENOENT;
	while (error == ENOENT && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		error = vpci_try_ns(n, fd, nr, path);
		close(fd);
	}
	closedir(d);
	return (error);
}

/*
 * Take over the persistent TAP of vmnic 'n' as record 'nr' names it, in
 * vpcd's namespace (a guest may hold it open: it is not opened, only
 * its host side).  ENOENT if it is gone.
 */
static int
vmnic_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr)
{
	struct vpc_obj *o = n->n_dev.dv_obj;
	char path[64], buf[32];
	unsigned long flags;
	ssize_t r;
	int error, fd;

	if (strnlen(nr->nr_name, IFNAMSIZ) == IFNAMSIZ ||
	    vpcd_if_index(nr->nr_name) <= 0)
		return (ENOENT);
	/* Single- or multi-queue, as it was made. */
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags",
	    nr->nr_name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (ENOENT);	/* not a TUN/TAP device */
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return (EIO);
	buf[r] = '\0';
	flags = strtoul(buf, NULL, 16);
	if ((flags & IFF_TAP) == 0)
		return (ENOENT);
	snprintf(n->n_ifname, sizeof(n->n_ifname), "%s", nr->nr_name);
	n->n_mq = (flags & IFF_MULTI_QUEUE) != 0;
	n->n_ifindex = vpcd_if_index(nr->nr_name);
	if (o->o_mtu != 0 &&
	    (error = vpcd_if_set_mtu(n->n_ifname, o->o_mtu)) != 0)
		goto fail;
	if ((error = vpcd_if_up(n->n_ifname)) != 0)
		goto fail;
	error = vpcd_psock_open(n->n_dev.dv_vpcd, n->n_ifname, 0, vmnic_input,
	    n, n->n_dev.dv_obj, &n->n_ps);
	if (error == 0)
		return (0);
fail:
	n->n_ifname[0] = '\0';
	n->n_ifindex = 0;
	return (error);
}

/* Reserve unit 'unit' of kind 'which' of 'v'; EBUSY if taken. */
static int
unit_take(struct vpcd *v, int which, uint32_t unit)
{
	uint8_t *u;
	uint32_t n;

	if (unit >= 1u << 20)
		return (EINVAL);
	if (unit >= v->v_nunits[which]) {
		for (n = v->v_nunits[which] == 0 ? 64 : v->v_nunits[which];
		    n <= unit; n *= 2)
			continue;
		if ((u = realloc(v->v_units[which], n)) == NULL)
			return (ENOMEM);
		memset(u + v->v_nunits[which], 0, n - v->v_nunits[which]);
		v->v_units[which] = u;
		v->v_nunits[which] = n;
	}
	if (v->v_units[which][unit] != 0)
		return (EBUSY);
	v->v_units[which][unit] = 1;
	return (0);
}

/*
 * Adopt for 'n' the TAP that record 'nr' describes, or if it is gone,
 * make it again under the same name.  Returns 0 or an errno (then the
 * caller makes a new TAP as for a new object).
 */
static int
nic_adopt(struct vpcd_nic *n, const struct vpcd_nicrec *nr)
{
	struct vpcd *v = n->n_dev.dv_vpcd;
	const char *how;
	int error;

	if (nr->nr_which != (uint32_t)n->n_which)
		return (EINVAL);
	if ((error = unit_take(v, n->n_which, nr->nr_unit)) != 0)
		return (error);
	n->n_unit = nr->nr_unit;
	how = "found";
	snprintf(adopt_where, sizeof(adopt_where), "in vpcd's namespace");
	if (n->n_which == VPCD_UNIT_VMNIC)
		error = vmnic_adopt(n, nr);
	else
		error = vpci_adopt(n, nr);
	if (error == ENOENT) {
		how = "gone: made again";
		if (n->n_which == VPCD_UNIT_VMNIC)
			error = vmnic_make(n, nr->nr_name, 0);
		else
			error = vpci_make(n, nr->nr_name);
	}
	if (error != 0) {
		vpcd_unit_free(v, n->n_which, n->n_unit);
		return (error);
	}
	vpc_os_log(VPC_LOG_INFO, "%s %s: TAP %s %s", nic_kind(n),
	    nr->nr_name, how, adopt_where);
	return (0);
}

/*
 * Run interface ioctl 'req' on vpci 'n' wherever its netdev now is: the
 * name comes from the TAP descriptor and the socket is opened in the
 * netdev's current namespace.
 */
static int
vpci_ifreq(struct vpcd_nic *n, unsigned long req, struct ifreq *ifr)
{
	struct ifreq cur;
	int error, nsfd;

	memset(&cur, 0, sizeof(cur));
	if (ioctl(n->n_tapfd, TUNGETIFF, &cur) == -1)
		return (errno);
	memcpy(ifr->ifr_name, cur.ifr_name, sizeof(ifr->ifr_name));
	nsfd = ioctl(n->n_tapfd, TUNGETDEVNETNS);
	error = vpcd_if_ioctl_netns(nsfd, req, ifr);
	if (nsfd >= 0)
		close(nsfd);
	return (error);
}

/* A frame the guest of a vmnic sent. */
static void
vmnic_input(void *arg, struct vpc_pkt *pkt)
{
	struct vpcd_nic *n = arg;

	vpc_input_nic((struct vpc_nic *)(void *)n->n_dev.dv_obj, pkt);
}

/*
 * Frames the stack sent out of a vpci, each behind a virtio-net header
 * that says whether it is a super-frame and whether its checksum is
 * partial; the core carries both.  At most VPCD_RX_BUDGET per wake-up.
 */
static void
vpci_readable(void *arg, uint32_t events __unused)
{
	struct vpcd_nic *n = arg;
	struct virtio_net_hdr_mrg_rxbuf vh;
	struct vpc_pkt pkt;
	struct iovec iov[2];
	uint8_t *frame;
	uint32_t len;
	ssize_t r;
	int i;

	frame = n->n_buf + VPCD_RX_HEADROOM;
	for (i = 0; i < VPCD_RX_BUDGET; i++) {
		iov[0].iov_base = &vh;
		iov[0].iov_len = sizeof(vh);
		iov[1].iov_base = frame;
		iov[1].iov_len = NIC_RX_FRAME;
		r = readv(n->n_tapfd, iov, 2);
		if (r == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* EBADFD: the netdev was deleted under us. */
			vpc_os_log(VPC_LOG_WARN, "vpci %s: read: %s; no "
			    "longer receiving", n->n_ifname, strerror(errno));
			vpcd_ev_del(n->n_ev);
			n->n_ev = NULL;
			return;
		}
		if ((size_t)r < sizeof(vh)) {
			/* No header: not a frame (short frames: the core). */
			vpc_count_drop(n->n_dev.dv_obj,
			    VPC_DROP_RX_UNSUPPORTED);
			continue;
		}
		len = (uint32_t)((size_t)r - sizeof(vh));
		if (len > NIC_RX_FRAME) {
			/*
			 * tun reports a frame's whole length even when it
			 * copied only what fitted; none is that long today
			 * (64 KiB TSO, MTU 65535), and a cut one is not sent.
			 */
			vpc_count_drop(n->n_dev.dv_obj,
			    VPC_DROP_RX_UNSUPPORTED);
			continue;
		}
		vpc_pkt_init(&pkt, frame, len, len, VPCD_RX_HEADROOM, NULL);
		if (vpcd_vnet_to_pkt(&vh.hdr, &pkt) != 0) {
			/* An offload vpcd does not carry. */
			vpc_count_drop(n->n_dev.dv_obj,
			    VPC_DROP_RX_UNSUPPORTED);
			continue;
		}
		vpc_input_nic((struct vpc_nic *)(void *)n->n_dev.dv_obj, &pkt);
	}
}

/*
 * Make the device of vmnic or vpci 'o' for vpcd 'v' into '*devp': the
 * first free name vmnicN or vpciN.  Returns 0 or an errno.
 */
int
vpcd_nic_create(struct vpcd *v, struct vpc_obj *o, struct vpcd_dev **devp)
{
	struct vpc_nic *nic = (struct vpc_nic *)(void *)o;
	struct vpcd_nic *n;
	char name[IFNAMSIZ], id[VPCD_ID_STRLEN];
	int error, tries;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (ENOMEM);
	n->n_dev.dv_vpcd = v;
	n->n_dev.dv_obj = o;
	n->n_dev.dv_type = o->o_type;
	n->n_which = o->o_type == VPC_TYPE_VMNIC ? VPCD_UNIT_VMNIC :
	    VPCD_UNIT_VPCI;
	n->n_tapfd = -1;
	error = EBUSY;
	if (adopt_set && memcmp(&adopt_id, &o->o_id, sizeof(adopt_id)) == 0) {
		adopt_set = 0;
		if ((error = nic_adopt(n, &adopt_rec)) == 0)
			goto done;
		vpc_os_log(VPC_LOG_WARN, "%s %s: cannot take its TAP back: %s;"
		    " making a new one", nic_kind(n), adopt_rec.nr_name,
		    strerror(error));
		error = EBUSY;
	}
	for (tries = 0; tries < NIC_UNIT_TRIES; tries++) {
		if ((error = vpcd_unit_alloc(v, n->n_which, &n->n_unit)) != 0)
			break;
		snprintf(name, sizeof(name), "%s%u", nic_kind(n), n->n_unit);
		if (n->n_which == VPCD_UNIT_VMNIC)
			error = vmnic_make(n, name, nic->nic_queues > 1);
		else
			error = vpci_make(n, name);
		if (error != EBUSY && error != EEXIST) {
			if (error != 0)
				vpcd_unit_free(v, n->n_which, n->n_unit);
			break;
		}
		/* Someone else's interface has this name: skip it. */
		vpcd_unit_mark(v, n->n_which, n->n_unit);
	}
	vpcd_id_format(&o->o_id, id);
	if (error != 0) {
		vpc_os_log(VPC_LOG_ERR, "%s %s: cannot create its TAP: %s",
		    nic_kind(n), id, strerror(error));
		free(n);
		return (error);
	}
	vpc_os_log(VPC_LOG_INFO, "%s %s created for %s", nic_kind(n),
	    n->n_ifname, id);
done:
	*devp = &n->n_dev;
	return (0);
}

static void
nic_free(struct vpcd_defer *df)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)df;

	vpcd_rxbuf_free(n->n_buf, NIC_RX_BUFSIZE);
	free(n);
}

/*
 * Remove the device of a vmnic or vpci: its TAP is deleted.
 */
void
vpcd_nic_destroy(struct vpcd_dev *dev)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;
	char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "%s", n->n_ifname);
	if (n->n_which == VPCD_UNIT_VMNIC) {
		if (!n->n_keep)
			vmnic_unmake(n);
		else if (n->n_ps != NULL) {
			vpcd_psock_close(n->n_ps);
			n->n_ps = NULL;
		}
	} else {
		vpcd_ev_del(n->n_ev);
		n->n_ev = NULL;
		/* Not persistent (any more): closing it deletes it. */
		if (n->n_tapfd != -1 && n->n_persist && !n->n_keep &&
		    ioctl(n->n_tapfd, TUNSETPERSIST, 0) == -1)
			vpc_os_log(VPC_LOG_ERR, "vpci %s: cannot drop "
			    "persistence: %s", name, strerror(errno));
		if (n->n_tapfd != -1)
			close(n->n_tapfd);
		n->n_tapfd = -1;
	}
	vpcd_unit_free(dev->dv_vpcd, n->n_which, n->n_unit);
	vpc_os_log(VPC_LOG_INFO, "%s %s %s", nic_kind(n), name,
	    n->n_keep ? "kept for the next start" : "removed");
	vpcd_loop_defer(dev->dv_vpcd->v_loop, &dev->dv_defer, nic_free);
}

/*
 * Apply attribute 'a' ('val', 'len' bytes) to vmnic or vpci 'dev'.
 * Returns 0 or an errno (then nothing changed).
 */
int
vpcd_nic_set(struct vpcd_dev *dev, enum vpc_attr a, const void *val,
    size_t len)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;
	struct ifreq ifr;
	uint32_t u;

	switch (a) {
	case VPC_ATTR_MAC:
		if (len != 6)
			return (EINVAL);
		/*
		 * A vmnic's MAC is the guest's, given to its virtio device;
		 * the TAP's own (host side) address is not involved.
		 */
		if (n->n_which == VPCD_UNIT_VMNIC)
			return (0);
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
		memcpy(ifr.ifr_hwaddr.sa_data, val, 6);
		/* Through the TAP descriptor: works in any namespace. */
		if (ioctl(n->n_tapfd, SIOCSIFHWADDR, &ifr) == -1)
			return (errno);
		return (0);
	case VPC_ATTR_MTU:
		if (len != sizeof(u))
			return (EINVAL);
		memcpy(&u, val, sizeof(u));
		if (n->n_which == VPCD_UNIT_VMNIC)
			return (vpcd_if_set_mtu(n->n_ifname, u));
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_mtu = (int)u;
		return (vpci_ifreq(n, SIOCSIFMTU, &ifr));
	case VPC_ATTR_QUEUES:
		if (len != sizeof(u))
			return (EINVAL);
		memcpy(&u, val, sizeof(u));
		if (n->n_which == VPCD_UNIT_VMNIC)
			return (vmnic_set_queues(n, u));
		/* vpci: one queue (one descriptor) for now. */
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Read attribute 'a' of vmnic or vpci 'dev' into 'val' ('len' bytes).
 * Returns 0 or an errno.
 */
int
vpcd_nic_get(struct vpcd_dev *dev, enum vpc_attr a, void *val, size_t len)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;
	struct vpc_ifname vn;
	struct ifreq ifr;
	uint32_t u;
	int error;

	switch (a) {
	case VPC_ATTR_IFNAME:
		if (len != sizeof(vn))
			return (EINVAL);
		memset(&vn, 0, sizeof(vn));
		if (n->n_which == VPCD_UNIT_VPCI) {
			/* Its current name, wherever it is. */
			memset(&ifr, 0, sizeof(ifr));
			if (ioctl(n->n_tapfd, TUNGETIFF, &ifr) == -1)
				return (errno);
			snprintf(vn.vn_name, sizeof(vn.vn_name), "%s",
			    ifr.ifr_name);
		} else
			snprintf(vn.vn_name, sizeof(vn.vn_name), "%s",
			    n->n_ifname);
		memcpy(val, &vn, sizeof(vn));
		return (0);
	case VPC_ATTR_MTU:
		if (len != sizeof(u))
			return (EINVAL);
		if (n->n_which == VPCD_UNIT_VMNIC) {
			if ((error = vpcd_if_get_mtu(n->n_ifname, &u)) != 0)
				return (error);
		} else {
			memset(&ifr, 0, sizeof(ifr));
			if ((error = vpci_ifreq(n, SIOCGIFMTU, &ifr)) != 0)
				return (error);
			u = (uint32_t)ifr.ifr_mtu;
		}
		memcpy(val, &u, sizeof(u));
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Send frame 'pkt' out of vmnic or vpci 'dev' (to the guest or the
 * stack), tagged with tx->tx_vlan if set.  A super-frame or a partial
 * checksum is passed on as such in the virtio-net header.  Returns 0 or
 * an errno.
 */
int
vpcd_nic_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;
	struct virtio_net_hdr_mrg_rxbuf vh;
	struct iovec iov[4];
	uint8_t tag[4];
	ssize_t r;
	int cnt;

	if (n->n_which == VPCD_UNIT_VMNIC) {
		if (n->n_ps == NULL)
			return (ENXIO);
		return (vpcd_psock_send(n->n_ps, pkt, tx));
	}
	if (n->n_tapfd == -1)
		return (ENXIO);
	memset(&vh, 0, sizeof(vh));
	if (vpcd_vnet_from_pkt(pkt, tx->tx_vlan != 0 ? 4 : 0, &vh.hdr) != 0)
		return (EINVAL);
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	if ((cnt = vpcd_frame_iov(pkt, tx, tag, &iov[1])) == 0)
		return (EINVAL);
	r = writev(n->n_tapfd, iov, cnt + 1);
	if (r == -1)
		return (errno);
	return (0);
}

/*
 * The next vpcd_nic_create() for object 'id' adopts the TAP described by
 * 'nr' (copied) instead of making one; NULL 'id' cancels.
 */
void
vpcd_nic_adopt_next(const vpc_id_t *id, const struct vpcd_nicrec *nr)
{
	adopt_set = id != NULL;
	if (id != NULL) {
		adopt_id = *id;
		adopt_rec = *nr;
	}
}

/*
 * Make the TAP of vpci 'dev' persistent, so that it outlives vpcd (a
 * vmnic's is already).  Returns 0 or an errno.
 */
int
vpcd_nic_persist(struct vpcd_dev *dev)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;

	if (n->n_which != VPCD_UNIT_VPCI || n->n_persist)
		return (0);
	if (n->n_tapfd == -1 || ioctl(n->n_tapfd, TUNSETPERSIST, 1) == -1) {
		vpc_os_log(VPC_LOG_ERR, "vpci %s: cannot make it persistent: "
		    "%s", n->n_ifname, strerror(errno));
		return (errno);
	}
	n->n_persist = 1;
	return (0);
}

/*
 * vpcd is shutting down but will start again: when its object goes,
 * leave the TAP of 'dev' in place (vmnic or persistent vpci).
 */
void
vpcd_nic_keep(struct vpcd_dev *dev)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;

	n->n_keep = n->n_which == VPCD_UNIT_VMNIC || n->n_persist;
}

/*
 * A path under /run/netns or /proc that names the network namespace of
 * nsfs file ('dev', 'ino'), in 'path'.  Returns 0 or ENOENT.
 */
static int
ns_find_path(uint64_t dev, uint64_t ino, char *path, size_t len)
{
	const char *dirs[2] = { "/run/netns", "/proc" };
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int i;

	for (i = 0; i < 2; i++) {
		if ((d = opendir(dirs[i])) == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.' || (i == 1 &&
			    (de->d_name[0] < '0' || de->d_name[0] > '9')))
				continue;
			snprintf(path, len, i == 0 ? "%s/%s" : "%s/%s/ns/net",
			    dirs[i], de->d_name);
			if (stat(path, &sb) == 0 &&
			    (uint64_t)sb.st_dev == dev &&
			    (uint64_t)sb.st_ino == ino) {
				closedir(d);
				return (0);
			}
		}
		closedir(d);
	}
	path[0] = '\0';
	return (ENOENT);
}

/*
 * Where the TAP of vmnic or vpci 'dev' is now, in '*nr'.  Returns 1 if
 * that differs from what was last returned (or 'force'), 0 if not.
 */
int
vpcd_nic_where(struct vpcd_dev *dev, struct vpcd_nicrec *nr, int force)
{
	struct vpcd_nic *n = (struct vpcd_nic *)(void *)dev;
	struct ifreq ifr;
	struct stat sb;
	int nsfd, self = self_ns();

	memset(nr, 0, sizeof(*nr));
	snprintf(nr->nr_name, sizeof(nr->nr_name), "%s", n->n_ifname);
	snprintf(nr->nr_cur, sizeof(nr->nr_cur), "%s", n->n_ifname);
	nr->nr_unit = n->n_unit;
	nr->nr_which = (uint32_t)n->n_which;
	memcpy(nr->nr_mac, n->n_dev.dv_obj->o_mac, 6);
	if (self >= 0 && fstat(self, &sb) == 0) {
		nr->nr_ns_dev = (uint64_t)sb.st_dev;
		nr->nr_ns_ino = (uint64_t)sb.st_ino;
	}
	if (n->n_which == VPCD_UNIT_VPCI && n->n_tapfd != -1) {
		memset(&ifr, 0, sizeof(ifr));
		if (ioctl(n->n_tapfd, TUNGETIFF, &ifr) == 0)
			snprintf(nr->nr_cur, sizeof(nr->nr_cur), "%s",
			    ifr.ifr_name);
		if ((nsfd = ioctl(n->n_tapfd, TUNGETDEVNETNS)) >= 0) {
			if (fstat(nsfd, &sb) == 0 &&
			    ((uint64_t)sb.st_dev != nr->nr_ns_dev ||
			    (uint64_t)sb.st_ino != nr->nr_ns_ino)) {
				nr->nr_ns_dev = (uint64_t)sb.st_dev;
				nr->nr_ns_ino = (uint64_t)sb.st_ino;
				/* Look for a path only when it moved. */
				if (n->n_where_ok &&
				    n->n_where.nr_ns_ino == nr->nr_ns_ino &&
				    n->n_where.nr_ns_dev == nr->nr_ns_dev)
					memcpy(nr->nr_ns_path,
					    n->n_where.nr_ns_path,
					    sizeof(nr->nr_ns_path));
				else
					(void)ns_find_path(nr->nr_ns_dev,
					    nr->nr_ns_ino, nr->nr_ns_path,
					    sizeof(nr->nr_ns_path));
			}
			close(nsfd);
		}
	}
	if (!force && n->n_where_ok &&
	    memcmp(&n->n_where, nr, sizeof(*nr)) == 0)
		return (0);
	n->n_where = *nr;
	n->n_where_ok = 1;
	return (1);
}
