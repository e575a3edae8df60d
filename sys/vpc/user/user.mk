# user.mk: the userland implementation of the OS seam.
USER_SRCS := sys/vpc/user/vpc_os_user.c sys/vpc/user/vpc_os_counter_user.c
