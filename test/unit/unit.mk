# unit.mk: the C unit test binary vpc-unit.
UNIT_SRCS := test/unit/vpct_main.c test/unit/vpct_host.c test/unit/vpct_reg.c $(sort $(wildcard test/unit/test_*.c))
