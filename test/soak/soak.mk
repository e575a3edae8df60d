# soak.mk: `make soak`, a long run of one vpcd under load and churn that
# fails if its memory or descriptor count grows (test/soak/soak.py).  Not
# part of `make test`: it takes SOAK_MINUTES (default 3) minutes.
#
#   make soak [SOAK_MINUTES=10] [VPCD=build/san/bin/vpcd]

SOAK_MINUTES	?= 3

soak: deps
	@$(MAKE) --no-print-directory rel
	@$(PYTHON) test/soak/soak.py --minutes $(SOAK_MINUTES)

.PHONY: soak
