/*
 * vpcd_host.c: the core's device operations (struct vpc_host_ops) for
 * vpcd, dispatched per object type, and helpers the device files share:
 * a frame as an iovec with a VLAN tag inserted and TAP unit numbers
 * (checksums: vpcd_csum.c; receive buffers: vpcd_rxbuf.c).
 *
 * Object types without a device (switch, port, mgmt) get o_dev NULL;
 * their attributes live in the core alone.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpcd.h"

static int	host_create(void *host, struct vpc_obj *o, void **devp);
static void	host_destroy(void *host, struct vpc_obj *o, void *dev);
static int	host_set(void *host, struct vpc_obj *o, enum vpc_attr a,
		    const void *val, size_t len);
static int	host_get(void *host, struct vpc_obj *o, enum vpc_attr a,
		    void *val, size_t len);
static int	host_output(void *host, struct vpc_obj *o, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);

/* What vpcd gives vpc_registry_create(). */
const struct vpc_host_ops vpcd_host_ops = {
	.ho_create = host_create,
	.ho_destroy = host_destroy,
	.ho_set = host_set,
	.ho_get = host_get,
	.ho_output = host_output,
};

static int
host_create(void *host, struct vpc_obj *o, void **devp)
{
	struct vpcd *v = host;
	struct vpcd_dev *dev = NULL;
	int error;

	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		error = vpcd_nic_create(v, o, &dev);
		break;
	case VPC_TYPE_ETHLINK:
		error = vpcd_ethlink_create(v, o, &dev);
		break;
	case VPC_TYPE_VPCLINK:
		error = vpcd_vpclink_create(v, o, &dev);
		break;
	default:
		error = 0;	/* no device */
		break;
	}
	*devp = dev;
	return (error);
}

static void
host_destroy(void *host __unused, struct vpc_obj *o, void *arg)
{
	struct vpcd_dev *dev = arg;

	if (dev == NULL)
		return;
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		vpcd_nic_destroy(dev);
		break;
	case VPC_TYPE_ETHLINK:
		vpcd_ethlink_destroy(dev);
		break;
	case VPC_TYPE_VPCLINK:
		vpcd_vpclink_destroy(dev);
		break;
	default:
		break;
	}
}

static int
host_set(void *host __unused, struct vpc_obj *o, enum vpc_attr a,
    const void *val, size_t len)
{
	struct vpcd_dev *dev = o->o_dev;

	if (dev == NULL)
		return (0);	/* the core's copy is all there is */
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		return (vpcd_nic_set(dev, a, val, len));
	case VPC_TYPE_ETHLINK:
		return (vpcd_ethlink_set(dev, a, val, len));
	case VPC_TYPE_VPCLINK:
		return (vpcd_vpclink_set(dev, a, val, len));
	default:
		return (0);
	}
}

static int
host_get(void *host __unused, struct vpc_obj *o, enum vpc_attr a,
    void *val, size_t len)
{
	struct vpcd_dev *dev = o->o_dev;

	if (dev == NULL)
		return (EOPNOTSUPP);
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		return (vpcd_nic_get(dev, a, val, len));
	case VPC_TYPE_ETHLINK:
		return (vpcd_ethlink_get(dev, a, val, len));
	case VPC_TYPE_VPCLINK:
		return (vpcd_vpclink_get(dev, a, val, len));
	default:
		return (EOPNOTSUPP);
	}
}

static int
host_output(void *host __unused, struct vpc_obj *o, struct vpc_pkt *pkt,
    const struct vpc_txinfo *tx)
{
	struct vpcd_dev *dev = o->o_dev;

	/*
	 * Every device writes synchronously from the frame, so nothing is
	 * kept and tx_last needs no copy.
	 */
	if (dev == NULL)
		return (ENXIO);
	switch (o->o_type) {
	case VPC_TYPE_VMNIC:
	case VPC_TYPE_VPCI:
		return (vpcd_nic_output(dev, pkt, tx));
	case VPC_TYPE_ETHLINK:
		return (vpcd_ethlink_output(dev, pkt, tx));
	case VPC_TYPE_VPCLINK:
		return (vpcd_vpclink_output(dev, pkt, tx));
	default:
		return (EOPNOTSUPP);
	}
}

/*
 * Describe frame 'pkt' as it goes on the wire in at most 3 entries of
 * 'iov', inserting an 802.1Q tag for tx->tx_vlan (built in the caller's
 * 'tag') after the MAC addresses.  Returns the entry count, or 0 if the
 * frame cannot be sent (not contiguous, or too short to tag).
 */
int
vpcd_frame_iov(const struct vpc_pkt *pkt, const struct vpc_txinfo *tx,
    uint8_t tag[4], struct iovec *iov)
{
	if (pkt->p_len != pkt->p_totlen || pkt->p_len < 12)
		return (0);
	if (tx->tx_vlan == 0) {
		iov[0].iov_base = pkt->p_data;
		iov[0].iov_len = pkt->p_len;
		return (1);
	}
	vpc_put_be16(tag, 0x8100);
	vpc_put_be16(tag + 2, tx->tx_vlan & 0x0fff);
	iov[0].iov_base = pkt->p_data;
	iov[0].iov_len = 12;
	iov[1].iov_base = tag;
	iov[1].iov_len = 4;
	iov[2].iov_base = pkt->p_data + 12;
	iov[2].iov_len = pkt->p_len - 12;
	return (3);
}

/*
 * Reserve the lowest free unit number of kind 'which' (VPCD_UNIT_*) of
 * vpcd 'v' into '*unitp'.  Returns 0 or ENOMEM.
 */
int
vpcd_unit_alloc(struct vpcd *v, int which, uint32_t *unitp)
{
	uint8_t *u;
	uint32_t i, n;

	for (i = 0; i < v->v_nunits[which]; i++) {
		if (v->v_units[which][i] == 0) {
			v->v_units[which][i] = 1;
			*unitp = i;
			return (0);
		}
	}
	n = v->v_nunits[which] == 0 ? 64 : v->v_nunits[which] * 2;
	if ((u = realloc(v->v_units[which], n)) == NULL)
		return (ENOMEM);
	memset(u + v->v_nunits[which], 0, n - v->v_nunits[which]);
	v->v_units[which] = u;
	v->v_nunits[which] = n;
	u[i] = 1;
	*unitp = i;
	return (0);
}

/*
 * Keep unit 'unit' of kind 'which' reserved for good: its name is taken
 * by an interface vpcd did not make.
 */
void
vpcd_unit_mark(struct vpcd *v, int which, uint32_t unit)
{
	if (unit < v->v_nunits[which])
		v->v_units[which][unit] = 2;
}

/*
 * Release unit 'unit' of kind 'which'.
 */
void
vpcd_unit_free(struct vpcd *v, int which, uint32_t unit)
{
	if (unit < v->v_nunits[which] && v->v_units[which][unit] == 1)
		v->v_units[which][unit] = 0;
}

/*
 * Print object id 'id' in its UUID form into 'buf', for logs.
 */
void
vpcd_id_format(const vpc_id_t *id, char buf[VPCD_ID_STRLEN])
{
	static const char hex[] = "0123456789abcdef";
	int i, j;

	for (i = 0, j = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[j++] = '-';
		buf[j++] = hex[id->vi_bytes[i] >> 4];
		buf[j++] = hex[id->vi_bytes[i] & 0xf];
	}
	buf[j] = '\0';
}
