/*
 * vpc_if.c: the interfaces of vpc objects.
 *
 * A vmnic or vpci is an Ethernet ifnet (ether_ifattach: bpf(4), ARP,
 * netstat -i) whose "wire" is the vpc switch:
 *   - what the ifnet transmits (the host stack of a vpci, or a netmap(4)
 *     client such as bhyve on a vmnic) enters the switch: if_transmit
 *     makes the head of the mbuf contiguous and writable, wraps it in a
 *     struct vpc_pkt without copying and calls vpc_input_nic();
 *   - what the switch sends to the NIC is received by the ifnet: the
 *     core's ho_output turns the view back into the mbuf it came from
 *     (the last copy) or a copy sharing its clusters (m_copypacket),
 *     inserts the port's VLAN tag with ether_vlanencap(), and queues the
 *     frame; a task on the module's receive taskqueue hands it to
 *     if_input.  Deferring if_input, as epair(4) does, keeps the core from
 *     re-entering itself through the stack (vpci0 -> IP forwarding ->
 *     vpci1 -> switch -> vpci0 ...) on one kernel stack.
 * An ethlink is an Ethernet ifnet too, whose "wire" is the if_bridge(4)
 * the operator makes it a member of, together with a physical NIC
 * (`ifconfig bridge0 addm em0 addm ethlink0`):
 *   - what the bridge sends out of the ethlink (its if_transmit: frames
 *     from the NIC for guests' MACs, and every flooded frame) enters the
 *     switch through vpc_input_ethlink(), which parses the 802.1Q tag
 *     itself (the bridge inserts tags inline: no IFCAP_VLAN_HWTAGGING);
 *   - what the switch sends to the ethlink is tagged with the port's (or
 *     the ethlink's) VLAN and received by the ethlink through the same
 *     deferred if_input as a NIC's, so that the bridge forwards it to the
 *     NIC; the bridge learns guests' MACs on the ethlink from it.
 *   Why a bridge member and not a hook on the NIC: the link-layer pfil(9)
 *   head runs in ether_demux() after if_bridge and only for frames not
 *   marked M_PROMISC, so frames for guests' MACs never reach it;
 *   ng_ether(4)'s "lower" hook takes every frame before if_bridge does;
 *   replacing the NIC's if_input breaks netmap(4) emulation and whoever
 *   else replaced it.  A member interface uses only the bridge's stock
 *   interface and coexists with every other member.  The cost: the
 *   bridge masks the NIC's TSO and transmit checksum offloads (which the
 *   ethlink does not offer) while both are members, and every frame
 *   crosses the bridge once more.
 * A switch, port or vpclink is a management handle: an IFT_OTHER ifnet
 * that carries no frames, takes no addresses and exists so that
 * `ifconfig create/destroy` and `ifconfig -a` work for every vpc object.
 *
 * Lifetime.  vpc_if_prep() allocates everything (sleeps) before the core
 * creates the object; the core's ho_create takes it; vpc_if_attach()
 * attaches the ifnet after the core returned, unless the object was
 * already destroyed in between (state VPC_DEV_DEAD), in which case it
 * frees it.  vpc_if_destroy() (ho_destroy) detaches and frees.
 *
 * Locking: vd_mtx (one per device) covers vd_state, the MAC/MTU copies
 * and the receive queue.  The data path reads vd_state without it, in
 * the net epoch; a device is freed only after if_detach() and an epoch
 * wait, so no transmit can still be running.
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
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sx.h>
#include <sys/taskqueue.h>

#include <net/bpf.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/if_clone.h>
#include <net/if_types.h>
#include <net/vnet.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

static int	vpc_if_transmit(if_t ifp, struct mbuf *m);
static int	vpc_if_notransmit(if_t ifp, struct mbuf *m);
static void	vpc_if_qflush(if_t ifp);
static int	vpc_if_ioctl(if_t ifp, u_long cmd, caddr_t data);
static void	vpc_if_init(void *arg);
static void	vpc_if_rxtask(void *arg, int pending);
static void	vpc_if_mactask(void *arg, int pending);
static void	vpc_if_free(struct vpc_dev *dev, bool attached);
static struct mbuf *vpc_if_writable_head(struct mbuf *m);
static void	vpc_if_setmtu(struct vpc_dev *dev, uint32_t mtu);
static int	vpc_if_el_check(struct vpc_dev *dev, const char *name);
static void	vpc_if_describe(struct vpc_dev *dev);

#define	VPC_IF_DESCRLEN	64	/* "vpc " and a UUID, with room */

/* The interface name prefix (and cloner name) of objects of 'type'. */
const char *
vpc_if_prefix(uint32_t type)
{
	switch (type) {
	case VPC_TYPE_VMNIC:
		return ("vmnic");
	case VPC_TYPE_VPCI:
		return ("vpci");
	case VPC_TYPE_ETHLINK:
		return ("ethlink");
	case VPC_TYPE_VPCLINK:
		return ("vpclink");
	case VPC_TYPE_SWITCH:
		return ("vpcsw");
	case VPC_TYPE_PORT:
		return ("vpcp");
	default:
		return (NULL);
	}
}

/* What the interface of an object of 'type' is (VPC_IFK_*), 0: none. */
int
vpc_if_kind(uint32_t type)
{
	switch (type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		return (VPC_IFK_NIC);
	case VPC_TYPE_ETHLINK:
		return (VPC_IFK_ETHLINK);
	case VPC_TYPE_SWITCH:
	case VPC_TYPE_PORT:
	case VPC_TYPE_VPCLINK:
		return (VPC_IFK_HANDLE);
	default:
		return (0);
	}
}

/*
 * Allocate the device and ifnet of a future object of 'type' in 'vv', as
 * unit 'unit' (given by the cloner) or, with -1, a free unit of the
 * type's cloner.  Sleeps; nothing is visible until vpc_if_attach().
 */
int
vpc_if_prep(struct vpc_vnet *vv, uint32_t type, int unit,
    struct vpc_dev **devp)
{
	struct vpc_dev *dev;
	struct if_clone *ifc;
	if_t ifp;
	int error;

	*devp = NULL;
	if (vpc_if_prefix(type) == NULL || vpc_if_kind(type) == 0)
		return (EINVAL);
	ifc = vv->vv_cloner[type];
	dev = malloc(sizeof(*dev), M_VPC, M_WAITOK | M_ZERO);
	dev->vd_vv = vv;
	dev->vd_type = type;
	dev->vd_kind = vpc_if_kind(type);
	dev->vd_nic = dev->vd_kind == VPC_IFK_NIC;
	dev->vd_ether = dev->vd_kind != VPC_IFK_HANDLE;
	dev->vd_cloned = unit >= 0;
	if (unit < 0) {
		/* A unit of the cloner, so that names never collide. */
		if (ifc == NULL) {
			free(dev, M_VPC);
			return (ENXIO);
		}
		unit = -1;
		if ((error = ifc_alloc_unit(ifc, &unit)) != 0) {
			free(dev, M_VPC);
			return (error);
		}
	}
	dev->vd_unit = unit;
	dev->vd_state = VPC_DEV_PREP;
	dev->vd_queues = 1;
	mtx_init(&dev->vd_mtx, "vpc dev", NULL, MTX_DEF);
	mbufq_init(&dev->vd_rxq, VPC_RXQ_LEN);
	TASK_INIT(&dev->vd_rxtask, 0, vpc_if_rxtask, dev);
	TASK_INIT(&dev->vd_mactask, 0, vpc_if_mactask, dev);

	CURVNET_SET(vv->vv_vnet);
	ifp = if_alloc(dev->vd_ether ? IFT_ETHER : IFT_OTHER);
	CURVNET_RESTORE();
	dev->vd_ifp = ifp;
	if_initname(ifp, vpc_if_prefix(type), unit);
	if_setsoftc(ifp, dev);
	if_setioctlfn(ifp, vpc_if_ioctl);
	if_setinitfn(ifp, vpc_if_init);
	if_setqflushfn(ifp, vpc_if_qflush);
	if (dev->vd_ether) {
		if_settransmitfn(ifp, vpc_if_transmit);
		if_setflags(ifp, IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST);
		if_setcapabilities(ifp, IFCAP_VLAN_MTU);
		if_setcapenable(ifp, IFCAP_VLAN_MTU);
	} else {
		if_settransmitfn(ifp, vpc_if_notransmit);
		if_setflags(ifp, IFF_NOARP);
	}
	*devp = dev;
	return (0);
}

/* Free a device vpc_if_prep() made and no object took. */
void
vpc_if_unprep(struct vpc_dev *dev)
{
	vpc_if_free(dev, false);
}

/*
 * Attach the ifnet of a device the core took, and link it to its cloner
 * (unless the cloner made it and links it itself).  If the core destroyed
 * the object meanwhile, free the device instead.  Sleeps.
 */
void
vpc_if_attach(struct vpc_dev *dev)
{
	struct if_clone *ifc;
	if_t ifp = dev->vd_ifp;
	uint8_t mac[ETHER_ADDR_LEN];
	uint32_t mtu;

	mtx_assert(&dev->vd_mtx, MA_NOTOWNED);
	WITNESS_WARN(WARN_GIANTOK | WARN_SLEEPOK, NULL, "vpc_if_attach");
	mtx_lock(&dev->vd_mtx);
	if (dev->vd_state == VPC_DEV_DEAD) {
		mtx_unlock(&dev->vd_mtx);
		vpc_if_free(dev, false);
		return;
	}
	bcopy(dev->vd_mac, mac, sizeof(mac));
	dev->vd_mac_dirty = false;
	mtu = dev->vd_mtu;
	mtx_unlock(&dev->vd_mtx);

	vpc_if_describe(dev);
	CURVNET_SET(dev->vd_vv->vv_vnet);
	if (dev->vd_ether) {
		ether_ifattach(ifp, mac);	/* bpf too */
		if_setmtu(ifp, mtu);		/* ether_ifattach set 1500 */
	} else
		if_attach(ifp);
	ifc = dev->vd_vv->vv_cloner[dev->vd_type];
	if (!dev->vd_cloned && ifc != NULL)
		ifc_link_ifp(ifc, ifp);
	CURVNET_RESTORE();

	mtx_lock(&dev->vd_mtx);
	if (dev->vd_state == VPC_DEV_DEAD) {
		/* Destroyed while attaching: vpc_if_destroy() left it to us. */
		mtx_unlock(&dev->vd_mtx);
		vpc_if_free(dev, true);
		return;
	}
	dev->vd_state = VPC_DEV_LIVE;
	if (dev->vd_mac_dirty)		/* set while attaching */
		taskqueue_enqueue(taskqueue_thread, &dev->vd_mactask);
	mtx_unlock(&dev->vd_mtx);
}

/*
 * Give the interface of 'dev' the description "vpc UUID", so that
 * `ifconfig` tells which object an interface is (objects made through
 * vpc_open(2) get the next free unit, not a name of their own).  Sleeps.
 */
static void
vpc_if_describe(struct vpc_dev *dev)
{
	const uint8_t *b = dev->vd_id.vi_bytes;
	char *descr;

	descr = if_allocdescr(VPC_IF_DESCRLEN, M_WAITOK);
	snprintf(descr, VPC_IF_DESCRLEN, "vpc %4D-%2D-%2D-%2D-%6D",
	    b, "", b + 4, "", b + 6, "", b + 8, "", b + 10, "");
	if_setdescr(dev->vd_ifp, descr);	/* the ifnet owns it */
}

/*
 * ho_destroy: the object is gone.  A device still being attached is
 * marked dead and freed by its attacher; a live one is detached and
 * freed here.  Sleeps.
 */
void
vpc_if_destroy(struct vpc_dev *dev)
{
	int old;

	mtx_lock(&dev->vd_mtx);
	old = dev->vd_state;
	dev->vd_state = VPC_DEV_DEAD;
	mtx_unlock(&dev->vd_mtx);
	if (old == VPC_DEV_LIVE)
		vpc_if_free(dev, true);
}

/*
 * Detach (if 'attached') and free 'dev' with its ifnet, unit and socket.
 * The unit goes back to the cloner when we unlink the ifnet from it, or
 * when it was never linked and the cloner did not allocate it; otherwise
 * the cloner is destroying the ifnet and frees the unit itself.
 */
static void
vpc_if_free(struct vpc_dev *dev, bool attached)
{
	struct if_clone *ifc;
	if_t ifp = dev->vd_ifp;
	bool free_unit;

	mtx_assert(&dev->vd_mtx, MA_NOTOWNED);
	WITNESS_WARN(WARN_GIANTOK | WARN_SLEEPOK, NULL, "vpc_if_free");
	ifc = dev->vd_vv->vv_cloner[dev->vd_type];
	if (attached) {
		/* Wherever the interface is now (a jail's vnet, maybe). */
		CURVNET_SET(if_getvnet(ifp));
		free_unit = ifc != NULL && ifc_unlink_ifp(ifc, ifp);
		if_setdrvflagbits(ifp, 0, IFF_DRV_RUNNING);
		if (dev->vd_ether)
			ether_ifdetach(ifp);
		else
			if_detach(ifp);
		CURVNET_RESTORE();
		/* No transmit from before the detach is still running. */
		NET_EPOCH_WAIT();
	} else
		free_unit = !dev->vd_cloned;
	taskqueue_drain(vpc_fbsd_rxtq(), &dev->vd_rxtask);
	taskqueue_drain(taskqueue_thread, &dev->vd_mactask);
	mbufq_drain(&dev->vd_rxq);
	if (dev->vd_sock != NULL)
		vpc_vl_sock_free(dev->vd_sock);
	if_free(ifp);
	if (free_unit && ifc != NULL)
		ifc_free_unit(ifc, dev->vd_unit);
	mtx_destroy(&dev->vd_mtx);
	free(dev, M_VPC);
}

/*
 * Make the first min(VPC_PKT_PULLUP, length) bytes of 'm' contiguous and
 * writable (the core edits headers in place: VLAN strip, ARP replies).
 * A read-only head (a TCP segment sharing the socket buffer's clusters)
 * gets a new mbuf with a copy of those bytes; the rest stays shared.
 * Returns the chain, or NULL with 'm' freed.
 */
static struct mbuf *
vpc_if_writable_head(struct mbuf *m)
{
	int need;

	need = min(m->m_pkthdr.len, VPC_PKT_PULLUP);
	if (!M_WRITABLE(m))
		return (m_copyup(m, need, ETHER_ALIGN));
	if (m->m_len < need)
		return (m_pullup(m, need));
	return (m);
}

/*
 * if_transmit of a vmnic or vpci (a frame from the host stack or from a
 * netmap client) or of an ethlink (a frame if_bridge forwards to it):
 * the frame enters the switch.
 */
static int
vpc_if_transmit(if_t ifp, struct mbuf *m)
{
	struct epoch_tracker et;
	struct vpc_dev *dev;
	struct vpc_pkt pkt;
	int len;

	dev = if_getsoftc(ifp);
	ETHER_BPF_MTAP(ifp, m);
	if (vpc_load_relaxed(&dev->vd_state) != VPC_DEV_LIVE ||
	    (if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_OERRORS, 1);
		return (ENETDOWN);
	}
	if ((m->m_flags & M_VLANTAG) != 0) {
		/* Not offered (no IFCAP_VLAN_HWTAGGING), but be safe. */
		m = ether_vlanencap(m, m->m_pkthdr.ether_vtag);
		if (m == NULL)
			goto nobufs;
		m->m_flags &= ~M_VLANTAG;
	}
	len = m->m_pkthdr.len;
	if ((m = vpc_if_writable_head(m)) == NULL)
		goto nobufs;
	/* A view of the mbuf's first segment: no copy. */
	vpc_pkt_init(&pkt, mtod(m, uint8_t *), (uint32_t)m->m_len,
	    (uint32_t)m->m_pkthdr.len, (uint32_t)M_LEADINGSPACE(m), m);
	NET_EPOCH_ENTER(et);
	if (dev->vd_nic)
		vpc_input_nic((struct vpc_nic *)(void *)dev->vd_obj, &pkt);
	else
		vpc_input_ethlink((struct vpc_ethlink *)(void *)dev->vd_obj,
		    &pkt);
	NET_EPOCH_EXIT(et);
	/* Not consumed by an output (dropped, or sent only as copies). */
	if (pkt.p_os != NULL)
		m_freem(pkt.p_os);
	if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
	if_inc_counter(ifp, IFCOUNTER_OBYTES, len);
	return (0);
nobufs:
	if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
	return (ENOBUFS);
}

/* if_transmit of a management handle: it carries no frames. */
static int
vpc_if_notransmit(if_t ifp, struct mbuf *m)
{
	m_freem(m);
	if_inc_counter(ifp, IFCOUNTER_OERRORS, 1);
	return (EOPNOTSUPP);
}

/* Nothing is queued on the transmit side. */
static void
vpc_if_qflush(if_t ifp __unused)
{
}

/* if_init: mark the interface running. */
static void
vpc_if_init(void *arg)
{
	struct vpc_dev *dev = arg;

	if_setdrvflagbits(dev->vd_ifp, IFF_DRV_RUNNING, 0);
}

/*
 * if_ioctl.  The MTU of a vmnic, vpci or ethlink belongs to the core:
 * `ifconfig mtu` is sent to it as VPC_OP_MTU_SET (same range and errors
 * as vpc_ctl(2)).  The core applies a NIC's through ho_set; an ethlink's
 * it only records, so it is applied here (if_bridge(4) wants its
 * members' MTUs equal).  Capabilities: only those offered (if_bridge
 * sets its members').  A management handle takes no addresses.
 */
static int
vpc_if_ioctl(if_t ifp, u_long cmd, caddr_t data)
{
	struct vpc_dev *dev = if_getsoftc(ifp);
	struct ifreq *ifr = (struct ifreq *)data;
	uint32_t mtu;
	int error;

	switch (cmd) {
	case SIOCSIFFLAGS:
		if ((if_getflags(ifp) & IFF_UP) != 0)
			if_setdrvflagbits(ifp, IFF_DRV_RUNNING, 0);
		else
			if_setdrvflagbits(ifp, 0, IFF_DRV_RUNNING);
		return (0);
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		return (dev->vd_ether ? 0 : EOPNOTSUPP);
	case SIOCSIFMTU:
		if (!dev->vd_ether)
			return (EOPNOTSUPP);
		if (ifr->ifr_mtu < 0)
			return (EINVAL);
		mtu = (uint32_t)ifr->ifr_mtu;
		error = vpc_vnet_obj_op(dev->vd_vv, &dev->vd_id,
		    dev->vd_type, VPC_OP_MTU_SET, &mtu, sizeof(mtu));
		if (error == 0 && !dev->vd_nic)
			vpc_if_setmtu(dev, mtu);
		return (error);
	case SIOCSIFCAP:
		if (!dev->vd_ether)
			return (EOPNOTSUPP);
		if ((ifr->ifr_reqcap & ~if_getcapabilities(ifp)) != 0)
			return (EINVAL);
		if_setcapenable(ifp, ifr->ifr_reqcap);
		return (0);
	default:
		if (!dev->vd_ether)
			return (EOPNOTSUPP);
		return (ether_ioctl(ifp, cmd, data));
	}
}

/*
 * The mbuf of view 'pkt' as the view now is (the core may have pulled a
 * VLAN tag or edited the headers in place): the frame's own mbuf when
 * 'last' (the view no longer owns it), else a copy sharing its clusters.
 * NULL if no mbuf can be had.  In the net epoch.
 */
struct mbuf *
vpc_if_mbuf(struct vpc_pkt *pkt, bool last)
{
	struct mbuf *m;
	ptrdiff_t off;

	NET_EPOCH_ASSERT();
	m = pkt->p_os;
	if (m == NULL)
		return (NULL);		/* every kernel frame is an mbuf */
	off = pkt->p_data - mtod(m, uint8_t *);
	if (off > 0)
		m_adj(m, (int)off);
	else if (off < 0) {
		/* Pushed into the head room the view was given. */
		if (-off > M_LEADINGSPACE(m))
			return (NULL);
		m->m_data += off;
		m->m_len -= (int)off;
		m->m_pkthdr.len -= (int)off;
	}
	KASSERT(m->m_pkthdr.len == (int)pkt->p_totlen,
	    ("vpc: view and mbuf lengths differ"));
	if (!last)
		return (m_copypacket(m, M_NOWAIT));
	pkt->p_os = NULL;		/* consumed */
	return (m);
}

/*
 * ho_output of a vmnic, vpci or ethlink: the switch sends a frame to the
 * interface, which receives it (the host stack or a netmap client of a
 * NIC; the if_bridge(4) an ethlink is a member of), tagged with
 * tx_vlan.  Queued for the receive task: the core never re-enters itself.
 */
int
vpc_if_output(struct vpc_dev *dev, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	if_t ifp = dev->vd_ifp;
	struct mbuf *m;
	int error;

	NET_EPOCH_ASSERT();
	if (vpc_load_relaxed(&dev->vd_state) != VPC_DEV_LIVE ||
	    (if_getdrvflags(ifp) & IFF_DRV_RUNNING) == 0)
		return (ENETDOWN);
	if ((m = vpc_if_mbuf(pkt, tx->tx_last != 0)) == NULL)
		goto nobufs;
	if (tx->tx_vlan != 0 &&
	    (m = ether_vlanencap(m, tx->tx_vlan)) == NULL)
		goto nobufs;
	m->m_pkthdr.rcvif = ifp;
	m->m_pkthdr.csum_flags = 0;	/* to be checked in software */
	m->m_flags &= ~(M_VLANTAG | M_BCAST | M_MCAST | M_PROMISC);
	M_HASHTYPE_CLEAR(m);
	m->m_nextpkt = NULL;
	mtx_lock(&dev->vd_mtx);
	error = dev->vd_state == VPC_DEV_LIVE ?
	    mbufq_enqueue(&dev->vd_rxq, m) : ENETDOWN;
	mtx_unlock(&dev->vd_mtx);
	if (error != 0) {
		m_freem(m);
		if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
		return (error);
	}
	taskqueue_enqueue(vpc_fbsd_rxtq(), &dev->vd_rxtask);
	return (0);
nobufs:
	if_inc_counter(ifp, IFCOUNTER_IQDROPS, 1);
	return (ENOBUFS);
}

/* Hand the queued frames to if_input, in the ifnet's vnet and the epoch. */
static void
vpc_if_rxtask(void *arg, int pending __unused)
{
	struct epoch_tracker et;
	struct vpc_dev *dev = arg;
	if_t ifp = dev->vd_ifp;
	struct mbuf *m, *n;

	CURVNET_SET(if_getvnet(ifp));
	NET_EPOCH_ENTER(et);
	for (;;) {
		mtx_lock(&dev->vd_mtx);
		m = mbufq_flush(&dev->vd_rxq);
		mtx_unlock(&dev->vd_mtx);
		if (m == NULL)
			break;
		for (; m != NULL; m = n) {
			n = m->m_nextpkt;
			m->m_nextpkt = NULL;
			if_inc_counter(ifp, IFCOUNTER_IPACKETS, 1);
			if_input(ifp, m);
		}
	}
	NET_EPOCH_EXIT(et);
	CURVNET_RESTORE();
}

/* Apply the MAC the core set (if_setlladdr may sleep: not under locks). */
static void
vpc_if_mactask(void *arg, int pending __unused)
{
	struct vpc_dev *dev = arg;
	uint8_t mac[ETHER_ADDR_LEN];
	int error;

	mtx_lock(&dev->vd_mtx);
	if (dev->vd_state != VPC_DEV_LIVE || !dev->vd_mac_dirty) {
		mtx_unlock(&dev->vd_mtx);
		return;
	}
	bcopy(dev->vd_mac, mac, sizeof(mac));
	dev->vd_mac_dirty = false;
	mtx_unlock(&dev->vd_mtx);
	CURVNET_SET(if_getvnet(dev->vd_ifp));
	error = if_setlladdr(dev->vd_ifp, mac, ETHER_ADDR_LEN);
	CURVNET_RESTORE();
	if (error != 0)
		if_printf(dev->vd_ifp, "cannot set the MAC vpc chose: %d\n",
		    error);
}

/* Record MTU 'mtu' for 'dev' and apply it to a live interface. */
static void
vpc_if_setmtu(struct vpc_dev *dev, uint32_t mtu)
{
	mtx_lock(&dev->vd_mtx);
	dev->vd_mtu = mtu;
	if (dev->vd_state == VPC_DEV_LIVE)
		if_setmtu(dev->vd_ifp, (int)mtu);	/* a store */
	mtx_unlock(&dev->vd_mtx);
}

/*
 * VPC_OP_ETHLINK_ATTACH of ethlink 'dev' to interface 'name': the
 * interface the operator bridges the ethlink with.  The kernel does not
 * join them (if_bridge(4) is configured with ifconfig); it checks that
 * 'name' is an Ethernet interface other than the ethlink, in the vnet
 * the ethlink's interface is in: ENXIO if there is none, EINVAL if it is
 * of another kind.  The object's lock is held: ifunit_ref() and if_rele()
 * do not sleep.
 */
static int
vpc_if_el_check(struct vpc_dev *dev, const char *name)
{
	if_t ifp;
	int error;

	CURVNET_SET(if_getvnet(dev->vd_ifp));
	ifp = ifunit_ref(name);
	CURVNET_RESTORE();
	if (ifp == NULL)
		return (ENXIO);
	if (ifp == dev->vd_ifp)
		error = EINVAL;		/* bridged with itself? */
	else if (if_gettype(ifp) != IFT_ETHER && if_gettype(ifp) != IFT_L2VLAN)
		error = EINVAL;		/* if_bridge takes Ethernet only */
	else
		error = 0;
	if_rele(ifp);
	return (error);
}

/*
 * ho_set for every device: attribute 'a' = 'val' ('len' bytes).  The
 * object's lock is held: nothing here sleeps.  A new MAC is applied to
 * the ifnet by a task, shortly after the op returns.
 */
int
vpc_if_set(struct vpc_dev *dev, enum vpc_attr a, const void *val,
    size_t len)
{
	const struct vpc_ifname *n;
	uint32_t v;

	switch (a) {
	case VPC_ATTR_MAC:
		if (!dev->vd_ether || len != ETHER_ADDR_LEN)
			return (EINVAL);
		mtx_lock(&dev->vd_mtx);
		bcopy(val, dev->vd_mac, ETHER_ADDR_LEN);
		dev->vd_mac_dirty = true;
		if (dev->vd_state == VPC_DEV_LIVE)
			taskqueue_enqueue(taskqueue_thread, &dev->vd_mactask);
		mtx_unlock(&dev->vd_mtx);
		return (0);
	case VPC_ATTR_MTU:
		if (!dev->vd_ether || len != sizeof(v))
			return (EINVAL);
		bcopy(val, &v, sizeof(v));
		vpc_if_setmtu(dev, v);
		return (0);
	case VPC_ATTR_QUEUES:
		/* Recorded: the ifnet has one transmit path per CPU. */
		if (!dev->vd_nic || len != sizeof(v))
			return (EINVAL);
		bcopy(val, &v, sizeof(v));
		vpc_store_relaxed(&dev->vd_queues, v);
		return (0);
	case VPC_ATTR_IFNAME:
		/* ethlink attach: the interface it is bridged with. */
		if (dev->vd_kind != VPC_IFK_ETHLINK || len != sizeof(*n))
			return (EINVAL);
		n = val;
		if (n->vn_name[0] == '\0')
			return (0);		/* detach */
		return (vpc_if_el_check(dev, n->vn_name));
	default:
		return (EINVAL);
	}
}

/* ho_get for every device: attribute 'a' into 'val' ('len' bytes). */
int
vpc_if_get(struct vpc_dev *dev, enum vpc_attr a, void *val, size_t len)
{
	struct vpc_ifname *n;

	switch (a) {
	case VPC_ATTR_IFNAME:
		if (len != sizeof(*n))
			return (EINVAL);
		n = val;
		bzero(n, sizeof(*n));
		strlcpy(n->vn_name, if_name(dev->vd_ifp), sizeof(n->vn_name));
		return (0);
	default:
		return (ENXIO);
	}
}
