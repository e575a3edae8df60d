/*
 * vpcd.h: what the parts of vpcd share.
 *
 * vpcd is the userland host of the portable core: it owns the registry,
 * serves vpc_open(2)/vpc_ctl(2) on a Unix socket (vpcd_server.c), and
 * implements the core's device operations (vpcd_host.c) with TAP devices
 * (vpcd_tap.c), AF_PACKET sockets (vpcd_packet.c) and UDP sockets
 * (vpcd_udp.c).  Everything runs from one event loop (vpcd_epoll.c); the
 * loop is an object so that a thread per queue can get its own later.
 * Linux specifics live in vpcd_epoll.c, vpcd_tap.c, vpcd_packet.c and
 * vpcd_linux.c; a FreeBSD port replaces those.
 */

#ifndef _VPCD_H_
#define	_VPCD_H_

#include <sys/types.h>
#include <sys/uio.h>
#include <stdint.h>

#include "vpc_var.h"

struct vpcd_loop;
struct vpcd_ev;
struct vpcd_server;

/* Events a handler is called for (vpcd_ev_add, vpcd_ev_mod). */
#define	VPCD_EV_IN	0x01	/* readable */
#define	VPCD_EV_OUT	0x02	/* writable */
#define	VPCD_EV_ERR	0x04	/* error or hang-up (always reported) */

/* A handler: 'arg' as registered, 'events' what happened. */
typedef void vpcd_ev_fn(void *arg, uint32_t events);

/*
 * Work deferred until the loop has finished the current batch of events,
 * so that an object torn down by one handler is not freed under another
 * one (or under itself).  Embedded in the object to free.
 */
struct vpcd_defer {
	struct vpcd_defer	*df_next;	/* loop's pending list */
	void			(*df_fn)(struct vpcd_defer *); /* runs once */
};

/* The daemon. */
struct vpcd {
	struct vpcd_loop	*v_loop;	/* the event loop */
	struct vpc_registry	*v_reg;		/* the core's registry */
	struct vpcd_server	*v_server;	/* control socket */
	gid_t			 v_group;	/* privileged group */
	int			 v_have_group;	/* -g given */
	int			 v_verbose;	/* -v count */
	uint32_t		 v_linger_us;	/* -P: poll after a reply */
	uint8_t			 v_tap_uso;	/* kernel takes USO frames */
	uint8_t			*v_units[2];	/* vmnic, vpci units in use */
	uint32_t		 v_nunits[2];	/* size of v_units[i] */
};

/* Unit numbers of TAP names: index of v_units. */
#define	VPCD_UNIT_VMNIC	0
#define	VPCD_UNIT_VPCI	1

/* Common head of every host device (o_dev points to it). */
struct vpcd_dev {
	struct vpcd_defer	 dv_defer;	/* deferred free */
	struct vpcd		*dv_vpcd;	/* the daemon */
	struct vpc_obj		*dv_obj;	/* the core object */
	uint32_t		 dv_type;	/* o_type, cached */
};

/*
 * Receive buffers: VPCD_RX_HEADROOM bytes before the frame (the core's
 * headroom plus room to re-insert a VLAN tag) and VPCD_RX_FRAME bytes of
 * frame, so a 64 KiB super-frame fits once offloads are on.
 */
#define	VPCD_RX_HEADROOM	(VPC_PKT_HEADROOM + 4)
#define	VPCD_RX_FRAME		65536
#define	VPCD_RX_BUFSIZE		(VPCD_RX_HEADROOM + VPCD_RX_FRAME)
#define	VPCD_RX_BUDGET		64	/* frames per wake-up per device */

/* vpcd_epoll.c: the event loop. */
struct vpcd_loop *vpcd_loop_create(void);
void		 vpcd_loop_destroy(struct vpcd_loop *l);
int		 vpcd_loop_run(struct vpcd_loop *l, int timeout_ms);
void		 vpcd_loop_defer(struct vpcd_loop *l, struct vpcd_defer *df,
		    void (*fn)(struct vpcd_defer *));
void		 vpcd_loop_at_end(struct vpcd_loop *l, struct vpcd_defer *df,
		    void (*fn)(struct vpcd_defer *));
void		 vpcd_loop_flush(struct vpcd_loop *l);
void		 vpcd_loop_linger(struct vpcd_loop *l, uint32_t usec);
struct vpcd_ev	*vpcd_ev_add(struct vpcd_loop *l, int fd, uint32_t events,
		    vpcd_ev_fn *fn, void *arg);
int		 vpcd_ev_mod(struct vpcd_ev *ev, uint32_t events);
void		 vpcd_ev_del(struct vpcd_ev *ev);

/* vpcd_server.c: the control socket. */
int		 vpcd_server_start(struct vpcd *v, const char *path,
		    struct vpcd_server **sp);
void		 vpcd_server_stop(struct vpcd_server *s);

/* vpcd_host.c: the core's device operations and shared frame helpers. */
extern const struct vpc_host_ops vpcd_host_ops;
int		 vpcd_frame_iov(const struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx, uint8_t tag[4],
		    struct iovec *iov);
void		 vpcd_csum_complete(uint8_t *frame, uint32_t len,
		    uint16_t start, uint16_t offset);
int		 vpcd_unit_alloc(struct vpcd *v, int which, uint32_t *unitp);
void		 vpcd_unit_mark(struct vpcd *v, int which, uint32_t unit);
void		 vpcd_unit_free(struct vpcd *v, int which, uint32_t unit);
#define	VPCD_ID_STRLEN	37
void		 vpcd_id_format(const vpc_id_t *id, char buf[VPCD_ID_STRLEN]);

/* vpcd_rxbuf.c: receive buffers. */
uint8_t		*vpcd_rxbuf_alloc(size_t n);
void		 vpcd_rxbuf_free(uint8_t *b, size_t n);

/* vpcd_tap.c: vmnic and vpci devices. */
void		 vpcd_tap_probe(struct vpcd *v);
int		 vpcd_nic_create(struct vpcd *v, struct vpc_obj *o,
		    struct vpcd_dev **devp);
void		 vpcd_nic_destroy(struct vpcd_dev *dev);
int		 vpcd_nic_set(struct vpcd_dev *dev, enum vpc_attr a,
		    const void *val, size_t len);
int		 vpcd_nic_get(struct vpcd_dev *dev, enum vpc_attr a,
		    void *val, size_t len);
int		 vpcd_nic_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);

/* vpcd_packet.c: AF_PACKET sockets and ethlink devices. */
struct vpcd_psock;
typedef void vpcd_psock_input_fn(void *arg, struct vpc_pkt *pkt);
int		 vpcd_psock_open(struct vpcd *v, const char *ifname,
		    int promisc, vpcd_psock_input_fn *fn, void *arg,
		    struct vpc_obj *obj, struct vpcd_psock **psp);
void		 vpcd_psock_close(struct vpcd_psock *ps);
int		 vpcd_psock_send(struct vpcd_psock *ps, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);
int		 vpcd_ethlink_create(struct vpcd *v, struct vpc_obj *o,
		    struct vpcd_dev **devp);
void		 vpcd_ethlink_destroy(struct vpcd_dev *dev);
int		 vpcd_ethlink_set(struct vpcd_dev *dev, enum vpc_attr a,
		    const void *val, size_t len);
int		 vpcd_ethlink_get(struct vpcd_dev *dev, enum vpc_attr a,
		    void *val, size_t len);
int		 vpcd_ethlink_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);

/* vpcd_udp.c: vpclink devices. */
int		 vpcd_vpclink_create(struct vpcd *v, struct vpc_obj *o,
		    struct vpcd_dev **devp);
void		 vpcd_vpclink_destroy(struct vpcd_dev *dev);
int		 vpcd_vpclink_set(struct vpcd_dev *dev, enum vpc_attr a,
		    const void *val, size_t len);
int		 vpcd_vpclink_get(struct vpcd_dev *dev, enum vpc_attr a,
		    void *val, size_t len);
int		 vpcd_vpclink_output(struct vpcd_dev *dev, struct vpc_pkt *pkt,
		    const struct vpc_txinfo *tx);

/* vpcd_linux.c: credentials, interface ioctls, namespaces. */
int		 vpcd_os_init(void);
int		 vpcd_peer_cred(int fd, const struct vpcd *v,
		    struct vpc_cred *cred);
int		 vpcd_if_index(const char *ifname);
int		 vpcd_if_up(const char *ifname);
int		 vpcd_if_running(const char *ifname);
int		 vpcd_if_get_mtu(const char *ifname, uint32_t *mtu);
int		 vpcd_if_set_mtu(const char *ifname, uint32_t mtu);
int		 vpcd_if_ioctl_netns(int nsfd, unsigned long req, void *ifr);
void		 vpcd_if_no_ipv6(const char *ifname);
int		 vpcd_if_delete(int ifindex);

#endif /* !_VPCD_H_ */
