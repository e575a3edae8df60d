/*
 * test_libvpc.c: unit tests of libvpc that need no vpcd.
 *
 * Text forms (round trips and every malformed input we could think of),
 * the name tables against sys/net/vpc.h (read at run time: run vpc-unit
 * from the repository root), the errors vpc_open gives when vpcd is not
 * there, and the socket transport against a small fake vpcd running in a
 * thread of this process.  The fake serves one connection at a time and
 * writes its replies a byte at a time, so partial reads are exercised;
 * it can hold its replies back, for the reply spin's back-off.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvpc.h"
#include "libvpc_impl.h"
#include "vpc_proto.h"
#include "vpct.h"

#define	TEST_VPC_H	"sys/net/vpc.h"
#define	TEST_MAXOPS	256

/* The fake vpcd: what it serves and what it saw. */
struct fake {
	char		f_dir[64];	/* mkdtemp directory */
	char		f_path[100];	/* socket path in it */
	int		f_lfd;		/* listening socket */
	int		f_stop[2];	/* pipe: a byte stops the server */
	pthread_t	f_thr;		/* server thread */
	vpc_type_t	f_type;		/* type of the connection's OPEN */
	vpc_flags_t	f_flags;	/* flags of that OPEN */
	uint32_t	f_nports;	/* ids SW_PORT_LIST/MGMT_LIST return */
	int		f_grow;		/* ERANGE replies that add an id */
	int		f_ranges;	/* ERANGE replies sent */
	uint32_t	f_mtu;		/* last MTU_SET value */
	uint32_t	f_flood_vni;	/* last SW_FLOOD_SET vni */
	uint32_t	f_flood_n;	/* and count */
	int		f_opens;	/* OPEN requests seen */
	uint8_t		f_dump[128];	/* MGMT_DUMP reply */
	uint32_t	f_dumplen;	/* its bytes */
	volatile uint32_t f_delay_us;	/* before each CTL reply */
};

static char	*test_saved_sock;	/* $VPC_SOCKET before a case */

static void	env_save(void);
static void	env_restore(void);
static int	fake_recv(int fd, void *buf, size_t len);
static int	fake_send(int fd, const void *buf, size_t len);
static int	fake_reply(int fd, uint32_t err, const void *out,
		    uint64_t len);
static void	fake_serve(struct fake *f, int fd);
static void	*fake_main(void *arg);
static void	fake_start(struct fake *f);
static void	fake_stop(struct fake *f);
static void	test_id(vpc_id_t *id, uint8_t b);
static void	spin_call(int vd, uint32_t want);

/* Remember $VPC_SOCKET so a case can change it. */
static void
env_save(void)
{
	const char *p;

	p = getenv(LIBVPC_SOCKET_ENV);
	free(test_saved_sock);
	test_saved_sock = p != NULL ? strdup(p) : NULL;
}

/* Put $VPC_SOCKET back as env_save found it. */
static void
env_restore(void)
{
	if (test_saved_sock != NULL)
		setenv(LIBVPC_SOCKET_ENV, test_saved_sock, 1);
	else
		unsetenv(LIBVPC_SOCKET_ENV);
}

/* An id whose bytes are all 'b'. */
static void
test_id(vpc_id_t *id, uint8_t b)
{
	memset(id, b, sizeof(*id));
}

/* Read exactly 'len' bytes; -1 on error or end of stream. */
static int
fake_recv(int fd, void *buf, size_t len)
{
	char *p;
	ssize_t n;

	for (p = buf; len > 0; p += n, len -= (size_t)n) {
		n = recv(fd, p, len, 0);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return (-1);
	}
	return (0);
}

/* Write 'len' bytes one at a time, so the client sees partial reads. */
static int
fake_send(int fd, const void *buf, size_t len)
{
	const char *p;
	size_t i;

	for (p = buf, i = 0; i < len; i++) {
		if (send(fd, p + i, 1, MSG_NOSIGNAL) != 1)
			return (-1);
	}
	return (0);
}

/* Reply with errno 'err' and, when 'err' is 0, 'len' bytes of 'out'. */
static int
fake_reply(int fd, uint32_t err, const void *out, uint64_t len)
{
	struct vpc_msg_rep rp;

	memset(&rp, 0, sizeof(rp));
	rp.rp_magic = VPC_PROTO_MAGIC;
	rp.rp_errno = err;
	rp.rp_outlen = len;
	if (fake_send(fd, &rp, sizeof(rp)) == -1)
		return (-1);
	if (err == 0 && len > 0)
		return (fake_send(fd, out, (size_t)len));
	return (0);
}

/* Serve one connection until the client closes it. */
static void
fake_serve(struct fake *f, int fd)
{
	static uint8_t in[VPC_CTL_IN_MAX];
	struct vpc_msg_req rq;
	struct vpc_msg_rep half;
	struct vpc_stats st;
	struct vpc_ifname ifn;
	struct vpc_mac mac;
	struct vpc_flood_hdr fh;
	vpc_id_t *ids;
	uint64_t need;
	uint32_t u, i;
	int rc;

	while (fake_recv(fd, &rq, sizeof(rq)) == 0) {
		if (rq.rq_magic != VPC_PROTO_MAGIC || rq.rq_inlen > sizeof(in))
			return;
		if (fake_recv(fd, in, (size_t)rq.rq_inlen) == -1)
			return;
		if (rq.rq_kind == VPC_MSG_OPEN) {
			f->f_opens++;
			f->f_type = rq.rq_type;
			f->f_flags = rq.rq_flags;
			rc = fake_reply(fd, rq.rq_id.vi_bytes[0] == 0xee ?
			    ENOENT : 0, NULL, 0);
			if (rc == -1)
				return;
			continue;
		}
		if (f->f_delay_us != 0)
			(void)usleep(f->f_delay_us);
		switch (rq.rq_op) {
		case VPC_OP_TYPE_GET:
			u = f->f_type;
			rc = fake_reply(fd, 0, &u, sizeof(u));
			break;
		case VPC_OP_SW_PORT_LIST:
		case VPC_OP_MGMT_LIST:
			need = (uint64_t)f->f_nports * sizeof(vpc_id_t);
			if (rq.rq_outcap < need) {
				f->f_ranges++;
				if (f->f_grow > 0) {
					f->f_grow--;
					f->f_nports++;
				}
				rc = fake_reply(fd, ERANGE, NULL, need);
				break;
			}
			ids = calloc(f->f_nports + 1, sizeof(*ids));
			for (i = 0; i < f->f_nports; i++)
				test_id(&ids[i], (uint8_t)i);
			rc = fake_reply(fd, 0, ids, need);
			free(ids);
			break;
		case VPC_OP_MGMT_DUMP:
			rc = rq.rq_outcap < f->f_dumplen ?
			    fake_reply(fd, ERANGE, NULL, f->f_dumplen) :
			    fake_reply(fd, 0, f->f_dump, f->f_dumplen);
			break;
		case VPC_OP_MTU_SET:
			if (rq.rq_inlen != sizeof(u)) {
				rc = fake_reply(fd, EINVAL, NULL, 0);
				break;
			}
			memcpy(&f->f_mtu, in, sizeof(u));
			rc = fake_reply(fd, 0, NULL, 0);
			break;
		case VPC_OP_MAC_GET:
			memset(&mac, 0, sizeof(mac));
			mac.vm_octet[0] = 0x02;
			mac.vm_octet[5] = 0x42;
			rc = fake_reply(fd, 0, &mac, sizeof(mac));
			break;
		case VPC_OP_ID_GET:
			/* One byte short: the client must say EPROTO. */
			rc = fake_reply(fd, 0, in, sizeof(vpc_id_t) - 1);
			break;
		case VPC_OP_SW_STATS:
		case VPC_OP_PORT_STATS:
		case VPC_OP_ETHLINK_STATS:
		case VPC_OP_VPCLINK_STATS:
		case VPC_OP_VMNIC_STATS:
		case VPC_OP_VPCI_STATS:
			memset(&st, 0, sizeof(st));
			st.vs_rx_pkts = rq.rq_op;
			rc = fake_reply(fd, 0, &st, sizeof(st));
			break;
		case VPC_OP_VMNIC_IFNAME_GET:
		case VPC_OP_VPCI_IFNAME_GET:
			memset(&ifn, 0, sizeof(ifn));
			(void)snprintf(ifn.vn_name, sizeof(ifn.vn_name), "%s0",
			    rq.rq_op == VPC_OP_VMNIC_IFNAME_GET ? "vmnic" :
			    "vpci");
			rc = fake_reply(fd, 0, &ifn, sizeof(ifn));
			break;
		case VPC_OP_SW_FLOOD_SET:
			memcpy(&fh, in, sizeof(fh));
			if (rq.rq_inlen != sizeof(fh) +
			    fh.vfh_count * sizeof(struct vpc_ipaddr)) {
				rc = fake_reply(fd, EINVAL, NULL, 0);
				break;
			}
			f->f_flood_vni = fh.vfh_vni;
			f->f_flood_n = fh.vfh_count;
			rc = fake_reply(fd, 0, NULL, 0);
			break;
		case VPC_OP_DESTROY:
			rc = fake_reply(fd, EBUSY, NULL, 0);
			break;
		case VPC_OP_COMMIT:
			/* Half a reply, then hang up. */
			memset(&half, 0, sizeof(half));
			half.rp_magic = VPC_PROTO_MAGIC;
			(void)fake_send(fd, &half, sizeof(half) / 2);
			return;
		default:
			rc = fake_reply(fd, EOPNOTSUPP, NULL, 0);
			break;
		}
		if (rc == -1)
			return;
	}
}

/* The fake's thread: accept and serve until told to stop. */
static void *
fake_main(void *arg)
{
	struct fake *f;
	struct pollfd pfd[2];
	int fd;

	f = arg;
	for (;;) {
		pfd[0].fd = f->f_lfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = f->f_stop[0];
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents != 0)
			break;
		if ((fd = accept(f->f_lfd, NULL, NULL)) == -1)
			continue;
		fake_serve(f, fd);
		(void)close(fd);
	}
	return (NULL);
}

/* Start a fake vpcd and point $VPC_SOCKET at it. */
static void
fake_start(struct fake *f)
{
	struct sockaddr_un sun;

	memset(f, 0, sizeof(*f));
	(void)snprintf(f->f_dir, sizeof(f->f_dir), "/tmp/vpct-libvpc.XXXXXX");
	VPCT_REQUIRE(mkdtemp(f->f_dir) != NULL);
	(void)snprintf(f->f_path, sizeof(f->f_path), "%s/vpcd.sock",
	    f->f_dir);
	f->f_lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	VPCT_REQUIRE(f->f_lfd != -1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", f->f_path);
	VPCT_REQUIRE(bind(f->f_lfd, (struct sockaddr *)&sun,
	    sizeof(sun)) == 0);
	VPCT_REQUIRE(listen(f->f_lfd, 8) == 0);
	VPCT_REQUIRE(pipe(f->f_stop) == 0);
	VPCT_REQUIRE(pthread_create(&f->f_thr, NULL, fake_main, f) == 0);
	env_save();
	VPCT_REQUIRE(setenv(LIBVPC_SOCKET_ENV, f->f_path, 1) == 0);
}

/* Stop the fake, remove its socket, restore $VPC_SOCKET. */
static void
fake_stop(struct fake *f)
{
	char c;

	c = 1;
	(void)!write(f->f_stop[1], &c, 1);
	(void)pthread_join(f->f_thr, NULL);
	(void)close(f->f_stop[0]);
	(void)close(f->f_stop[1]);
	(void)close(f->f_lfd);
	(void)unlink(f->f_path);
	(void)rmdir(f->f_dir);
	env_restore();
}

VPCT_CASE(libvpc_uuid_roundtrip)
{
	char buf[LIBVPC_UUID_STRLEN];
	vpc_id_t id, id2;
	unsigned i, j;

	VPCT_REQUIRE(libvpc_uuid_parse(
	    "01234567-89ab-cdef-0123-456789abcdef", &id) == 0);
	for (i = 0; i < 16; i++)
		VPCT_EQ(id.vi_bytes[i], (i % 8) * 0x22 + 0x01);
	libvpc_uuid_format(&id, buf);
	VPCT_CHECK(strcmp(buf, "01234567-89ab-cdef-0123-456789abcdef") == 0);

	/* Upper and mixed case parse to the same bytes; output is lower. */
	VPCT_REQUIRE(libvpc_uuid_parse(
	    "01234567-89AB-CDEF-0123-456789aBcDeF", &id2) == 0);
	VPCT_CHECK(memcmp(&id, &id2, sizeof(id)) == 0);
	libvpc_uuid_format(&id2, buf);
	VPCT_CHECK(strcmp(buf, "01234567-89ab-cdef-0123-456789abcdef") == 0);

	/* Every byte value in every position survives a round trip. */
	for (i = 0; i < 256; i++) {
		for (j = 0; j < 16; j++)
			id.vi_bytes[j] = (uint8_t)(i * 7 + j * 31);
		libvpc_uuid_format(&id, buf);
		VPCT_EQ(strlen(buf), 36);
		VPCT_REQUIRE(libvpc_uuid_parse(buf, &id2) == 0);
		VPCT_CHECK(memcmp(&id, &id2, sizeof(id)) == 0);
	}
	memset(&id, 0, sizeof(id));
	libvpc_uuid_format(&id, buf);
	VPCT_CHECK(strcmp(buf, "00000000-0000-0000-0000-000000000000") == 0);
	memset(&id, 0xff, sizeof(id));
	libvpc_uuid_format(&id, buf);
	VPCT_CHECK(strcmp(buf, "ffffffff-ffff-ffff-ffff-ffffffffffff") == 0);
}

VPCT_CASE(libvpc_uuid_malformed)
{
	static const char *const bad[] = {
		"",
		"0",
		"01234567-89ab-cdef-0123-456789abcde",	/* 35 */
		"01234567-89ab-cdef-0123-456789abcdef0", /* 37 */
		"0123456789abcdef0123456789abcdef",	/* no hyphens */
		"0123456789ab-cdef-0123-456789abcdef",
		"01234567-89abcdef-0123-456789abcdef-",
		"0123456-789ab-cdef-0123-456789abcdef",	/* hyphen early */
		"012345678-9ab-cdef-0123-456789abcdef",	/* hyphen late */
		"01234567_89ab_cdef_0123_456789abcdef",
		"01234567-89ab-cdef-0123:456789abcdef",
		"g1234567-89ab-cdef-0123-456789abcdef",	/* not hex */
		"01234567-89ab-cdef-0123-456789abcdeg",
		"01234567-89ab-cdef-0123-456789abcde ",
		" 1234567-89ab-cdef-0123-456789abcdef",
		"01234567-89ab-cdef-0123-45678 abcdef",
		"0x234567-89ab-cdef-0123-456789abcdef",
		"01234567-+9ab-cdef-0123-456789abcdef",
		"01234567--9ab-cdef-0123-456789abcdef",
		"{01234567-89ab-cdef-0123-456789abcdef}",
		"{1234567-89ab-cdef-0123-456789abcdef}",
		"urn:uuid:01234567-89ab-cdef-0123-456789abcdef",
		"01234567-89ab-cdef-0123-456789abcdef\n",
		"\t01234567-89ab-cdef-0123-456789abcdef",
		"01234567-89ab-cdef-0123-456789abcdéf",
	};
	vpc_id_t id, keep;
	size_t i;

	memset(&id, 0xa5, sizeof(id));
	keep = id;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (libvpc_uuid_parse(bad[i], &id) != -1)
			vpct_fail(__FILE__, __LINE__, "accepted \"%s\"",
			    bad[i]);
		VPCT_EQ(errno, EINVAL);
		VPCT_CHECK(memcmp(&id, &keep, sizeof(id)) == 0);
	}
	errno = 0;
	VPCT_EQ(libvpc_uuid_parse(NULL, &id), -1);
	VPCT_EQ(errno, EINVAL);
	/* A NUL inside: the parser must not read past it. */
	{
		char s[40] = "01234567-89ab-cdef-0123-456789abcdef";

		s[20] = '\0';
		VPCT_EQ(libvpc_uuid_parse(s, &id), -1);
		VPCT_CHECK(memcmp(&id, &keep, sizeof(id)) == 0);
	}
}

VPCT_CASE(libvpc_mac_roundtrip)
{
	char buf[LIBVPC_MAC_STRLEN];
	uint8_t mac[6], mac2[6];
	unsigned i, j;

	VPCT_REQUIRE(libvpc_mac_parse("aa:bb:cc:dd:ee:ff", mac) == 0);
	VPCT_EQ(mac[0], 0xaa);
	VPCT_EQ(mac[5], 0xff);
	VPCT_REQUIRE(libvpc_mac_parse("AA:Bb:cC:DD:EE:FF", mac2) == 0);
	VPCT_CHECK(memcmp(mac, mac2, 6) == 0);
	libvpc_mac_format(mac2, buf);
	VPCT_CHECK(strcmp(buf, "aa:bb:cc:dd:ee:ff") == 0);
	VPCT_REQUIRE(libvpc_mac_parse("02:00:00:00:00:01", mac) == 0);
	VPCT_EQ(mac[0], 0x02);
	VPCT_EQ(mac[5], 0x01);
	for (i = 0; i < 256; i++) {
		for (j = 0; j < 6; j++)
			mac[j] = (uint8_t)(i + j * 43);
		libvpc_mac_format(mac, buf);
		VPCT_EQ(strlen(buf), 17);
		VPCT_REQUIRE(libvpc_mac_parse(buf, mac2) == 0);
		VPCT_CHECK(memcmp(mac, mac2, 6) == 0);
	}
}

VPCT_CASE(libvpc_mac_malformed)
{
	static const char *const bad[] = {
		"",
		"aa:bb:cc:dd:ee",
		"aa:bb:cc:dd:ee:",
		"aa:bb:cc:dd:ee:ff:",
		"aa:bb:cc:dd:ee:ff:00",
		"aa-bb-cc-dd-ee-ff",
		"aa:bb:cc-dd:ee:ff",
		"aabb.ccdd.eeff",
		"aabbccddeeff",
		"a:b:c:d:e:f",
		"a:bb:cc:dd:ee:fff",
		"aa:bb:cc:dd:ee:f",
		"gg:bb:cc:dd:ee:ff",
		"aa:bb:cc:dd:ee:fg",
		" aa:bb:cc:dd:ee:f",
		"aa:bb:cc:dd:ee:ff ",
		"aa::bb:cc:dd:ee:f",
		"aa:bb:cc:dd:ee:+f",
		"0x:bb:cc:dd:ee:ff",
		"aa:bb:cc:dd:ee:ff\n",
	};
	uint8_t mac[6], keep[6];
	size_t i;

	memset(mac, 0x5a, sizeof(mac));
	memcpy(keep, mac, sizeof(mac));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (libvpc_mac_parse(bad[i], mac) != -1)
			vpct_fail(__FILE__, __LINE__, "accepted \"%s\"",
			    bad[i]);
		VPCT_EQ(errno, EINVAL);
		VPCT_CHECK(memcmp(mac, keep, sizeof(mac)) == 0);
	}
	errno = 0;
	VPCT_EQ(libvpc_mac_parse(NULL, mac), -1);
	VPCT_EQ(errno, EINVAL);
}

VPCT_CASE(libvpc_addr_roundtrip)
{
	static const char *const good[] = {
		"192.0.2.1", "198.51.100.254", "203.0.113.0", "0.0.0.0",
		"255.255.255.255", "2001:db8::1", "2001:db8:0:1::", "::",
		"::1", "2001:db8:1:2:3:4:5:6", "::ffff:192.0.2.7",
	};
	char buf[LIBVPC_ADDR_STRLEN];
	struct vpc_ipaddr a, b;
	size_t i, j;

	VPCT_REQUIRE(libvpc_addr_parse("192.0.2.1", &a) == 0);
	VPCT_EQ(a.va_family, VPC_AF_INET);
	VPCT_EQ(a.va_addr[0], 192);
	VPCT_EQ(a.va_addr[1], 0);
	VPCT_EQ(a.va_addr[2], 2);
	VPCT_EQ(a.va_addr[3], 1);
	for (j = 4; j < 16; j++)
		VPCT_EQ(a.va_addr[j], 0);
	for (j = 0; j < 3; j++)
		VPCT_EQ(a.va_pad[j], 0);

	VPCT_REQUIRE(libvpc_addr_parse("2001:DB8::a", &a) == 0);
	VPCT_EQ(a.va_family, VPC_AF_INET6);
	VPCT_EQ(a.va_addr[0], 0x20);
	VPCT_EQ(a.va_addr[1], 0x01);
	VPCT_EQ(a.va_addr[2], 0x0d);
	VPCT_EQ(a.va_addr[3], 0xb8);
	VPCT_EQ(a.va_addr[15], 0x0a);
	libvpc_addr_format(&a, buf);
	VPCT_CHECK(strcmp(buf, "2001:db8::a") == 0);

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		memset(&a, 0xee, sizeof(a));
		if (libvpc_addr_parse(good[i], &a) != 0) {
			vpct_fail(__FILE__, __LINE__, "rejected \"%s\"",
			    good[i]);
			continue;
		}
		for (j = 0; j < 3; j++)
			VPCT_EQ(a.va_pad[j], 0);
		libvpc_addr_format(&a, buf);
		if (strcmp(buf, good[i]) != 0)
			vpct_fail(__FILE__, __LINE__, "\"%s\" printed \"%s\"",
			    good[i], buf);
		VPCT_REQUIRE(libvpc_addr_parse(buf, &b) == 0);
		VPCT_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	}

	memset(&a, 0, sizeof(a));
	libvpc_addr_format(&a, buf);
	VPCT_CHECK(strcmp(buf, "none") == 0);
	a.va_family = 5;
	libvpc_addr_format(&a, buf);
	VPCT_CHECK(strcmp(buf, "?") == 0);
}

VPCT_CASE(libvpc_addr_malformed)
{
	static const char *const bad[] = {
		"", "192.0.2", "192.0.2.", "192.0.2.256", "192.0.2.1.5",
		"192.0.2.1/24", "192.0.2.-1", " 192.0.2.1", "192.0.2.1 ",
		"192.0.2.1\n", "0x7f.0.0.1", "localhost", "2001:db8::1/64",
		"2001:db8::1%eth0", "2001:db8:::1", "2001:db8::1::2",
		"2001:db8:1:2:3:4:5:6:7", "2001:db8:g::1", ":", ":::",
		"[2001:db8::1]", "2001:db8::1 ", "12345::1",
	};
	struct vpc_ipaddr a, keep;
	size_t i;

	memset(&a, 0x77, sizeof(a));
	keep = a;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		if (libvpc_addr_parse(bad[i], &a) != -1)
			vpct_fail(__FILE__, __LINE__, "accepted \"%s\"",
			    bad[i]);
		VPCT_EQ(errno, EINVAL);
		VPCT_CHECK(memcmp(&a, &keep, sizeof(a)) == 0);
	}
	errno = 0;
	VPCT_EQ(libvpc_addr_parse(NULL, &a), -1);
	VPCT_EQ(errno, EINVAL);
}

/*
 * Every "#define VPC_OP_X ... VPC_OP(" in the header has a name, every
 * op word the library names is one of them, and per type the numbers
 * run from 1 without gaps.
 */
VPCT_CASE(libvpc_op_names_complete)
{
	static char hdr[TEST_MAXOPS][48];
	static char seen[TEST_MAXOPS];
	char line[256], name[48];
	const char *nm;
	unsigned nhdr, nfound, type, num, fl, maxnum, i, cnt[VPC_TYPE_MAX];
	FILE *fp;
	vpc_op_t op;

	fp = fopen(TEST_VPC_H, "r");
	if (fp == NULL)
		vpct_fail(__FILE__, __LINE__, "cannot read %s: run vpc-unit "
		    "from the repository root", TEST_VPC_H);
	VPCT_REQUIRE(fp != NULL);
	nhdr = 0;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "#define %47[A-Z0-9_]", name) != 1 ||
		    strncmp(name, "VPC_OP_", 7) != 0 ||
		    strstr(line, "VPC_OP(") == NULL)
			continue;
		VPCT_REQUIRE(nhdr < TEST_MAXOPS);
		memcpy(hdr[nhdr++], name, sizeof(name));
	}
	fclose(fp);
	VPCT_CHECK(nhdr >= 50);		/* the header has at least these */

	/* Every possible op word of every type: which ones have names? */
	nfound = 0;
	memset(seen, 0, sizeof(seen));
	memset(cnt, 0, sizeof(cnt));
	for (type = 0; type <= VPC_TYPE_MAX; type++) {
		maxnum = 0;
		for (num = 0; num < 256; num++) {
			for (fl = 0; fl < 16; fl++) {
				op = VPC_OP(type, num, fl << 28);
				if ((nm = libvpc_op_name(op)) == NULL)
					continue;
				nfound++;
				VPCT_CHECK(type < VPC_TYPE_MAX);
				VPCT_CHECK(num > 0);
				if (type < VPC_TYPE_MAX)
					cnt[type]++;
				if (num > maxnum)
					maxnum = num;
				for (i = 0; i < nhdr; i++)
					if (strcmp(hdr[i], nm) == 0)
						break;
				if (i == nhdr) {
					vpct_fail(__FILE__, __LINE__,
					    "%s is not in %s", nm, TEST_VPC_H);
					continue;
				}
				if (seen[i]++)
					vpct_fail(__FILE__, __LINE__,
					    "%s names two ops", nm);
			}
		}
		/* Numbers 1..maxnum all used: one op per number. */
		if (type < VPC_TYPE_MAX && cnt[type] != maxnum)
			vpct_fail(__FILE__, __LINE__, "type %u: %u ops named, "
			    "highest number %u", type, cnt[type], maxnum);
	}
	for (i = 0; i < nhdr; i++)
		if (!seen[i])
			vpct_fail(__FILE__, __LINE__, "%s has no name in "
			    "libvpc_names.c", hdr[i]);
	VPCT_EQ(nfound, nhdr);

	/* Spot checks of value and name. */
	VPCT_CHECK(strcmp(libvpc_op_name(VPC_OP_SW_PORT_ADD),
	    "VPC_OP_SW_PORT_ADD") == 0);
	VPCT_CHECK(strcmp(libvpc_op_name(VPC_OP_ETHLINK_ATTACH),
	    "VPC_OP_ETHLINK_ATTACH") == 0);
	VPCT_CHECK(strcmp(libvpc_op_name(VPC_OP_VPCI_QUEUES_SET),
	    "VPC_OP_VPCI_QUEUES_SET") == 0);
	VPCT_CHECK(libvpc_op_name(0) == NULL);
	VPCT_CHECK(libvpc_op_name(VPC_OP_TYPE_GET | 0x00010000u) == NULL);
	VPCT_CHECK(libvpc_op_name(VPC_OP_TYPE_GET | VPC_OPF_IN) == NULL);
}

VPCT_CASE(libvpc_drop_names_complete)
{
	static const struct {
		uint32_t	num;
		const char	*str;
	} want[] = {
#define	TEST_DROP(name, num, str)	{ num, str },
		VPC_DROP_REASONS(TEST_DROP)
#undef TEST_DROP
	};
	const char *a, *b;
	uint32_t i, j;

	VPCT_EQ(sizeof(want) / sizeof(want[0]), VPC_DROP_COUNT);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		a = libvpc_drop_name(want[i].num);
		VPCT_REQUIRE(a != NULL);
		VPCT_CHECK(strcmp(a, want[i].str) == 0);
	}
	for (i = 0; i < VPC_DROP_COUNT; i++) {
		a = libvpc_drop_name(i);
		VPCT_REQUIRE(a != NULL && *a != '\0');
		for (j = i + 1; j < VPC_DROP_COUNT; j++) {
			b = libvpc_drop_name(j);
			VPCT_CHECK(b != NULL && strcmp(a, b) != 0);
		}
	}
	VPCT_CHECK(strcmp(libvpc_drop_name(VPC_DROP_ETH_SHORT),
	    "eth_short") == 0);
	VPCT_CHECK(libvpc_drop_name(VPC_DROP_COUNT) == NULL);
	VPCT_CHECK(libvpc_drop_name(VPC_DROP_SLOTS) == NULL);
	VPCT_CHECK(libvpc_drop_name(UINT32_MAX) == NULL);
}

VPCT_CASE(libvpc_type_names)
{
	static const struct {
		vpc_type_t	type;
		const char	*name;
	} want[] = {
		{ VPC_TYPE_SWITCH, "switch" }, { VPC_TYPE_PORT, "port" },
		{ VPC_TYPE_ROUTER, "router" }, { VPC_TYPE_NAT, "nat" },
		{ VPC_TYPE_VPCLINK, "vpclink" }, { VPC_TYPE_VMNIC, "vmnic" },
		{ VPC_TYPE_MGMT, "mgmt" }, { VPC_TYPE_ETHLINK, "ethlink" },
		{ VPC_TYPE_VPCI, "vpci" }, { VPC_TYPE_FW, "fw" },
	};
	static const char *const bad[] = {
		"", "Switch", "SWITCH", "vpcsw", "switch ", " port", "invalid",
		"mgmt0", "v",
	};
	vpc_type_t t;
	size_t i;

	VPCT_EQ(sizeof(want) / sizeof(want[0]), VPC_TYPE_MAX - 1);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		VPCT_REQUIRE(libvpc_type_name(want[i].type) != NULL);
		VPCT_CHECK(strcmp(libvpc_type_name(want[i].type),
		    want[i].name) == 0);
		t = 0;
		VPCT_EQ(libvpc_type_parse(want[i].name, &t), 0);
		VPCT_EQ(t, want[i].type);
	}
	VPCT_CHECK(libvpc_type_name(VPC_TYPE_INVALID) == NULL);
	VPCT_CHECK(libvpc_type_name(VPC_TYPE_MAX) == NULL);
	VPCT_CHECK(libvpc_type_name(UINT32_MAX) == NULL);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 77;
		errno = 0;
		VPCT_EQ(libvpc_type_parse(bad[i], &t), -1);
		VPCT_EQ(errno, EINVAL);
		VPCT_EQ(t, 77);
	}
	VPCT_EQ(libvpc_type_parse(NULL, &t), -1);
}

/* With no vpcd, vpc_open says so and the handle says what to do. */
VPCT_CASE(libvpc_no_vpcd)
{
	char dir[64], path[100], want[512], longp[200];
	struct sockaddr_un sun;
	libvpc_handle_t *h;
	vpc_id_t id;
	int fd, s;

	if (libvpc_backend() == LIBVPC_BACKEND_KERNEL)
		return;		/* FreeBSD with vpc.ko: not this case */
	h = libvpc_open();
	VPCT_REQUIRE(h != NULL);
	VPCT_EQ(libvpc_errno(h), 0);
	VPCT_CHECK(strcmp(libvpc_errstr(h), "no error") == 0);
	(void)snprintf(dir, sizeof(dir), "/tmp/vpct-libvpc.XXXXXX");
	VPCT_REQUIRE(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/absent.sock", dir);
	env_save();
	setenv(LIBVPC_SOCKET_ENV, path, 1);
	VPCT_CHECK(strcmp(libvpc_socket_path(), path) == 0);
	VPCT_EQ(libvpc_backend(), LIBVPC_BACKEND_NONE);

	/* No socket file. */
	test_id(&id, 1);
	errno = 0;
	VPCT_EQ(vpc_open(&id, VPC_TYPE_SWITCH, VPC_F_CREATE | VPC_F_WRITE),
	    -1);
	VPCT_EQ(errno, ENOENT);
	VPCT_EQ(libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | VPC_F_WRITE), -1);
	VPCT_EQ(libvpc_errno(h), ENOENT);
	VPCT_EQ(libvpc_err_op(h), 0);
	(void)snprintf(want, sizeof(want), "vpcd is not running (no socket "
	    "at %s); start it with: vpcd -s %s", path, path);
	if (strcmp(libvpc_errstr(h), want) != 0)
		vpct_fail(__FILE__, __LINE__, "errstr \"%s\"",
		    libvpc_errstr(h));

	/* A socket file nobody listens on. */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	VPCT_REQUIRE(s != -1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	VPCT_REQUIRE(bind(s, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	errno = 0;
	VPCT_EQ(vpc_open(&id, VPC_TYPE_SWITCH, VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_EQ(errno, ECONNREFUSED);
	VPCT_EQ(libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_EQ(libvpc_errno(h), ECONNREFUSED);
	VPCT_CHECK(strstr(libvpc_errstr(h), "vpcd is not running") != NULL);
	VPCT_CHECK(strstr(libvpc_errstr(h), path) != NULL);
	VPCT_EQ(libvpc_backend(), LIBVPC_BACKEND_NONE);
	(void)close(s);
	(void)unlink(path);

	/* A path too long for a Unix socket. */
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	setenv(LIBVPC_SOCKET_ENV, longp, 1);
	errno = 0;
	VPCT_EQ(vpc_open(&id, VPC_TYPE_SWITCH, VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_EQ(errno, ENAMETOOLONG);
	VPCT_EQ(libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
	    VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_CHECK(strstr(libvpc_errstr(h), "too long") != NULL);

	/* Empty $VPC_SOCKET means the default. */
	setenv(LIBVPC_SOCKET_ENV, "", 1);
	VPCT_CHECK(strcmp(libvpc_socket_path(), LIBVPC_SOCKET_DEFAULT) == 0);
	unsetenv(LIBVPC_SOCKET_ENV);
	VPCT_CHECK(strcmp(libvpc_socket_path(), LIBVPC_SOCKET_DEFAULT) == 0);

	/* A NULL id never reaches the socket. */
	errno = 0;
	VPCT_EQ(vpc_open(NULL, VPC_TYPE_SWITCH, VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_EQ(errno, EFAULT);

	env_restore();
	(void)rmdir(dir);
	libvpc_close(h);

	/* Descriptors that are not vpc descriptors: EBADF. */
	errno = 0;
	VPCT_EQ(vpc_ctl(-1, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EBADF);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	VPCT_REQUIRE(fd != -1);
	errno = 0;
	VPCT_EQ(vpc_ctl(fd, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EBADF);
	(void)close(fd);
	errno = 0;
	VPCT_EQ(vpc_ctl(fd, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EBADF);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	VPCT_REQUIRE(s != -1);
	errno = 0;
	VPCT_EQ(vpc_ctl(s, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EBADF);
	(void)close(s);
	s = socket(AF_UNIX, SOCK_STREAM, 0);	/* not connected */
	VPCT_REQUIRE(s != -1);
	errno = 0;
	VPCT_EQ(vpc_ctl(s, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EBADF);
	(void)close(s);
}

/* vpc_open and vpc_ctl against the fake vpcd. */
VPCT_CASE(libvpc_transport_fake)
{
	struct fake f;
	vpc_id_t id, out[4], mark;
	uint8_t big[512];
	uint32_t u;
	size_t n;
	int vd;

	if (libvpc_backend() == LIBVPC_BACKEND_KERNEL)
		return;
	fake_start(&f);
	VPCT_EQ(libvpc_backend(), LIBVPC_BACKEND_VPCD);

	/* The server's errno comes back; no descriptor is left open. */
	test_id(&id, 0xee);
	errno = 0;
	VPCT_EQ(vpc_open(&id, VPC_TYPE_PORT, VPC_F_OPEN | VPC_F_READ), -1);
	VPCT_EQ(errno, ENOENT);

	test_id(&id, 1);
	vd = vpc_open(&id, VPC_TYPE_SWITCH, VPC_F_OPEN | VPC_F_READ);
	VPCT_REQUIRE(vd >= 0);
	VPCT_EQ(f.f_type, VPC_TYPE_SWITCH);
	VPCT_EQ(f.f_flags, VPC_F_OPEN | VPC_F_READ);
	VPCT_CHECK((fcntl(vd, F_GETFD) & FD_CLOEXEC) != 0);

	n = sizeof(u);
	u = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_TYPE_GET, 0, NULL, &n, &u), 0);
	VPCT_EQ(n, sizeof(u));
	VPCT_EQ(u, VPC_TYPE_SWITCH);

	/* ERANGE: the size needed, and nothing copied. */
	f.f_nports = 10;
	test_id(&mark, 0x5a);
	out[0] = out[3] = mark;
	n = sizeof(out);
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_SW_PORT_LIST, 0, NULL, &n, out), -1);
	VPCT_EQ(errno, ERANGE);
	VPCT_EQ(n, 10 * sizeof(vpc_id_t));
	VPCT_CHECK(memcmp(&out[0], &mark, sizeof(mark)) == 0);
	VPCT_CHECK(memcmp(&out[3], &mark, sizeof(mark)) == 0);

	/* Success: copied, and *outnbyte is what was written. */
	f.f_nports = 3;
	n = sizeof(out);
	VPCT_EQ(vpc_ctl(vd, VPC_OP_SW_PORT_LIST, 0, NULL, &n, out), 0);
	VPCT_EQ(n, 3 * sizeof(vpc_id_t));
	VPCT_EQ(out[2].vi_bytes[0], 2);
	VPCT_CHECK(memcmp(&out[3], &mark, sizeof(mark)) == 0);

	/* Other errors set *outnbyte to 0, as the core does. */
	n = 4;
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_PORT_VNI_GET, 0, NULL, &n, &u), -1);
	VPCT_EQ(errno, EOPNOTSUPP);
	VPCT_EQ(n, 0);

	/* Client-side refusals: NULL buffers and oversized input. */
	n = 4;
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_TYPE_GET, 0, NULL, &n, NULL), -1);
	VPCT_EQ(errno, EFAULT);
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_MTU_SET, 4, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, EFAULT);
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_MTU_SET, VPC_CTL_IN_MAX + 1, big, NULL,
	    NULL), -1);
	VPCT_EQ(errno, E2BIG);

	/* The stream is still in step after all that. */
	u = 1500;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_MTU_SET, sizeof(u), &u, NULL, NULL), 0);
	VPCT_EQ(f.f_mtu, 1500);

	/* The server hangs up in the middle of a reply. */
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_COMMIT, 0, NULL, NULL, NULL), -1);
	VPCT_EQ(errno, ECONNRESET);
	/* Later calls fail at once (and raise no SIGPIPE). */
	errno = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_TYPE_GET, 0, NULL, NULL, NULL), -1);
	VPCT_CHECK(errno == EPIPE || errno == ECONNRESET);
	(void)close(vd);

	fake_stop(&f);
	VPCT_EQ(libvpc_backend(), LIBVPC_BACKEND_NONE);
}

/* $VPC_SPIN_US: whole microseconds up to 10,000, else the default. */
VPCT_CASE(libvpc_spin_env)
{
	static const char *const bad[] = { NULL, "", " 5", "+5", "-1", "5x",
	    "10001", "99999999999999999999999", "0x10" };
	size_t i;

	VPCT_EQ(libvpc_spin_parse("0"), 0);
	VPCT_EQ(libvpc_spin_parse("1"), 1);
	VPCT_EQ(libvpc_spin_parse("007"), 7);
	VPCT_EQ(libvpc_spin_parse("10000"), 10000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		VPCT_EQ(libvpc_spin_parse(bad[i]), 50);
}

/* One TYPE_GET on 'vd' that must succeed with 'want'. */
static void
spin_call(int vd, uint32_t want)
{
	uint32_t u;
	size_t n;

	n = sizeof(u);
	u = 0;
	VPCT_EQ(vpc_ctl(vd, VPC_OP_TYPE_GET, 0, NULL, &n, &u), 0);
	VPCT_EQ(n, sizeof(u));
	VPCT_EQ(u, want);
}

/* The thread's back-off must be ('skip', 'back'). */
#define	SPIN_STATE(skip, back) do {					\
	uint32_t s_, b_;						\
									\
	libvpc_spin_state(&s_, &b_);					\
	VPCT_EQ(s_, (skip));						\
	VPCT_EQ(b_, (back));						\
} while (0)

/*
 * The reply spin: replies that come while spinning keep it on; slow ones
 * (held back well past the spin time) still arrive whole, and make the
 * thread skip 1, then 2, 4, ... up to 256 spins; one reply found spinning
 * resets that.
 */
VPCT_CASE(libvpc_spin_backoff)
{
	struct fake f;
	vpc_id_t id;
	uint32_t old, s, b, i, spins;
	int vd;

	if (libvpc_backend() == LIBVPC_BACKEND_KERNEL)
		return;
	/* A generous spin for replies that come at once, even under ASan. */
	old = libvpc_spin_set(10000);
	fake_start(&f);
	test_id(&id, 1);
	vd = vpc_open(&id, VPC_TYPE_SWITCH, VPC_F_OPEN | VPC_F_READ);
	VPCT_REQUIRE(vd >= 0);
	spin_call(vd, VPC_TYPE_SWITCH);
	SPIN_STATE(0, 0);

	/* Replies 20 times slower than the spin. */
	(void)libvpc_spin_set(200);
	f.f_delay_us = 4000;
	spin_call(vd, VPC_TYPE_SWITCH);
	SPIN_STATE(1, 2);
	spin_call(vd, VPC_TYPE_SWITCH);		/* not spun for */
	SPIN_STATE(0, 2);
	spin_call(vd, VPC_TYPE_SWITCH);
	SPIN_STATE(2, 4);

	/* Quick again: the skips run out, then the first spin resets. */
	(void)libvpc_spin_set(10000);
	f.f_delay_us = 0;
	spin_call(vd, VPC_TYPE_SWITCH);
	spin_call(vd, VPC_TYPE_SWITCH);
	SPIN_STATE(0, 4);
	spin_call(vd, VPC_TYPE_SWITCH);
	SPIN_STATE(0, 0);

	/* Slow for good: the back-off stops doubling at 256. */
	(void)libvpc_spin_set(100);
	f.f_delay_us = 1000;
	spins = 0;
	for (i = 0; i < 600; i++) {
		libvpc_spin_state(&s, &b);
		if (s == 0)
			spins++;
		spin_call(vd, VPC_TYPE_SWITCH);
	}
	libvpc_spin_state(&s, &b);
	VPCT_EQ(b, 256);
	/* Spun at calls 1, 3, 6, 11, 20, 37, 70, 135, 264, 521: ten. */
	VPCT_EQ(spins, 10);

	/* No spin at all: every call reads at once and nothing changes. */
	(void)libvpc_spin_set(0);
	f.f_delay_us = 0;
	spin_call(vd, VPC_TYPE_SWITCH);
	libvpc_spin_state(&s, &b);
	VPCT_EQ(b, 256);
	(void)close(vd);
	fake_stop(&f);
	(void)libvpc_spin_set(old);
}

/* The typed helpers against the fake vpcd. */
VPCT_CASE(libvpc_helpers_fake)
{
	struct vpc_ipaddr addrs[3];
	struct vpc_stats st;
	char name[VPC_IFNAMSIZ];
	libvpc_handle_t *h;
	struct fake f;
	const struct vpc_dumprec *rec;
	struct vpc_dumprec dr;
	vpc_id_t id, *ids, keep;
	uint8_t mac[6];
	void *dump;
	size_t n, off;
	unsigned i;
	int vd;

	if (libvpc_backend() == LIBVPC_BACKEND_KERNEL)
		return;
	fake_start(&f);
	h = libvpc_open();
	VPCT_REQUIRE(h != NULL);
	test_id(&id, 2);

	/* Switch: the list grows twice while we ask. */
	vd = libvpc_obj_open(h, &id, VPC_TYPE_SWITCH,
	    VPC_F_CREATE | VPC_F_READ | VPC_F_WRITE);
	VPCT_REQUIRE(vd >= 0);
	f.f_nports = 100;
	f.f_grow = 2;
	ids = NULL;
	VPCT_REQUIRE(libvpc_switch_port_list(h, vd, &ids, &n) == 0);
	VPCT_EQ(n, 102);
	VPCT_EQ(f.f_ranges, 3);
	VPCT_REQUIRE(ids != NULL);
	VPCT_EQ(ids[101].vi_bytes[15], 101);
	free(ids);
	VPCT_EQ(libvpc_errno(h), 0);	/* retried ERANGEs are not failures */

	/* An empty list is NULL and 0. */
	f.f_nports = 0;
	ids = &keep;
	VPCT_REQUIRE(libvpc_switch_port_list(h, vd, &ids, &n) == 0);
	VPCT_EQ(n, 0);
	VPCT_CHECK(ids == NULL);

	/* A list that never stops growing ends in ERANGE. */
	f.f_nports = 100;
	f.f_grow = 1000;
	ids = &keep;
	errno = 0;
	VPCT_EQ(libvpc_mgmt_list(h, vd, VPC_TYPE_PORT, &ids, &n), -1);
	VPCT_EQ(errno, ERANGE);
	VPCT_EQ(libvpc_errno(h), ERANGE);
	VPCT_EQ(libvpc_err_op(h), VPC_OP_MGMT_LIST);
	VPCT_CHECK(ids == &keep);

	/*
	 * Dump: two records (a COMMIT, a MAC_SET with 8 bytes of input and
	 * the second record's size asking for 8 bytes of padding) walk in
	 * order; a size off the alignment, past the end or shorter than its
	 * input is EPROTO and leaves the caller's pointer alone.
	 */
	memset(&dr, 0, sizeof(dr));
	dr.dr_op = VPC_OP_COMMIT;
	dr.dr_type = VPC_TYPE_SWITCH;
	dr.dr_size = sizeof(dr);
	memcpy(f.f_dump, &dr, sizeof(dr));
	dr.dr_op = VPC_OP_MAC_SET;
	dr.dr_inlen = 8;
	dr.dr_size = sizeof(dr) + 16;
	memcpy(f.f_dump + sizeof(dr), &dr, sizeof(dr));
	f.f_dump[2 * sizeof(dr)] = 0x02;
	f.f_dumplen = 3 * sizeof(dr) + 16;
	VPCT_REQUIRE(f.f_dumplen <= sizeof(f.f_dump));
	/* The third, a COMMIT of a vpclink. */
	dr.dr_op = VPC_OP_COMMIT;
	dr.dr_type = VPC_TYPE_VPCLINK;
	dr.dr_inlen = 0;
	dr.dr_size = sizeof(dr);
	memcpy(f.f_dump + 2 * sizeof(dr) + 16, &dr, sizeof(dr));
	dump = NULL;
	VPCT_REQUIRE(libvpc_mgmt_dump(h, vd, &dump, &n) == 0);
	VPCT_EQ(n, f.f_dumplen);
	off = 0;
	rec = libvpc_dump_next(dump, n, &off);
	VPCT_REQUIRE(rec != NULL);
	VPCT_EQ(rec->dr_op, VPC_OP_COMMIT);
	rec = libvpc_dump_next(dump, n, &off);
	VPCT_REQUIRE(rec != NULL);
	VPCT_EQ(rec->dr_op, VPC_OP_MAC_SET);
	VPCT_EQ(((const uint8_t *)(rec + 1))[0], 0x02);
	rec = libvpc_dump_next(dump, n, &off);
	VPCT_REQUIRE(rec != NULL);
	VPCT_EQ(rec->dr_type, VPC_TYPE_VPCLINK);
	VPCT_CHECK(libvpc_dump_next(dump, n, &off) == NULL);
	VPCT_EQ(off, n);
	free(dump);
	for (i = 0; i < 3; i++) {
		/* Record 2's size: 44 (not aligned), past the end, 32 < 40. */
		dr.dr_op = VPC_OP_MAC_SET;
		dr.dr_type = VPC_TYPE_SWITCH;
		dr.dr_inlen = 8;
		dr.dr_size = i == 0 ? 44 : i == 1 ? 1024 : sizeof(dr);
		memcpy(f.f_dump + sizeof(dr), &dr, sizeof(dr));
		dump = &keep;
		errno = 0;
		VPCT_EQ(libvpc_mgmt_dump(h, vd, &dump, &n), -1);
		VPCT_EQ(errno, EPROTO);
		VPCT_EQ(libvpc_err_op(h), VPC_OP_MGMT_DUMP);
		VPCT_CHECK(dump == &keep);
	}

	/* Stats: the switch's op. */
	memset(&st, 0, sizeof(st));
	VPCT_REQUIRE(libvpc_stats_get(h, vd, &st) == 0);
	VPCT_EQ(st.vs_rx_pkts, VPC_OP_SW_STATS);

	/* A failure is recorded with its op and named by errstr. */
	errno = 0;
	VPCT_EQ(libvpc_destroy(h, vd), -1);
	VPCT_EQ(errno, EBUSY);
	VPCT_EQ(libvpc_errno(h), EBUSY);
	VPCT_EQ(libvpc_err_op(h), VPC_OP_DESTROY);
	VPCT_CHECK(strncmp(libvpc_errstr(h), "VPC_OP_DESTROY: ", 16) == 0);

	/* A short reply is EPROTO and the caller's id is untouched. */
	test_id(&keep, 0x33);
	id = keep;
	VPCT_EQ(libvpc_id_get(h, vd, &id), -1);
	VPCT_EQ(libvpc_errno(h), EPROTO);
	VPCT_CHECK(memcmp(&id, &keep, sizeof(id)) == 0);

	VPCT_REQUIRE(libvpc_mac_get(h, vd, mac) == 0);
	VPCT_EQ(mac[0], 0x02);
	VPCT_EQ(mac[5], 0x42);

	/* Flood list: header + count entries. */
	memset(addrs, 0, sizeof(addrs));
	VPCT_REQUIRE(libvpc_addr_parse("198.51.100.2", &addrs[0]) == 0);
	VPCT_REQUIRE(libvpc_addr_parse("198.51.100.3", &addrs[1]) == 0);
	VPCT_REQUIRE(libvpc_addr_parse("2001:db8::3", &addrs[2]) == 0);
	VPCT_REQUIRE(libvpc_switch_flood_set(h, vd, 4242, addrs, 3) == 0);
	VPCT_EQ(f.f_flood_vni, 4242);
	VPCT_EQ(f.f_flood_n, 3);
	VPCT_REQUIRE(libvpc_switch_flood_set(h, vd, 7, NULL, 0) == 0);
	VPCT_EQ(f.f_flood_n, 0);
	errno = 0;
	VPCT_EQ(libvpc_switch_flood_set(h, vd, 7, addrs, 100000), -1);
	VPCT_EQ(errno, E2BIG);
	VPCT_EQ(libvpc_err_op(h), VPC_OP_SW_FLOOD_SET);

	/* nic helpers on a switch: ENOTTY. */
	errno = 0;
	VPCT_EQ(libvpc_nic_ifname_get(h, vd, name), -1);
	VPCT_EQ(errno, ENOTTY);
	VPCT_EQ(libvpc_obj_close(h, vd), 0);

	/* vmnic and vpci pick their own ops. */
	vd = libvpc_obj_open(h, &id, VPC_TYPE_VMNIC, VPC_F_OPEN | VPC_F_READ);
	VPCT_REQUIRE(vd >= 0);
	VPCT_REQUIRE(libvpc_nic_ifname_get(h, vd, name) == 0);
	VPCT_CHECK(strcmp(name, "vmnic0") == 0);
	VPCT_EQ(libvpc_stats_get(h, vd, &st), 0);
	VPCT_EQ(st.vs_rx_pkts, VPC_OP_VMNIC_STATS);
	VPCT_EQ(libvpc_obj_close(h, vd), 0);
	vd = libvpc_obj_open(h, &id, VPC_TYPE_VPCI, VPC_F_OPEN | VPC_F_READ);
	VPCT_REQUIRE(vd >= 0);
	VPCT_REQUIRE(libvpc_nic_ifname_get(h, vd, name) == 0);
	VPCT_CHECK(strcmp(name, "vpci0") == 0);
	VPCT_EQ(libvpc_stats_get(h, vd, &st), 0);
	VPCT_EQ(st.vs_rx_pkts, VPC_OP_VPCI_STATS);
	VPCT_EQ(libvpc_obj_close(h, vd), 0);

	vd = libvpc_obj_open(h, &id, VPC_TYPE_VPCLINK,
	    VPC_F_OPEN | VPC_F_READ);
	VPCT_REQUIRE(vd >= 0);
	VPCT_REQUIRE(libvpc_stats_get(h, vd, &st) == 0);
	VPCT_EQ(st.vs_rx_pkts, VPC_OP_VPCLINK_STATS);
	VPCT_EQ(libvpc_obj_close(h, vd), 0);

	/* An ethlink name that cannot fit is refused before the call. */
	vd = libvpc_obj_open(h, &id, VPC_TYPE_ETHLINK,
	    VPC_F_OPEN | VPC_F_READ | VPC_F_WRITE);
	VPCT_REQUIRE(vd >= 0);
	errno = 0;
	VPCT_EQ(libvpc_ethlink_attach(h, vd, "a-name-much-too-long0"), -1);
	VPCT_EQ(errno, EINVAL);
	VPCT_EQ(libvpc_err_op(h), VPC_OP_ETHLINK_ATTACH);
	VPCT_EQ(libvpc_obj_close(h, vd), 0);

	/* Closing a closed descriptor is recorded as "close". */
	VPCT_EQ(libvpc_obj_close(h, vd), -1);
	VPCT_EQ(libvpc_errno(h), EBADF);
	VPCT_EQ(libvpc_err_op(h), 0);
	VPCT_CHECK(strncmp(libvpc_errstr(h), "close: ", 7) == 0);

	libvpc_close(h);
	fake_stop(&f);
}
