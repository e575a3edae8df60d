/*
 * fz_util.h: what every libFuzzer harness of the core shares: a check
 * that aborts (so libFuzzer records the input as a crash), the caller
 * credentials, object ids, a control call that must succeed (for
 * building fixtures) and a byte reader over the fuzzer's input.
 */

#ifndef _FZ_UTIL_H_
#define	_FZ_UTIL_H_

#include <stddef.h>
#include <stdint.h>

#include "vpc_os.h"
#include "vpc_var.h"

/* Fail the input: print where and why, then abort(). */
#define	FZ_CHECK(e)	do {						\
	if (__predict_false(!(e)))					\
		fz_fail(__FILE__, __LINE__, #e);			\
} while (0)

void	fz_fail(const char *file, int line, const char *what)
	    __attribute__((__noreturn__));

/* Credentials: root-equivalent, and a user without privilege. */
extern const struct vpc_cred fz_priv;
extern const struct vpc_cred fz_user;

/* Id 'n' of the fuzz id space; 'n' 0 is the nil (mgmt) id. */
void	fz_id(vpc_id_t *id, uint32_t n);

/* vpc_desc_open() with the privileged cred that must succeed. */
struct vpc_desc *fz_open(struct vpc_registry *rg, uint32_t type,
	    uint32_t idn, vpc_flags_t flags);
/* vpc_desc_ctl() with the privileged cred that must succeed. */
void	fz_ctl(struct vpc_desc *d, vpc_op_t op, const void *in,
	    size_t innbyte, void *out, size_t outnbyte);
void	fz_ctl32(struct vpc_desc *d, vpc_op_t op, uint32_t v);

/* An IPv4 or IPv6 vpc_ipaddr from its text form. */
void	fz_ip(struct vpc_ipaddr *a, const char *text);

/* Sequential reader over the input; reads past the end give zeros. */
struct fz_rd {
	const uint8_t	*r_p;		/* next byte */
	size_t		 r_left;	/* bytes left */
};
uint8_t	 fz_u8(struct fz_rd *r);
uint16_t fz_u16(struct fz_rd *r);
uint32_t fz_u32(struct fz_rd *r);
/* Copy up to 'n' bytes to 'dst', zero-filling what is missing. */
void	 fz_bytes(struct fz_rd *r, void *dst, size_t n);

/* ho_get of the harnesses' hosts: underlay MTU 1500, interface "fz0". */
int	fz_host_get(void *host, struct vpc_obj *o, enum vpc_attr a,
	    void *val, size_t len);

/* Quiet the core's log (fixture building logs otherwise). */
void	fz_quiet(void);

#endif /* !_FZ_UTIL_H_ */
