# vpcd.mk: sources of vpcd (the core and vpc_os_user.c come in as well).
VPCD_SRCS := $(sort $(wildcard usr.sbin/vpcd/*.c))
