# bench.mk: programs `make bench` runs (tools/bench.py), built from the
# rel objects.  Include it after core.mk, user.mk and libvpc.mk; it is
# guarded, so tools/bench.py may also name it with -f.
ifndef BENCH_MK
BENCH_MK := 1

BENCH_SRCS	:= bench/core_bench.c bench/ctl_bench.c bench/mem_floor.c
# Count every heap allocation of the core bench (and of the core in it).
BENCH_WRAP	:= -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc,--wrap=free

$(BUILD)/rel/bin/core-bench: \
    $(patsubst %.c,$(BUILD)/rel/obj/%.o,$(CORE_SRCS) $(USER_SRCS) \
    bench/core_bench.c)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_rel) $(BENCH_WRAP) -o $@ $^ -lpthread

$(BUILD)/rel/bin/ctl-bench: $(BUILD)/rel/obj/bench/ctl_bench.o \
    $(BUILD)/rel/lib/libvpc.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_rel) -o $@ $^ -lpthread

$(BUILD)/rel/bin/mem-floor: $(BUILD)/rel/obj/bench/mem_floor.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_rel) -o $@ $^

bench-progs: $(BUILD)/rel/bin/core-bench $(BUILD)/rel/bin/ctl-bench \
    $(BUILD)/rel/bin/mem-floor

.PHONY: bench-progs
endif
