# Makefile: builds vpc and runs its jobs.
#
#   make          build the core, vpcd, libvpc and the unit tests
#   make test     install what the tests need, run every suite, and end
#                 with one line "N passed, N failed" summing them all
#   make demo     two hosts, two tenants in network namespaces: a ping
#                 matrix and per-port counters, then tear down
#   make bench    vpcd against the Linux kernel bridge+vxlan path
#   make kmod     compile and link vpc.ko against FreeBSD 14.2 and 15
#                 headers and check it structurally
#
# Objects go under build/<variant>/: "rel" (-O2, what is shipped: no
# assertions, like a kernel without INVARIANTS) and "san" (ASan+UBSan with
# every VPC_ASSERT checked).

CC		?= cc
BUILD		:= build
PYTHON		:= /usr/bin/python3

WARN		:= -Wall -Wextra -Werror -Wmissing-prototypes \
		   -Wstrict-prototypes -Wshadow -Wpointer-arith -Wcast-qual
CPPFLAGS_ALL	:= -D_GNU_SOURCE -Isys -Isys/vpc/core -Ilib/libvpc
CPPFLAGS_rel	:=
CPPFLAGS_san	:= -DVPC_INVARIANTS
CFLAGS_ALL	:= -std=gnu11 -g -fPIC $(WARN)
CFLAGS_rel	:= -O2
CFLAGS_san	:= -O1 -fno-omit-frame-pointer \
		   -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS_rel	:=
LDFLAGS_san	:= -fsanitize=address,undefined

include sys/vpc/core/core.mk
include sys/vpc/user/user.mk
include lib/libvpc/libvpc.mk
include bench/bench.mk
include usr.sbin/vpcd/vpcd.mk
include test/unit/unit.mk
include sys/modules/vpc/kmod.mk
include ts/ts.mk
include test/soak/soak.mk

VARIANTS	:= rel san

# $(call objs,variant,sources)
objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(2))

define variant_rules
$(BUILD)/$(1)/obj/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS_ALL) $$(CPPFLAGS_$(1)) $$(CFLAGS_ALL) \
	    $$(CFLAGS_$(1)) -MMD -MP \
	    -c $$< -o $$@

$(BUILD)/$(1)/lib/libvpc.a: $(call objs,$(1),$(LIBVPC_SRCS))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^

$(BUILD)/$(1)/lib/libvpc.so: $(call objs,$(1),$(LIBVPC_SRCS))
	@mkdir -p $$(@D)
	$$(CC) -shared $$(LDFLAGS_$(1)) -o $$@ $$^ -lpthread

$(BUILD)/$(1)/bin/vpcd: $(call objs,$(1),$(CORE_SRCS) $(USER_SRCS) \
    $(VPCD_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_$(1)) -o $$@ $$^ -lpthread

$(BUILD)/$(1)/bin/vpc-unit: $(call objs,$(1),$(CORE_SRCS) $(USER_SRCS) \
    $(UNIT_SRCS) $(VPCD_OFFLOAD_SRCS)) $(BUILD)/$(1)/lib/libvpc.a
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS_$(1)) -o $$@ $$^ -lpthread

$(1): $(BUILD)/$(1)/bin/vpcd $(BUILD)/$(1)/bin/vpc-unit \
    $(BUILD)/$(1)/lib/libvpc.a $(BUILD)/$(1)/lib/libvpc.so
endef
$(foreach v,$(VARIANTS),$(eval $(call variant_rules,$(v))))

# libFuzzer harnesses (need the variant rules above).
include test/fuzz/fuzz.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

.DEFAULT_GOAL := all
all: rel

deps:
	@sh tools/deps.sh

test: deps
	@$(MAKE) --no-print-directory rel san ts
	@bash test/run.sh

demo: deps
	@$(MAKE) --no-print-directory rel ts
	@$(PYTHON) tools/demo.py

bench: deps
	@$(MAKE) --no-print-directory rel bench-progs
	@$(PYTHON) tools/bench.py

clean:
	rm -rf $(BUILD)

.PHONY: all deps test demo bench clean $(VARIANTS)
