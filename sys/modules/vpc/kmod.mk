# kmod.mk: `make kmod` builds vpc.ko on Linux against FreeBSD headers.
kmod:
	@echo "kmod: not built yet" >&2; exit 1
.PHONY: kmod
