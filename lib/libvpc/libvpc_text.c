/*
 * libvpc_text.c: text forms of UUIDs, MAC addresses and IP addresses.
 *
 * Parsers accept one canonical form each and reject everything else with
 * EINVAL, leaving the output untouched; formatters always write a
 * NUL-terminated string that their parser reads back to the same value.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libvpc_impl.h"

#define	LIBVPC_UUID_LEN	36	/* 8-4-4-4-12 */
#define	LIBVPC_MAC_LEN	17	/* aa:bb:cc:dd:ee:ff */

static int	libvpc_hexval(char c);
static int	libvpc_hexbyte(const char *s, uint8_t *b);

static const char libvpc_hexdig[] = "0123456789abcdef";

/* The value of hex digit 'c' (either case), or -1. */
static int
libvpc_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Two hex digits at 's' into '*b'; -1 if either is not one. */
static int
libvpc_hexbyte(const char *s, uint8_t *b)
{
	int hi, lo;

	if ((hi = libvpc_hexval(s[0])) == -1 ||
	    (lo = libvpc_hexval(s[1])) == -1)
		return (-1);
	*b = (uint8_t)(hi << 4 | lo);
	return (0);
}

/*
 * Parse UUID 's' in the canonical 8-4-4-4-12 hex form (either case, no
 * braces, no "urn:uuid:") into '*id'.  Returns 0 or -1 with EINVAL.
 */
int
libvpc_uuid_parse(const char *s, vpc_id_t *id)
{
	vpc_id_t v;
	size_t i, j;

	if (s == NULL || strnlen(s, LIBVPC_UUID_LEN + 1) != LIBVPC_UUID_LEN)
		goto bad;
	for (i = 0, j = 0; i < LIBVPC_UUID_LEN;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				goto bad;
			i++;
			continue;
		}
		if (libvpc_hexbyte(s + i, &v.vi_bytes[j]) == -1)
			goto bad;
		i += 2;
		j++;
	}
	*id = v;
	return (0);
bad:
	errno = EINVAL;
	return (-1);
}

/* Format 'id' as a lower-case 8-4-4-4-12 UUID into 'buf'. */
void
libvpc_uuid_format(const vpc_id_t *id, char buf[LIBVPC_UUID_STRLEN])
{
	size_t i, j;

	for (i = 0, j = 0; j < sizeof(id->vi_bytes); j++) {
		if (j == 4 || j == 6 || j == 8 || j == 10)
			buf[i++] = '-';
		buf[i++] = libvpc_hexdig[id->vi_bytes[j] >> 4];
		buf[i++] = libvpc_hexdig[id->vi_bytes[j] & 0xf];
	}
	buf[i] = '\0';
}

/*
 * Parse MAC address 's' of the form "aa:bb:cc:dd:ee:ff" (two hex digits
 * per octet, either case, colons) into 'mac'.  Returns 0 or -1 with
 * EINVAL.
 */
int
libvpc_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t m[6];
	size_t i;

	if (s == NULL || strnlen(s, LIBVPC_MAC_LEN + 1) != LIBVPC_MAC_LEN)
		goto bad;
	for (i = 0; i < sizeof(m); i++) {
		if (libvpc_hexbyte(s + 3 * i, &m[i]) == -1)
			goto bad;
		if (i < sizeof(m) - 1 && s[3 * i + 2] != ':')
			goto bad;
	}
	memcpy(mac, m, sizeof(m));
	return (0);
bad:
	errno = EINVAL;
	return (-1);
}

/* Format 'mac' as lower-case "aa:bb:cc:dd:ee:ff" into 'buf'. */
void
libvpc_mac_format(const uint8_t mac[6], char buf[LIBVPC_MAC_STRLEN])
{
	size_t i;

	for (i = 0; i < 6; i++) {
		buf[3 * i] = libvpc_hexdig[mac[i] >> 4];
		buf[3 * i + 1] = libvpc_hexdig[mac[i] & 0xf];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

/*
 * Parse IPv4 dotted-quad or IPv6 address 's' (inet_pton(3) forms; no
 * prefix length, no zone) into '*a' with family VPC_AF_INET or
 * VPC_AF_INET6 and every other byte zero.  Returns 0 or -1 with EINVAL.
 */
int
libvpc_addr_parse(const char *s, struct vpc_ipaddr *a)
{
	struct vpc_ipaddr v;

	if (s == NULL)
		goto bad;
	memset(&v, 0, sizeof(v));
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, v.va_addr) != 1)
			goto bad;
		v.va_family = VPC_AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, v.va_addr) != 1)
			goto bad;
		v.va_family = VPC_AF_INET;
	}
	*a = v;
	return (0);
bad:
	errno = EINVAL;
	return (-1);
}

/*
 * Format 'a' into 'buf': the inet_ntop(3) form for VPC_AF_INET and
 * VPC_AF_INET6, "none" for VPC_AF_NONE, "?" for any other family.
 */
void
libvpc_addr_format(const struct vpc_ipaddr *a, char buf[LIBVPC_ADDR_STRLEN])
{
	const char *r;

	switch (a->va_family) {
	case VPC_AF_INET:
		r = inet_ntop(AF_INET, a->va_addr, buf, LIBVPC_ADDR_STRLEN);
		break;
	case VPC_AF_INET6:
		r = inet_ntop(AF_INET6, a->va_addr, buf, LIBVPC_ADDR_STRLEN);
		break;
	case VPC_AF_NONE:
		r = strcpy(buf, "none");
		break;
	default:
		r = NULL;
		break;
	}
	if (r == NULL)
		(void)snprintf(buf, LIBVPC_ADDR_STRLEN, "?");
}
