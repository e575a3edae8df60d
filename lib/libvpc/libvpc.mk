# libvpc.mk: sources of libvpc.
LIBVPC_SRCS :=
