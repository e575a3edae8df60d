/*
 * vpct_reg.h: helpers the registry and ctl tests share: operator ids,
 * credentials, opening objects and one-line ctl calls.
 */

#ifndef _VPCT_REG_H_
#define	_VPCT_REG_H_

#include "vpc_var.h"

extern const struct vpc_cred vpct_priv;	/* root */
extern const struct vpc_cred vpct_user;	/* uid 1000, unprivileged */

/* Operator id number 'n' (bytes 14..15); 0 is the nil (mgmt) id. */
vpc_id_t	 vpct_id(unsigned n);
/* Create object 'n' of 'type' with a privileged read-write descriptor. */
struct vpc_desc	*vpct_open(struct vpc_registry *rg, unsigned n, uint32_t type);
/* 'op' with input 'in'/'len' and no output, as root. */
int		 vpct_ctl(struct vpc_desc *d, vpc_op_t op, const void *in,
		    size_t len);
/* 'op' with an output buffer 'out' of 'cap' bytes; '*outlen' as vpc_ctl. */
int		 vpct_ctl_out(struct vpc_desc *d, vpc_op_t op, const void *in,
		    size_t len, void *out, size_t cap, size_t *outlen);
int		 vpct_set32(struct vpc_desc *d, vpc_op_t op, uint32_t v);
/* The uint32_t 'op' returns; a failure is a test failure. */
uint32_t	 vpct_get32(struct vpc_desc *d, vpc_op_t op);
/* 'op' whose input is the id of object 'n'. */
int		 vpct_idop(struct vpc_desc *d, vpc_op_t op, unsigned n);
/* The IPv4 address a.b.c.d. */
struct vpc_ipaddr vpct_addr4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

#endif /* !_VPCT_REG_H_ */
