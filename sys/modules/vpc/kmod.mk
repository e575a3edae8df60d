# kmod.mk: `make kmod` builds vpc.ko on Linux against FreeBSD headers.
#
# For FreeBSD 14.2 and 15.0 in turn: fetch that release's headers (from
# the ziglang wheel on PyPI, cached under build/kmod), compile the core
# and the FreeBSD glue with clang-19 and the kernel's flags, link with
# ld.lld-19 as FreeBSD's kmod.mk does, and check the module structurally
# (tools/kmod/verify.py); then prove the checker rejects bad modules
# (test/kmod).  Ends with "kmod: N passed, N failed".  On FreeBSD itself,
# build with sys/modules/vpc/Makefile instead.

kmod:
	@$(PYTHON) tools/kmod/kmod.py all

.PHONY: kmod
