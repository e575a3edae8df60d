/*
 * vpc_snapshot.c: the configuration of objects as a list of ctl requests.
 *
 * A host that persists its objects (vpcd's state directory) stores what
 * an operator would have asked for: for each object, the requests that
 * recreate it through vpc_desc_open() and vpc_desc_ctl() (MAC_SET,
 * MTU_SET, SW_MODE_SET, PORT_VNI_SET, the ARP, flood and static
 * forwarding entries, ...) and the requests that relate it to others
 * (SW_PORT_ADD, PORT_CONNECT).  Restoring replays them through the normal
 * dispatch, so a stored request is checked exactly like a client's.
 * Learned entries, counters and the automatic switch entries of NIC MACs
 * are derived or transient and are not part of a snapshot.
 *
 * Each request is one struct vpc_snaprec, addressed to an object (sr_id,
 * sr_type).  Two records are markers rather than requests a client could
 * send: VPC_OP_COMMIT opens an object's records (the object exists and is
 * committed), and VPC_OP_SW_PORT_DEL addressed to the nil id says that
 * the port in its input is in no switch; likewise PORT_DISCONNECT says a
 * port is connected to nothing.
 */

#include "vpc_obj.h"

/* What the table visitors need. */
struct vpc_snapctx {
	struct vpc_obj		*sc_obj;	/* object being dumped */
	vpc_snap_fn_t		*sc_fn;		/* the host's callback */
	void			*sc_arg;	/* its argument */
};

static int	vpc_snap_emit(struct vpc_snapctx *c, const vpc_id_t *id,
		    uint32_t type, vpc_op_t op, const void *in, size_t inlen,
		    const void *in2, size_t in2len);
static int	vpc_snap_u32(struct vpc_snapctx *c, vpc_op_t op, uint32_t v);
static int	vpc_snap_obj_locked(struct vpc_obj *o, vpc_snap_fn_t *fn,
		    void *arg);
static int	vpc_snap_switch(struct vpc_snapctx *c);
static int	vpc_snap_port(struct vpc_snapctx *c);
static int	vpc_snap_arp(struct vpc_hentry *e, void *arg);
static int	vpc_snap_flood(struct vpc_hentry *e, void *arg);
static int	vpc_snap_fwd(struct vpc_hentry *e, void *arg);
static int	vpc_snap_linkport(struct vpc_hentry *e, void *arg);

static int
vpc_snap_emit(struct vpc_snapctx *c, const vpc_id_t *id, uint32_t type,
    vpc_op_t op, const void *in, size_t inlen, const void *in2,
    size_t in2len)
{
	struct vpc_snaprec r;

	r.sr_id = *id;
	r.sr_type = type;
	r.sr_op = op;
	r.sr_in = in;
	r.sr_inlen = inlen;
	r.sr_in2 = in2;
	r.sr_in2len = in2len;
	return (c->sc_fn(c->sc_arg, &r));
}

/* A request with a uint32_t input, addressed to the object dumped. */
static int
vpc_snap_u32(struct vpc_snapctx *c, vpc_op_t op, uint32_t v)
{
	return (vpc_snap_emit(c, &c->sc_obj->o_id, c->sc_obj->o_type, op, &v,
	    sizeof(v), NULL, 0));
}

/* vpc_htab_foreach() visitor of sw_arp: one SW_ARP_ADD. */
static int
vpc_snap_arp(struct vpc_hentry *e, void *arg)
{
	struct vpc_snapctx *c = arg;
	struct vpc_arpent *ae = (struct vpc_arpent *)(void *)e;
	struct vpc_neigh n;

	vpc_arpent_neigh(ae, &n);
	return (vpc_snap_emit(c, &c->sc_obj->o_id, c->sc_obj->o_type,
	    VPC_OP_SW_ARP_ADD, &n, sizeof(n), NULL, 0));
}

/* vpc_htab_foreach() visitor of sw_flood: one SW_FLOOD_SET. */
static int
vpc_snap_flood(struct vpc_hentry *e, void *arg)
{
	struct vpc_snapctx *c = arg;
	struct vpc_floodent *fe = (struct vpc_floodent *)(void *)e;
	struct vpc_flood_hdr h;

	h.vfh_vni = (uint32_t)e->he_key.hk_lo;
	h.vfh_count = fe->fe_count;
	return (vpc_snap_emit(c, &c->sc_obj->o_id, c->sc_obj->o_type,
	    VPC_OP_SW_FLOOD_SET, &h, sizeof(h), fe->fe_addrs,
	    (size_t)fe->fe_count * sizeof(struct vpc_ipaddr)));
}

/* vpc_htab_foreach() visitor of vl_fwd: static entries only. */
static int
vpc_snap_fwd(struct vpc_hentry *e, void *arg)
{
	struct vpc_snapctx *c = arg;
	struct vpc_fwdent *fw = (struct vpc_fwdent *)(void *)e;
	struct vpc_fwd f;

	if ((fw->fw_flags & VPC_FWD_F_LEARNED) != 0)
		return (0);
	vpc_fwdent_fwd(fw, &f);	/* static: vf_flags is 0 */
	return (vpc_snap_emit(c, &c->sc_obj->o_id, c->sc_obj->o_type,
	    VPC_OP_VPCLINK_FWD_SET, &f, sizeof(f), NULL, 0));
}

/* vpc_htab_foreach() visitor of el_ports, vl_ports: a PORT_CONNECT. */
static int
vpc_snap_linkport(struct vpc_hentry *e, void *arg)
{
	struct vpc_snapctx *c = arg;
	struct vpc_port *pt = ((struct vpc_portent *)(void *)e)->pe_port;

	return (vpc_snap_emit(c, &pt->pt_obj.o_id, VPC_TYPE_PORT,
	    VPC_OP_PORT_CONNECT, &c->sc_obj->o_id, sizeof(vpc_id_t), NULL,
	    0));
}

/* Mode, ARP and flood entries, and ports of a switch. */
static int
vpc_snap_switch(struct vpc_snapctx *c)
{
	struct vpc_switch *sw = VPC_SW(c->sc_obj);
	struct vpc_portset *ps;
	uint32_t i;
	int error;

	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	error = vpc_snap_u32(c, VPC_OP_SW_MODE_SET, sw->sw_mode);
	if (error == 0)
		error = vpc_htab_foreach(sw->sw_arp, vpc_snap_arp, c);
	if (error == 0)
		error = vpc_htab_foreach(sw->sw_flood, vpc_snap_flood, c);
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	ps = sw->sw_ports;
	for (i = 0; error == 0 && i < ps->ps_count; i++)
		error = vpc_snap_emit(c, &sw->sw_obj.o_id, VPC_TYPE_SWITCH,
		    VPC_OP_SW_PORT_ADD, &ps->ps_ports[i]->pt_obj.o_id,
		    sizeof(vpc_id_t), NULL, 0);
	return (error);
}

/* Segment of a port, and its switch and peer (or markers for none). */
static int
vpc_snap_port(struct vpc_snapctx *c)
{
	struct vpc_port *pt = VPC_PT(c->sc_obj);
	static const vpc_id_t nil;
	int error;

	if ((error = vpc_snap_u32(c, VPC_OP_PORT_VNI_SET, pt->pt_vni)) != 0 ||
	    (error = vpc_snap_u32(c, VPC_OP_PORT_VLAN_SET, pt->pt_vlan)) != 0)
		return (error);
	if (pt->pt_sw != NULL)
		error = vpc_snap_emit(c, &pt->pt_sw->sw_obj.o_id,
		    VPC_TYPE_SWITCH, VPC_OP_SW_PORT_ADD, &pt->pt_obj.o_id,
		    sizeof(vpc_id_t), NULL, 0);
	else
		error = vpc_snap_emit(c, &nil, VPC_TYPE_SWITCH,
		    VPC_OP_SW_PORT_DEL, &pt->pt_obj.o_id, sizeof(vpc_id_t),
		    NULL, 0);
	if (error != 0)
		return (error);
	if (pt->pt_peer != NULL)
		return (vpc_snap_emit(c, &pt->pt_obj.o_id, VPC_TYPE_PORT,
		    VPC_OP_PORT_CONNECT, &pt->pt_peer->o_id, sizeof(vpc_id_t),
		    NULL, 0));
	return (vpc_snap_emit(c, &pt->pt_obj.o_id, VPC_TYPE_PORT,
	    VPC_OP_PORT_DISCONNECT, NULL, 0, NULL, 0));
}

/* Every record of 'o'.  Registry lock held. */
static int
vpc_snap_obj_locked(struct vpc_obj *o, vpc_snap_fn_t *fn, void *arg)
{
	struct vpc_snapctx c;
	struct vpc_mac m;
	struct vpc_ifname n;
	struct vpc_udpaddr ua;
	struct vpc_nic *nic;
	uint32_t mtu;
	int error;

	vpc_os_mtx_assert(o->o_reg->rg_mtx, VPC_MA_OWNED);
	c.sc_obj = o;
	c.sc_fn = fn;
	c.sc_arg = arg;
	if ((error = vpc_snap_emit(&c, &o->o_id, o->o_type, VPC_OP_COMMIT,
	    NULL, 0, NULL, 0)) != 0)
		return (error);
	/* Settings the meta ops carry, where the type has them. */
	vpc_memset(&m, 0, sizeof(m));
	vpc_os_mtx_lock(o->o_mtx);
	vpc_memcpy(m.vm_octet, o->o_mac, 6);
	mtu = o->o_mtu;
	vpc_os_mtx_unlock(o->o_mtx);
	if (o->o_type != VPC_TYPE_PORT &&
	    (error = vpc_snap_emit(&c, &o->o_id, o->o_type, VPC_OP_MAC_SET,
	    &m, sizeof(m), NULL, 0)) != 0)
		return (error);
	if ((o->o_type == VPC_TYPE_SWITCH || o->o_type == VPC_TYPE_ETHLINK ||
	    (VPC_TM(o->o_type) & VPC_TM_NIC) != 0) && mtu != 0 &&
	    (error = vpc_snap_u32(&c, VPC_OP_MTU_SET, mtu)) != 0)
		return (error);

	switch (o->o_type) {
	case VPC_TYPE_SWITCH:
		return (vpc_snap_switch(&c));
	case VPC_TYPE_PORT:
		return (vpc_snap_port(&c));
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		nic = VPC_NIC(o);
		error = vpc_snap_u32(&c, o->o_type == VPC_TYPE_VMNIC ?
		    VPC_OP_VMNIC_QUEUES_SET : VPC_OP_VPCI_QUEUES_SET,
		    nic->nic_queues);
		if (error == 0 && nic->nic_port != NULL)
			error = vpc_snap_emit(&c, &nic->nic_port->pt_obj.o_id,
			    VPC_TYPE_PORT, VPC_OP_PORT_CONNECT, &o->o_id,
			    sizeof(vpc_id_t), NULL, 0);
		return (error);
	case VPC_TYPE_ETHLINK:
		vpc_os_mtx_lock(o->o_mtx);
		vpc_memcpy(n.vn_name, VPC_EL(o)->el_ifname, VPC_IFNAMSIZ);
		error = vpc_snap_u32(&c, VPC_OP_ETHLINK_VLAN_SET,
		    VPC_EL(o)->el_vlan);
		if (error == 0 && n.vn_name[0] != '\0')
			error = vpc_snap_emit(&c, &o->o_id, o->o_type,
			    VPC_OP_ETHLINK_ATTACH, &n, sizeof(n), NULL, 0);
		if (error == 0)
			error = vpc_htab_foreach(VPC_EL(o)->el_ports,
			    vpc_snap_linkport, &c);
		vpc_os_mtx_unlock(o->o_mtx);
		return (error);
	case VPC_TYPE_VPCLINK:
		vpc_os_mtx_lock(o->o_mtx);
		ua = VPC_VL(o)->vl_local;
		error = 0;
		if (ua.vu_addr.va_family != VPC_AF_NONE)
			error = vpc_snap_emit(&c, &o->o_id, o->o_type,
			    VPC_OP_VPCLINK_LOCAL_SET, &ua, sizeof(ua), NULL,
			    0);
		if (error == 0)
			error = vpc_htab_foreach(VPC_VL(o)->vl_fwd,
			    vpc_snap_fwd, &c);
		if (error == 0)
			error = vpc_htab_foreach(VPC_VL(o)->vl_ports,
			    vpc_snap_linkport, &c);
		vpc_os_mtx_unlock(o->o_mtx);
		return (error);
	default:
		return (0);
	}
}

/*
 * Call 'fn' with 'arg' for each record of the object named 'id' in 'rg',
 * committed or not (the caller decides what to keep).  'fn' runs under
 * the registry lock and may hold an object lock: it must not sleep or
 * call into the core; a non-zero return stops the walk and is returned.
 * ENOENT if there is no such object; the management object has none.
 */
int
vpc_snapshot_obj(struct vpc_registry *rg, const vpc_id_t *id,
    vpc_snap_fn_t *fn, void *arg)
{
	struct vpc_obj *o;
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	o = vpc_obj_lookup(rg, id);
	if (o == NULL || o->o_type == VPC_TYPE_MGMT)
		error = o == NULL ? ENOENT : 0;
	else
		error = vpc_snap_obj_locked(o, fn, arg);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Call 'fn' with 'arg' for each record of every committed object of
 * 'rg', all under one hold of the registry lock, so the result is one
 * consistent state.  Same rules for 'fn' as vpc_snapshot_obj().  A
 * relation appears in the records of both its objects.
 */
int
vpc_snapshot_all(struct vpc_registry *rg, vpc_snap_fn_t *fn, void *arg)
{
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	error = vpc_snapshot_all_locked(rg, fn, arg);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * vpc_snapshot_all() for a caller that holds the registry lock, e.g. to
 * walk twice over the same state.
 */
int
vpc_snapshot_all_locked(struct vpc_registry *rg, vpc_snap_fn_t *fn,
    void *arg)
{
	struct vpc_obj *o;
	uint32_t i;
	int error = 0;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_OWNED);
	for (i = 0; error == 0 && i <= rg->rg_hmask; i++)
		for (o = rg->rg_hash[i]; error == 0 && o != NULL;
		    o = o->o_hnext)
			if (o->o_type != VPC_TYPE_MGMT &&
			    (o->o_flags & VPC_OBJF_COMMITTED) != 0)
				error = vpc_snap_obj_locked(o, fn, arg);
	return (error);
}

/*
 * Call 'fn' with 'arg' for every committed object of 'rg' but the
 * management object, under the registry lock (same rules as above); a
 * non-zero return stops the walk and is returned.  Hosts use it to find
 * the devices they keep across a restart.
 */
int
vpc_snapshot_foreach(struct vpc_registry *rg,
    int (*fn)(void *arg, struct vpc_obj *o), void *arg)
{
	struct vpc_obj *o;
	uint32_t i;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	for (i = 0; error == 0 && i <= rg->rg_hmask; i++)
		for (o = rg->rg_hash[i]; error == 0 && o != NULL;
		    o = o->o_hnext)
			if (o->o_type != VPC_TYPE_MGMT &&
			    (o->o_flags & VPC_OBJF_COMMITTED) != 0)
				error = fn(arg, o);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}
