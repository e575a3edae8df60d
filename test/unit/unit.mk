# unit.mk: the C unit test binary vpc-unit.
UNIT_SRCS := test/unit/vpct_main.c $(sort $(wildcard test/unit/test_*.c))
