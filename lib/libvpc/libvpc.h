/*
 * libvpc.h: the C library both hosts share.
 *
 * vpc_open(2) and vpc_ctl(2) (declared in <net/vpc.h>) go to the FreeBSD
 * kernel module when it is loaded and to vpcd's Unix socket otherwise
 * ($VPC_SOCKET, default LIBVPC_SOCKET_DEFAULT).  The typed helpers below
 * wrap one op each; they take a handle that records, libifconfig style,
 * the errno and the op of the last failure.  They return 0 (or a
 * descriptor) on success and -1 on failure.  Lists are returned in arrays
 * the library allocates and the caller frees with free(3).
 */

#ifndef _LIBVPC_H_
#define	_LIBVPC_H_

#include <sys/cdefs.h>
#include <stddef.h>
#include <stdint.h>

#include <net/vpc.h>

#define	LIBVPC_SOCKET_DEFAULT	"/var/run/vpcd.sock"
#define	LIBVPC_SOCKET_ENV	"VPC_SOCKET"
#define	LIBVPC_SPIN_ENV		"VPC_SPIN_US"	/* see libvpc(3) */
#define	LIBVPC_UUID_STRLEN	37	/* 36 characters and the NUL */
#define	LIBVPC_MAC_STRLEN	18
#define	LIBVPC_ADDR_STRLEN	46

typedef struct libvpc_handle libvpc_handle_t;

/* Backends. */
enum libvpc_backend {
	LIBVPC_BACKEND_NONE = 0,	/* neither module nor vpcd reachable */
	LIBVPC_BACKEND_KERNEL,		/* FreeBSD vpc.ko system calls */
	LIBVPC_BACKEND_VPCD		/* vpcd over a Unix socket */
};

__BEGIN_DECLS

/* Handles and errors. */
libvpc_handle_t	*libvpc_open(void);
void		 libvpc_close(libvpc_handle_t *h);
int		 libvpc_errno(const libvpc_handle_t *h);	/* 0: none */
vpc_op_t	 libvpc_err_op(const libvpc_handle_t *h);	/* 0: open */
/* "VPC_OP_PORT_VNI_SET: Invalid argument" and the like. */
const char	*libvpc_errstr(libvpc_handle_t *h);
enum libvpc_backend libvpc_backend(void);
const char	*libvpc_socket_path(void);

/* Names, for messages and tools. */
const char	*libvpc_op_name(vpc_op_t op);		/* "VPC_OP_..." */
const char	*libvpc_type_name(vpc_type_t type);	/* "switch", ... */
int		 libvpc_type_parse(const char *s, vpc_type_t *type);
const char	*libvpc_drop_name(uint32_t reason);	/* "eth_short" */

/* Text forms: parse returns 0 or -1 with errno EINVAL. */
int		 libvpc_uuid_parse(const char *s, vpc_id_t *id);
void		 libvpc_uuid_format(const vpc_id_t *id,
		    char buf[LIBVPC_UUID_STRLEN]);
int		 libvpc_mac_parse(const char *s, uint8_t mac[6]);
void		 libvpc_mac_format(const uint8_t mac[6],
		    char buf[LIBVPC_MAC_STRLEN]);
int		 libvpc_addr_parse(const char *s, struct vpc_ipaddr *a);
void		 libvpc_addr_format(const struct vpc_ipaddr *a,
		    char buf[LIBVPC_ADDR_STRLEN]);

/* Any object. */
int	libvpc_obj_open(libvpc_handle_t *h, const vpc_id_t *id,
	    vpc_type_t type, vpc_flags_t flags);	/* returns vd */
int	libvpc_obj_close(libvpc_handle_t *h, int vd);
int	libvpc_type_get(libvpc_handle_t *h, int vd, vpc_type_t *type);
int	libvpc_id_get(libvpc_handle_t *h, int vd, vpc_id_t *id);
int	libvpc_commit(libvpc_handle_t *h, int vd);
int	libvpc_committed_get(libvpc_handle_t *h, int vd, uint32_t *yes);
int	libvpc_destroy(libvpc_handle_t *h, int vd);
int	libvpc_mac_get(libvpc_handle_t *h, int vd, uint8_t mac[6]);
int	libvpc_mac_set(libvpc_handle_t *h, int vd, const uint8_t mac[6]);
int	libvpc_mtu_get(libvpc_handle_t *h, int vd, uint32_t *mtu);
int	libvpc_mtu_set(libvpc_handle_t *h, int vd, uint32_t mtu);
int	libvpc_rights_get(libvpc_handle_t *h, int vd, vpc_rights_t *r);
int	libvpc_restrict(libvpc_handle_t *h, int vd, vpc_rights_t r);
int	libvpc_abi_version(libvpc_handle_t *h, int vd, uint32_t *v);
/* The stats op of the descriptor's type (every type but mgmt). */
int	libvpc_stats_get(libvpc_handle_t *h, int vd, struct vpc_stats *s);

/* Management (open with the all-zero id and VPC_TYPE_MGMT). */
int	libvpc_mgmt_count(libvpc_handle_t *h, int vd, vpc_type_t type,
	    uint32_t *count);
int	libvpc_mgmt_list(libvpc_handle_t *h, int vd, vpc_type_t type,
	    vpc_id_t **ids, size_t *n);
/*
 * The configuration of every committed object (VPC_OP_MGMT_DUMP): '*len'
 * bytes of well-formed records at '*buf' (NULL if none), to free; walk
 * them with libvpc_dump_next().
 */
int	libvpc_mgmt_dump(libvpc_handle_t *h, int vd, void **buf, size_t *len);
/* The record at '*off' in a dump of 'len' bytes, or NULL at its end. */
const struct vpc_dumprec *libvpc_dump_next(const void *buf, size_t len,
	    size_t *off);

/* Switch. */
int	libvpc_switch_port_add(libvpc_handle_t *h, int vd,
	    const vpc_id_t *port);
int	libvpc_switch_port_del(libvpc_handle_t *h, int vd,
	    const vpc_id_t *port);
int	libvpc_switch_port_list(libvpc_handle_t *h, int vd, vpc_id_t **ids,
	    size_t *n);
int	libvpc_switch_mode_get(libvpc_handle_t *h, int vd, uint32_t *mode);
int	libvpc_switch_mode_set(libvpc_handle_t *h, int vd, uint32_t mode);
int	libvpc_switch_flood_set(libvpc_handle_t *h, int vd, uint32_t vni,
	    const struct vpc_ipaddr *addrs, size_t n);
int	libvpc_switch_flood_get(libvpc_handle_t *h, int vd, uint32_t vni,
	    struct vpc_ipaddr **addrs, size_t *n);
int	libvpc_switch_arp_add(libvpc_handle_t *h, int vd,
	    const struct vpc_neigh *e);
int	libvpc_switch_arp_del(libvpc_handle_t *h, int vd,
	    const struct vpc_neigh *e);
int	libvpc_switch_arp_list(libvpc_handle_t *h, int vd,
	    struct vpc_neigh **e, size_t *n);
int	libvpc_switch_mac_list(libvpc_handle_t *h, int vd,
	    struct vpc_swentry **e, size_t *n);

/* Port. */
int	libvpc_port_connect(libvpc_handle_t *h, int vd, const vpc_id_t *obj);
int	libvpc_port_disconnect(libvpc_handle_t *h, int vd);
int	libvpc_port_vni_get(libvpc_handle_t *h, int vd, uint32_t *vni);
int	libvpc_port_vni_set(libvpc_handle_t *h, int vd, uint32_t vni);
int	libvpc_port_vlan_get(libvpc_handle_t *h, int vd, uint32_t *vlan);
int	libvpc_port_vlan_set(libvpc_handle_t *h, int vd, uint32_t vlan);
int	libvpc_port_peer_get(libvpc_handle_t *h, int vd, vpc_id_t *peer);
int	libvpc_port_switch_get(libvpc_handle_t *h, int vd, vpc_id_t *sw);

/* vmnic and vpci: the descriptor's type selects the op. */
int	libvpc_nic_ifname_get(libvpc_handle_t *h, int vd,
	    char name[VPC_IFNAMSIZ]);
int	libvpc_nic_queues_get(libvpc_handle_t *h, int vd, uint32_t *q);
int	libvpc_nic_queues_set(libvpc_handle_t *h, int vd, uint32_t q);

/* ethlink. */
int	libvpc_ethlink_attach(libvpc_handle_t *h, int vd, const char *ifname);
int	libvpc_ethlink_ifname_get(libvpc_handle_t *h, int vd,
	    char name[VPC_IFNAMSIZ]);
int	libvpc_ethlink_vlan_get(libvpc_handle_t *h, int vd, uint32_t *vlan);
int	libvpc_ethlink_vlan_set(libvpc_handle_t *h, int vd, uint32_t vlan);

/* vpclink. */
int	libvpc_vpclink_local_set(libvpc_handle_t *h, int vd,
	    const struct vpc_udpaddr *a);
int	libvpc_vpclink_local_get(libvpc_handle_t *h, int vd,
	    struct vpc_udpaddr *a);
int	libvpc_vpclink_fwd_set(libvpc_handle_t *h, int vd,
	    const struct vpc_fwd *f);
int	libvpc_vpclink_fwd_del(libvpc_handle_t *h, int vd,
	    const struct vpc_fwd *f);
int	libvpc_vpclink_fwd_list(libvpc_handle_t *h, int vd,
	    struct vpc_fwd **f, size_t *n);

__END_DECLS

#endif /* !_LIBVPC_H_ */
