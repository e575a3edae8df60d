/*
 * fz_util.c: shared helpers of the fuzz harnesses (see fz_util.h).
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fz_util.h"
#include "vpc_os_user.h"

const struct vpc_cred fz_priv = { .vc_uid = 0, .vc_priv = 1 };
const struct vpc_cred fz_user = { .vc_uid = 65534, .vc_priv = 0 };

void
fz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz invariant failed: %s:%d: %s\n", file, line,
	    what);
	abort();
}

void
fz_quiet(void)
{
	vpc_os_user_log_level(VPC_LOG_ERR - 1);
}

void
fz_id(vpc_id_t *id, uint32_t n)
{
	memset(id, 0, sizeof(*id));
	if (n == 0)
		return;
	id->vi_bytes[0] = 0xf2;
	id->vi_bytes[6] = 0x40;		/* version 4 */
	id->vi_bytes[8] = 0x80;		/* variant */
	id->vi_bytes[12] = (uint8_t)(n >> 16);
	id->vi_bytes[13] = (uint8_t)(n >> 8);
	id->vi_bytes[14] = (uint8_t)n;
	id->vi_bytes[15] = 0x10;
}

struct vpc_desc *
fz_open(struct vpc_registry *rg, uint32_t type, uint32_t idn,
    vpc_flags_t flags)
{
	struct vpc_desc *d;
	vpc_id_t id;
	int error;

	fz_id(&id, idn);
	error = vpc_desc_open(rg, &id, type, flags, &fz_priv, &d);
	if (error != 0)
		fprintf(stderr, "fixture: open type %u id %u: errno %d\n",
		    type, idn, error);
	FZ_CHECK(error == 0);
	return (d);
}

void
fz_ctl(struct vpc_desc *d, vpc_op_t op, const void *in, size_t innbyte,
    void *out, size_t outnbyte)
{
	size_t n = outnbyte;
	int error;

	error = vpc_desc_ctl(d, op, in, innbyte, out, &n, &fz_priv);
	if (error != 0)
		fprintf(stderr, "fixture: op %#x: errno %d\n", op, error);
	FZ_CHECK(error == 0);
}

void
fz_ctl32(struct vpc_desc *d, vpc_op_t op, uint32_t v)
{
	fz_ctl(d, op, &v, sizeof(v), NULL, 0);
}

void
fz_ip(struct vpc_ipaddr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	if (strchr(text, ':') != NULL) {
		a->va_family = VPC_AF_INET6;
		FZ_CHECK(inet_pton(AF_INET6, text, a->va_addr) == 1);
	} else {
		a->va_family = VPC_AF_INET;
		FZ_CHECK(inet_pton(AF_INET, text, a->va_addr) == 1);
	}
}

uint8_t
fz_u8(struct fz_rd *r)
{
	uint8_t v;

	if (r->r_left == 0)
		return (0);
	v = *r->r_p++;
	r->r_left--;
	return (v);
}

uint16_t
fz_u16(struct fz_rd *r)
{
	uint16_t v = fz_u8(r);

	return ((uint16_t)(v | fz_u8(r) << 8));
}

uint32_t
fz_u32(struct fz_rd *r)
{
	uint32_t v = fz_u16(r);

	return (v | (uint32_t)fz_u16(r) << 16);
}

void
fz_bytes(struct fz_rd *r, void *dst, size_t n)
{
	size_t k = n < r->r_left ? n : r->r_left;

	memcpy(dst, r->r_p, k);
	memset((uint8_t *)dst + k, 0, n - k);
	r->r_p += k;
	r->r_left -= k;
}

int
fz_host_get(void *host __unused, struct vpc_obj *o __unused, enum vpc_attr a,
    void *val, size_t len)
{
	uint32_t mtu = 1500;

	switch (a) {
	case VPC_ATTR_UNDERLAY_MTU:
		FZ_CHECK(len == sizeof(mtu));
		memcpy(val, &mtu, sizeof(mtu));
		return (0);
	case VPC_ATTR_IFNAME:
		FZ_CHECK(len == VPC_IFNAMSIZ);
		memset(val, 0, len);
		memcpy(val, "fz0", 3);
		return (0);
	default:
		return (ENXIO);
	}
}
