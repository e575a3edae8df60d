/*
 * fz_pkt.c: the packet harnesses' topology, checking host and per-frame
 * invariants (see fz_pkt.h).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "fz_pkt.h"
#include "vpc_htab.h"
#include "vpc_obj.h"

#define	NSW		2
#define	HEADROOM	VPC_PKT_HEADROOM
#define	PULLUP		VPC_PKT_PULLUP
#define	LINK_VL		0
#define	LINK_EL		1
#define	NONE		(-1)

/* A guest NIC and its port. */
struct nic_spec {
	uint32_t	ns_type;	/* VMNIC or VPCI */
	uint8_t		ns_mac[6];
	int		ns_sw;		/* switch index, NONE: no switch */
	int		ns_port;	/* has a port */
	uint32_t	ns_vni;
	uint16_t	ns_vlan;
};

/* An uplink port. */
struct up_spec {
	int		us_sw;		/* switch index, NONE: no switch */
	uint32_t	us_vni;
	int		us_link;	/* LINK_VL or LINK_EL */
	uint16_t	us_vlan;	/* ethlink: the port's VLAN */
};

struct arp_spec {
	int		as_sw;
	uint32_t	as_vni;
	uint8_t		as_ip[4];
	uint8_t		as_mac[6];
};

struct fwd_spec {
	uint32_t	fs_vni;
	uint8_t		fs_mac[6];
	const char	*fs_remote;
};

#define	FLOOD_MAXN	4
struct flood_spec {
	int		fl_sw;
	uint32_t	fl_vni;
	uint32_t	fl_n;
	const char	*fl_addrs[FLOOD_MAXN];
};

static const struct nic_spec nic_specs[FZ_NNIC] = {
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 1, 1 }, 0, 1, 100, 0 },
	{ VPC_TYPE_VPCI,  { 2, 0, 0, 0, 1, 2 }, 0, 1, 100, 0 },
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 1, 3 }, 0, 1, 100, 10 },
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 2, 1 }, 0, 1, 200, 0 },
	{ VPC_TYPE_VPCI,  { 2, 0, 0, 0, 2, 2 }, 0, 1, 200, 20 },
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 3, 1 }, 1, 1, 300, 0 },
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 3, 2 }, 1, 1, 300, 0 },
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 4, 1 }, 1, 1, 400, 0 },
	/* Another tenant's switch reusing VNI 100: no uplink there. */
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 1, 4 }, 1, 1, 100, 0 },
	/* A port connected but in no switch, and a NIC without a port. */
	{ VPC_TYPE_VMNIC, { 2, 0, 0, 0, 9, 1 }, NONE, 1, 100, 0 },
	{ VPC_TYPE_VPCI,  { 2, 0, 0, 0, 9, 2 }, NONE, 0, 0, 0 },
};

static const struct up_spec up_specs[] = {
	{ 0, 100, LINK_VL, 0 },
	{ 0, 200, LINK_VL, 0 },
	{ 1, 300, LINK_VL, 0 },
	{ 1, 400, LINK_EL, 0 },
	{ 1, 401, LINK_EL, 41 },
	{ 0, 500, LINK_VL, 0 },		/* no local port in VNI 500 */
	{ NONE, 600, LINK_VL, 0 },	/* port in no switch */
};

static const struct arp_spec arp_specs[] = {
	{ 0, 100, { 192, 0, 2, 1 }, { 2, 0, 0, 0, 1, 1 } },
	{ 0, 100, { 192, 0, 2, 2 }, { 2, 0, 0, 0, 1, 2 } },
	{ 0, 100, { 192, 0, 2, 10 }, { 2, 0, 0, 0, 10, 1 } },
	{ 0, 200, { 192, 0, 2, 1 }, { 2, 0, 0, 0, 2, 1 } },
	{ 1, 300, { 192, 0, 2, 1 }, { 2, 0, 0, 0, 3, 1 } },
	{ 1, 400, { 192, 0, 2, 5 }, { 2, 0, 0, 0, 4, 1 } },
	{ 1, 100, { 192, 0, 2, 1 }, { 2, 0, 0, 0, 1, 4 } },
};

static const struct fwd_spec fwd_specs[] = {
	{ 100, { 2, 0, 0, 0, 10, 1 }, "198.51.100.2" },
	{ 100, { 2, 0, 0, 0, 10, 2 }, "2001:db8::2" },	/* wrong family */
	{ 200, { 2, 0, 0, 0, 11, 1 }, "198.51.100.3" },
	{ 300, { 2, 0, 0, 0, 12, 1 }, "198.51.100.2" },
	{ 500, { 2, 0, 0, 0, 13, 1 }, "198.51.100.3" },
	/* A MAC that is local in VNI 100 but remote in VNI 200. */
	{ 200, { 2, 0, 0, 0, 1, 1 }, "203.0.113.7" },
};

static const struct flood_spec flood_specs[] = {
	{ 0, 100, 3, { "198.51.100.2", "198.51.100.3", "198.51.100.1" } },
	{ 0, 200, 2, { "198.51.100.3", "2001:db8::3" } },
	{ 1, 300, 1, { "198.51.100.2" } },
};

static const char *const vxlan_srcs[] = {
	"198.51.100.2", "198.51.100.3", "198.51.100.1", "2001:db8::2",
	"203.0.113.9",
};

/* The topology, built once. */
struct fz_world {
	struct vpc_registry	*w_rg;
	struct vpc_desc		*w_sw[NSW];
	struct vpc_desc		*w_vl;
	struct vpc_desc		*w_el;
	struct vpc_desc		*w_nic[FZ_NNIC];
	struct vpc_desc		*w_nicport[FZ_NNIC];
	struct vpc_desc		*w_up[nitems(up_specs)];
	struct vpc_desc		*w_idle;	/* port in sw 0, no peer */
	struct vpc_obj		*w_objs[64];	/* every object */
	uint32_t		 w_nobjs;
	uint32_t		 w_mode[NSW];	/* current modes */
	uint32_t		 w_l2base[NSW];	/* static sw_l2 entries */
	uint32_t		 w_fwdbase;	/* static vl_fwd entries */
	struct vpc_ipaddr	 w_local;	/* the vpclink's address */
};

/* One frame's expectations and what the host saw. */
struct fz_frame {
	struct vpc_pkt		*f_pkt;		/* what the core was given */
	const uint8_t		*f_lo;		/* buffer bounds */
	const uint8_t		*f_hi;
	const uint8_t		*f_orig;	/* the frame as it entered */
	size_t			 f_len;
	int			 f_sw;		/* switch, NONE: unknown */
	uint32_t		 f_vni;		/* VNI, valid if f_sw != NONE */
	struct vpc_obj		*f_in;		/* ingress NIC or vpclink */
	int			 f_uplink;	/* came from the underlay */
	int			 f_decap;	/* strip 8 bytes of VXLAN */
	int			 f_fail;	/* ho_output fails */
	uint32_t		 f_nout;
	uint32_t		 f_nlast;
	uint32_t		 f_floodmask;	/* flood remotes seen */
};

static struct fz_world	 world;
static struct fz_frame	*cur;
static volatile uint8_t	 sink;

static int	host_output(void *host, struct vpc_obj *o, struct vpc_pkt *p,
		    const struct vpc_txinfo *tx);
static void	world_build(void);
static void	obj_add(struct vpc_desc *d);
static struct vpc_desc *port_make(uint32_t idn, uint32_t vni, uint16_t vlan);
static int	nic_index(const struct vpc_obj *o);
static int	up_index(int link, uint16_t vlan);
static void	check_remote(const struct vpc_pkt *p,
		    const struct vpc_txinfo *tx);
static void	check_reply(const struct vpc_pkt *p);
static void	check_same(const struct vpc_pkt *p);
static uint64_t	drops_total(uint64_t *txerr);
static void	modes_set(uint8_t bits);
static void	modes_restore(void);
static int	silent_flood(const struct fz_frame *fr);
static int	tolerated(unsigned bit, int matches);
static int	undeletable(const struct vpc_fwd *f);
static void	run(struct fz_frame *fr, const uint8_t hdr[FZ_HDRLEN],
		    const uint8_t *f, size_t len, struct vpc_nic *nic,
		    const struct vpc_ipaddr *src);

static const struct vpc_host_ops fz_ops = {
	.ho_get = fz_host_get,
	.ho_output = host_output,
};

static int
nic_index(const struct vpc_obj *o)
{
	int i;

	for (i = 0; i < FZ_NNIC; i++)
		if (world.w_nic[i]->d_obj == o)
			return (i);
	return (NONE);
}

/* The ethlink uplink whose effective VLAN is 'vlan'. */
static int
up_index(int link, uint16_t vlan)
{
	size_t i;

	for (i = 0; i < nitems(up_specs); i++)
		if (up_specs[i].us_link == link && (link == LINK_VL ||
		    up_specs[i].us_vlan == vlan))
			return ((int)i);
	return (NONE);
}

/* An encapsulated copy: towards a remote allowed for this frame. */
static void
check_remote(const struct vpc_pkt *p, const struct vpc_txinfo *tx)
{
	struct vpc_ipaddr a;
	const uint8_t *dst = p->p_data;
	size_t i, k;
	int up = NONE;

	FZ_CHECK(!cur->f_uplink);		/* split horizon */
	FZ_CHECK(cur->f_sw != NONE);
	for (i = 0; i < nitems(up_specs); i++)
		if (up_specs[i].us_link == LINK_VL &&
		    up_specs[i].us_sw == cur->f_sw &&
		    up_specs[i].us_vni == cur->f_vni)
			up = (int)i;
	FZ_CHECK(up != NONE);			/* the VNI has this uplink */
	FZ_CHECK(tx->tx_vxlan[0] == 0x08 && tx->tx_vxlan[1] == 0 &&
	    tx->tx_vxlan[2] == 0 && tx->tx_vxlan[3] == 0 &&
	    tx->tx_vxlan[7] == 0);
	FZ_CHECK(((uint32_t)tx->tx_vxlan[4] << 16 |
	    (uint32_t)tx->tx_vxlan[5] << 8 | tx->tx_vxlan[6]) == cur->f_vni);
	FZ_CHECK(tx->tx_remote.va_family == world.w_local.va_family);
	FZ_CHECK(memcmp(&tx->tx_remote, &world.w_local, sizeof(a)) != 0);
	/*
	 * A forwarding entry for the destination decides alone, except
	 * that a LEARNING switch floods what its own table does not know
	 * (and then the vpclink replicates to the flood list).
	 */
	for (i = 0; i < nitems(fwd_specs); i++) {
		if (fwd_specs[i].fs_vni != cur->f_vni ||
		    memcmp(fwd_specs[i].fs_mac, dst, 6) != 0)
			continue;
		fz_ip(&a, fwd_specs[i].fs_remote);
		if (memcmp(&a, &tx->tx_remote, sizeof(a)) != 0) {
			FZ_CHECK(world.w_mode[cur->f_sw] ==
			    VPC_SW_MODE_LEARNING);
			break;
		}
		FZ_CHECK(cur->f_floodmask == 0);
		cur->f_floodmask = 1;
		return;
	}
	/* Otherwise flooding: each remote of the VNI's list once. */
	FZ_CHECK((dst[0] & 1) != 0 ||
	    world.w_mode[cur->f_sw] == VPC_SW_MODE_LEARNING);
	for (i = 0; i < nitems(flood_specs); i++) {
		if (flood_specs[i].fl_sw != cur->f_sw ||
		    flood_specs[i].fl_vni != cur->f_vni)
			continue;
		for (k = 0; k < flood_specs[i].fl_n; k++) {
			fz_ip(&a, flood_specs[i].fl_addrs[k]);
			if (memcmp(&a, &tx->tx_remote, sizeof(a)) != 0)
				continue;
			FZ_CHECK((cur->f_floodmask & (2u << k)) == 0);
			cur->f_floodmask |= 2u << k;
			return;
		}
	}
	FZ_CHECK(!"encapsulated towards a remote of no entry or list");
}

/* An output back to the ingress NIC: only an ARP proxy reply. */
static void
check_reply(const struct vpc_pkt *p)
{
	const uint8_t *r = p->p_data, *o = cur->f_orig, *ra, *oa;
	size_t i;
	int found = 0;

	FZ_CHECK(!cur->f_uplink && cur->f_sw != NONE);
	FZ_CHECK(p->p_len >= 14 + 28);
	FZ_CHECK(p->p_totlen == cur->f_len || p->p_totlen == cur->f_len - 4);
	oa = o + (p->p_totlen == cur->f_len ? 14 : 18);
	ra = r + 14;
	FZ_CHECK(vpc_get_be16(r + 12) == 0x0806);
	FZ_CHECK(vpc_get_be16(oa + 6) == 1 && vpc_get_be16(ra + 6) == 2);
	FZ_CHECK(memcmp(r, oa + 8, 6) == 0);		/* to the asker */
	FZ_CHECK(memcmp(r + 6, ra + 8, 6) == 0);	/* from the answer */
	FZ_CHECK(memcmp(ra + 14, oa + 24, 4) == 0);	/* the asked IP */
	FZ_CHECK(memcmp(ra + 18, oa + 8, 6) == 0);
	FZ_CHECK(memcmp(ra + 24, oa + 14, 4) == 0);
	/* The answer is the entry of this switch and VNI, no other. */
	for (i = 0; i < nitems(arp_specs); i++)
		if (arp_specs[i].as_sw == cur->f_sw &&
		    arp_specs[i].as_vni == cur->f_vni &&
		    memcmp(arp_specs[i].as_ip, ra + 14, 4) == 0 &&
		    memcmp(arp_specs[i].as_mac, ra + 8, 6) == 0)
			found = 1;
	FZ_CHECK(found);
}

/* Any other output: the frame that entered, minus a tag or VXLAN. */
static void
check_same(const struct vpc_pkt *p)
{
	const uint8_t *o = cur->f_orig;
	size_t n = p->p_len;

	if (cur->f_decap) {
		FZ_CHECK(p->p_totlen + 8 == cur->f_len);
		FZ_CHECK(memcmp(p->p_data, o + 8, n) == 0);
	} else if (p->p_totlen == cur->f_len) {
		FZ_CHECK(memcmp(p->p_data, o, n) == 0);
	} else {
		FZ_CHECK(p->p_totlen + 4 == cur->f_len);
		FZ_CHECK(memcmp(p->p_data, o, 12) == 0);
		FZ_CHECK(memcmp(p->p_data + 12, o + 16, n - 12) == 0);
	}
}

static int
host_output(void *host, struct vpc_obj *o, struct vpc_pkt *p,
    const struct vpc_txinfo *tx)
{
	uint32_t i;
	int k, sw;
	uint32_t vni;

	FZ_CHECK(host == &world && cur != NULL);
	FZ_CHECK(vpc_os_in_epoch());
	FZ_CHECK(p == cur->f_pkt);
	/* The frame is within the buffer the harness made. */
	FZ_CHECK(p->p_len >= 14 && p->p_len <= p->p_totlen);
	FZ_CHECK(p->p_data >= cur->f_lo && p->p_data + p->p_len <= cur->f_hi);
	FZ_CHECK(p->p_headroom == (uint32_t)(p->p_data - cur->f_lo));
	FZ_CHECK(p->p_totlen <= cur->f_len);
	for (i = 0; i < p->p_len; i++)
		sink ^= p->p_data[i];
	FZ_CHECK(cur->f_nlast == 0);		/* nothing after the last */
	cur->f_nout++;
	if (tx->tx_last)
		cur->f_nlast++;

	FZ_CHECK(cur->f_sw != NONE);
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		FZ_CHECK(!tx->tx_encap);
		k = nic_index(o);
		FZ_CHECK(k != NONE && nic_specs[k].ns_port);
		sw = nic_specs[k].ns_sw;
		vni = nic_specs[k].ns_vni;
		FZ_CHECK(tx->tx_vlan == nic_specs[k].ns_vlan);
		if (o == cur->f_in)
			check_reply(p);
		else
			check_same(p);
		break;
	case VPC_TYPE_ETHLINK:
		FZ_CHECK(o == world.w_el->d_obj && !tx->tx_encap);
		FZ_CHECK(!cur->f_uplink);	/* split horizon */
		k = up_index(LINK_EL, tx->tx_vlan);
		FZ_CHECK(k != NONE);
		sw = up_specs[k].us_sw;
		vni = up_specs[k].us_vni;
		check_same(p);
		break;
	case VPC_TYPE_VPCLINK:
		FZ_CHECK(o == world.w_vl->d_obj && tx->tx_encap);
		FZ_CHECK(tx->tx_vlan == 0);
		sw = cur->f_sw;
		vni = cur->f_vni;
		check_same(p);
		check_remote(p, tx);
		break;
	default:
		FZ_CHECK(!"output on an object that cannot send");
		return (EINVAL);
	}
	/* Never into another tenant's switch or segment. */
	FZ_CHECK(sw == cur->f_sw && vni == cur->f_vni);
	return (cur->f_fail ? ENOBUFS : 0);
}

static void
obj_add(struct vpc_desc *d)
{
	FZ_CHECK(world.w_nobjs < nitems(world.w_objs));
	world.w_objs[world.w_nobjs++] = d->d_obj;
	fz_ctl(d, VPC_OP_COMMIT, NULL, 0, NULL, 0);
}

static struct vpc_desc *
port_make(uint32_t idn, uint32_t vni, uint16_t vlan)
{
	struct vpc_desc *d;

	d = fz_open(world.w_rg, VPC_TYPE_PORT, idn,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE);
	fz_ctl32(d, VPC_OP_PORT_VNI_SET, vni);
	fz_ctl32(d, VPC_OP_PORT_VLAN_SET, vlan);
	obj_add(d);
	return (d);
}

static void
world_build(void)
{
	const vpc_flags_t cf = VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE;
	struct {
		struct vpc_flood_hdr	h;
		struct vpc_ipaddr	a[FLOOD_MAXN];
	} fl;
	struct vpc_udpaddr ua;
	struct vpc_neigh ne;
	struct vpc_mac m;
	struct vpc_fwd fw;
	struct vpc_desc *link;
	vpc_id_t id;
	uint32_t idn = 1, k;
	size_t i;

	fz_quiet();
	world.w_rg = vpc_registry_create(&fz_ops, &world);
	FZ_CHECK(world.w_rg != NULL);
	for (i = 0; i < NSW; i++) {
		world.w_sw[i] = fz_open(world.w_rg, VPC_TYPE_SWITCH, idn++, cf);
		obj_add(world.w_sw[i]);
		world.w_mode[i] = VPC_SW_MODE_PROGRAMMED;
	}
	world.w_vl = fz_open(world.w_rg, VPC_TYPE_VPCLINK, idn++, cf);
	memset(&ua, 0, sizeof(ua));
	fz_ip(&ua.vu_addr, "198.51.100.1");
	world.w_local = ua.vu_addr;
	fz_ctl(world.w_vl, VPC_OP_VPCLINK_LOCAL_SET, &ua, sizeof(ua), NULL,
	    0);
	obj_add(world.w_vl);
	world.w_el = fz_open(world.w_rg, VPC_TYPE_ETHLINK, idn++, cf);
	obj_add(world.w_el);

	for (i = 0; i < FZ_NNIC; i++) {
		const struct nic_spec *ns = &nic_specs[i];

		world.w_nic[i] = fz_open(world.w_rg, ns->ns_type, idn++, cf);
		memset(&m, 0, sizeof(m));
		memcpy(m.vm_octet, ns->ns_mac, 6);
		fz_ctl(world.w_nic[i], VPC_OP_MAC_SET, &m, sizeof(m), NULL, 0);
		obj_add(world.w_nic[i]);
		if (!ns->ns_port)
			continue;
		world.w_nicport[i] = port_make(idn++, ns->ns_vni, ns->ns_vlan);
		if (ns->ns_sw != NONE) {
			fz_id(&id, idn - 1);
			fz_ctl(world.w_sw[ns->ns_sw], VPC_OP_SW_PORT_ADD, &id,
			    sizeof(id), NULL, 0);
		}
		fz_id(&id, idn - 2);
		fz_ctl(world.w_nicport[i], VPC_OP_PORT_CONNECT, &id,
		    sizeof(id), NULL, 0);
	}
	for (i = 0; i < nitems(up_specs); i++) {
		const struct up_spec *us = &up_specs[i];

		world.w_up[i] = port_make(idn++, us->us_vni, us->us_vlan);
		fz_id(&id, idn - 1);
		if (us->us_sw != NONE)
			fz_ctl(world.w_sw[us->us_sw], VPC_OP_SW_PORT_ADD, &id,
			    sizeof(id), NULL, 0);
		link = us->us_link == LINK_VL ? world.w_vl : world.w_el;
		id = link->d_obj->o_id;
		fz_ctl(world.w_up[i], VPC_OP_PORT_CONNECT, &id, sizeof(id),
		    NULL, 0);
	}
	world.w_idle = port_make(idn++, 100, 0);
	fz_id(&id, idn - 1);
	fz_ctl(world.w_sw[0], VPC_OP_SW_PORT_ADD, &id, sizeof(id), NULL, 0);

	for (i = 0; i < nitems(arp_specs); i++) {
		memset(&ne, 0, sizeof(ne));
		ne.vn_vni = arp_specs[i].as_vni;
		ne.vn_ip.va_family = VPC_AF_INET;
		memcpy(ne.vn_ip.va_addr, arp_specs[i].as_ip, 4);
		memcpy(ne.vn_mac, arp_specs[i].as_mac, 6);
		fz_ctl(world.w_sw[arp_specs[i].as_sw], VPC_OP_SW_ARP_ADD, &ne,
		    sizeof(ne), NULL, 0);
	}
	for (i = 0; i < nitems(fwd_specs); i++) {
		memset(&fw, 0, sizeof(fw));
		fw.vf_vni = fwd_specs[i].fs_vni;
		memcpy(fw.vf_mac, fwd_specs[i].fs_mac, 6);
		fz_ip(&fw.vf_remote, fwd_specs[i].fs_remote);
		fz_ctl(world.w_vl, VPC_OP_VPCLINK_FWD_SET, &fw, sizeof(fw),
		    NULL, 0);
	}
	for (i = 0; i < nitems(flood_specs); i++) {
		memset(&fl, 0, sizeof(fl));
		fl.h.vfh_vni = flood_specs[i].fl_vni;
		fl.h.vfh_count = flood_specs[i].fl_n;
		for (k = 0; k < flood_specs[i].fl_n; k++)
			fz_ip(&fl.a[k], flood_specs[i].fl_addrs[k]);
		fz_ctl(world.w_sw[flood_specs[i].fl_sw], VPC_OP_SW_FLOOD_SET,
		    &fl, sizeof(fl.h) + k * sizeof(fl.a[0]), NULL, 0);
	}
	for (i = 0; i < NSW; i++) {
		struct vpc_switch *sw = VPC_SW(world.w_sw[i]->d_obj);

		vpc_os_mtx_lock(sw->sw_obj.o_mtx);
		world.w_l2base[i] = vpc_htab_count(sw->sw_l2);
		vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
	}
	world.w_fwdbase = nitems(fwd_specs);
}

/* Sum of every object's drops; 'txerr' gets the tx_error ones. */
static uint64_t
drops_total(uint64_t *txerr)
{
	struct vpc_stats s;
	uint64_t t = 0, sum;
	uint32_t i, k;

	*txerr = 0;
	for (i = 0; i < world.w_nobjs; i++) {
		vpc_stats_read(world.w_objs[i], &s);
		for (sum = 0, k = 0; k < VPC_DROP_SLOTS; k++)
			sum += s.vs_drops[k];
		FZ_CHECK(sum == s.vs_drops_total);
		FZ_CHECK(s.vs_drops[VPC_DROP_NONE] == 0);
		t += s.vs_drops_total;
		*txerr += s.vs_drops[VPC_DROP_TX_ERROR];
	}
	return (t);
}

static void
modes_set(uint8_t bits)
{
	uint32_t i, mode;

	for (i = 0; i < NSW; i++) {
		mode = (bits >> i) & 1 ? VPC_SW_MODE_LEARNING :
		    VPC_SW_MODE_PROGRAMMED;
		if (mode == world.w_mode[i])
			continue;
		fz_ctl32(world.w_sw[i], VPC_OP_SW_MODE_SET, mode);
		world.w_mode[i] = mode;
	}
}

/* Forget what the frame taught: the tables are as built again. */
static void
modes_restore(void)
{
	static struct vpc_fwd list[256];
	struct vpc_vpclink *vl = VPC_VL(world.w_vl->d_obj);
	size_t n, i;
	uint32_t c;
	int learned = 0;

	for (i = 0; i < NSW; i++)
		learned |= world.w_mode[i] == VPC_SW_MODE_LEARNING;
	modes_set(0);
	if (learned) {
		n = sizeof(list);
		FZ_CHECK(vpc_desc_ctl(world.w_vl, VPC_OP_VPCLINK_FWD_LIST,
		    NULL, 0, list, &n, &fz_priv) == 0);
		for (i = 0; i < n / sizeof(list[0]); i++) {
			if ((list[i].vf_flags & VPC_FWD_F_LEARNED) == 0)
				continue;
			list[i].vf_flags = 0;
			if (undeletable(&list[i]))
				continue;
			fz_ctl(world.w_vl, VPC_OP_VPCLINK_FWD_DEL, &list[i],
			    sizeof(list[i]), NULL, 0);
		}
	}
	/* PROGRAMMED mode keeps no learned entry. */
	for (i = 0; i < NSW; i++) {
		struct vpc_switch *sw = VPC_SW(world.w_sw[i]->d_obj);

		vpc_os_mtx_lock(sw->sw_obj.o_mtx);
		c = vpc_htab_count(sw->sw_l2);
		vpc_os_mtx_unlock(sw->sw_obj.o_mtx);
		FZ_CHECK(c == world.w_l2base[i]);
	}
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	c = vpc_htab_count(vl->vl_fwd);
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	FZ_CHECK(c == world.w_fwdbase);
}

/*
 * Known finding F1: a LEARNING-mode flood with no port to go to (no
 * other connected port of the segment and no uplink) leaves without
 * output and without a counted drop.  True if 'fr' was such a flood.
 */
static int
silent_flood(const struct fz_frame *fr)
{
	size_t i;
	int k;

	if (fr->f_sw == NONE ||
	    world.w_mode[fr->f_sw] != VPC_SW_MODE_LEARNING)
		return (0);
	k = nic_index(fr->f_in);
	for (i = 0; i < FZ_NNIC; i++)
		if ((int)i != k && nic_specs[i].ns_port &&
		    nic_specs[i].ns_sw == fr->f_sw &&
		    nic_specs[i].ns_vni == fr->f_vni)
			return (0);
	for (i = 0; i < nitems(up_specs); i++)
		if (!fr->f_uplink && up_specs[i].us_sw == fr->f_sw &&
		    up_specs[i].us_vni == fr->f_vni)
			return (0);
	return (1);
}

/*
 * Known finding F2: the data path learns the all-zero source MAC into
 * vl_fwd (and sw_l2), but VPC_OP_VPCLINK_FWD_DEL refuses that MAC with
 * EINVAL, so the entry cannot be removed through the API.  If 'f' is
 * such an entry and F2 is tolerated, remove it behind the API's back
 * (so that the next input finds the tables as built) and return 1.
 */
static int
undeletable(const struct vpc_fwd *f)
{
	static const uint8_t zero[6];
	struct vpc_vpclink *vl = VPC_VL(world.w_vl->d_obj);
	size_t n = 0;
	int error;

	if (memcmp(f->vf_mac, zero, 6) != 0)
		return (0);
	error = vpc_desc_ctl(world.w_vl, VPC_OP_VPCLINK_FWD_DEL, f,
	    sizeof(*f), NULL, &n, &fz_priv);
	if (error == 0)
		return (1);
	fprintf(stderr, "learned entry (vni %u, 00:00:00:00:00:00): "
	    "FWD_DEL errno %d\n", f->vf_vni, error);
	FZ_CHECK(tolerated(FZ_KNOWN_ZEROMAC, 1));
	vpc_os_mtx_lock(vl->vl_obj.o_mtx);
	FZ_CHECK(vpc_htab_remove(vl->vl_fwd,
	    VPC_L2KEY(f->vf_vni, vpc_mac48(f->vf_mac))) == 0);
	vpc_os_mtx_unlock(vl->vl_obj.o_mtx);
	return (1);
}

/* Whether known finding 'bit' is to be let through ($FZ_TOLERATE). */
static int
tolerated(unsigned bit, int matches)
{
	static int mask = -1;
	const char *e;

	if (mask == -1) {
		e = getenv("FZ_TOLERATE");
		mask = e != NULL ? (int)strtoul(e, NULL, 0) : 0;
	}
	return (matches && (mask & (int)bit) != 0);
}

static void
run(struct fz_frame *fr, const uint8_t hdr[FZ_HDRLEN], const uint8_t *f,
    size_t len, struct vpc_nic *nic, const struct vpc_ipaddr *src)
{
	struct vpc_pkt pkt;
	uint64_t d0, d1, e0, e1;
	uint8_t *buf;
	size_t win;

	if (world.w_rg == NULL)
		world_build();
	if (len > 65535)
		return;
	modes_set(hdr[FZ_HDR_MODES]);
	/* The host contract: at least PULLUP bytes contiguous, or all. */
	win = len;
	if ((hdr[FZ_HDR_FLAGS] & FZ_F_WINDOW) != 0 && len > PULLUP)
		win = PULLUP + hdr[FZ_HDR_WIN] % (len - PULLUP + 1);
	buf = malloc(HEADROOM + win + 1);
	FZ_CHECK(buf != NULL);
	memcpy(buf + HEADROOM, f, win);
	vpc_pkt_init(&pkt, buf + HEADROOM, (uint32_t)win, (uint32_t)len,
	    HEADROOM, NULL);
	pkt.p_gso_type = (hdr[FZ_HDR_FLAGS] & FZ_F_GSO_MASK) >> 1;
	if (pkt.p_gso_type != VPC_GSO_NONE)
		pkt.p_gso_size = (uint16_t)(hdr[FZ_HDR_GSO] * 8);
	if ((hdr[FZ_HDR_FLAGS] & FZ_F_CSUM) != 0) {
		pkt.p_offload = VPC_PKT_CSUM_PARTIAL;
		pkt.p_csum_start = 34;
		pkt.p_csum_offset = 16;
	}
	fr->f_pkt = &pkt;
	fr->f_lo = buf;
	fr->f_hi = buf + HEADROOM + win;
	fr->f_orig = f;
	fr->f_len = len;
	fr->f_fail = (hdr[FZ_HDR_FLAGS] & FZ_F_OUTFAIL) != 0;
	cur = fr;

	d0 = drops_total(&e0);
	if (nic != NULL)
		vpc_input_nic(nic, &pkt);
	else
		vpc_input_vpclink(VPC_VL(world.w_vl->d_obj), &pkt, src);
	d1 = drops_total(&e1);
	cur = NULL;

	FZ_CHECK(fr->f_nout == 0 || fr->f_nlast == 1);
	/* Nothing left: counted as exactly one drop. */
	if (fr->f_nout == 0 && d1 != d0 + 1 &&
	    !(d1 == d0 && tolerated(FZ_KNOWN_SILENT, silent_flood(fr)))) {
		fprintf(stderr, "no output and %llu drops counted (switch "
		    "%d vni %u, modes %u/%u)\n", (unsigned long long)(d1 - d0),
		    fr->f_sw, fr->f_vni, world.w_mode[0], world.w_mode[1]);
		FZ_CHECK(!"no output, and not exactly one drop counted");
	} else if (fr->f_nout == 0) {
		/* counted */
	} else if (fr->f_fail) {
		FZ_CHECK(e1 - e0 == fr->f_nout);
	} else
		FZ_CHECK(e1 == e0);
	free(buf);
	modes_restore();
}

void
fz_pkt_nic(const uint8_t hdr[FZ_HDRLEN], const uint8_t *f, size_t len)
{
	struct fz_frame fr;
	int k = hdr[FZ_HDR_SEL] % FZ_NNIC;

	if (world.w_rg == NULL)
		world_build();
	memset(&fr, 0, sizeof(fr));
	fr.f_in = world.w_nic[k]->d_obj;
	fr.f_sw = nic_specs[k].ns_port ? nic_specs[k].ns_sw : NONE;
	fr.f_vni = nic_specs[k].ns_vni;
	run(&fr, hdr, f, len, VPC_NIC(fr.f_in), NULL);
}

void
fz_pkt_vxlan(const uint8_t hdr[FZ_HDRLEN], const uint8_t *f, size_t len)
{
	struct fz_frame fr;
	struct vpc_ipaddr src;
	size_t i;

	if (world.w_rg == NULL)
		world_build();
	memset(&fr, 0, sizeof(fr));
	fz_ip(&src, vxlan_srcs[hdr[FZ_HDR_SEL] % nitems(vxlan_srcs)]);
	fr.f_in = world.w_vl->d_obj;
	fr.f_uplink = 1;
	fr.f_decap = 1;
	fr.f_sw = NONE;
	if (len >= 8) {
		fr.f_vni = (uint32_t)f[4] << 16 | (uint32_t)f[5] << 8 | f[6];
		for (i = 0; i < nitems(up_specs); i++)
			if (up_specs[i].us_link == LINK_VL &&
			    up_specs[i].us_vni == fr.f_vni)
				fr.f_sw = up_specs[i].us_sw;
	}
	run(&fr, hdr, f, len, NULL, &src);
}
