/*
 * fz_pkt.h: the fixed topology the packet harnesses (ingress, VXLAN,
 * ARP) feed frames into, and the checks run on every frame.
 *
 * The topology is built once per process through the real registry
 * (vpc_desc_open/vpc_desc_ctl): two switches, nine NICs on ports of
 * several VNIs and VLANs (one of them on a port that is in no switch,
 * one with no port), a bound vpclink with uplink ports for five VNIs
 * (one VNI without local ports, one port in no switch), an ethlink
 * uplink, ARP proxy entries with the same tenant address in several
 * VNIs, forwarding entries (one with an underlay of the wrong family) and
 * flood lists (with this host's own address and a wrong-family address).
 *
 * The host's ho_output checks every frame it is given: inside the
 * buffer the harness made, out of an object of the topology, never to a
 * port of another switch or VNI than the frame entered, encapsulated only
 * towards a forwarding entry or flood-list remote of that VNI and never
 * back to the underlay it came from, byte for byte the frame that
 * entered (minus a stripped tag) unless it is an ARP proxy reply, which
 * must answer from the entry of the frame's own VNI.  After the frame:
 * exactly one output carries tx_last, and a frame that produced no
 * output was counted as exactly one drop.  Learned state is flushed
 * after each input so that every input runs on the same tables.
 */

#ifndef _FZ_PKT_H_
#define	_FZ_PKT_H_

#include <stddef.h>
#include <stdint.h>

/* Input header shared by the packet harnesses (5 bytes). */
#define	FZ_HDR_MODES		0	/* bit 0: switch 0 learns, bit 1: 1 */
#define	FZ_HDR_SEL		1	/* ingress NIC / outer source */
#define	FZ_HDR_FLAGS		2	/* FZ_F_* */
#define	FZ_HDR_GSO		3	/* GSO segment size / 8 */
#define	FZ_HDR_WIN		4	/* contiguous window beyond 128 */
#define	FZ_HDRLEN		5

#define	FZ_F_OUTFAIL		0x01	/* ho_output fails (tx_error) */
#define	FZ_F_GSO_MASK		0x06	/* VPC_GSO_* << 1 */
#define	FZ_F_CSUM		0x08	/* CSUM_PARTIAL at 34/16 */
#define	FZ_F_WINDOW		0x10	/* window smaller than the frame */

/*
 * Known findings ($FZ_TOLERATE, a bit mask) that the long runs let
 * through so they can go on; README.md and RESULTS.md describe them.
 */
#define	FZ_KNOWN_SILENT		0x01	/* F1: empty flood, no drop */
#define	FZ_KNOWN_ZEROMAC	0x02	/* F2: learned 00:..:00, undeletable */

#define	FZ_NNIC			11	/* NICs a frame may enter by */

/* Frame 'f' ('len' bytes) enters NIC 'sel % FZ_NNIC'; hdr as above. */
void	fz_pkt_nic(const uint8_t hdr[FZ_HDRLEN], const uint8_t *f,
	    size_t len);
/* UDP payload 'f' ('len' bytes) arrives at the vpclink. */
void	fz_pkt_vxlan(const uint8_t hdr[FZ_HDRLEN], const uint8_t *f,
	    size_t len);

#endif /* !_FZ_PKT_H_ */
