/*
 * vpc_cloner.c: `ifconfig vmnic create` and friends.
 *
 * One interface cloner per object type but mgmt (vpcsw, vpcp, vmnic,
 * vpci, ethlink, vpclink) in every vnet, attached with ifc_attach_cloner()
 * (the same KPI on FreeBSD 14 and 15) with IFC_F_AUTOUNIT, so that
 * "vmnic" picks a unit and "vmnic5" asks for one.  The cloner and
 * vpc_open(2) share the unit numbers (vpc_if.c allocates units of
 * objects created through vpc_open from the cloner), and every such
 * interface is linked to its cloner, so `ifconfig vmnic0 destroy` works
 * whichever way the object was made.
 *
 * create: a new object with a random (version 4) UUID is created and
 * committed in the vnet's registry, exactly as vpc_open(2) with CREATE
 * and VPC_OP_COMMIT would; `vpcctl` finds it with the management ops.
 * destroy: VPC_OP_DESTROY on the object, refused as vpc_ctl(2) refuses
 * it (EBUSY for a switch with ports, a port in a switch or connected, a
 * NIC or link a port is connected to); the core then destroys the device
 * and the interface.  A switch's or port's interface is a management
 * handle that carries no frames (vpcsw.4, vpcp.4).
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
#include <net/if_clone.h>
#include <net/vnet.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

static int	vpc_clone_create(struct if_clone *ifc, char *name,
		    size_t maxlen, struct ifc_data *ifd, if_t *ifpp);
static int	vpc_clone_destroy(struct if_clone *ifc, if_t ifp,
		    uint32_t flags);

static const uint32_t vpc_clone_types[] = {
	VPC_TYPE_SWITCH, VPC_TYPE_PORT, VPC_TYPE_VMNIC, VPC_TYPE_VPCI,
	VPC_TYPE_ETHLINK, VPC_TYPE_VPCLINK
};

/*
 * Create an object of the cloner's type as interface 'name' (unit
 * ifd->unit, chosen by the framework) and return its ifnet in '*ifpp'.
 */
static int
vpc_clone_create(struct if_clone *ifc, char *name __unused,
    size_t maxlen __unused, struct ifc_data *ifd, if_t *ifpp)
{
	struct vpc_vnet *vv;
	struct vpc_prep pr;
	struct vpc_cred cred;
	struct vpc_desc *d;
	struct vpc_dev *dev;
	vpc_id_t id;
	uint32_t type;
	size_t outn;
	u_int i;
	int error;

	*ifpp = NULL;
	if ((vv = vpc_vnet_get()) == NULL)
		return (ENXIO);
	type = 0;
	for (i = 0; i < nitems(vpc_clone_types); i++)
		if (vv->vv_cloner[vpc_clone_types[i]] == ifc)
			type = vpc_clone_types[i];
	if (type == 0)
		return (ENXIO);
	if (ifd->params != NULL)
		return (EINVAL);	/* no creation parameters */
	/* A random UUID: version 4, RFC 4122 variant, never nil. */
	arc4random_buf(&id, sizeof(id));
	id.vi_bytes[6] = (id.vi_bytes[6] & 0x0f) | 0x40;
	id.vi_bytes[8] = (id.vi_bytes[8] & 0x3f) | 0x80;
	bzero(&cred, sizeof(cred));
	cred.vc_priv = 1;	/* ifconfig checked PRIV_NET_IFCREATE */

	sx_xlock(&vv->vv_create_sx);
	bzero(&pr, sizeof(pr));
	error = vpc_if_prep(vv, type, (int)ifd->unit, &pr.pr_dev);
	if (error != 0) {
		sx_xunlock(&vv->vv_create_sx);
		return (error);
	}
	pr.pr_type = type;
	vv->vv_prep = &pr;
	error = vpc_desc_open(vv->vv_reg, &id, type,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE, &cred, &d);
	dev = pr.pr_taken;
	/* Attaches the ifnet the core took; unlocks. */
	vpc_prep_finish(vv, &pr);
	if (error != 0)
		return (error);
	*ifpp = dev->vd_ifp;
	outn = 0;
	error = vpc_desc_ctl(d, VPC_OP_COMMIT, NULL, 0, NULL, &outn, &cred);
	/* Uncommitted (the commit failed): closing tears it down. */
	vpc_desc_close(d);
	if (error != 0)
		*ifpp = NULL;
	return (error);
}

/* `ifconfig NAME destroy`: destroy the object whose interface 'ifp' is. */
static int
vpc_clone_destroy(struct if_clone *ifc __unused, if_t ifp,
    uint32_t flags __unused)
{
	struct vpc_dev *dev = if_getsoftc(ifp);

	return (vpc_vnet_obj_op(dev->vd_vv, &dev->vd_id, dev->vd_type,
	    VPC_OP_DESTROY, NULL, 0));
}

/* Attach the cloners of 'vv' (in its vnet). */
int
vpc_cloner_attach(struct vpc_vnet *vv)
{
	struct if_clone_addreq req;
	struct if_clone *ifc;
	uint32_t type;
	u_int i;
	int error;

	error = 0;
	for (i = 0; i < nitems(vpc_clone_types); i++) {
		type = vpc_clone_types[i];
		bzero(&req, sizeof(req));
		req.flags = IFC_F_AUTOUNIT;
		req.create_f = vpc_clone_create;
		req.destroy_f = vpc_clone_destroy;
		ifc = ifc_attach_cloner(vpc_if_prefix(type), &req);
		if (ifc == NULL)
			error = EEXIST;	/* the name is taken */
		vv->vv_cloner[type] = ifc;
	}
	return (error);
}

/*
 * Detach the cloners of 'vv'.  Its registry was destroyed first, so no
 * interface is left on their lists.
 */
void
vpc_cloner_detach(struct vpc_vnet *vv)
{
	u_int i;

	for (i = 0; i < nitems(vpc_clone_types); i++) {
		if (vv->vv_cloner[vpc_clone_types[i]] != NULL)
			ifc_detach_cloner(vv->vv_cloner[vpc_clone_types[i]]);
		vv->vv_cloner[vpc_clone_types[i]] = NULL;
	}
}
