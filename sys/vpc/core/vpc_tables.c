/*
 * vpc_tables.c: the entry types of the core's hash tables.
 *
 * For each entry type: a constructor that allocates and fills a private
 * entry (the caller gives it to a table with vpc_htab_insert()), and the
 * free operation a table uses for retired entries.  A flood entry and its
 * address array are one allocation, so every entry is freed with one
 * vpc_os_free().
 */

#include "vpc_os.h"
#include "vpc_htab.h"
#include "vpc_var.h"

static void	ent_free(struct vpc_hentry *e);
static bool	ipaddr_eq(const struct vpc_ipaddr *a,
		    const struct vpc_ipaddr *b);

const struct vpc_htab_ops vpc_l2ent_ops = { ent_free };
const struct vpc_htab_ops vpc_arpent_ops = { ent_free };
const struct vpc_htab_ops vpc_floodent_ops = { ent_free };
const struct vpc_htab_ops vpc_portent_ops = { ent_free };
const struct vpc_htab_ops vpc_fwdent_ops = { ent_free };

/*
 * Every entry type embeds its vpc_hentry first and is one allocation, so
 * the entry pointer is the allocation.
 */
_Static_assert(__builtin_offsetof(struct vpc_l2ent, l2_h) == 0, "l2_h");
_Static_assert(__builtin_offsetof(struct vpc_arpent, ae_h) == 0, "ae_h");
_Static_assert(__builtin_offsetof(struct vpc_floodent, fe_h) == 0, "fe_h");
_Static_assert(__builtin_offsetof(struct vpc_portent, pe_h) == 0, "pe_h");
_Static_assert(__builtin_offsetof(struct vpc_fwdent, fw_h) == 0, "fw_h");

static void
ent_free(struct vpc_hentry *e)
{
	vpc_os_free(e);
}

static bool
ipaddr_eq(const struct vpc_ipaddr *a, const struct vpc_ipaddr *b)
{
	return (vpc_memcmp(a, b, sizeof(*a)) == 0);
}

struct vpc_l2ent *
vpc_l2ent_alloc(uint32_t vni, const uint8_t mac[6], struct vpc_port *port,
    uint16_t flags)
{
	struct vpc_l2ent *l2;

	l2 = vpc_os_malloc(sizeof(*l2));
	if (l2 == NULL)
		return (NULL);
	VPC_ASSERT(port != NULL);
	l2->l2_h.he_key = VPC_L2KEY(vni, vpc_mac48(mac));
	l2->l2_h.he_val = (uint64_t)(uintptr_t)port;
	l2->l2_port = port;
	l2->l2_seen_ms = vpc_os_uptime_ms();
	l2->l2_flags = flags;
	return (l2);
}


struct vpc_arpent *
vpc_arpent_alloc(uint32_t vni, const uint8_t ip4[4], const uint8_t mac[6])
{
	struct vpc_arpent *ae;

	ae = vpc_os_malloc(sizeof(*ae));
	if (ae == NULL)
		return (NULL);
	ae->ae_h.he_key = VPC_L3KEY4(vni, vpc_get_be32(ip4));
	ae->ae_h.he_val = VPC_ARPVAL(vpc_mac48(mac));
	vpc_memcpy(ae->ae_mac, mac, 6);
	return (ae);
}


/*
 * The flood list keeps the first occurrence of each address, so head-end
 * replication sends exactly one copy per remote whatever the input held.
 * O(count^2) on at most VPC_FLOOD_MAX addresses, on the control path.
 */
struct vpc_floodent *
vpc_floodent_alloc(uint32_t vni, const struct vpc_ipaddr *addrs,
    uint32_t count)
{
	struct vpc_floodent *fe;
	uint32_t i, j, n;

	if (count > VPC_FLOOD_MAX)
		return (NULL);
	fe = vpc_os_malloc(sizeof(*fe) + (size_t)count * sizeof(*addrs));
	if (fe == NULL)
		return (NULL);
	fe->fe_h.he_key = VPC_KEY(vni);
	fe->fe_addrs = (struct vpc_ipaddr *)(void *)(fe + 1);
	n = 0;
	for (i = 0; i < count; i++) {
		for (j = 0; j < n; j++) {
			if (ipaddr_eq(&fe->fe_addrs[j], &addrs[i]))
				break;
		}
		if (j == n)
			fe->fe_addrs[n++] = addrs[i];
	}
	fe->fe_count = n;
	return (fe);
}


struct vpc_portent *
vpc_portent_alloc(uint64_t key, struct vpc_port *port)
{
	struct vpc_portent *pe;

	pe = vpc_os_malloc(sizeof(*pe));
	if (pe == NULL)
		return (NULL);
	VPC_ASSERT(port != NULL);
	pe->pe_h.he_key = VPC_KEY(key);
	pe->pe_h.he_val = (uint64_t)(uintptr_t)port;
	pe->pe_port = port;
	return (pe);
}


struct vpc_fwdent *
vpc_fwdent_alloc(uint32_t vni, const uint8_t mac[6],
    const struct vpc_ipaddr *remote, uint16_t flags)
{
	struct vpc_fwdent *fw;

	fw = vpc_os_malloc(sizeof(*fw));
	if (fw == NULL)
		return (NULL);
	fw->fw_h.he_key = VPC_L2KEY(vni, vpc_mac48(mac));
	/* An IPv4 remote inline; otherwise the value is the entry. */
	if (remote->va_family == VPC_AF_INET)
		fw->fw_h.he_val = (uint64_t)vpc_get_be32(remote->va_addr) <<
		    32 | VPC_FWDVAL_INET4;
	fw->fw_remote = *remote;
	fw->fw_seen_ms = vpc_os_uptime_ms();
	fw->fw_flags = flags;
	return (fw);
}

/* The ARP proxy entry 'ae' as a struct vpc_neigh in 'n'. */
void
vpc_arpent_neigh(const struct vpc_arpent *ae, struct vpc_neigh *n)
{
	vpc_memset(n, 0, sizeof(*n));
	n->vn_vni = ae->ae_h.he_key.hk_hi;
	n->vn_ip.va_family = VPC_AF_INET;
	vpc_put_be32(n->vn_ip.va_addr, (uint32_t)ae->ae_h.he_key.hk_lo);
	vpc_memcpy(n->vn_mac, ae->ae_mac, 6);
}

/* The forwarding entry 'fw' as a struct vpc_fwd in 'f'. */
void
vpc_fwdent_fwd(const struct vpc_fwdent *fw, struct vpc_fwd *f)
{
	vpc_memset(f, 0, sizeof(*f));
	f->vf_vni = fw->fw_h.he_key.hk_hi;
	vpc_mac48_put(fw->fw_h.he_key.hk_lo, f->vf_mac);
	f->vf_flags = fw->fw_flags;
	f->vf_remote = fw->fw_remote;
}
