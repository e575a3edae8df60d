/*
 * vpct.h: the small test registry the C unit tests use.
 *
 * A case is a function declared with VPCT_CASE(name); cases register
 * themselves in a linker set and vpct_main.c runs them in order, or only
 * those whose names contain argv[1].  VPCT_CHECK records a failure and
 * goes on; VPCT_REQUIRE records it and ends the case.  The runner prints
 * one line a case and then "N passed, N failed".
 */

#ifndef _VPCT_H_
#define	_VPCT_H_

#include <stdint.h>
#include <stdio.h>

struct vpct_case {
	const char	*vc_name;	/* function name */
	void		(*vc_fn)(void);	/* the case */
};

#define	VPCT_CASE(name)							\
	static void name(void);						\
	static const struct vpct_case vpct_case_##name			\
	    __attribute__((__used__, __section__("vpct_cases"),		\
	    __aligned__(sizeof(void *)))) = { #name, name };		\
	static void name(void)

void	vpct_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
void	vpct_abort_case(void) __attribute__((__noreturn__));

#define	VPCT_CHECK(e) do {						\
	if (!(e))							\
		vpct_fail(__FILE__, __LINE__, "%s", #e);		\
} while (0)

#define	VPCT_REQUIRE(e) do {						\
	if (!(e)) {							\
		vpct_fail(__FILE__, __LINE__, "%s", #e);		\
		vpct_abort_case();					\
	}								\
} while (0)

/* Integer equality with both values in the message. */
#define	VPCT_EQ(a, b) do {						\
	long long vpct_a_ = (long long)(a), vpct_b_ = (long long)(b);	\
	if (vpct_a_ != vpct_b_)						\
		vpct_fail(__FILE__, __LINE__, "%s == %s (%lld != %lld)",\
		    #a, #b, vpct_a_, vpct_b_);				\
} while (0)

#endif /* !_VPCT_H_ */
