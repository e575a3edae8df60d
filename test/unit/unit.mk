# unit.mk: the C unit test binary vpc-unit.
UNIT_SRCS := test/unit/vpct_main.c test/unit/vpct_host.c test/unit/vpct_reg.c $(sort $(wildcard test/unit/test_*.c))
# test_offload.c tests vpcd's offload code (VPCD_OFFLOAD_SRCS).
$(BUILD)/%/obj/test/unit/test_offload.o: CPPFLAGS_ALL += -Iusr.sbin/vpcd
