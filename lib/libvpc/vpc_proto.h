/*
 * vpc_proto.h: how vpc_open(2)/vpc_ctl(2) travel over vpcd's Unix socket.
 *
 * One SOCK_STREAM connection is one descriptor: the connection's file
 * descriptor is what vpc_open() returns, so it is close-on-exec, can be
 * passed with SCM_RIGHTS, and closing it closes the descriptor.  The
 * first request on a connection is OPEN; every later one is CTL.  Each
 * request is a struct vpc_msg_req followed by rq_inlen payload bytes; each
 * reply is a struct vpc_msg_rep followed by rp_outlen payload bytes when
 * rp_errno is 0.  When rp_errno is ERANGE, rp_outlen is the size the
 * output needs and no payload follows.  Integers are in host order: both
 * ends are on one machine.  Errno values are the server's, which is the
 * client's OS.
 */

#ifndef _VPC_PROTO_H_
#define	_VPC_PROTO_H_

#include <stdint.h>

#include <net/vpc.h>

#define	VPC_PROTO_MAGIC		0x56504331u	/* "VPC1" */

enum vpc_msg_kind {
	VPC_MSG_OPEN = 1,	/* rq_id, rq_type, rq_flags */
	VPC_MSG_CTL = 2		/* rq_op, payload, rq_outcap */
};

struct vpc_msg_req {
	uint32_t	rq_magic;	/* VPC_PROTO_MAGIC */
	uint32_t	rq_kind;	/* enum vpc_msg_kind */
	uint32_t	rq_op;		/* CTL: the op word */
	uint32_t	rq_type;	/* OPEN: object type */
	uint32_t	rq_flags;	/* OPEN: VPC_F_* */
	uint32_t	rq_pad;		/* zero */
	vpc_id_t	rq_id;		/* OPEN: object id */
	uint64_t	rq_inlen;	/* CTL: payload bytes that follow */
	uint64_t	rq_outcap;	/* CTL: caller's output capacity */
};

struct vpc_msg_rep {
	uint32_t	rp_magic;	/* VPC_PROTO_MAGIC */
	uint32_t	rp_errno;	/* 0 or an errno */
	uint64_t	rp_outlen;	/* see above */
};

VPC_ABI_ASSERT(struct vpc_msg_req, 56);
VPC_ABI_ASSERT(struct vpc_msg_rep, 16);

#endif /* !_VPC_PROTO_H_ */
