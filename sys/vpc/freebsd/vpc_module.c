/*
 * vpc_module.c: the life of vpc.ko.
 *
 * The kld holds three modules: "sys/vpc_open" and "sys/vpc_ctl", the two
 * dynamic system calls (vpc_syscall.c; userland finds their numbers with
 * modfind(2) and modstat(2)), and "vpc", declared here, which owns what
 * all vnets share: the taskqueue that hands frames to if_input (so that
 * the core never re-enters itself through the network stack) and the
 * task that ages learned table entries in every vnet.  Each vnet's
 * registry and cloners are made and torn down by vpc_vnet.c.
 *
 * Order.  When the kld loads, its SYSINITs run sorted: the system calls
 * (SI_SUB_SYSCALLS), then the receive taskqueue (SI_SUB_PSEUDO, first),
 * then each vnet's namespace (SI_SUB_PSEUDO, later).  A system call that
 * runs before its vnet's namespace exists fails with ENXIO.  On unload
 * the modules' MOD_UNLOAD run first (system calls deregistered, which
 * waits for calls in progress; ageing stopped), then the SYSUNINITs in
 * reverse order: every vnet's namespace goes (its devices destroyed),
 * then the taskqueue.  Unloading is refused (EBUSY) while any vpc
 * descriptor is open, because closing it needs its registry.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/priority.h>
#include <sys/smp.h>
#include <sys/taskqueue.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

#define	VPC_TICK_SEC	1	/* ageing period */

static int	vpc_modevent(module_t mod, int what, void *arg);
static int	vpc_load(void);
static int	vpc_unload(void);
static void	vpc_tick(void *arg, int pending);
static void	vpc_rxtq_init(void *arg);
static void	vpc_rxtq_uninit(void *arg);

static unsigned int	vpc_ndesc;		/* open descriptors, atomic */
static struct timeout_task vpc_tick_task;	/* runs vpc_tick() */
static bool		vpc_ticking;		/* stop rescheduling if false */
static struct taskqueue	*vpc_rxtq;		/* runs vpc_if.c's rx tasks */

/* The taskqueue on which devices hand frames to if_input. */
struct taskqueue *
vpc_fbsd_rxtq(void)
{
	return (vpc_rxtq);
}

/* Count one more open descriptor. */
void
vpc_fbsd_desc_hold(void)
{
	__atomic_fetch_add(&vpc_ndesc, 1, __ATOMIC_ACQ_REL);
}

/* Count one descriptor fewer (its close has run). */
void
vpc_fbsd_desc_rele(void)
{
	__atomic_fetch_sub(&vpc_ndesc, 1, __ATOMIC_ACQ_REL);
}

/* Number of open descriptors. */
unsigned int
vpc_fbsd_desc_count(void)
{
	return (__atomic_load_n(&vpc_ndesc, __ATOMIC_ACQUIRE));
}

/*
 * Age learned entries of every vnet once a second.  Runs in the
 * taskqueue_thread thread, where the core may take its locks and wait
 * for the epoch.
 */
static void
vpc_tick(void *arg __unused, int pending __unused)
{
	vpc_vnet_foreach_tick();
	if (__atomic_load_n(&vpc_ticking, __ATOMIC_ACQUIRE))
		taskqueue_enqueue_timeout(taskqueue_thread, &vpc_tick_task,
		    VPC_TICK_SEC * hz);
}

/* Start the receive taskqueue: one thread per CPU, network priority. */
static void
vpc_rxtq_init(void *arg __unused)
{
	vpc_rxtq = taskqueue_create("vpc_rx", M_WAITOK,
	    taskqueue_thread_enqueue, &vpc_rxtq);
	taskqueue_start_threads(&vpc_rxtq, mp_ncpus, PI_NET, "vpc rx");
}
SYSINIT(vpc_rxtq, SI_SUB_PSEUDO, SI_ORDER_FIRST, vpc_rxtq_init, NULL);

/* Every device is gone (vpc_vnet.c ran first): free the taskqueue. */
static void
vpc_rxtq_uninit(void *arg __unused)
{
	taskqueue_free(vpc_rxtq);
	vpc_rxtq = NULL;
}
SYSUNINIT(vpc_rxtq, SI_SUB_PSEUDO, SI_ORDER_FIRST, vpc_rxtq_uninit, NULL);

/* Start ageing (the registries are made per vnet, see vpc_vnet.c). */
static int
vpc_load(void)
{
	TIMEOUT_TASK_INIT(taskqueue_thread, &vpc_tick_task, 0, vpc_tick,
	    NULL);
	__atomic_store_n(&vpc_ticking, true, __ATOMIC_RELEASE);
	taskqueue_enqueue_timeout(taskqueue_thread, &vpc_tick_task,
	    VPC_TICK_SEC * hz);
	return (0);
}

/* Stop ageing; EBUSY, with nothing changed, while descriptors are open. */
static int
vpc_unload(void)
{
	if (vpc_fbsd_desc_count() != 0)
		return (EBUSY);
	__atomic_store_n(&vpc_ticking, false, __ATOMIC_RELEASE);
	/* A running vpc_tick() sees vpc_ticking false and stops itself. */
	(void)taskqueue_cancel_timeout(taskqueue_thread, &vpc_tick_task, NULL);
	taskqueue_drain_timeout(taskqueue_thread, &vpc_tick_task);
	return (0);
}

/* Module events of "vpc": 'what' is MOD_LOAD, MOD_QUIESCE, ... */
static int
vpc_modevent(module_t mod __unused, int what, void *arg __unused)
{
	switch (what) {
	case MOD_LOAD:
		return (vpc_load());
	case MOD_QUIESCE:
		return (vpc_fbsd_desc_count() != 0 ? EBUSY : 0);
	case MOD_UNLOAD:
		return (vpc_unload());
	case MOD_SHUTDOWN:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t vpc_mod = {
	"vpc",
	vpc_modevent,
	NULL
};

DECLARE_MODULE(vpc, vpc_mod, SI_SUB_SYSCALLS, SI_ORDER_ANY);
MODULE_VERSION(vpc, 1);
