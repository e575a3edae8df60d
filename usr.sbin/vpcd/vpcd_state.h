/*
 * vpcd_state.h: persistence of committed objects across vpcd restarts
 * (vpcd_state.c), and what it needs from the TAP devices (vpcd_tap.c).
 */

#ifndef _VPCD_STATE_H_
#define	_VPCD_STATE_H_

#include "vpcd.h"

#define	VPCD_STATE_DIR_DEFAULT	"/var/db/vpcd"

/*
 * Where the TAP of a vmnic or vpci is, as stored in the state directory
 * (a fixed-width record): enough to find it again after a crash, even
 * once a vpci was moved to another network namespace and renamed there.
 */
struct vpcd_nicrec {
	char		nr_name[16];	/* name vpcd gave it, vmnicN or vpciN */
	char		nr_cur[16];	/* its name now (vpci: maybe renamed) */
	uint32_t	nr_unit;	/* N of nr_name */
	uint32_t	nr_which;	/* VPCD_UNIT_* */
	uint8_t		nr_mac[6];	/* its MAC (vpci), to recognise it */
	uint8_t		nr_pad[2];	/* zero */
	uint64_t	nr_ns_dev;	/* its network namespace: st_dev */
	uint64_t	nr_ns_ino;	/* and st_ino of the nsfs file */
	char		nr_ns_path[64];	/* a path to that namespace, or "" */
};

/* vpcd_state.c */
int	vpcd_state_open(struct vpcd *v, const char *dir);
void	vpcd_state_ctl(struct vpcd *v, struct vpc_desc *d, vpc_op_t op,
	    const void *in, size_t inlen);
int	vpcd_state_sync(struct vpcd *v, uint64_t now);
void	vpcd_state_tick(struct vpcd *v);
void	vpcd_state_close(struct vpcd *v);

/* vpcd_tap.c: keeping TAPs across restarts. */
void	vpcd_nic_adopt_next(const vpc_id_t *id, const struct vpcd_nicrec *nr);
int	vpcd_nic_persist(struct vpcd_dev *dev);
void	vpcd_nic_keep(struct vpcd_dev *dev);
int	vpcd_nic_where(struct vpcd_dev *dev, struct vpcd_nicrec *nr,
	    int force);

#endif /* !_VPCD_STATE_H_ */
