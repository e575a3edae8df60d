/*
 * vpc_freebsd.h: what the FreeBSD glue files of the module share.
 *
 * vpc_module.c owns the module's life (the ageing task, the receive
 * taskqueue), vpc_vnet.c the per-VNET namespace (a registry and the
 * interface cloners of each vnet), vpc_syscall.c the two system calls and
 * the descriptor file type, vpc_host.c the core's host operations,
 * vpc_if.c the ifnets, vpc_cloner.c `ifconfig create/destroy`,
 * vpc_vpclink.c the VXLAN socket and vpc_os_freebsd.c the OS seam.  The
 * core never includes this header.
 *
 * Sleeping and the core's locks.  The core calls its host operations with
 * a mutex held (the registry lock for ho_create, the object's lock for
 * ho_set), where the kernel may not sleep; creating an ifnet, binding a
 * socket or changing a link-layer address can.  So every operation that
 * may sleep is prepared by the glue BEFORE it calls into the core
 * (struct vpc_prep, under the vnet's creation lock) and the host
 * operation only takes the prepared resource; what cannot fail is
 * finished after the core returns (attaching the ifnet) or in a task
 * (applying a new MAC).  ho_destroy is called without locks and sleeps.
 */

#ifndef _VPC_FREEBSD_H_
#define	_VPC_FREEBSD_H_

#include <sys/param.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/sx.h>
#include <sys/_task.h>
#include <sys/socket.h>
#include <net/if.h>
#include <net/if_var.h>

#include "vpc_var.h"

MALLOC_DECLARE(M_VPC);

#define	VPC_FBSD_LOGLINE	256	/* longest log(9) line, with prefix */
#define	VPC_RXQ_LEN		1024	/* frames waiting for if_input */

struct vpc_registry;
struct vpc_obj;
struct vpc_dev;
struct vpc_desc;
struct vpc_cred;
struct vpc_vl_sock;
struct if_clone;
struct taskqueue;
struct thread;

/*
 * The namespace of one vnet (vpc_vnet.c): objects created in a vnet
 * (the host, or a VNET jail) are visible only there.
 */
struct vpc_vnet {
	struct vpc_registry	*vv_reg;	/* the vnet's objects */
	struct vnet		*vv_vnet;	/* the vnet itself */
	struct sx		 vv_create_sx;	/* serialises preparations */
	struct vpc_prep		*vv_prep;	/* current one, under ^ */
	struct if_clone		*vv_cloner[VPC_TYPE_MAX]; /* by object type */
};

/*
 * A resource prepared outside the core's locks for the host operation
 * that the following core call will make (vpc_host.c takes it).
 */
struct vpc_prep {
	uint32_t		 pr_type;	/* object type it is for */
	int			 pr_attr;	/* ho_set attr, 0: create */
	struct vpc_dev		*pr_dev;	/* create: NULL once taken */
	struct vpc_dev		*pr_taken;	/* create: ho_create took */
	struct vpc_vl_sock	*pr_sock;	/* LOCAL: NULL once taken */
	int			 pr_error;	/* preparation failed: this */
};

/* A device's state (vd_state), under vd_mtx. */
#define	VPC_DEV_PREP		0	/* allocated, ifnet not attached */
#define	VPC_DEV_LIVE		1	/* ifnet attached */
#define	VPC_DEV_DEAD		2	/* the core destroyed it */

/*
 * What a device's interface is (vd_kind): an Ethernet interface that
 * carries frames (a NIC, or an ethlink, whose frames come from and go to
 * the if_bridge(4) it is a member of), or a management handle.
 */
#define	VPC_IFK_NIC		1	/* vmnic, vpci */
#define	VPC_IFK_ETHLINK		2	/* ethlink: a bridge member */
#define	VPC_IFK_HANDLE		3	/* switch, port, vpclink */

/* The host device of every object but mgmt (o_dev). */
struct vpc_dev {
	struct vpc_obj		*vd_obj;	/* core object, set at create */
	struct vpc_vnet		*vd_vv;		/* namespace it belongs to */
	if_t			 vd_ifp;	/* its interface */
	uint32_t		 vd_type;	/* object type */
	int			 vd_unit;	/* interface unit */
	int			 vd_kind;	/* VPC_IFK_* */
	bool			 vd_nic;	/* vmnic, vpci */
	bool			 vd_ether;	/* Ethernet, carries frames */
	bool			 vd_cloned;	/* made by `ifconfig create` */
	vpc_id_t		 vd_id;		/* object id */
	struct mtx		 vd_mtx;	/* the fields below */
	int			 vd_state;	/* VPC_DEV_* */
	uint8_t			 vd_mac[6];	/* Ethernet: MAC the core set */
	bool			 vd_mac_dirty;	/* vd_mac not applied yet */
	uint32_t		 vd_mtu;	/* Ethernet: MTU the core set */
	uint32_t		 vd_queues;	/* NIC: queues (recorded) */
	struct mbufq		 vd_rxq;	/* frames for if_input */
	struct task		 vd_rxtask;	/* drains vd_rxq */
	struct task		 vd_mactask;	/* applies vd_mac */
	struct vpc_vl_sock	*vd_sock;	/* vpclink: its socket */
};

/* Module (vpc_module.c). */
struct taskqueue	*vpc_fbsd_rxtq(void);
void		 vpc_fbsd_desc_hold(void);
void		 vpc_fbsd_desc_rele(void);
unsigned int	 vpc_fbsd_desc_count(void);

/* Per-VNET namespaces (vpc_vnet.c). */
struct vpc_vnet	*vpc_vnet_get(void);
void		 vpc_vnet_foreach_tick(void);
void		 vpc_vnet_cred(struct thread *td, struct vpc_cred *cred);
int		 vpc_vnet_obj_op(struct vpc_vnet *vv, const vpc_id_t *id,
		    uint32_t type, vpc_op_t op, const void *in, size_t inlen);

/* Host operations (vpc_host.c). */
extern const struct vpc_host_ops vpc_fbsd_host_ops;
bool		 vpc_host_has_dev(uint32_t type);

/* Interfaces (vpc_if.c). */
int		 vpc_if_prep(struct vpc_vnet *vv, uint32_t type, int unit,
		    struct vpc_dev **devp);
void		 vpc_if_unprep(struct vpc_dev *dev);
void		 vpc_if_attach(struct vpc_dev *dev);
void		 vpc_if_destroy(struct vpc_dev *dev);
int		 vpc_if_output(struct vpc_dev *dev, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
int		 vpc_if_set(struct vpc_dev *dev, enum vpc_attr a,
		    const void *val, size_t len);
int		 vpc_if_get(struct vpc_dev *dev, enum vpc_attr a, void *val,
		    size_t len);
const char	*vpc_if_prefix(uint32_t type);
int		 vpc_if_kind(uint32_t type);
struct mbuf	*vpc_if_mbuf(struct vpc_pkt *pkt, bool last);

/* Interface cloners (vpc_cloner.c). */
int		 vpc_cloner_attach(struct vpc_vnet *vv);
void		 vpc_cloner_detach(struct vpc_vnet *vv);

/* Preparing and finishing a core call that may create or bind. */
int		 vpc_prep_open(struct vpc_vnet *vv, uint32_t type,
		    vpc_flags_t flags, const struct vpc_cred *cred,
		    struct vpc_prep *pr);
void		 vpc_prep_finish(struct vpc_vnet *vv, struct vpc_prep *pr);

/* vpclink sockets (vpc_vpclink.c). */
int		 vpc_vl_prep(struct vpc_vnet *vv, const void *in, size_t inlen,
		    struct vpc_vl_sock **sp);
void		 vpc_vl_sock_free(struct vpc_vl_sock *s);
void		 vpc_vl_sock_start(struct vpc_vl_sock *s, struct vpc_obj *o);
int		 vpc_vl_output(struct vpc_vl_sock *s, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
uint32_t	 vpc_vl_underlay_mtu(struct vpc_vl_sock *s);

#endif /* !_VPC_FREEBSD_H_ */
