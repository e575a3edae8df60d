/*
 * vpct_reg.c: helpers the registry and ctl tests share (vpct_reg.h).
 */

#include <string.h>

#include "vpct.h"
#include "vpct_reg.h"

const struct vpc_cred vpct_priv = { 0, 1, { 0 } };
const struct vpc_cred vpct_user = { 1000, 0, { 0 } };

vpc_id_t
vpct_id(unsigned n)
{
	vpc_id_t id;
	unsigned i;

	memset(&id, 0, sizeof(id));
	if (n == 0)
		return (id);
	for (i = 0; i < 16; i++)
		id.vi_bytes[i] = (uint8_t)(0x10 + i);
	id.vi_bytes[14] = (uint8_t)(n >> 8);
	id.vi_bytes[15] = (uint8_t)n;
	return (id);
}

struct vpc_desc *
vpct_open(struct vpc_registry *rg, unsigned n, uint32_t type)
{
	struct vpc_desc *d = NULL;
	vpc_id_t id = vpct_id(n);

	VPCT_EQ(vpc_desc_open(rg, &id, type,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE, &vpct_priv, &d), 0);
	VPCT_REQUIRE(d != NULL);
	return (d);
}

int
vpct_ctl(struct vpc_desc *d, vpc_op_t op, const void *in, size_t len)
{
	size_t n = 0;

	return (vpc_desc_ctl(d, op, in, len, NULL, &n, &vpct_priv));
}

int
vpct_ctl_out(struct vpc_desc *d, vpc_op_t op, const void *in, size_t len,
    void *out, size_t cap, size_t *outlen)
{
	*outlen = cap;
	return (vpc_desc_ctl(d, op, in, len, out, outlen, &vpct_priv));
}

int
vpct_set32(struct vpc_desc *d, vpc_op_t op, uint32_t v)
{
	return (vpct_ctl(d, op, &v, sizeof(v)));
}

uint32_t
vpct_get32(struct vpc_desc *d, vpc_op_t op)
{
	uint32_t v = 0xdeadbeef;
	size_t n;

	VPCT_EQ(vpct_ctl_out(d, op, NULL, 0, &v, sizeof(v), &n), 0);
	VPCT_EQ(n, sizeof(v));
	return (v);
}

int
vpct_idop(struct vpc_desc *d, vpc_op_t op, unsigned n)
{
	vpc_id_t id = vpct_id(n);

	return (vpct_ctl(d, op, &id, sizeof(id)));
}

struct vpc_ipaddr
vpct_addr4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct vpc_ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	ip.va_family = VPC_AF_INET;
	ip.va_addr[0] = a;
	ip.va_addr[1] = b;
	ip.va_addr[2] = c;
	ip.va_addr[3] = d;
	return (ip);
}
