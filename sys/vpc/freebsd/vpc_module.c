/*
 * vpc_module.c: the life of vpc.ko.
 *
 * The kld holds three modules: "sys/vpc_open" and "sys/vpc_ctl", the two
 * dynamic system calls (vpc_syscall.c; userland finds their numbers with
 * modfind(2) and modstat(2)), and "vpc", declared here, which owns the
 * registry of objects and the task that ages learned table entries.
 *
 * Order.  A kld's modules load in SYSINIT order and unload in the same
 * order.  "vpc" is declared after the system calls (SI_ORDER_ANY in
 * SI_SUB_SYSCALLS), so on unload the system calls are deregistered first
 * (which waits for calls in progress) and only then is the registry torn
 * down.  While loading, a system call that runs before the registry
 * exists fails with ENXIO.  Unloading is refused (EBUSY) while any vpc
 * descriptor is open, because closing it needs the registry.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/taskqueue.h>

#include "vpc_var.h"
#include "vpc_freebsd.h"

#define	VPC_TICK_SEC	1	/* ageing period */

static int	vpc_modevent(module_t mod, int what, void *arg);
static int	vpc_load(void);
static int	vpc_unload(void);
static void	vpc_tick(void *arg, int pending);

static struct vpc_registry *vpc_registry;	/* published, see _get() */
static unsigned int	vpc_ndesc;		/* open descriptors, atomic */
static struct timeout_task vpc_tick_task;	/* runs vpc_tick() */
static bool		vpc_ticking;		/* stop rescheduling if false */

/* The module's registry, or NULL while it loads or unloads. */
struct vpc_registry *
vpc_fbsd_registry_get(void)
{
	return (vpc_load_acq_ptr(&vpc_registry));
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
 * Age learned entries once a second.  Runs in the taskqueue_thread
 * thread, where the core may take its locks and wait for the epoch.
 */
static void
vpc_tick(void *arg __unused, int pending __unused)
{
	struct vpc_registry *rg;

	rg = vpc_fbsd_registry_get();
	if (rg != NULL)
		vpc_registry_tick(rg);
	if (__atomic_load_n(&vpc_ticking, __ATOMIC_ACQUIRE))
		taskqueue_enqueue_timeout(taskqueue_thread, &vpc_tick_task,
		    VPC_TICK_SEC * hz);
}

/*
 * Create the registry (without host device operations yet: objects have
 * no ifnet until the cloner glue exists) and start ageing.
 */
static int
vpc_load(void)
{
	struct vpc_registry *rg;

	rg = vpc_registry_create(NULL, NULL);
	if (rg == NULL)
		return (ENOMEM);
	vpc_store_rel_ptr(&vpc_registry, rg);
	TIMEOUT_TASK_INIT(taskqueue_thread, &vpc_tick_task, 0, vpc_tick,
	    NULL);
	__atomic_store_n(&vpc_ticking, true, __ATOMIC_RELEASE);
	taskqueue_enqueue_timeout(taskqueue_thread, &vpc_tick_task,
	    VPC_TICK_SEC * hz);
	return (0);
}

/*
 * Stop ageing and destroy the registry; EBUSY, with nothing changed,
 * while descriptors are open.
 */
static int
vpc_unload(void)
{
	struct vpc_registry *rg;

	if (vpc_fbsd_desc_count() != 0)
		return (EBUSY);
	__atomic_store_n(&vpc_ticking, false, __ATOMIC_RELEASE);
	/* A running vpc_tick() sees vpc_ticking false and stops itself. */
	(void)taskqueue_cancel_timeout(taskqueue_thread, &vpc_tick_task, NULL);
	taskqueue_drain_timeout(taskqueue_thread, &vpc_tick_task);
	rg = vpc_registry;
	vpc_store_rel_ptr(&vpc_registry, NULL);
	if (rg != NULL)
		vpc_registry_destroy(rg);
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
