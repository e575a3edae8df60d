# libvpc.mk: sources of libvpc.
LIBVPC_SRCS := $(sort $(wildcard lib/libvpc/*.c))
