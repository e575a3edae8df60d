/*
 * vpc_vpclink.c: the VXLAN endpoint of a vpclink, a kernel UDP socket.
 *
 * VPC_OP_VPCLINK_LOCAL_SET: before the core runs the op, vpc_syscall.c
 * calls vpc_vl_prep(), which creates a UDP socket in the caller's vnet
 * with the caller's credentials (socreate), registers the receive
 * callback with udp_set_kernel_tunneling() and binds it to the local
 * address and port (sobind): a bind error (EADDRNOTAVAIL, EADDRINUSE) is
 * the op's error.  The core's ho_set then swaps the new socket in and
 * vpc_vl_sock_start() points it at the object; the old one is closed
 * after the core returned.
 *
 * Decapsulation: udp_input/udp6_input hand every datagram of the socket
 * to vpc_vl_input() in the net epoch, as an mbuf that starts at the IP
 * header; it is trimmed to the UDP payload (the VXLAN header) without
 * copying and given to vpc_input_vpclink().  No NIC feature is needed.
 *
 * Encapsulation (ho_output with tx_encap): the VXLAN header, then the UDP
 * and IPv4 or IPv6 headers are prepended to the inner frame's mbuf (or
 * to a copy sharing its clusters, unless it is the last copy) and the
 * datagram goes to ip_output()/ip6_output() towards tx_remote, to the
 * link's own UDP port.  The source port is 49152 + tx_flowhash mod 16384
 * (the IANA dynamic range, FreeBSD's default net.inet.ip.portrange.hifirst
 * ..hilast), so that one flow keeps one underlay path (ECMP entropy).
 * IPv4: DF set, so IP id 0 (RFC 6864), TTL 64, UDP checksum 0 (RFC 7348
 * section 5); IPv6: the
 * UDP checksum is computed (by the NIC or in6_delayed_cksum).  A frame is
 * encapsulated at most once by one vpclink on its way
 * (if_tunnel_check_nesting on the vpclink's interface), so a route of the
 * underlay through the overlay drops instead of recursing.
 *
 * Underlay MTU: the MTU of the interface owning the local address
 * (ifa_ifwithaddr); the core derives the link MTU from it.
 */

#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sx.h>
#include <sys/taskqueue.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

#define	VPC_VL_SPORT_MIN	49152	/* dynamic ports, RFC 6335 */
#define	VPC_VL_SPORT_COUNT	16384
#define	VPC_VL_MTAG_NESTING	0x76706331	/* 'vpc1': nesting tags */

/* A vpclink's bound socket. */
struct vpc_vl_sock {
	struct socket		*s_so;		/* the UDP socket */
	struct vpc_obj		*s_obj;		/* its vpclink, or NULL */
	if_t			 s_ifp;		/* vpclink interface */
	uint8_t			 s_family;	/* VPC_AF_INET or _INET6 */
	uint16_t		 s_port;	/* bound port, network order */
	struct sockaddr_storage	 s_sa;		/* bound address */
};

static bool	vpc_vl_input(struct mbuf *m, int off, struct inpcb *inp,
		    const struct sockaddr *src, void *ctx);

/*
 * Create, hook and bind the socket for a VPC_OP_VPCLINK_LOCAL_SET whose
 * input is 'in' ('inlen' bytes) into '*sp'.  Sleeps.  Input the core will
 * refuse (bad size, family, padding) gives EINVAL here too.
 */
int
vpc_vl_prep(struct vpc_vnet *vv __unused, const void *in, size_t inlen,
    struct vpc_vl_sock **sp)
{
	struct vpc_udpaddr ua;
	struct vpc_vl_sock *s;
	struct sockaddr_in *sin;
	struct sockaddr_in6 *sin6;
	struct thread *td = curthread;
	int error, dom;

	*sp = NULL;
	if (in == NULL || inlen != sizeof(ua))
		return (EINVAL);
	bcopy(in, &ua, sizeof(ua));
	if (ua.vu_port == 0)
		ua.vu_port = VPC_VXLAN_PORT;
	s = malloc(sizeof(*s), M_VPC, M_WAITOK | M_ZERO);
	s->s_family = ua.vu_addr.va_family;
	s->s_port = htons(ua.vu_port);
	switch (ua.vu_addr.va_family) {
	case VPC_AF_INET:
		dom = AF_INET;
		sin = (struct sockaddr_in *)&s->s_sa;
		sin->sin_len = sizeof(*sin);
		sin->sin_family = AF_INET;
		sin->sin_port = s->s_port;
		bcopy(ua.vu_addr.va_addr, &sin->sin_addr, 4);
		break;
	case VPC_AF_INET6:
		dom = AF_INET6;
		sin6 = (struct sockaddr_in6 *)&s->s_sa;
		sin6->sin6_len = sizeof(*sin6);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = s->s_port;
		bcopy(ua.vu_addr.va_addr, &sin6->sin6_addr, 16);
		break;
	default:
		free(s, M_VPC);
		return (EINVAL);
	}
	error = socreate(dom, &s->s_so, SOCK_DGRAM, IPPROTO_UDP,
	    td->td_ucred, td);
	if (error != 0) {
		free(s, M_VPC);
		return (error);
	}
	error = udp_set_kernel_tunneling(s->s_so, vpc_vl_input, NULL, s);
	if (error == 0)
		error = sobind(s->s_so, (struct sockaddr *)&s->s_sa, td);
	if (error != 0) {
		vpc_vl_sock_free(s);
		return (error);
	}
	*sp = s;
	return (0);
}

/*
 * Close and free 's'.  After soclose() and an epoch wait no receive
 * callback can be running.  Sleeps.
 */
void
vpc_vl_sock_free(struct vpc_vl_sock *s)
{
	if (s == NULL)
		return;
	WITNESS_WARN(WARN_GIANTOK | WARN_SLEEPOK, NULL, "vpc_vl_sock_free");
	vpc_store_rel_ptr(&s->s_obj, NULL);
	if (s->s_so != NULL)
		soclose(s->s_so);
	NET_EPOCH_WAIT();
	free(s, M_VPC);
}

/*
 * Deliver what 's' receives to vpclink 'o' from now on.  Called by
 * ho_set with the object's lock held.
 */
void
vpc_vl_sock_start(struct vpc_vl_sock *s, struct vpc_obj *o)
{
	struct vpc_dev *dev = o->o_dev;

	s->s_ifp = dev->vd_ifp;
	vpc_store_rel_ptr(&s->s_obj, o);
}

/*
 * The MTU of the interface that owns the bound address, 0 if none does
 * (the address went away).
 */
uint32_t
vpc_vl_underlay_mtu(struct vpc_vl_sock *s)
{
	struct epoch_tracker et;
	struct ifaddr *ifa;
	uint32_t mtu;

	mtu = 0;
	NET_EPOCH_ENTER(et);
	ifa = ifa_ifwithaddr((const struct sockaddr *)&s->s_sa);
	if (ifa != NULL)
		mtu = (uint32_t)if_getmtu(ifa->ifa_ifp);
	NET_EPOCH_EXIT(et);
	return (mtu);
}

/*
 * udp_set_kernel_tunneling callback: datagram 'm' (from its IP header;
 * the UDP header at 'off') arrived on the socket 'ctx' from 'src'.
 * Always consumes it.  In the net epoch.
 */
static bool
vpc_vl_input(struct mbuf *m, int off, struct inpcb *inp __unused,
    const struct sockaddr *src, void *ctx)
{
	struct vpc_vl_sock *s = ctx;
	struct vpc_ipaddr from;
	struct vpc_obj *o;
	struct vpc_pkt pkt;
	int need;

	NET_EPOCH_ASSERT();
	o = vpc_load_acq_ptr(&s->s_obj);
	if (o == NULL)
		goto drop;
	bzero(&from, sizeof(from));
	if (src->sa_family == AF_INET) {
		from.va_family = VPC_AF_INET;
		bcopy(&((const struct sockaddr_in *)src)->sin_addr,
		    from.va_addr, 4);
	} else if (src->sa_family == AF_INET6) {
		from.va_family = VPC_AF_INET6;
		bcopy(&((const struct sockaddr_in6 *)src)->sin6_addr,
		    from.va_addr, 16);
	} else
		goto drop;
	/* Keep the UDP payload only: it starts at the VXLAN header. */
	m_adj(m, off + (int)sizeof(struct udphdr));
	m->m_pkthdr.csum_flags = 0;
	need = min(m->m_pkthdr.len, VPC_VXLAN_HDRLEN + VPC_PKT_PULLUP);
	if (!M_WRITABLE(m))
		m = m_copyup(m, need, 0);
	else if (m->m_len < need)
		m = m_pullup(m, need);
	if (m == NULL)
		return (true);
	vpc_pkt_init(&pkt, mtod(m, uint8_t *), (uint32_t)m->m_len,
	    (uint32_t)m->m_pkthdr.len, (uint32_t)M_LEADINGSPACE(m), m);
	vpc_input_vpclink((struct vpc_vpclink *)(void *)o, &pkt, &from);
	if (pkt.p_os != NULL)
		m_freem(pkt.p_os);
	return (true);
drop:
	m_freem(m);
	return (true);
}

/*
 * ho_output of a vpclink: encapsulate 'pkt' as 'tx' says and send it.
 * In the net epoch.
 */
int
vpc_vl_output(struct vpc_vl_sock *s, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct mbuf *m;
	struct udphdr *uh;
	struct ip *ip;
	struct ip6_hdr *ip6;
	uint16_t sport;
	int len, error;

	NET_EPOCH_ASSERT();
	if (tx->tx_remote.va_family != s->s_family)
		return (EAFNOSUPPORT);
	if ((m = vpc_if_mbuf(pkt, tx->tx_last != 0)) == NULL)
		return (ENOBUFS);
	if (s->s_ifp != NULL && if_tunnel_check_nesting(s->s_ifp, m,
	    VPC_VL_MTAG_NESTING, 1) != 0) {
		m_freem(m);
		return (ELOOP);
	}
	m->m_flags &= ~(M_BCAST | M_MCAST | M_VLANTAG);
	m->m_pkthdr.csum_flags = 0;
	M_PREPEND(m, VPC_VXLAN_HDRLEN, M_NOWAIT);
	if (m == NULL)
		return (ENOBUFS);
	bcopy(tx->tx_vxlan, mtod(m, uint8_t *), VPC_VXLAN_HDRLEN);
	sport = htons(VPC_VL_SPORT_MIN +
	    tx->tx_flowhash % VPC_VL_SPORT_COUNT);

	if (s->s_family == VPC_AF_INET) {
		M_PREPEND(m, sizeof(*ip) + sizeof(*uh), M_NOWAIT);
		if (m == NULL)
			return (ENOBUFS);
		len = m->m_pkthdr.len;
		ip = mtod(m, struct ip *);
		uh = (struct udphdr *)(ip + 1);
		bzero(ip, sizeof(*ip));
		ip->ip_v = IPVERSION;
		ip->ip_hl = sizeof(*ip) >> 2;
		ip->ip_len = htons((uint16_t)len);
		ip->ip_off = htons(IP_DF);
		ip->ip_ttl = IPDEFTTL;
		ip->ip_p = IPPROTO_UDP;
		ip->ip_src = ((struct sockaddr_in *)&s->s_sa)->sin_addr;
		bcopy(tx->tx_remote.va_addr, &ip->ip_dst, 4);
		/* ip_id 0: atomic datagram (DF), RFC 6864 section 4.1. */
		uh->uh_sport = sport;
		uh->uh_dport = s->s_port;
		uh->uh_ulen = htons((uint16_t)(len - sizeof(*ip)));
		uh->uh_sum = 0;		/* optional over IPv4 (RFC 7348) */
		error = ip_output(m, NULL, NULL, 0, NULL, NULL);
		return (error);
	}
	M_PREPEND(m, sizeof(*ip6) + sizeof(*uh), M_NOWAIT);
	if (m == NULL)
		return (ENOBUFS);
	len = m->m_pkthdr.len;
	ip6 = mtod(m, struct ip6_hdr *);
	uh = (struct udphdr *)(ip6 + 1);
	bzero(ip6, sizeof(*ip6));
	ip6->ip6_vfc = IPV6_VERSION;
	ip6->ip6_plen = htons((uint16_t)(len - sizeof(*ip6)));
	ip6->ip6_nxt = IPPROTO_UDP;
	ip6->ip6_hlim = IPV6_DEFHLIM;
	ip6->ip6_src = ((struct sockaddr_in6 *)&s->s_sa)->sin6_addr;
	bcopy(tx->tx_remote.va_addr, &ip6->ip6_dst, 16);
	uh->uh_sport = sport;
	uh->uh_dport = s->s_port;
	uh->uh_ulen = ip6->ip6_plen;
	/* Mandatory over IPv6: the stack or the NIC completes it. */
	uh->uh_sum = in6_cksum_pseudo(ip6, (uint32_t)(len - sizeof(*ip6)),
	    IPPROTO_UDP, 0);
	m->m_pkthdr.csum_flags = CSUM_UDP_IPV6;
	m->m_pkthdr.csum_data = offsetof(struct udphdr, uh_sum);
	error = ip6_output(m, NULL, NULL, 0, NULL, NULL, NULL);
	return (error);
}
