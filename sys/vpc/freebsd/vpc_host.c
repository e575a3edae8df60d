/*
 * vpc_host.c: the core's host operations (struct vpc_host_ops) for the
 * kernel, and the preparation of the operations that may sleep.
 *
 * The core calls ho_create with its registry lock held and ho_set with an
 * object's lock held, both mtx(9) mutexes.  Making an ifnet or a socket
 * sleeps, so vpc_prep_open() (before vpc_desc_open) and vpc_syscall.c
 * (before a VPCLINK_LOCAL_SET) prepare the resource under the vnet's
 * vv_create_sx and publish it in vv_prep; the host operation takes it
 * without sleeping; vpc_prep_finish() attaches what was taken and frees
 * what was not (or what it replaced).  ho_destroy runs without locks,
 * after the core waited for the epoch, and sleeps.
 *
 * Every type but mgmt has a device (the core calls ho_create and
 * ho_destroy for all of them): vmnic, vpci and ethlink are Ethernet
 * ifnets that carry frames; switch, port and vpclink ifnets are
 * management handles (a vpclink also has a UDP socket).  See vpc_if.c.
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
#include <sys/sx.h>
#include <sys/taskqueue.h>

#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

static int	vpc_ho_create(void *host, struct vpc_obj *o, void **devp);
static void	vpc_ho_destroy(void *host, struct vpc_obj *o, void *dev);
static int	vpc_ho_set(void *host, struct vpc_obj *o, enum vpc_attr a,
		    const void *val, size_t len);
static int	vpc_ho_get(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
static int	vpc_ho_output(void *host, struct vpc_obj *o,
		    struct vpc_pkt *pkt, const struct vpc_txinfo *tx);

/* What each vnet gives vpc_registry_create(). */
const struct vpc_host_ops vpc_fbsd_host_ops = {
	.ho_create = vpc_ho_create,
	.ho_destroy = vpc_ho_destroy,
	.ho_set = vpc_ho_set,
	.ho_get = vpc_ho_get,
	.ho_output = vpc_ho_output,
};

/* True if objects of 'type' have a host device here. */
bool
vpc_host_has_dev(uint32_t type)
{
	return (vpc_if_kind(type) != 0);
}

/*
 * Before vpc_desc_open(): if the call may create an object of 'type'
 * with a device, and 'cred' may create, take the vnet's creation lock and
 * prepare the device in 'pr' (published in vv_prep).  Returns 0 with the
 * lock held whenever pr->pr_type != 0; vpc_prep_finish() releases it.
 * 'unit' -1 picks a free unit.
 */
int
vpc_prep_open(struct vpc_vnet *vv, uint32_t type, vpc_flags_t flags,
    const struct vpc_cred *cred, struct vpc_prep *pr)
{
	int error;

	bzero(pr, sizeof(*pr));
	if ((flags & VPC_F_CREATE) == 0 || !vpc_host_has_dev(type) ||
	    cred->vc_priv == 0)
		return (0);	/* the core decides alone (or refuses) */
	sx_xlock(&vv->vv_create_sx);
	error = vpc_if_prep(vv, type, -1, &pr->pr_dev);
	if (error != 0) {
		sx_xunlock(&vv->vv_create_sx);
		return (error);
	}
	pr->pr_type = type;
	vv->vv_prep = pr;
	return (0);
}

/*
 * After the core call prepared by vpc_prep_open() or vpc_syscall.c:
 * attach the device the core took, free what it did not take (or the
 * socket it replaced), and release the creation lock.
 */
void
vpc_prep_finish(struct vpc_vnet *vv, struct vpc_prep *pr)
{
	struct vpc_dev *dev;

	if (pr->pr_type == 0)
		return;
	sx_assert(&vv->vv_create_sx, SA_XLOCKED);
	vv->vv_prep = NULL;
	sx_xunlock(&vv->vv_create_sx);
	/* What remains is this thread's alone. */
	if (pr->pr_sock != NULL)
		vpc_vl_sock_free(pr->pr_sock);
	pr->pr_sock = NULL;
	if (pr->pr_attr != 0)
		return;
	if ((dev = pr->pr_dev) != NULL) {
		vpc_if_unprep(dev);	/* not created: nothing to attach */
		pr->pr_dev = NULL;
	}
	if ((dev = pr->pr_taken) != NULL) {
		pr->pr_taken = NULL;
		vpc_if_attach(dev);	/* or frees it if already destroyed */
	}
}

/*
 * ho_create: take the device prepared for this creation.  Registry lock
 * held: no sleeping.  ENXIO if nothing was prepared (a creation that did
 * not come through vpc_prep_open()).
 */
static int
vpc_ho_create(void *host, struct vpc_obj *o, void **devp)
{
	struct vpc_vnet *vv = host;
	struct vpc_prep *pr;
	struct vpc_dev *dev;

	*devp = NULL;
	if (!vpc_host_has_dev(o->o_type))
		return (0);
	pr = vv->vv_prep;
	if (pr == NULL || !sx_xlocked(&vv->vv_create_sx) ||
	    pr->pr_attr != 0 || pr->pr_type != o->o_type ||
	    pr->pr_dev == NULL)
		return (ENXIO);
	dev = pr->pr_dev;
	pr->pr_dev = NULL;
	pr->pr_taken = dev;	/* the object owns it; attached after */
	dev->vd_obj = o;
	dev->vd_id = o->o_id;
	bcopy(o->o_mac, dev->vd_mac, sizeof(dev->vd_mac));
	dev->vd_mtu = o->o_mtu;
	*devp = dev;
	return (0);
}

/*
 * ho_destroy: the object was unlinked and no reader is left in its
 * output; detach and free the device (sleeps).
 */
static void
vpc_ho_destroy(void *host __unused, struct vpc_obj *o __unused, void *arg)
{
	struct vpc_dev *dev = arg;

	if (dev != NULL)
		vpc_if_destroy(dev);
}

/*
 * ho_set: apply attribute 'a' to the device of 'o'; the object's lock is
 * held.  VPC_ATTR_LOCAL takes the socket vpc_syscall.c prepared.
 */
static int
vpc_ho_set(void *host, struct vpc_obj *o, enum vpc_attr a, const void *val,
    size_t len)
{
	struct vpc_vnet *vv = host;
	struct vpc_dev *dev = o->o_dev;
	struct vpc_prep *pr;
	struct vpc_vl_sock *old;

	if (dev == NULL)
		return (0);	/* the core's copy is all there is */
	if (a != VPC_ATTR_LOCAL)
		return (vpc_if_set(dev, a, val, len));
	if (o->o_type != VPC_TYPE_VPCLINK)
		return (EINVAL);
	pr = vv->vv_prep;
	if (pr == NULL || !sx_xlocked(&vv->vv_create_sx) ||
	    pr->pr_attr != VPC_ATTR_LOCAL)
		return (ENXIO);
	if (pr->pr_error != 0)
		return (pr->pr_error);	/* the bind failed */
	if (pr->pr_sock == NULL)
		return (ENXIO);
	/* Swap: the new socket delivers to 'o'; the old one is freed later. */
	mtx_lock(&dev->vd_mtx);
	old = dev->vd_sock;
	vpc_store_rel_ptr(&dev->vd_sock, pr->pr_sock);
	mtx_unlock(&dev->vd_mtx);
	vpc_vl_sock_start(pr->pr_sock, o);
	pr->pr_sock = old;
	return (0);
}

/* ho_get: read attribute 'a' of the device of 'o'. */
static int
vpc_ho_get(void *host __unused, struct vpc_obj *o, enum vpc_attr a,
    void *val, size_t len)
{
	struct vpc_dev *dev = o->o_dev;
	struct vpc_vl_sock *s;
	uint32_t mtu;

	if (dev == NULL)
		return (ENXIO);
	if (a != VPC_ATTR_UNDERLAY_MTU)
		return (vpc_if_get(dev, a, val, len));
	if (o->o_type != VPC_TYPE_VPCLINK || len != sizeof(mtu))
		return (EINVAL);
	s = vpc_load_acq_ptr(&dev->vd_sock);
	if (s == NULL)
		return (ENOTCONN);
	if ((mtu = vpc_vl_underlay_mtu(s)) == 0)
		return (ENXIO);		/* no interface owns the address */
	bcopy(&mtu, val, sizeof(mtu));
	return (0);
}

/*
 * ho_output: send 'pkt' out of 'o' as 'tx' says (in the net epoch, maybe
 * several times per frame; the mbuf may be consumed only when tx_last).
 */
static int
vpc_ho_output(void *host __unused, struct vpc_obj *o, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpc_dev *dev = o->o_dev;
	struct vpc_vl_sock *s;

	if (dev == NULL)
		return (ENXIO);
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
	case VPC_TYPE_ETHLINK:
		if (tx->tx_encap != 0)
			return (EINVAL);
		return (vpc_if_output(dev, pkt, tx));
	case VPC_TYPE_VPCLINK:
		if (tx->tx_encap == 0)
			return (EINVAL);
		s = vpc_load_acq_ptr(&dev->vd_sock);
		if (s == NULL)
			return (ENOTCONN);
		return (vpc_vl_output(s, pkt, tx));
	default:
		/* Switches and ports: the core never sends out of them. */
		return (EOPNOTSUPP);
	}
}
