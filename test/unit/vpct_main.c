/*
 * vpct_main.c: runs the unit test cases registered with VPCT_CASE.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpct.h"

extern const struct vpct_case __start_vpct_cases[];
extern const struct vpct_case __stop_vpct_cases[];

static jmp_buf	vpct_jmp;
static int	vpct_failures;
static int	vpct_passed;	/* static: they survive longjmp */
static int	vpct_failed;

void
vpct_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    %s:%d: check failed: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	vpct_failures++;
}

void
vpct_abort_case(void)
{
	longjmp(vpct_jmp, 1);
}

int
main(int argc, char **argv)
{
	static const struct vpct_case *c;
	const char *filter;

	filter = argc > 1 ? argv[1] : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (c = __start_vpct_cases; c < __stop_vpct_cases; c++) {
		if (filter != NULL && strstr(c->vc_name, filter) == NULL)
			continue;
		vpct_failures = 0;
		if (setjmp(vpct_jmp) == 0)
			c->vc_fn();
		if (vpct_failures == 0) {
			printf("ok   %s\n", c->vc_name);
			vpct_passed++;
		} else {
			printf("FAIL %s\n", c->vc_name);
			vpct_failed++;
		}
	}
	printf("%d passed, %d failed\n", vpct_passed, vpct_failed);
	return (vpct_failed == 0 && vpct_passed > 0 ? 0 : 1);
}
