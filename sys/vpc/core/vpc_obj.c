/*
 * vpc_obj.c: the registry of objects.
 *
 * The id index, object creation and lifetime (references, COMMIT,
 * DESTROY, teardown of uncommitted objects), descriptors, the relations
 * between objects (port in switch, port connected to a NIC or link) with
 * the tables they imply (sw_ports, sw_uplink, the automatic sw_l2 entries
 * of NIC MACs, vl_ports, el_ports, nic_port), and the aging tick.
 *
 * Every relation change runs under the registry lock and writes each
 * table under its owner's lock, one object lock at a time.  A change
 * first checks everything, then allocates, then applies; the only steps
 * of an apply that can fail are table insertions of new keys, which are
 * undone by removing what was inserted, so a failed op changes nothing.
 */

#include "vpc_obj.h"
#include "vpc_switch.h"

#define	VPC_REG_HASH_MIN	64	/* initial index buckets */

/* A portset slot count that fits in a uint32_t with its header. */
#define	VPC_PORTSET_SIZE(n)						\
	(sizeof(struct vpc_portset) + (size_t)(n) * sizeof(struct vpc_port *))

#define	VPC_CONTAINER(p, type, member)					\
	((type *)(void *)((char *)(p) - __builtin_offsetof(type, member)))

static uint64_t	vpc_id_hash(const struct vpc_registry *rg, const vpc_id_t *id);
static bool	vpc_id_nil(const vpc_id_t *id);
static void	vpc_reg_link(struct vpc_registry *rg, struct vpc_obj *o);
static void	vpc_reg_unlink(struct vpc_registry *rg, struct vpc_obj *o);
static void	vpc_reg_grow(struct vpc_registry *rg);
static int	vpc_obj_alloc(struct vpc_registry *rg, const vpc_id_t *id,
		    uint32_t type, struct vpc_obj **op);
static void	vpc_obj_free_now(struct vpc_obj *o);
static void	vpc_obj_free_cb(struct vpc_epoch_ctx *ctx);
static void	vpc_obj_hold(struct vpc_obj *o);
static bool	vpc_obj_drop(struct vpc_obj *o);
static void	vpc_obj_drop_rel(struct vpc_obj *o);
static uint32_t	vpc_obj_relrefs(struct vpc_obj *o);
static bool	vpc_obj_mark_dead(struct vpc_obj *o);
static void	vpc_obj_gone(struct vpc_obj *o, bool unlinked, bool free);
static void	vpc_obj_unrelate(struct vpc_obj *o);
static struct vpc_portset *vpc_portset_alloc(uint32_t n);
static void	vpc_portset_free_cb(struct vpc_epoch_ctx *ctx);
static void	vpc_portset_publish(struct vpc_switch *sw,
		    struct vpc_portset *ps);
static bool	vpc_l2_conflict(struct vpc_switch *sw, uint32_t vni,
		    const uint8_t mac[6], struct vpc_port *pt);
static uint64_t	vpc_peer_key(struct vpc_port *pt, struct vpc_obj *peer);
static struct vpc_htab *vpc_peer_tab(struct vpc_obj *peer);
static int	vpc_rel_attach_tables(struct vpc_switch *sw,
		    struct vpc_port *pt, struct vpc_obj *peer, bool peerside);
static void	vpc_rel_detach_sw(struct vpc_switch *sw, struct vpc_port *pt,
		    struct vpc_obj *peer);
static void	vpc_rel_disconnect(struct vpc_port *pt);
static void	vpc_rel_port_del(struct vpc_switch *sw, struct vpc_port *pt,
		    struct vpc_portset *ns);
static bool	vpc_l2_of_port(const struct vpc_hentry *e, void *arg);
static bool	vpc_l2_learned(const struct vpc_hentry *e, void *arg);
static bool	vpc_l2_expired(const struct vpc_hentry *e, void *arg);
static bool	vpc_fwd_expired(const struct vpc_hentry *e, void *arg);
static bool	vpc_fwd_learned_vni(const struct vpc_hentry *e, void *arg);
static void	vpc_vl_forget_vni(struct vpc_vpclink *vl, uint32_t vni);
static int	vpc_portset_has(const struct vpc_portset *ps,
		    const struct vpc_port *pt) __unused;	/* assertions only */
static void	vpc_entry_discard(const struct vpc_htab_ops *ops,
		    struct vpc_hentry *e);
static int	vpc_first_port(struct vpc_hentry *e, void *arg);

/*
 * Index.
 */

static uint64_t
vpc_id_hash(const struct vpc_registry *rg, const vpc_id_t *id)
{
	uint64_t a, b, h;

	vpc_memcpy(&a, &id->vi_bytes[0], 8);
	vpc_memcpy(&b, &id->vi_bytes[8], 8);
	/* Every byte of both halves must reach the low (bucket) bits. */
	h = (a ^ rg->rg_seed) * 0x9e3779b97f4a7c15ull;
	h ^= b;
	h *= 0xc2b2ae3d27d4eb4full;
	h ^= h >> 32;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 29;
	return (h);
}

static bool
vpc_id_nil(const vpc_id_t *id)
{
	static const vpc_id_t nil;

	return (vpc_memcmp(id, &nil, sizeof(nil)) == 0);
}

/*
 * The object named 'id' in 'rg', or NULL.  Registry lock held.
 */
struct vpc_obj *
vpc_obj_lookup(struct vpc_registry *rg, const vpc_id_t *id)
{
	struct vpc_obj *o;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_OWNED);
	for (o = rg->rg_hash[vpc_id_hash(rg, id) & rg->rg_hmask]; o != NULL;
	    o = o->o_hnext) {
		if (vpc_memcmp(&o->o_id, id, sizeof(*id)) == 0)
			return (o);
	}
	return (NULL);
}

static void
vpc_reg_grow(struct vpc_registry *rg)
{
	struct vpc_obj **nh, *o, *next;
	uint32_t i, n;

	n = (rg->rg_hmask + 1) * 2;
	if (n == 0 || n > (1u << 24))
		return;
	/* A failed growth only makes chains longer. */
	nh = vpc_os_malloc((size_t)n * sizeof(*nh));
	if (nh == NULL)
		return;
	for (i = 0; i <= rg->rg_hmask; i++) {
		for (o = rg->rg_hash[i]; o != NULL; o = next) {
			next = o->o_hnext;
			o->o_hnext = nh[vpc_id_hash(rg, &o->o_id) & (n - 1)];
			nh[vpc_id_hash(rg, &o->o_id) & (n - 1)] = o;
		}
	}
	vpc_os_free(rg->rg_hash);
	rg->rg_hash = nh;
	rg->rg_hmask = n - 1;
}

static void
vpc_reg_link(struct vpc_registry *rg, struct vpc_obj *o)
{
	struct vpc_obj **bp;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_OWNED);
	if (rg->rg_count >= 2 * (rg->rg_hmask + 1))
		vpc_reg_grow(rg);
	bp = &rg->rg_hash[vpc_id_hash(rg, &o->o_id) & rg->rg_hmask];
	o->o_hnext = *bp;
	*bp = o;
	rg->rg_count++;
}

static void
vpc_reg_unlink(struct vpc_registry *rg, struct vpc_obj *o)
{
	struct vpc_obj **bp;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_OWNED);
	for (bp = &rg->rg_hash[vpc_id_hash(rg, &o->o_id) & rg->rg_hmask];
	    *bp != NULL; bp = &(*bp)->o_hnext) {
		if (*bp == o) {
			*bp = o->o_hnext;
			o->o_hnext = NULL;
			rg->rg_count--;
			return;
		}
	}
	VPC_ASSERT(0 && "object not in the index");
}

/*
 * Objects.
 */

static int
vpc_obj_alloc(struct vpc_registry *rg, const vpc_id_t *id, uint32_t type,
    struct vpc_obj **op)
{
	struct vpc_obj *o;
	struct vpc_switch *sw;
	struct vpc_ethlink *el;
	struct vpc_vpclink *vl;
	size_t size;

	switch (type) {
	case VPC_TYPE_SWITCH:
		size = sizeof(struct vpc_switch);
		break;
	case VPC_TYPE_PORT:
		size = sizeof(struct vpc_port);
		break;
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		size = sizeof(struct vpc_nic);
		break;
	case VPC_TYPE_ETHLINK:
		size = sizeof(struct vpc_ethlink);
		break;
	case VPC_TYPE_VPCLINK:
		size = sizeof(struct vpc_vpclink);
		break;
	case VPC_TYPE_MGMT:
		size = sizeof(struct vpc_obj);
		break;
	default:
		return (EINVAL);
	}
	if ((o = vpc_os_malloc(size)) == NULL)
		return (ENOMEM);
	o->o_id = *id;
	o->o_type = type;
	o->o_reg = rg;
	/* Default MAC: the UUID's node field, unicast, locally assigned. */
	vpc_memcpy(o->o_mac, &id->vi_bytes[10], 6);
	o->o_mac[0] = (uint8_t)((o->o_mac[0] & ~0x01u) | 0x02u);
	if ((o->o_mtx = vpc_os_mtx_alloc("vpc obj")) == NULL ||
	    (o->o_stats = vpc_os_counters_alloc(VPC_CNT_N)) == NULL)
		goto fail;
	switch (type) {
	case VPC_TYPE_SWITCH:
		sw = VPC_SW(o);
		o->o_mtu = VPC_MTU_DEFAULT;
		sw->sw_mode = VPC_SW_MODE_PROGRAMMED;
		sw->sw_l2 = vpc_htab_create(&vpc_l2ent_ops, o->o_mtx, 64);
		sw->sw_arp = vpc_htab_create(&vpc_arpent_ops, o->o_mtx, 16);
		sw->sw_flood = vpc_htab_create(&vpc_floodent_ops, o->o_mtx, 4);
		sw->sw_uplink = vpc_htab_create(&vpc_portent_ops, o->o_mtx, 4);
		sw->sw_ports = vpc_portset_alloc(0);
		if (sw->sw_l2 == NULL || sw->sw_arp == NULL ||
		    sw->sw_flood == NULL || sw->sw_uplink == NULL ||
		    sw->sw_ports == NULL)
			goto fail;
		break;
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		o->o_mtu = VPC_MTU_DEFAULT;
		VPC_NIC(o)->nic_queues = 1;
		break;
	case VPC_TYPE_ETHLINK:
		el = VPC_EL(o);
		o->o_mtu = VPC_MTU_DEFAULT;
		el->el_ports = vpc_htab_create(&vpc_portent_ops, o->o_mtx, 4);
		if (el->el_ports == NULL)
			goto fail;
		break;
	case VPC_TYPE_VPCLINK:
		vl = VPC_VL(o);
		vl->vl_ports = vpc_htab_create(&vpc_portent_ops, o->o_mtx, 4);
		vl->vl_fwd = vpc_htab_create(&vpc_fwdent_ops, o->o_mtx, 64);
		if (vl->vl_ports == NULL || vl->vl_fwd == NULL)
			goto fail;
		break;
	default:
		break;
	}
	*op = o;
	return (0);
fail:
	vpc_obj_free_now(o);
	return (ENOMEM);
}

/* Free an object no reader can see (never published, or after the epoch). */
static void
vpc_obj_free_now(struct vpc_obj *o)
{
	struct vpc_switch *sw;

	switch (o->o_type) {
	case VPC_TYPE_SWITCH:
		sw = VPC_SW(o);
		if (sw->sw_l2 != NULL)
			vpc_htab_destroy(sw->sw_l2);
		if (sw->sw_arp != NULL)
			vpc_htab_destroy(sw->sw_arp);
		if (sw->sw_flood != NULL)
			vpc_htab_destroy(sw->sw_flood);
		if (sw->sw_uplink != NULL)
			vpc_htab_destroy(sw->sw_uplink);
		vpc_os_free(sw->sw_ports);
		break;
	case VPC_TYPE_ETHLINK:
		if (VPC_EL(o)->el_ports != NULL)
			vpc_htab_destroy(VPC_EL(o)->el_ports);
		break;
	case VPC_TYPE_VPCLINK:
		if (VPC_VL(o)->vl_ports != NULL)
			vpc_htab_destroy(VPC_VL(o)->vl_ports);
		if (VPC_VL(o)->vl_fwd != NULL)
			vpc_htab_destroy(VPC_VL(o)->vl_fwd);
		break;
	default:
		break;
	}
	if (o->o_mtx != NULL)
		vpc_os_mtx_free(o->o_mtx);
	vpc_os_counters_free(o->o_stats);
	vpc_os_free(o);
}

static void
vpc_obj_free_cb(struct vpc_epoch_ctx *ctx)
{
	vpc_obj_free_now(VPC_CONTAINER(ctx, struct vpc_obj, o_ctx));
}

/* Take a reference.  Registry lock held (or the object not yet shared). */
static void
vpc_obj_hold(struct vpc_obj *o)
{
	vpc_refcount_acquire(&o->o_refs);
}

/* Drop a reference; true if it was the last (the caller frees). */
static bool
vpc_obj_drop(struct vpc_obj *o)
{
	VPC_ASSERT(o->o_refs > 0);
	return (vpc_refcount_release(&o->o_refs) == 0);
}

/*
 * Drop a relation's reference.  Never the last one: a linked object is
 * committed or held by a descriptor, and an unlinked one has no relations.
 */
static void
vpc_obj_drop_rel(struct vpc_obj *o)
{
	bool last;

	last = vpc_obj_drop(o);
	VPC_ASSERT(!last);
	(void)last;
}

/* References the relations of 'o' hold on it.  Registry lock held. */
static uint32_t
vpc_obj_relrefs(struct vpc_obj *o)
{
	struct vpc_port *pt;

	vpc_os_mtx_assert(o->o_reg->rg_mtx, VPC_MA_OWNED);
	switch (o->o_type) {
	case VPC_TYPE_SWITCH:
		return (VPC_SW(o)->sw_ports->ps_count);
	case VPC_TYPE_PORT:
		pt = VPC_PT(o);
		return ((pt->pt_sw != NULL ? 1 : 0) +
		    (pt->pt_peer != NULL ? 1 : 0));
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		return (VPC_NIC(o)->nic_port != NULL ? 1 : 0);
	case VPC_TYPE_ETHLINK:
		return (vpc_htab_count(VPC_EL(o)->el_ports));
	case VPC_TYPE_VPCLINK:
		return (vpc_htab_count(VPC_VL(o)->vl_ports));
	default:
		return (0);
	}
}

/*
 * True once the object was destroyed or torn down.  The flag is set under
 * both the registry lock and the object's lock, so either lock makes the
 * answer stable.
 */
bool
vpc_obj_dead(const struct vpc_obj *o)
{
	return ((vpc_load_relaxed(&o->o_flags) & VPC_OBJF_DEAD) != 0);
}

/*
 * Unlink 'o' from the index and drop the registry's reference if it was
 * committed; true if that was the last reference.  Registry lock held,
 * no relations left.
 */
static bool
vpc_obj_mark_dead(struct vpc_obj *o)
{
	struct vpc_registry *rg = o->o_reg;
	bool last = false;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_OWNED);
	VPC_ASSERT(vpc_obj_relrefs(o) == 0);
	vpc_reg_unlink(rg, o);
	/* Under the object lock too: ops that hold only it see the flag. */
	vpc_os_mtx_lock(o->o_mtx);
	vpc_store_relaxed(&o->o_flags, o->o_flags | VPC_OBJF_DEAD);
	vpc_os_mtx_unlock(o->o_mtx);
	if ((o->o_flags & VPC_OBJF_COMMITTED) != 0) {
		vpc_store_relaxed(&o->o_flags,
		    o->o_flags & ~VPC_OBJF_COMMITTED);
		/* The registry's reference goes. */
		last = vpc_obj_drop(o);
	}
	return (last);
}

/*
 * After the registry lock was released: if 'unlinked', wait for readers
 * and let the host destroy the device; if 'free', retire the memory.
 */
static void
vpc_obj_gone(struct vpc_obj *o, bool unlinked, bool free)
{
	struct vpc_registry *rg = o->o_reg;

	vpc_os_mtx_assert(rg->rg_mtx, VPC_MA_NOTOWNED);
	if (unlinked && (VPC_TM(o->o_type) & VPC_TM_HOSTED) != 0 &&
	    rg->rg_ops != NULL && rg->rg_ops->ho_destroy != NULL) {
		/* No reader may still be sending through the device. */
		vpc_os_epoch_wait();
		rg->rg_ops->ho_destroy(rg->rg_host, o, o->o_dev);
		o->o_dev = NULL;
	}
	if (free)
		vpc_os_epoch_call(&o->o_ctx, vpc_obj_free_cb);
}

/*
 * Remove every relation of 'o' (teardown).  Registry lock held.  Never
 * fails: a port leaving a switch whose new portset cannot be allocated
 * is removed in place (see vpc_rel_port_del()).
 */
static void
vpc_obj_unrelate(struct vpc_obj *o)
{
	struct vpc_switch *sw;
	struct vpc_port *pt;
	struct vpc_portset *ps;

	vpc_os_mtx_assert(o->o_reg->rg_mtx, VPC_MA_OWNED);
	switch (o->o_type) {
	case VPC_TYPE_SWITCH:
		sw = VPC_SW(o);
		while ((ps = sw->sw_ports)->ps_count > 0) {
			pt = ps->ps_ports[ps->ps_count - 1];
			vpc_rel_port_del(sw, pt,
			    vpc_portset_alloc(ps->ps_count - 1));
		}
		break;
	case VPC_TYPE_PORT:
		pt = VPC_PT(o);
		if (pt->pt_peer != NULL)
			vpc_rel_disconnect(pt);
		if ((sw = pt->pt_sw) != NULL)
			vpc_rel_port_del(sw, pt,
			    vpc_portset_alloc(sw->sw_ports->ps_count - 1));
		break;
	default:
		/* A NIC or link: disconnect each port connected to it. */
		while (vpc_obj_relrefs(o) > 0) {
			pt = NULL;
			if ((VPC_TM(o->o_type) & VPC_TM_NIC) != 0)
				pt = VPC_NIC(o)->nic_port;
			else
				(void)vpc_htab_foreach(vpc_peer_tab(o),
				    vpc_first_port, &pt);
			VPC_ASSERT(pt != NULL && pt->pt_peer == o);
			vpc_rel_disconnect(pt);
		}
		break;
	}
}

/* vpc_htab_foreach() callback: the port of the first entry. */
static int
vpc_first_port(struct vpc_hentry *e, void *arg)
{
	*(struct vpc_port **)arg = ((struct vpc_portent *)(void *)e)->pe_port;
	return (1);
}

/*
 * Registry.
 */

/*
 * Create a registry whose devices are made through 'ops' (which may be
 * NULL, or have NULL members) called with 'host'.  NULL if out of memory.
 */
struct vpc_registry *
vpc_registry_create(const struct vpc_host_ops *ops, void *host)
{
	struct vpc_registry *rg;
	static const vpc_id_t nil;

	if ((rg = vpc_os_malloc(sizeof(*rg))) == NULL)
		return (NULL);
	rg->rg_ops = ops;
	rg->rg_host = host;
	rg->rg_seed = (uint64_t)vpc_os_random32() << 32 | vpc_os_random32();
	rg->rg_hmask = VPC_REG_HASH_MIN - 1;
	rg->rg_hash = vpc_os_malloc(VPC_REG_HASH_MIN * sizeof(*rg->rg_hash));
	rg->rg_mtx = vpc_os_mtx_alloc("vpc registry");
	if (rg->rg_hash == NULL || rg->rg_mtx == NULL ||
	    vpc_obj_alloc(rg, &nil, VPC_TYPE_MGMT, &rg->rg_mgmt) != 0) {
		if (rg->rg_mtx != NULL)
			vpc_os_mtx_free(rg->rg_mtx);
		vpc_os_free(rg->rg_hash);
		vpc_os_free(rg);
		return (NULL);
	}
	/* The management object is committed: the registry holds it. */
	rg->rg_mgmt->o_flags = VPC_OBJF_COMMITTED;
	rg->rg_mgmt->o_refs = 1;
	vpc_os_mtx_lock(rg->rg_mtx);
	vpc_reg_link(rg, rg->rg_mgmt);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (rg);
}

/*
 * Tear down 'rg': every relation is removed, every object unlinked, its
 * device destroyed and its memory freed through the epoch.  The host has
 * closed every descriptor first.
 */
void
vpc_registry_destroy(struct vpc_registry *rg)
{
	struct vpc_obj *o, *dead;
	uint32_t i;
	bool last;

	if (rg == NULL)
		return;
	vpc_os_mtx_lock(rg->rg_mtx);
	VPC_ASSERT(rg->rg_ndesc == 0);
	/* First every relation, so that every object is free of them. */
	for (i = 0; i <= rg->rg_hmask; i++)
		for (o = rg->rg_hash[i]; o != NULL; o = o->o_hnext)
			if (o->o_type == VPC_TYPE_PORT)
				vpc_obj_unrelate(o);
	/* Then unlink them all onto a local list (through o_hnext). */
	dead = NULL;
	for (i = 0; i <= rg->rg_hmask; i++) {
		while ((o = rg->rg_hash[i]) != NULL) {
			/* Only the registry's reference was left. */
			last = vpc_obj_mark_dead(o);
			VPC_ASSERT(last);
			(void)last;
			o->o_hnext = dead;
			dead = o;
		}
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	while ((o = dead) != NULL) {
		dead = o->o_hnext;
		vpc_obj_gone(o, true, true);
	}
	/* Run the frees before the registry's memory goes. */
	vpc_os_epoch_wait();
	vpc_os_mtx_free(rg->rg_mtx);
	vpc_os_free(rg->rg_hash);
	vpc_os_free(rg);
}

/*
 * Descriptors.
 */

/*
 * Open (or create) the object 'id' of 'type' as 'flags' say, for the
 * caller 'cred'; the new descriptor is returned in '*dp'.
 */
int
vpc_desc_open(struct vpc_registry *rg, const vpc_id_t *id, vpc_type_t type,
    vpc_flags_t flags, const struct vpc_cred *cred, struct vpc_desc **dp)
{
	struct vpc_obj *o, *fresh;
	struct vpc_desc *d;
	const struct vpc_host_ops *ops = rg->rg_ops;
	bool priv;
	int error;

	*dp = NULL;
	priv = cred != NULL && cred->vc_priv != 0;
	if ((flags & ~VPC_F_ALL) != 0 ||
	    (flags & (VPC_F_CREATE | VPC_F_OPEN)) == 0 ||
	    (flags & (VPC_F_READ | VPC_F_WRITE)) == 0)
		return (EINVAL);
	if (type >= VPC_TYPE_MAX || (VPC_TM(type) & VPC_TM_ALL) == 0)
		return (EINVAL);
	if (type == VPC_TYPE_MGMT ? !vpc_id_nil(id) ||
	    (flags & VPC_F_CREATE) != 0 : vpc_id_nil(id))
		return (EINVAL);
	if ((flags & (VPC_F_CREATE | VPC_F_WRITE)) != 0 && !priv)
		return (EPERM);

	/* Allocate outside the lock; unused if the object exists. */
	if ((d = vpc_os_malloc(sizeof(*d))) == NULL)
		return (ENOMEM);
	fresh = NULL;
	if ((flags & VPC_F_CREATE) != 0 &&
	    (error = vpc_obj_alloc(rg, id, type, &fresh)) != 0) {
		vpc_os_free(d);
		return (error);
	}

	vpc_os_mtx_lock(rg->rg_mtx);
	error = 0;
	if ((o = vpc_obj_lookup(rg, id)) != NULL) {
		if ((flags & VPC_F_OPEN) == 0)
			error = EEXIST;
		else if (o->o_type != type)
			error = EPROTOTYPE;
		else
			vpc_obj_hold(o);	/* the descriptor's reference */
	} else if (fresh == NULL) {
		error = ENOENT;
	} else {
		if ((VPC_TM(type) & VPC_TM_HOSTED) != 0 && ops != NULL &&
		    ops->ho_create != NULL)
			error = ops->ho_create(rg->rg_host, fresh,
			    &fresh->o_dev);
		if (error == 0) {
			/* Born with one reference: the descriptor's. */
			o = fresh;
			fresh = NULL;
			o->o_refs = 1;
			vpc_reg_link(rg, o);
		}
	}
	if (error == 0)
		rg->rg_ndesc++;
	vpc_os_mtx_unlock(rg->rg_mtx);

	if (fresh != NULL)
		vpc_obj_free_now(fresh);
	if (error != 0) {
		vpc_os_free(d);
		return (error);
	}
	d->d_obj = o;
	d->d_rights = ((flags & VPC_F_READ) != 0 ? VPC_R_READ : 0) |
	    ((flags & VPC_F_WRITE) != 0 ? VPC_R_WRITE : 0);
	*dp = d;
	return (0);
}

/*
 * Close descriptor 'd'.  An uncommitted object whose last descriptor this
 * was is torn down: its relations removed, unlinked, its device destroyed.
 */
void
vpc_desc_close(struct vpc_desc *d)
{
	struct vpc_obj *o = d->d_obj;
	struct vpc_registry *rg = o->o_reg;
	bool unlinked, last;

	unlinked = false;
	vpc_os_mtx_lock(rg->rg_mtx);
	VPC_ASSERT(rg->rg_ndesc > 0);
	rg->rg_ndesc--;
	if (!vpc_obj_dead(o) && (o->o_flags & VPC_OBJF_COMMITTED) == 0 &&
	    o->o_refs == 1 + vpc_obj_relrefs(o)) {
		/*
		 * This was the last descriptor: only relations hold it
		 * besides.  Tear down, keeping the descriptor's reference
		 * across the unrelating; it is then the last one.
		 */
		vpc_obj_unrelate(o);
		(void)vpc_obj_mark_dead(o);
		unlinked = true;
		last = vpc_obj_drop(o);
		VPC_ASSERT(last);
	} else {
		last = vpc_obj_drop(o);	/* the descriptor's reference */
		/* Only a destroyed object can be held by descriptors alone. */
		VPC_ASSERT(!last || vpc_obj_dead(o));
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	vpc_obj_gone(o, unlinked, last);
	vpc_os_free(d);
}

/*
 * COMMIT and DESTROY.
 */

/* Give the registry a reference to 'o' (idempotent). */
int
vpc_obj_commit(struct vpc_obj *o)
{
	struct vpc_registry *rg = o->o_reg;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else if ((o->o_flags & VPC_OBJF_COMMITTED) == 0) {
		vpc_obj_hold(o);	/* the registry's reference */
		vpc_store_relaxed(&o->o_flags,
		    o->o_flags | VPC_OBJF_COMMITTED);
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/* '*yes' = 1 if 'o' is committed. */
int
vpc_obj_committed(struct vpc_obj *o, uint32_t *yes)
{
	*yes = (vpc_load_relaxed(&o->o_flags) & VPC_OBJF_COMMITTED) != 0;
	return (0);
}

/*
 * Unlink 'o' and drop the registry's reference; EBUSY while it is in a
 * relation.  The caller's descriptor still holds it; its ops fail with
 * ENXIO from now on.
 */
int
vpc_obj_destroy(struct vpc_obj *o)
{
	struct vpc_registry *rg = o->o_reg;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(o))
		error = ENXIO;
	else if (vpc_obj_relrefs(o) != 0)
		error = EBUSY;
	else if (vpc_obj_mark_dead(o))
		VPC_ASSERT(0 && "the caller's descriptor holds a reference");
	vpc_os_mtx_unlock(rg->rg_mtx);
	if (error == 0)
		vpc_obj_gone(o, true, false);
	return (error);
}

/*
 * Management.
 */

/* Objects of 'type' in the index, in '*n'. */
int
vpc_mgmt_count(struct vpc_registry *rg, uint32_t type, uint32_t *n)
{
	struct vpc_obj *o;
	uint32_t i, c;

	c = 0;
	vpc_os_mtx_lock(rg->rg_mtx);
	for (i = 0; i <= rg->rg_hmask; i++)
		for (o = rg->rg_hash[i]; o != NULL; o = o->o_hnext)
			if (o->o_type == type)
				c++;
	vpc_os_mtx_unlock(rg->rg_mtx);
	*n = c;
	return (0);
}

/* Ids of the objects of 'type', as the list output of 'r'. */
int
vpc_mgmt_list(struct vpc_registry *rg, uint32_t type, struct vpc_ctlreq *r)
{
	struct vpc_obj *o;
	uint32_t i, c;
	uint8_t *p;
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	c = 0;
	for (i = 0; i <= rg->rg_hmask; i++)
		for (o = rg->rg_hash[i]; o != NULL; o = o->o_hnext)
			if (o->o_type == type)
				c++;
	if ((error = vpc_ctl_list_fits(r, c, sizeof(vpc_id_t))) == 0) {
		p = r->cr_out;
		for (i = 0; i <= rg->rg_hmask; i++) {
			for (o = rg->rg_hash[i]; o != NULL; o = o->o_hnext) {
				if (o->o_type != type)
					continue;
				vpc_memcpy(p, &o->o_id, sizeof(o->o_id));
				p += sizeof(o->o_id);
			}
		}
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Host operations.
 */

/*
 * Apply attribute 'a' = 'val' ('len' bytes) to the device of 'o'.  A host
 * without ho_set has nothing to apply.
 */
int
vpc_host_set(struct vpc_obj *o, enum vpc_attr a, const void *val, size_t len)
{
	const struct vpc_host_ops *ops = o->o_reg->rg_ops;

	if (ops == NULL || ops->ho_set == NULL)
		return (0);
	return (ops->ho_set(o->o_reg->rg_host, o, a, val, len));
}

/* Read attribute 'a' of the device of 'o' into 'val' ('len' bytes). */
int
vpc_host_get(struct vpc_obj *o, enum vpc_attr a, void *val, size_t len)
{
	const struct vpc_host_ops *ops = o->o_reg->rg_ops;

	if (ops == NULL || ops->ho_get == NULL)
		return (ENXIO);
	return (ops->ho_get(o->o_reg->rg_host, o, a, val, len));
}

/*
 * The host operations and argument of 'rg' ('*hostp'), for the data
 * path's output calls.
 */
const struct vpc_host_ops *
vpc_registry_host(struct vpc_registry *rg, void **hostp)
{
	*hostp = rg->rg_host;
	return (rg->rg_ops);
}

/*
 * Relations.
 */

static struct vpc_portset *
vpc_portset_alloc(uint32_t n)
{
	struct vpc_portset *ps;

	if ((ps = vpc_os_malloc(VPC_PORTSET_SIZE(n))) != NULL)
		ps->ps_count = n;
	return (ps);
}

static void
vpc_portset_free_cb(struct vpc_epoch_ctx *ctx)
{
	vpc_os_free(VPC_CONTAINER(ctx, struct vpc_portset, ps_ctx));
}

/* Publish 'ps' as the ports of 'sw' and retire the old set. */
static void
vpc_portset_publish(struct vpc_switch *sw, struct vpc_portset *ps)
{
	struct vpc_portset *old = sw->sw_ports;

	vpc_store_rel_ptr(&sw->sw_ports, ps);
	vpc_os_epoch_call(&old->ps_ctx, vpc_portset_free_cb);
}

static int
vpc_portset_has(const struct vpc_portset *ps, const struct vpc_port *pt)
{
	uint32_t i;

	for (i = 0; i < ps->ps_count; i++)
		if (ps->ps_ports[i] == pt)
			return (1);
	return (0);
}

/* Free entry 'e' that was never inserted into a table. */
static void
vpc_entry_discard(const struct vpc_htab_ops *ops, struct vpc_hentry *e)
{
	ops->hto_free(e);
}

/*
 * Would the automatic entry (vni, mac) -> 'pt' collide with a local
 * (not learned) entry of another port?  Learned entries give way.
 */
static bool
vpc_l2_conflict(struct vpc_switch *sw, uint32_t vni, const uint8_t mac[6],
    struct vpc_port *pt)
{
	struct vpc_epoch_tracker et;
	struct vpc_l2ent *l2;
	bool busy;

	vpc_os_epoch_enter(&et);
	l2 = (struct vpc_l2ent *)(void *)vpc_htab_lookup(sw->sw_l2,
	    VPC_L2KEY(vni, vpc_mac48(mac)));
	busy = l2 != NULL && l2->l2_port != pt &&
	    (l2->l2_flags & VPC_SWE_F_LEARNED) == 0;
	vpc_os_epoch_exit(&et);
	return (busy);
}

/* Key of 'pt' in the port table of its peer (vl_ports or el_ports). */
static uint64_t
vpc_peer_key(struct vpc_port *pt, struct vpc_obj *peer)
{
	if (peer->o_type == VPC_TYPE_VPCLINK)
		return (pt->pt_vni);
	/* ethlink: the port's VLAN, or the link's for untagged ports. */
	return (pt->pt_vlan != 0 ? pt->pt_vlan : VPC_EL(peer)->el_vlan);
}

/* Port table of a link, NULL for a NIC. */
static struct vpc_htab *
vpc_peer_tab(struct vpc_obj *peer)
{
	if (peer->o_type == VPC_TYPE_VPCLINK)
		return (VPC_VL(peer)->vl_ports);
	if (peer->o_type == VPC_TYPE_ETHLINK)
		return (VPC_EL(peer)->el_ports);
	return (NULL);
}

/*
 * Insert the table entries that 'pt' connected to 'peer' needs: with
 * 'peerside', its entry in the link's port table; with 'sw', the
 * switch's uplink entry (link) or automatic sw_l2 entry (NIC).  The
 * caller checked that no key is taken (EEXIST cases).  On failure
 * (ENOMEM) whatever was inserted is removed again: nothing changed.
 * Registry lock held.
 */
static int
vpc_rel_attach_tables(struct vpc_switch *sw, struct vpc_port *pt,
    struct vpc_obj *peer, bool peerside)
{
	struct vpc_portent *pe, *up;
	struct vpc_l2ent *l2;
	struct vpc_htab *pt_tab;
	uint64_t pkey;
	int error;

	pt_tab = vpc_peer_tab(peer);
	pkey = pt_tab != NULL ? vpc_peer_key(pt, peer) : 0;
	pe = NULL;
	up = NULL;
	l2 = NULL;

	/* Allocate everything first, outside the object locks. */
	if (peerside && pt_tab != NULL &&
	    (pe = vpc_portent_alloc(pkey, pt)) == NULL)
		goto nomem;
	if (sw != NULL && pt_tab != NULL &&
	    (up = vpc_portent_alloc(pt->pt_vni, pt)) == NULL)
		goto nomem;
	if (sw != NULL && pt_tab == NULL &&
	    (l2 = vpc_l2ent_alloc(pt->pt_vni, peer->o_mac, pt, 0)) == NULL)
		goto nomem;

	/* Insert new keys; each table under its owner's lock. */
	if (pe != NULL) {
		vpc_os_mtx_lock(peer->o_mtx);
		error = vpc_htab_insert(pt_tab, &pe->pe_h, NULL);
		vpc_os_mtx_unlock(peer->o_mtx);
		if (error != 0)
			goto fail;
		pe = NULL;		/* the link's table owns it */
	}
	if (sw != NULL) {
		vpc_os_mtx_lock(sw->sw_obj.o_mtx);
		if (up != NULL) {
			error = vpc_htab_insert(sw->sw_uplink, &up->pe_h, NULL);
			if (error == 0)
				up = NULL;	/* the switch owns it */
		} else {
			/* May replace a learned entry of the same MAC. */
			error = vpc_htab_insert(sw->sw_l2, &l2->l2_h, NULL);
			if (error == 0)
				l2 = NULL;	/* the switch owns it */
		}
		vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
		if (error != 0) {
			if (peerside && pt_tab != NULL) {
				vpc_os_mtx_lock(peer->o_mtx);
				(void)vpc_htab_remove(pt_tab, VPC_KEY(pkey));
				vpc_os_mtx_unlock(peer->o_mtx);
			}
			goto fail;
		}
	}
	return (0);
nomem:
	error = ENOMEM;
fail:
	if (pe != NULL)
		vpc_entry_discard(&vpc_portent_ops, &pe->pe_h);
	if (up != NULL)
		vpc_entry_discard(&vpc_portent_ops, &up->pe_h);
	if (l2 != NULL)
		vpc_entry_discard(&vpc_l2ent_ops, &l2->l2_h);
	return (error);
}

/*
 * Remove from 'sw' the entries of 'pt' (connected to 'peer', or NULL):
 * its uplink entry and every sw_l2 entry pointing to it, automatic or
 * learned, and the forwarding entries the switch learned through it on
 * a vpclink.  Registry lock held; never fails.
 */
static void
vpc_rel_detach_sw(struct vpc_switch *sw, struct vpc_port *pt,
    struct vpc_obj *peer)
{
	struct vpc_portent *up;
	struct vpc_epoch_tracker et;

	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if (peer != NULL && (VPC_TM(peer->o_type) & VPC_TM_LINK) != 0) {
		vpc_os_epoch_enter(&et);
		up = (struct vpc_portent *)(void *)vpc_htab_lookup(
		    sw->sw_uplink, VPC_KEY(pt->pt_vni));
		vpc_os_epoch_exit(&et);
		VPC_ASSERT(up != NULL && up->pe_port == pt);
		if (up != NULL && up->pe_port == pt)
			(void)vpc_htab_remove(sw->sw_uplink,
			    VPC_KEY(pt->pt_vni));
	}
	(void)vpc_htab_remove_if(sw->sw_l2, vpc_l2_of_port, pt);
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	/* What the switch learned through the port on a vpclink. */
	if (peer != NULL && peer->o_type == VPC_TYPE_VPCLINK)
		vpc_vl_forget_vni(VPC_VL(peer), pt->pt_vni);
}

/* Disconnect 'pt' from its peer.  Registry lock held; never fails. */
static void
vpc_rel_disconnect(struct vpc_port *pt)
{
	struct vpc_obj *peer = pt->pt_peer;
	struct vpc_htab *tab;
	struct vpc_switch *sw = pt->pt_sw;

	vpc_os_mtx_assert(pt->pt_obj.o_reg->rg_mtx, VPC_MA_OWNED);
	VPC_ASSERT(peer != NULL);
	/* Unpublish first: new frames stop reaching the peer. */
	vpc_store_rel_ptr(&pt->pt_peer, NULL);
	if ((tab = vpc_peer_tab(peer)) != NULL) {
		vpc_os_mtx_lock(peer->o_mtx);
		(void)vpc_htab_remove(tab, VPC_KEY(vpc_peer_key(pt, peer)));
		vpc_os_mtx_unlock(peer->o_mtx);
	} else
		vpc_store_rel_ptr(&VPC_NIC(peer)->nic_port, NULL);
	if (sw != NULL)
		vpc_rel_detach_sw(sw, pt, peer);
	/* The port's reference on the peer and the peer's on the port. */
	vpc_obj_drop_rel(peer);
	vpc_obj_drop_rel(&pt->pt_obj);
}

/*
 * Take 'pt' out of 'sw', publishing 'ns' (allocated by the caller with
 * one slot less) as the new portset.  If 'ns' is NULL (teardown, out of
 * memory) the port is removed in place: readers may then see one port
 * twice, which costs a duplicate flood copy, never a stale pointer (the
 * port is freed through the epoch).  Registry lock held.
 */
static void
vpc_rel_port_del(struct vpc_switch *sw, struct vpc_port *pt,
    struct vpc_portset *ns)
{
	struct vpc_portset *ps = sw->sw_ports;
	uint32_t i, j;

	vpc_os_mtx_assert(sw->sw_obj.o_reg->rg_mtx, VPC_MA_OWNED);
	VPC_ASSERT(pt->pt_sw == sw && vpc_portset_has(ps, pt));
	/* First pt_sw: a learner re-checks it under the switch lock. */
	vpc_store_rel_ptr(&pt->pt_sw, NULL);
	if (ns != NULL) {
		for (i = j = 0; i < ps->ps_count; i++)
			if (ps->ps_ports[i] != pt)
				ns->ps_ports[j++] = ps->ps_ports[i];
		VPC_ASSERT(j == ns->ps_count);
		vpc_portset_publish(sw, ns);
	} else {
		for (i = 0; i < ps->ps_count; i++)
			if (ps->ps_ports[i] == pt)
				break;
		vpc_store_rel_ptr(&ps->ps_ports[i],
		    ps->ps_ports[ps->ps_count - 1]);
		vpc_store_relaxed(&ps->ps_count, ps->ps_count - 1);
	}
	vpc_rel_detach_sw(sw, pt, pt->pt_peer);
	/* The switch's reference on the port and the port's on the switch. */
	vpc_obj_drop_rel(&pt->pt_obj);
	vpc_obj_drop_rel(&sw->sw_obj);
}

/*
 * Add the port named 'pid' to 'sw'.
 */
int
vpc_sw_port_add(struct vpc_switch *sw, const vpc_id_t *pid)
{
	struct vpc_registry *rg = sw->sw_obj.o_reg;
	struct vpc_obj *o, *peer;
	struct vpc_port *pt;
	struct vpc_portset *ps, *ns;
	struct vpc_epoch_tracker et;
	bool link;
	int error;

	ns = NULL;
	vpc_os_mtx_lock(rg->rg_mtx);
	/* Check. */
	if (vpc_obj_dead(&sw->sw_obj)) {
		error = ENXIO;
		goto out;
	}
	if ((o = vpc_obj_lookup(rg, pid)) == NULL) {
		error = ENOENT;
		goto out;
	}
	if (o->o_type != VPC_TYPE_PORT) {
		error = EPROTOTYPE;
		goto out;
	}
	pt = VPC_PT(o);
	if (pt->pt_sw != NULL) {
		error = pt->pt_sw == sw ? EEXIST : EBUSY;
		goto out;
	}
	peer = pt->pt_peer;
	link = peer != NULL && (VPC_TM(peer->o_type) & VPC_TM_LINK) != 0;
	if (link) {
		vpc_os_epoch_enter(&et);
		error = vpc_htab_lookup(sw->sw_uplink,
		    VPC_KEY(pt->pt_vni)) != NULL ? EEXIST : 0;
		vpc_os_epoch_exit(&et);
		if (error != 0)
			goto out;
	} else if (peer != NULL &&
	    vpc_l2_conflict(sw, pt->pt_vni, peer->o_mac, pt)) {
		error = EEXIST;
		goto out;
	}
	/* Allocate. */
	ps = sw->sw_ports;
	if ((ns = vpc_portset_alloc(ps->ps_count + 1)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	/* Apply: tables first (may fail and undo), then the pointers. */
	if (peer != NULL &&
	    (error = vpc_rel_attach_tables(sw, pt, peer, false)) != 0)
		goto out;
	vpc_memcpy(ns->ps_ports, ps->ps_ports,
	    ps->ps_count * sizeof(ps->ps_ports[0]));
	ns->ps_ports[ps->ps_count] = pt;
	vpc_obj_hold(&pt->pt_obj);	/* the switch's reference on the port */
	vpc_obj_hold(&sw->sw_obj);	/* pt_sw's reference on the switch */
	vpc_store_rel_ptr(&pt->pt_sw, sw);
	vpc_portset_publish(sw, ns);
	ns = NULL;			/* published: the switch owns it */
	error = 0;
out:
	vpc_os_mtx_unlock(rg->rg_mtx);
	vpc_os_free(ns);
	return (error);
}

/*
 * Remove the port named 'pid' from 'sw'; ENOENT if it is not there.
 * Allowed while the port is connected: it stops forwarding.
 */
int
vpc_sw_port_del(struct vpc_switch *sw, const vpc_id_t *pid)
{
	struct vpc_registry *rg = sw->sw_obj.o_reg;
	struct vpc_obj *o;
	struct vpc_portset *ns;
	int error;

	ns = NULL;
	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(&sw->sw_obj))
		error = ENXIO;
	else if ((o = vpc_obj_lookup(rg, pid)) == NULL ||
	    o->o_type != VPC_TYPE_PORT || VPC_PT(o)->pt_sw != sw)
		error = ENOENT;
	else if ((ns = vpc_portset_alloc(sw->sw_ports->ps_count - 1)) ==
	    NULL)
		error = ENOMEM;
	else {
		vpc_rel_port_del(sw, VPC_PT(o), ns);
		error = 0;
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/* The ids of the ports of 'sw', as the list output of 'r'. */
int
vpc_sw_port_list(struct vpc_switch *sw, struct vpc_ctlreq *r)
{
	struct vpc_registry *rg = sw->sw_obj.o_reg;
	struct vpc_portset *ps;
	uint8_t *p;
	uint32_t i;
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	ps = sw->sw_ports;
	if ((error = vpc_ctl_list_fits(r, ps->ps_count,
	    sizeof(vpc_id_t))) == 0) {
		p = r->cr_out;
		for (i = 0; i < ps->ps_count; i++, p += sizeof(vpc_id_t))
			vpc_memcpy(p, &ps->ps_ports[i]->pt_obj.o_id,
			    sizeof(vpc_id_t));
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Connect 'pt' to the vmnic, vpci, ethlink or vpclink named 'pid'.
 */
int
vpc_port_connect(struct vpc_port *pt, const vpc_id_t *pid)
{
	struct vpc_registry *rg = pt->pt_obj.o_reg;
	struct vpc_obj *peer;
	struct vpc_switch *sw;
	struct vpc_htab *tab;
	struct vpc_epoch_tracker et;
	bool taken;
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	/* Check. */
	if (vpc_obj_dead(&pt->pt_obj)) {
		error = ENXIO;
		goto out;
	}
	if (pt->pt_peer != NULL) {
		error = EISCONN;
		goto out;
	}
	if ((peer = vpc_obj_lookup(rg, pid)) == NULL) {
		error = ENOENT;
		goto out;
	}
	if ((VPC_TM(peer->o_type) & VPC_TM_DEV) == 0) {
		error = EPROTOTYPE;
		goto out;
	}
	sw = pt->pt_sw;
	if ((tab = vpc_peer_tab(peer)) == NULL) {
		/* A NIC has at most one port. */
		if (VPC_NIC(peer)->nic_port != NULL) {
			error = EBUSY;
			goto out;
		}
		if (sw != NULL &&
		    vpc_l2_conflict(sw, pt->pt_vni, peer->o_mac, pt)) {
			error = EEXIST;
			goto out;
		}
	} else {
		/* One port per VNI (vpclink) or effective VLAN (ethlink). */
		vpc_os_epoch_enter(&et);
		taken = vpc_htab_lookup(tab,
		    VPC_KEY(vpc_peer_key(pt, peer))) != NULL ||
		    (sw != NULL && vpc_htab_lookup(sw->sw_uplink,
		    VPC_KEY(pt->pt_vni)) != NULL);
		vpc_os_epoch_exit(&et);
		if (taken) {
			error = EEXIST;
			goto out;
		}
	}
	/* Allocate and insert the entries (undone on failure). */
	if ((error = vpc_rel_attach_tables(sw, pt, peer, true)) != 0)
		goto out;
	/* Apply the pointers. */
	vpc_obj_hold(peer);		/* pt_peer's reference on the peer */
	vpc_obj_hold(&pt->pt_obj);	/* the peer's reference on the port */
	vpc_store_rel_ptr(&pt->pt_peer, peer);
	if (tab == NULL)
		vpc_store_rel_ptr(&VPC_NIC(peer)->nic_port, pt);
out:
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/* Disconnect 'pt'; ENOTCONN if it is not connected. */
int
vpc_port_disconnect(struct vpc_port *pt)
{
	struct vpc_registry *rg = pt->pt_obj.o_reg;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(&pt->pt_obj))
		error = ENXIO;
	else if (pt->pt_peer == NULL)
		error = ENOTCONN;
	else
		vpc_rel_disconnect(pt);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Set the VNI (or with 'vlan' the VLAN) of 'pt' to the checked value 'v';
 * EBUSY while the port is in a switch or connected.
 */
int
vpc_port_seg_set(struct vpc_port *pt, bool vlan, uint32_t v)
{
	struct vpc_registry *rg = pt->pt_obj.o_reg;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(&pt->pt_obj))
		error = ENXIO;
	else if (pt->pt_sw != NULL || pt->pt_peer != NULL)
		error = EBUSY;
	else if (vlan)
		vpc_store_relaxed(&pt->pt_vlan, (uint16_t)v);
	else
		vpc_store_relaxed(&pt->pt_vni, v);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * The id of the peer of 'pt' (ENOTCONN if none), or with '!peer' of its
 * switch (ENOENT if none), in '*id'.
 */
int
vpc_port_rel_get(struct vpc_port *pt, bool peer, vpc_id_t *id)
{
	struct vpc_registry *rg = pt->pt_obj.o_reg;
	struct vpc_obj *o;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	o = peer ? pt->pt_peer : (pt->pt_sw != NULL ? &pt->pt_sw->sw_obj :
	    NULL);
	if (o == NULL)
		error = peer ? ENOTCONN : ENOENT;
	else
		*id = o->o_id;
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Set the MAC of a vmnic or vpci to the checked 'mac': the host first,
 * then the core's copy and the automatic sw_l2 entry when the NIC is on
 * a port in a switch.  If the host refuses, nothing changed; if the new
 * entry cannot be inserted (ENOMEM), the host's MAC is set back.
 */
int
vpc_nic_mac_set(struct vpc_nic *nic, const uint8_t mac[6])
{
	struct vpc_obj *o = &nic->nic_obj;
	struct vpc_registry *rg = o->o_reg;
	struct vpc_port *pt;
	struct vpc_switch *sw;
	struct vpc_l2ent *l2;
	uint8_t old[6];
	int error;

	l2 = NULL;
	vpc_os_mtx_lock(rg->rg_mtx);
	/* Check. */
	if (vpc_obj_dead(o)) {
		error = ENXIO;
		goto out;
	}
	if (vpc_memcmp(o->o_mac, mac, 6) == 0) {
		error = 0;		/* unchanged: nothing to do */
		goto out;
	}
	pt = nic->nic_port;
	sw = pt != NULL ? pt->pt_sw : NULL;
	if (sw != NULL && vpc_l2_conflict(sw, pt->pt_vni, mac, pt)) {
		error = EEXIST;
		goto out;
	}
	/* Allocate. */
	if (sw != NULL &&
	    (l2 = vpc_l2ent_alloc(pt->pt_vni, mac, pt, 0)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	/* The host first: if it refuses, nothing changed. */
	vpc_os_mtx_lock(o->o_mtx);
	vpc_memcpy(old, o->o_mac, 6);
	if ((error = vpc_host_set(o, VPC_ATTR_MAC, mac, 6)) == 0)
		vpc_memcpy(o->o_mac, mac, 6);
	vpc_os_mtx_unlock(o->o_mtx);
	if (error != 0 || sw == NULL)
		goto out;
	/* Then the switch: the new entry, and the old one goes. */
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	if ((error = vpc_htab_insert(sw->sw_l2, &l2->l2_h, NULL)) == 0) {
		l2 = NULL;		/* the switch owns it */
		/* The old automatic entry (learning never replaces it). */
		(void)vpc_htab_remove(sw->sw_l2,
		    VPC_L2KEY(pt->pt_vni, vpc_mac48(old)));
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	if (error != 0) {
		/* Undo the host's change: the op fails as a whole. */
		vpc_os_mtx_lock(o->o_mtx);
		if (vpc_host_set(o, VPC_ATTR_MAC, old, 6) != 0)
			vpc_os_log(VPC_LOG_ERR, "vpc: cannot restore a MAC");
		vpc_memcpy(o->o_mac, old, 6);
		vpc_os_mtx_unlock(o->o_mtx);
	}
out:
	vpc_os_mtx_unlock(rg->rg_mtx);
	if (l2 != NULL)
		vpc_entry_discard(&vpc_l2ent_ops, &l2->l2_h);
	return (error);
}

/* Set the VLAN of untagged ports of 'el'; EBUSY while ports use it. */
int
vpc_ethlink_vlan_set(struct vpc_ethlink *el, uint32_t vlan)
{
	struct vpc_registry *rg = el->el_obj.o_reg;
	int error = 0;

	vpc_os_mtx_lock(rg->rg_mtx);
	if (vpc_obj_dead(&el->el_obj))
		error = ENXIO;
	else if (vpc_htab_count(el->el_ports) != 0)
		error = EBUSY;
	else
		vpc_store_relaxed(&el->el_vlan, (uint16_t)vlan);
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Aging.
 */

static bool
vpc_l2_of_port(const struct vpc_hentry *e, void *arg)
{
	return (((const struct vpc_l2ent *)(const void *)e)->l2_port == arg);
}

static bool
vpc_l2_learned(const struct vpc_hentry *e, void *arg __unused)
{
	return ((((const struct vpc_l2ent *)(const void *)e)->l2_flags &
	    VPC_SWE_F_LEARNED) != 0);
}

static bool
vpc_l2_expired(const struct vpc_hentry *e, void *arg)
{
	const struct vpc_l2ent *l2 = (const struct vpc_l2ent *)(const void *)e;
	uint64_t now = *(const uint64_t *)arg;

	/* Signed: an entry seen after the tick read 'now' is fresh. */
	return ((l2->l2_flags & VPC_SWE_F_LEARNED) != 0 &&
	    (int64_t)(now - vpc_load_relaxed(&l2->l2_seen_ms)) >=
	    VPC_LEARN_AGE_MS);
}

static bool
vpc_fwd_expired(const struct vpc_hentry *e, void *arg)
{
	const struct vpc_fwdent *fw =
	    (const struct vpc_fwdent *)(const void *)e;
	uint64_t now = *(const uint64_t *)arg;

	return ((fw->fw_flags & VPC_FWD_F_LEARNED) != 0 &&
	    (int64_t)(now - vpc_load_relaxed(&fw->fw_seen_ms)) >=
	    VPC_LEARN_AGE_MS);
}

/* vpc_htab_remove_if() predicate: a learned vl_fwd entry of VNI '*arg'. */
static bool
vpc_fwd_learned_vni(const struct vpc_hentry *e, void *arg)
{
	const struct vpc_fwdent *fw =
	    (const struct vpc_fwdent *)(const void *)e;

	return ((fw->fw_flags & VPC_FWD_F_LEARNED) != 0 &&
	    e->he_key.hk_hi == *(const uint32_t *)arg);
}

/*
 * Forget what vpclink 'vl' learned in VNI 'vni' (from the frames of the
 * switch port that joins it with that VNI).  Registry lock held, no
 * object lock.
 */
static void
vpc_vl_forget_vni(struct vpc_vpclink *vl, uint32_t vni)
{
	vpc_os_mtx_assert(vl->vl_obj.o_reg->rg_mtx, VPC_MA_OWNED);
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	(void)vpc_htab_remove_if(vl->vl_fwd, vpc_fwd_learned_vni, &vni);
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
}

/*
 * Set the mode of 'sw'.  Going back to PROGRAMMED forgets what was
 * learned: the learned sw_l2 entries, and the learned forwarding entries
 * of the VNIs its ports join vpclinks with.  Learners check the mode
 * again under the lock of the table they insert into, so none comes
 * back after the flush.  ENXIO if the switch is being destroyed.
 */
int
vpc_sw_mode_set(struct vpc_switch *sw, uint32_t mode)
{
	struct vpc_registry *rg = sw->sw_obj.o_reg;
	struct vpc_portset *ps;
	struct vpc_port *pt;
	bool flush;
	uint32_t i;
	int error;

	vpc_os_mtx_lock(rg->rg_mtx);
	vpc_os_mtx_lock(sw->sw_obj.o_mtx);
	error = 0;
	flush = false;
	if (vpc_obj_dead(&sw->sw_obj))
		error = ENXIO;
	else if (mode != sw->sw_mode) {
		vpc_store_relaxed(&sw->sw_mode, mode);
		if (mode == VPC_SW_MODE_PROGRAMMED) {
			(void)vpc_htab_remove_if(sw->sw_l2, vpc_l2_learned,
			    NULL);
			flush = true;
		}
	}
	vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	/* Ports and their peers do not change under the registry lock. */
	ps = sw->sw_ports;
	for (i = 0; flush && i < ps->ps_count; i++) {
		pt = ps->ps_ports[i];
		if (pt->pt_peer != NULL &&
		    pt->pt_peer->o_type == VPC_TYPE_VPCLINK)
			vpc_vl_forget_vni(VPC_VL(pt->pt_peer), pt->pt_vni);
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
	return (error);
}

/*
 * Age out learned entries (sw_l2 of every switch, vl_fwd of every
 * vpclink) not seen for VPC_LEARN_AGE_MS.  Hosts call it every second
 * or so.
 */
void
vpc_registry_tick(struct vpc_registry *rg)
{
	struct vpc_obj *o;
	uint64_t now;
	uint32_t i;

	now = vpc_os_uptime_ms();
	vpc_os_mtx_lock(rg->rg_mtx);
	for (i = 0; i <= rg->rg_hmask; i++) {
		for (o = rg->rg_hash[i]; o != NULL; o = o->o_hnext) {
			if (o->o_type == VPC_TYPE_SWITCH) {
				vpc_os_mtx_lock(o->o_mtx);
				(void)vpc_htab_remove_if(VPC_SW(o)->sw_l2,
				    vpc_l2_expired, &now);
				vpc_os_mtx_unlock(o->o_mtx);
			} else if (o->o_type == VPC_TYPE_VPCLINK) {
				vpc_os_mtx_lock(o->o_mtx);
				(void)vpc_htab_remove_if(VPC_VL(o)->vl_fwd,
				    vpc_fwd_expired, &now);
				vpc_os_mtx_unlock(o->o_mtx);
			}
		}
	}
	vpc_os_mtx_unlock(rg->rg_mtx);
}
