/*
 * vpc_ctl_link.c: handlers of the ethlink ops (host interface, VLAN of
 * untagged ports) and the vpclink ops (local underlay address, derived
 * MTU, forwarding entries).
 */

#include "vpc_obj.h"

/* A cursor for filling a list output from vpc_htab_foreach(). */
struct vpc_fill {
	uint8_t		*f_p;		/* next entry */
};

static int	vpc_fwd_check(const struct vpc_fwd *f, bool del);
static int	vpc_fill_fwd(struct vpc_hentry *e, void *arg);
static uint32_t	vpc_vl_derive(struct vpc_vpclink *vl, uint32_t underlay);

/*
 * ethlink.
 */

/*
 * VPC_OP_ETHLINK_ATTACH: attach to a host interface; "" detaches.  The
 * name must be NUL-terminated; the host first, and if it refuses, the
 * link stays as it was.
 */
int
vpc_ctl_el_attach(struct vpc_ctlreq *r)
{
	struct vpc_ethlink *el = VPC_EL(r->cr_obj);
	struct vpc_ifname in, n;
	size_t len;
	int error;

	vpc_memcpy(&in, r->cr_in, sizeof(in));
	for (len = 0; len < VPC_IFNAMSIZ && in.vn_name[len] != '\0'; len++)
		continue;
	if (len == VPC_IFNAMSIZ)
		return (EINVAL);
	/* The host sees the name with zeros after the NUL. */
	vpc_memset(&n, 0, sizeof(n));
	vpc_memcpy(n.vn_name, in.vn_name, len);
	vpc_os_mtx_lock(el->el_obj.o_mtx);
	if (vpc_obj_dead(&el->el_obj))
		error = ENXIO;
	else if ((error = vpc_host_set(&el->el_obj, VPC_ATTR_IFNAME, &n,
	    sizeof(n))) == 0)
		vpc_memcpy(el->el_ifname, n.vn_name, VPC_IFNAMSIZ);
	vpc_os_mtx_unlock(el->el_obj.o_mtx);
	return (error);
}

/* VPC_OP_ETHLINK_IFNAME_GET: the attached interface, "" if none. */
int
vpc_ctl_el_ifname_get(struct vpc_ctlreq *r)
{
	struct vpc_ethlink *el = VPC_EL(r->cr_obj);
	struct vpc_ifname n;

	vpc_os_mtx_lock(el->el_obj.o_mtx);
	vpc_memcpy(n.vn_name, el->el_ifname, VPC_IFNAMSIZ);
	vpc_os_mtx_unlock(el->el_obj.o_mtx);
	vpc_memcpy(r->cr_out, &n, sizeof(n));
	return (0);
}

/* VPC_OP_ETHLINK_VLAN_GET. */
int
vpc_ctl_el_vlan_get(struct vpc_ctlreq *r)
{
	vpc_ctl_out32(r, vpc_load_relaxed(&VPC_EL(r->cr_obj)->el_vlan));
	return (0);
}

/* VPC_OP_ETHLINK_VLAN_SET: 0..4094; EBUSY while ports are connected. */
int
vpc_ctl_el_vlan_set(struct vpc_ctlreq *r)
{
	uint32_t vlan;

	vpc_memcpy(&vlan, r->cr_in, sizeof(vlan));
	if (vpc_check_vlan(vlan) != 0)
		return (EINVAL);
	return (vpc_ethlink_vlan_set(VPC_EL(r->cr_obj), vlan));
}

/*
 * vpclink.
 */

/* The link MTU over an underlay of MTU 'underlay' (0: unknown). */
static uint32_t
vpc_vl_derive(struct vpc_vpclink *vl, uint32_t underlay)
{
	uint32_t oh;

	oh = vl->vl_local.vu_addr.va_family == VPC_AF_INET6 ?
	    VPC_VXLAN_OVERHEAD6 : VPC_VXLAN_OVERHEAD4;
	return (underlay > oh ? underlay - oh : 0);
}

/*
 * The MTU of 'vl' in '*mtu': the host's underlay MTU minus the VXLAN
 * overhead of the bound family; ENOTCONN if not bound, ENXIO if the host
 * cannot tell, EIO if its answer is too small to carry anything.
 */
int
vpc_vl_mtu(struct vpc_vpclink *vl, uint32_t *mtu)
{
	struct vpc_obj *o = &vl->vl_obj;
	uint32_t u;
	int error;

	vpc_os_mtx_lock(o->o_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else if (vl->vl_local.vu_addr.va_family == VPC_AF_NONE)
		error = ENOTCONN;
	else if ((error = vpc_host_get(o, VPC_ATTR_UNDERLAY_MTU, &u,
	    sizeof(u))) == 0) {
		if ((*mtu = vpc_vl_derive(vl, u)) == 0)
			error = EIO;
		else
			vpc_store_relaxed(&o->o_mtu, *mtu);
	}
	vpc_os_mtx_unlock(o->o_mtx);
	return (error);
}

/*
 * VPC_OP_VPCLINK_LOCAL_SET: bind to a unicast IPv4 or IPv6 address and a
 * UDP port (0: 4789).  The host binds first; if it refuses, the link
 * keeps its old binding.  Rebinding is allowed.
 */
int
vpc_ctl_vl_local_set(struct vpc_ctlreq *r)
{
	struct vpc_vpclink *vl = VPC_VL(r->cr_obj);
	struct vpc_udpaddr ua;
	uint32_t u;
	int error;

	vpc_memcpy(&ua, r->cr_in, sizeof(ua));
	if (ua.vu_pad != 0 || vpc_check_ipaddr(&ua.vu_addr) != 0)
		return (EINVAL);
	if (ua.vu_port == 0)
		ua.vu_port = VPC_VXLAN_PORT;
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	if (vpc_obj_dead(&vl->vl_obj))
		error = ENXIO;
	else if ((error = vpc_host_set(&vl->vl_obj, VPC_ATTR_LOCAL, &ua,
	    sizeof(ua))) == 0) {
		vl->vl_local = ua;
		if (vpc_host_get(&vl->vl_obj, VPC_ATTR_UNDERLAY_MTU, &u,
		    sizeof(u)) != 0)
			u = 0;
		vpc_store_relaxed(&vl->vl_obj.o_mtu, vpc_vl_derive(vl, u));
	}
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	return (error);
}

/* VPC_OP_VPCLINK_LOCAL_GET: the binding (family NONE if unbound). */
int
vpc_ctl_vl_local_get(struct vpc_ctlreq *r)
{
	struct vpc_vpclink *vl = VPC_VL(r->cr_obj);
	struct vpc_udpaddr ua;

	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	ua = vl->vl_local;
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	vpc_memcpy(r->cr_out, &ua, sizeof(ua));
	return (0);
}

/*
 * A forwarding entry: VNI < 2^24, no flags, a unicast inner MAC and,
 * unless 'del', a unicast remote address.
 */
static int
vpc_fwd_check(const struct vpc_fwd *f, bool del)
{
	if (vpc_check_vni(f->vf_vni) != 0 || f->vf_flags != 0 ||
	    vpc_check_mac(f->vf_mac) != 0)
		return (EINVAL);
	if (!del && vpc_check_ipaddr(&f->vf_remote) != 0)
		return (EINVAL);
	return (0);
}

/* VPC_OP_VPCLINK_FWD_SET: insert or replace a static entry. */
int
vpc_ctl_vl_fwd_set(struct vpc_ctlreq *r)
{
	struct vpc_vpclink *vl = VPC_VL(r->cr_obj);
	struct vpc_fwdent *fw;
	struct vpc_fwd f;
	int error;

	vpc_memcpy(&f, r->cr_in, sizeof(f));
	if ((error = vpc_fwd_check(&f, false)) != 0)
		return (error);
	if ((fw = vpc_fwdent_alloc(f.vf_vni, f.vf_mac, &f.vf_remote, 0)) ==
	    NULL)
		return (ENOMEM);
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	if (vpc_obj_dead(&vl->vl_obj))
		error = ENXIO;
	else if ((error = vpc_htab_insert(vl->vl_fwd, &fw->fw_h, NULL)) == 0)
		fw = NULL;		/* the link owns it */
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	if (fw != NULL)
		vpc_fwdent_ops.hto_free(&fw->fw_h);
	return (error);
}

/* VPC_OP_VPCLINK_FWD_DEL: remove an entry (ENOENT if absent). */
int
vpc_ctl_vl_fwd_del(struct vpc_ctlreq *r)
{
	struct vpc_vpclink *vl = VPC_VL(r->cr_obj);
	struct vpc_fwd f;
	int error;

	vpc_memcpy(&f, r->cr_in, sizeof(f));
	if ((error = vpc_fwd_check(&f, true)) != 0)
		return (error);
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	if (vpc_obj_dead(&vl->vl_obj))
		error = ENXIO;
	else
		error = vpc_htab_remove(vl->vl_fwd,
		    VPC_L2KEY(f.vf_vni, vpc_mac48(f.vf_mac)));
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	return (error);
}

static int
vpc_fill_fwd(struct vpc_hentry *e, void *arg)
{
	struct vpc_fill *fl = arg;
	struct vpc_fwdent *fw = (struct vpc_fwdent *)(void *)e;
	struct vpc_fwd f;

	vpc_fwdent_fwd(fw, &f);
	vpc_memcpy(fl->f_p, &f, sizeof(f));
	fl->f_p += sizeof(f);
	return (0);
}

/* VPC_OP_VPCLINK_FWD_LIST: every forwarding entry. */
int
vpc_ctl_vl_fwd_list(struct vpc_ctlreq *r)
{
	struct vpc_vpclink *vl = VPC_VL(r->cr_obj);
	struct vpc_fill fl;
	int error;

	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	if ((error = vpc_ctl_list_fits(r, vpc_htab_count(vl->vl_fwd),
	    sizeof(struct vpc_fwd))) == 0) {
		fl.f_p = r->cr_out;
		(void)vpc_htab_foreach(vl->vl_fwd, vpc_fill_fwd, &fl);
	}
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	return (error);
}
