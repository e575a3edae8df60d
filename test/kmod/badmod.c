/*
 * badmod.c: a tiny kernel module for test/kmod/test_verify.py.
 *
 * Built as is, it is a clean module the verifier must accept (the
 * control).  Each BADMOD_* macro adds one defect the verifier must
 * reject, the kind of mistake that makes kldload(8) fail or the kernel
 * misbehave:
 *   BADMOD_SYMBOL  calls kern_kldload(), a kernel-internal function that
 *                  is not a KPI on the allow-list;
 *   BADMOD_COMMON  defines a COMMON symbol (tentative definition forced
 *                  with the "common" attribute despite -fno-common);
 *   BADMOD_TLS     uses thread-local storage, which the kernel has not:
 *                  an R_X86_64_TPOFF32 relocation.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/module.h>
#ifdef BADMOD_SYMBOL
#include <sys/linker.h>
#include <sys/syscallsubr.h>
#endif

static int	badmod_modevent(module_t mod, int what, void *arg);

#ifdef BADMOD_COMMON
__attribute__((common)) int badmod_common;
#endif
#ifdef BADMOD_TLS
__thread int badmod_tls;
#endif

static int	badmod_loads;

/* Module events: count loads, and exercise the defect if any. */
static int
badmod_modevent(module_t mod __unused, int what, void *arg __unused)
{
	switch (what) {
	case MOD_LOAD:
		badmod_loads++;
#ifdef BADMOD_SYMBOL
		(void)kern_kldload(curthread, "badmod_other", NULL);
#endif
#ifdef BADMOD_COMMON
		badmod_common = badmod_loads;
#endif
#ifdef BADMOD_TLS
		badmod_tls = badmod_loads;
#endif
		return (0);
	case MOD_UNLOAD:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t badmod_mod = {
	"badmod",
	badmod_modevent,
	NULL
};

DECLARE_MODULE(badmod, badmod_mod, SI_SUB_DRIVERS, SI_ORDER_ANY);
MODULE_VERSION(badmod, 1);
