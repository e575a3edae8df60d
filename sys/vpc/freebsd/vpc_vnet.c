/*
 * vpc_vnet.c: one vpc namespace per vnet.
 *
 * Each vnet (the host's, and one per VNET jail) has its own registry of
 * objects and its own interface cloners, made by a VNET_SYSINIT when the
 * vnet is created (or when the module loads, for every existing vnet)
 * and torn down by a VNET_SYSUNINIT when the vnet goes (or the module
 * unloads).  vpc_open(2) and vpc_ctl(2) work in the caller's vnet
 * (TD_TO_VNET), so objects created inside a VNET jail are visible only
 * there, and a jail cannot name the host's objects.  A jail without its
 * own vnet shares its parent's vnet, and so its parent's namespace.  An
 * interface moved into a jail (`ifconfig vpci0 vnet j1`) stays an object
 * of the namespace that created it: the jail sees the interface only.
 *
 * vv_create_sx serialises the preparations of creations and bindings in
 * the vnet (see vpc_freebsd.h): it is taken before any core lock.
 */

#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/sx.h>
#include <sys/taskqueue.h>
#include <sys/ucred.h>

#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

VNET_DEFINE_STATIC(struct vpc_vnet *, vpc_vnet);
#define	V_vpc_vnet	VNET(vpc_vnet)

static void	vpc_vnet_init(void *arg);
static void	vpc_vnet_uninit(void *arg);

/* The namespace of the current vnet, or NULL while it is made or torn down. */
struct vpc_vnet *
vpc_vnet_get(void)
{
	return (vpc_load_acq_ptr(&V_vpc_vnet));
}

/* The caller's identity and privilege as the core wants them. */
void
vpc_vnet_cred(struct thread *td, struct vpc_cred *cred)
{
	bzero(cred, sizeof(*cred));
	cred->vc_uid = td->td_ucred->cr_uid;
	cred->vc_priv = priv_check(td, PRIV_NET_IFCREATE) == 0;
}

/*
 * Run op 'op' with input 'in' ('inlen' bytes, no output) on the object
 * 'id' of 'type' in 'vv', through a descriptor of its own opened with
 * full rights (the glue's own requests: the cloner's destroy, ifconfig
 * mtu).  Sleeps.
 */
int
vpc_vnet_obj_op(struct vpc_vnet *vv, const vpc_id_t *id, uint32_t type,
    vpc_op_t op, const void *in, size_t inlen)
{
	struct vpc_cred cred;
	struct vpc_desc *d;
	size_t outn;
	int error;

	WITNESS_WARN(WARN_GIANTOK | WARN_SLEEPOK, NULL, "vpc_vnet_obj_op");
	bzero(&cred, sizeof(cred));
	cred.vc_priv = 1;		/* the kernel itself */
	error = vpc_desc_open(vv->vv_reg, id, type,
	    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE, &cred, &d);
	if (error != 0)
		return (error);
	outn = 0;
	error = vpc_desc_ctl(d, op, in, inlen, NULL, &outn, &cred);
	vpc_desc_close(d);
	return (error);
}

/* Age the learned entries of every vnet's registry. */
void
vpc_vnet_foreach_tick(void)
{
	VNET_ITERATOR_DECL(vnet_iter);
	struct vpc_vnet *vv;

	VNET_LIST_RLOCK();
	VNET_FOREACH(vnet_iter) {
		CURVNET_SET(vnet_iter);
		vv = vpc_vnet_get();
		if (vv != NULL)
			vpc_registry_tick(vv->vv_reg);
		CURVNET_RESTORE();
	}
	VNET_LIST_RUNLOCK();
}

/* A vnet was created (or the module loaded): make its namespace. */
static void
vpc_vnet_init(void *arg __unused)
{
	struct vpc_vnet *vv;

	vv = malloc(sizeof(*vv), M_VPC, M_WAITOK | M_ZERO);
	vv->vv_vnet = curvnet;
	sx_init(&vv->vv_create_sx, "vpc create");
	vv->vv_reg = vpc_registry_create(&vpc_fbsd_host_ops, vv);
	if (vv->vv_reg == NULL) {
		printf("vpc: no memory for a registry; vpc is off in "
		    "this vnet\n");
		sx_destroy(&vv->vv_create_sx);
		free(vv, M_VPC);
		return;
	}
	if (vpc_cloner_attach(vv) != 0)
		printf("vpc: interface cloners not attached in this vnet\n");
	vpc_store_rel_ptr(&V_vpc_vnet, vv);
}
VNET_SYSINIT(vpc_vnet_init, SI_SUB_PSEUDO, SI_ORDER_ANY, vpc_vnet_init,
    NULL);

/*
 * The vnet goes (or the module unloads): destroy every object (and so
 * every device) first, so that the cloners' lists are empty when they
 * are detached, then the cloners.
 */
static void
vpc_vnet_uninit(void *arg __unused)
{
	struct vpc_vnet *vv;

	vv = V_vpc_vnet;
	if (vv == NULL)
		return;
	vpc_store_rel_ptr(&V_vpc_vnet, NULL);
	/* No new system call finds it; wait for creations in progress. */
	sx_xlock(&vv->vv_create_sx);
	sx_xunlock(&vv->vv_create_sx);
	vpc_registry_destroy(vv->vv_reg);
	vpc_cloner_detach(vv);
	sx_destroy(&vv->vv_create_sx);
	free(vv, M_VPC);
}
VNET_SYSUNINIT(vpc_vnet_uninit, SI_SUB_PSEUDO, SI_ORDER_ANY,
    vpc_vnet_uninit, NULL);
