# fuzz.mk: libFuzzer harnesses of the core (see test/fuzz/README.md).
#
#   make fuzz-build            build/fuzz/bin/fuzz-{ingress,vxlan,arp,ctl}
#   make fuzz FUZZ_SECONDS=N   run each harness N seconds (default 600),
#                              growing build/fuzz/corpus/<name>
#   make fuzz-short            each harness FUZZ_SHORT_SECONDS (12) on the
#                              committed seeds; ends "N passed, N failed"
#
# Harnesses, core and OS seam are compiled with clang-19 and
# -fsanitize=fuzzer,address,undefined (Debian: clang-19 and
# libclang-rt-19-dev).

FUZZ_CC		?= clang-19
FUZZ_SECONDS	?= 600
FUZZ_SHORT_SECONDS ?= 12
FUZZ_NAMES	:= ingress vxlan arp ctl
FUZZ_CFLAGS	:= -std=gnu11 -g -O1 -fno-omit-frame-pointer \
		   -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=all $(WARN) -Wno-cast-qual
FUZZ_PKT_SRCS	:= test/fuzz/fz_util.c test/fuzz/fz_pkt.c
FUZZ_SRCS_ingress := test/fuzz/fuzz_ingress.c $(FUZZ_PKT_SRCS)
FUZZ_SRCS_vxlan	:= test/fuzz/fuzz_vxlan.c $(FUZZ_PKT_SRCS)
FUZZ_SRCS_arp	:= test/fuzz/fuzz_arp.c $(FUZZ_PKT_SRCS)
FUZZ_SRCS_ctl	:= test/fuzz/fuzz_ctl.c test/fuzz/fz_util.c
FUZZ_BINS	:= $(patsubst %,$(BUILD)/fuzz/bin/fuzz-%,$(FUZZ_NAMES))

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(CPPFLAGS_san) -Itest/fuzz -Isys/vpc/user $(FUZZ_CFLAGS) \
	    -MMD -MP -c $< -o $@

define fuzz_bin_rule
$(BUILD)/fuzz/bin/fuzz-$(1): $(call objs,fuzz,$(CORE_SRCS) $(USER_SRCS) \
    $(FUZZ_SRCS_$(1)))
	@mkdir -p $$(@D)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $$@ $$^ -lpthread
endef
$(foreach h,$(FUZZ_NAMES),$(eval $(call fuzz_bin_rule,$(h))))

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@sh test/fuzz/run_fuzz.sh long $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-short: fuzz-build
	@sh test/fuzz/run_fuzz.sh short $(FUZZ_SHORT_SECONDS) $(FUZZ_NAMES)

.PHONY: fuzz-build fuzz fuzz-short
