/*
 * vpcd_linux.c: small Linux-specific services for the rest of vpcd.
 *
 * Peer credentials of a control connection (SO_PEERCRED and
 * SO_PEERGROUPS), interface ioctls in vpcd's own network namespace or in
 * another one (a vpci the user moved away), and deleting an interface by
 * index over rtnetlink.  A FreeBSD port implements these with
 * LOCAL_PEERCRED, SIOCSIFLLADDR and the if_clone ioctls.
 */

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"

static int	if_sock = -1;	/* AF_INET datagram socket for ioctls */
static int	self_netns = -1; /* vpcd's own network namespace */

static int	if_flags_get(const char *ifname, struct ifreq *ifr);
static int	peer_in_group(int fd, gid_t group);

/*
 * Open what the helpers below need.  Returns 0 or an errno.
 */
int
vpcd_os_init(void)
{
	if_sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (if_sock == -1)
		return (errno);
	/* Only needed to come back from another namespace; optional. */
	self_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return (0);
}

/* Whether the peer on 'fd' has 'group' among its supplementary groups. */
static int
peer_in_group(int fd, gid_t group)
{
	gid_t small[64], *g;
	socklen_t len;
	size_t i, n;
	int found;

	g = small;
	len = sizeof(small);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
		if (errno != ERANGE)
			return (0);
		if ((g = malloc(len)) == NULL)
			return (0);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
			free(g);
			return (0);
		}
	}
	found = 0;
	n = len / sizeof(gid_t);
	for (i = 0; i < n; i++) {
		if (g[i] == group) {
			found = 1;
			break;
		}
	}
	if (g != small)
		free(g);
	return (found);
}

/*
 * Fill 'cred' with the credentials of the peer of Unix socket 'fd': it is
 * privileged if it is uid 0 or a member of vpcd's -g group ('v').
 * Returns 0 or an errno.
 */
int
vpcd_peer_cred(int fd, const struct vpcd *v, struct vpc_cred *cred)
{
	struct ucred uc;
	socklen_t len;

	len = sizeof(uc);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) == -1)
		return (errno);
	memset(cred, 0, sizeof(*cred));
	cred->vc_uid = uc.uid;
	if (uc.uid == 0)
		cred->vc_priv = 1;
	else if (v->v_have_group &&
	    (uc.gid == v->v_group || peer_in_group(fd, v->v_group)))
		cred->vc_priv = 1;
	return (0);
}

/*
 * Index of interface 'ifname' in vpcd's namespace, or 0 (errno set).
 */
int
vpcd_if_index(const char *ifname)
{
	return ((int)if_nametoindex(ifname));
}

static int
if_flags_get(const char *ifname, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	if (strlen(ifname) >= sizeof(ifr->ifr_name))
		return (EINVAL);
	strcpy(ifr->ifr_name, ifname);
	if (ioctl(if_sock, SIOCGIFFLAGS, ifr) == -1)
		return (errno);
	return (0);
}

/*
 * Bring interface 'ifname' (in vpcd's namespace) up.  Returns 0 or an
 * errno.
 */
int
vpcd_if_up(const char *ifname)
{
	struct ifreq ifr;
	int error;

	if ((error = if_flags_get(ifname, &ifr)) != 0)
		return (error);
	if (ifr.ifr_flags & IFF_UP)
		return (0);
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(if_sock, SIOCSIFFLAGS, &ifr) == -1)
		return (errno);
	return (0);
}

/*
 * Whether 'ifname' (in vpcd's namespace) has carrier: for a TAP, whether
 * some process has it open.  Read from sysfs, which is exact at once
 * (the operational state in the interface flags follows with a delay).
 */
int
vpcd_if_running(const char *ifname)
{
	char path[128], c;
	int fd;
	ssize_t r;

	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", ifname);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	r = read(fd, &c, 1);
	close(fd);
	return (r == 1 && c == '1');
}

/*
 * Read the MTU of 'ifname' into '*mtu'.  Returns 0 or an errno.
 */
int
vpcd_if_get_mtu(const char *ifname, uint32_t *mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return (EINVAL);
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(if_sock, SIOCGIFMTU, &ifr) == -1)
		return (errno);
	*mtu = (uint32_t)ifr.ifr_mtu;
	return (0);
}

/*
 * Set the MTU of 'ifname' to 'mtu'.  Returns 0 or an errno.
 */
int
vpcd_if_set_mtu(const char *ifname, uint32_t mtu)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return (EINVAL);
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_mtu = (int)mtu;
	if (ioctl(if_sock, SIOCSIFMTU, &ifr) == -1)
		return (errno);
	return (0);
}

/*
 * Run interface ioctl 'req' on 'ifr' (a struct ifreq) in the network
 * namespace 'nsfd' refers to (-1: vpcd's own).  The thread enters the
 * namespace only to open a socket there and returns at once.  Returns 0
 * or an errno.
 */
int
vpcd_if_ioctl_netns(int nsfd, unsigned long req, void *ifr)
{
	int error, s;

	if (nsfd < 0 || self_netns < 0) {
		if (ioctl(if_sock, req, ifr) == -1)
			return (errno);
		return (0);
	}
	if (setns(nsfd, CLONE_NEWNET) == -1)
		return (errno);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	error = errno;
	if (setns(self_netns, CLONE_NEWNET) == -1) {
		/* Every later socket would land in the wrong namespace. */
		vpc_os_log(VPC_LOG_ERR, "cannot return to vpcd's network "
		    "namespace: %s", strerror(errno));
		abort();
	}
	if (s == -1)
		return (error);
	error = 0;
	if (ioctl(s, req, ifr) == -1)
		error = errno;
	close(s);
	return (error);
}

/*
 * Turn IPv6 off on 'ifname', so the host stack sends nothing of its own
 * (router solicitations, MLD) on a device that only carries a guest's
 * traffic.  Best effort.
 */
void
vpcd_if_no_ipv6(const char *ifname)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
	    ifname);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return;
	(void)write(fd, "1\n", 2);
	close(fd);
}

/*
 * Delete the interface with index 'ifindex' in vpcd's namespace
 * (RTM_DELLINK), even while another process has it open.  Returns 0 or
 * an errno.
 */
int
vpcd_if_delete(int ifindex)
{
	struct {
		struct nlmsghdr		nh;
		struct ifinfomsg	ifi;
	} rq;
	union {
		struct nlmsghdr		nh;
		uint8_t			buf[512];
	} rp;
	struct nlmsgerr *ne;
	struct timeval tv;
	ssize_t n;
	int error, s;

	s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s == -1)
		return (errno);
	tv.tv_sec = 2;
	tv.tv_usec = 0;
	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&rq, 0, sizeof(rq));
	rq.nh.nlmsg_len = sizeof(rq);
	rq.nh.nlmsg_type = RTM_DELLINK;
	rq.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	rq.nh.nlmsg_seq = 1;
	rq.ifi.ifi_family = AF_UNSPEC;
	rq.ifi.ifi_index = ifindex;
	if (send(s, &rq, sizeof(rq), 0) == -1) {
		error = errno;
		goto out;
	}
	n = recv(s, &rp, sizeof(rp), 0);
	if (n == -1) {
		error = errno;
		goto out;
	}
	error = EPROTO;
	if ((size_t)n >= sizeof(rp.nh) + sizeof(*ne) &&
	    rp.nh.nlmsg_type == NLMSG_ERROR) {
		ne = NLMSG_DATA(&rp.nh);
		error = -ne->error;
	}
out:
	close(s);
	return (error);
}
