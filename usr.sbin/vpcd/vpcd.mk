# vpcd.mk: sources of vpcd (the core and vpc_os_user.c come in as well).
VPCD_SRCS := $(sort $(wildcard usr.sbin/vpcd/*.c))
# The offload files, which the unit tests run on their own as well.
VPCD_OFFLOAD_SRCS := $(addprefix usr.sbin/vpcd/,vpcd_csum.c vpcd_gro.c \
	vpcd_gso.c vpcd_rxbuf.c vpcd_vnet.c)
