# core.mk: sources of the portable core (compiled into vpcd, the tests
# and the FreeBSD module alike).
CORE_SRCS := $(sort $(wildcard sys/vpc/core/*.c))
