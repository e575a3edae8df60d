/*
 * vpcd.c: the vpc daemon's entry point: options, limits, signals, the
 * pid file and the main loop.
 *
 *	vpcd [-nv] [-S statedir] [-s socket] [-g group] [-p pidfile]
 *	    [-P usec]
 *
 * vpcd always stays in the foreground (for a supervisor) and logs to
 * stderr.  With a state directory (vpcd_state.c) committed objects are
 * persisted and restored at start, before the socket is served.
 * SIGTERM or SIGINT shuts it down cleanly: descriptors are closed and
 * uncommitted objects removed; committed ones keep their TAPs for the
 * next start if there is a state directory, and are removed otherwise;
 * the socket and pid file are unlinked.
 */

#include <sys/resource.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpcd.h"
#include "vpcd_state.h"
#include "vpc/user/vpc_os_user.h"

#define	VPCD_SOCKET_DEFAULT	"/var/run/vpcd.sock"
#define	VPCD_SOCKET_ENV		"VPC_SOCKET"
#define	VPCD_NOFILE_WANT	65536	/* 10,000 descriptors and devices */
#define	VPCD_NOFILE_MIN		10240	/* below this, warn */
#define	VPCD_TICK_MS		1000	/* vpc_registry_tick() period */
#define	VPCD_LINGER_US		50	/* -P default */
#define	VPCD_LINGER_MAX		10000	/* -P at most */

static int	sig_pipe[2] = { -1, -1 };	/* signal -> loop */
static volatile sig_atomic_t sig_stop;		/* a stop signal arrived */

static void	usage(const char *why, int opt) __attribute__((__noreturn__));
static uint32_t	parse_usec(const char *s);
static void	on_signal(int sig);
static void	sig_readable(void *arg, uint32_t events);
static int	signals_init(struct vpcd_loop *l, struct vpcd_ev **evp);
static void	raise_nofile(void);
static int	pidfile_write(const char *path);

static void
usage(const char *why, int opt)
{
	if (why != NULL)
		fprintf(stderr, "vpcd: %s -%c\n", why, opt);
	fprintf(stderr, "usage: vpcd [-nv] [-S statedir] [-s socket] "
	    "[-g group] [-p pidfile] [-P usec]\n"
	    "  -S dir      keep committed objects here (default %s\n"
	    "              when serving the default socket)\n"
	    "  -n          keep nothing: no state directory\n"
	    "  -s socket   control socket (default $%s or %s)\n"
	    "  -g group    members of this group are privileged\n"
	    "  -p pidfile  write the process id here\n"
	    "  -P usec     after each control reply, poll this long for the\n"
	    "              next request before sleeping (default %u; 0: no)\n"
	    "  -v          more logging (per connection)\n",
	    VPCD_STATE_DIR_DEFAULT, VPCD_SOCKET_ENV, VPCD_SOCKET_DEFAULT,
	    VPCD_LINGER_US);
	exit(2);
}

/* -P's argument: whole microseconds, 0 to VPCD_LINGER_MAX; else exit. */
static uint32_t
parse_usec(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || s[0] < '0' || s[0] > '9' || *end != '\0' ||
	    v > VPCD_LINGER_MAX) {
		fprintf(stderr, "vpcd: -P: expected microseconds from 0 to "
		    "%u, got \"%s\"\n", VPCD_LINGER_MAX, s);
		exit(2);
	}
	return ((uint32_t)v);
}

static void
on_signal(int sig __unused)
{
	int saved = errno;

	sig_stop = 1;
	(void)write(sig_pipe[1], "x", 1);
	errno = saved;
}

static void
sig_readable(void *arg __unused, uint32_t events __unused)
{
	char buf[64];

	while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static int
signals_init(struct vpcd_loop *l, struct vpcd_ev **evp)
{
	struct sigaction sa;
	int i;

	if (pipe(sig_pipe) == -1)
		return (errno);
	for (i = 0; i < 2; i++) {
		if (fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK) == -1 ||
		    fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC) == -1)
			return (errno);
	}
	*evp = vpcd_ev_add(l, sig_pipe[0], VPCD_EV_IN, sig_readable, NULL);
	if (*evp == NULL)
		return (errno);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1)
		return (errno);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return (errno);
	return (0);
}

/* One descriptor per connection and per device: allow many. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_max < VPCD_NOFILE_WANT) {
		struct rlimit want = { VPCD_NOFILE_WANT, VPCD_NOFILE_WANT };

		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
	}
	rl.rlim_cur = rl.rlim_max;
	(void)setrlimit(RLIMIT_NOFILE, &rl);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < VPCD_NOFILE_MIN)
		vpc_os_log(VPC_LOG_WARN, "open file limit is %ju: fewer than "
		    "10,000 descriptors can be served",
		    (uintmax_t)rl.rlim_cur);
}

static int
pidfile_write(const char *path)
{
	char buf[32];
	int fd, len;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return (errno);
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)len) != len) {
		close(fd);
		return (errno != 0 ? errno : EIO);
	}
	close(fd);
	return (0);
}

/*
 * vpcd's entry point: parse 'argc'/'argv', serve until told to stop.
 */
int
main(int argc, char **argv)
{
	struct vpcd v;
	struct group *gr;
	struct vpcd_ev *sigev = NULL;
	const char *sock, *pidfile, *group, *statedir;
	uint64_t next_tick, now;
	int error, opt, nostate, wait, sw;

	memset(&v, 0, sizeof(v));
	sock = getenv(VPCD_SOCKET_ENV);
	if (sock == NULL || *sock == '\0')
		sock = VPCD_SOCKET_DEFAULT;
	pidfile = NULL;
	group = NULL;
	statedir = NULL;
	nostate = 0;
	opterr = 0;
	v.v_linger_us = VPCD_LINGER_US;
	while ((opt = getopt(argc, argv, ":g:nP:p:S:s:v")) != -1) {
		switch (opt) {
		case 'n':
			nostate = 1;
			break;
		case 'S':
			if (*optarg == '\0')
				usage("empty argument to", opt);
			statedir = optarg;
			break;
		case 'g':
			if ((gr = getgrnam(optarg)) == NULL) {
				fprintf(stderr, "vpcd: -g: no group named "
				    "\"%s\"\n", optarg);
				exit(2);
			}
			v.v_group = gr->gr_gid;
			v.v_have_group = 1;
			group = optarg;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'P':
			v.v_linger_us = parse_usec(optarg);
			break;
		case 's':
			sock = optarg;
			break;
		case 'v':
			v.v_verbose++;
			break;
		case ':':
			usage("missing argument to", optopt);
		default:
			usage("unknown option", optopt);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vpcd: unexpected argument \"%s\"\n",
		    argv[optind]);
		usage(NULL, 0);
	}
	vpc_os_user_log_level(v.v_verbose > 0 ? VPC_LOG_DEBUG : VPC_LOG_INFO);
	/* This thread alone runs the core: counter adds need no lock. */
	vpc_os_counters_one_thread();
	/*
	 * The default state directory goes with the default socket: an
	 * instance on a socket of its own (tests, experiments) keeps nothing
	 * unless told where, and two instances never share a directory.
	 */
	if (nostate)
		statedir = NULL;
	else if (statedir == NULL && strcmp(sock, VPCD_SOCKET_DEFAULT) == 0)
		statedir = VPCD_STATE_DIR_DEFAULT;

	raise_nofile();
	if ((error = vpcd_os_init()) != 0) {
		vpc_os_log(VPC_LOG_ERR, "init: %s", strerror(error));
		return (1);
	}
	if ((v.v_loop = vpcd_loop_create()) == NULL) {
		vpc_os_log(VPC_LOG_ERR, "event loop: %s", strerror(errno));
		return (1);
	}
	if ((error = signals_init(v.v_loop, &sigev)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "signals: %s", strerror(error));
		return (1);
	}
	vpcd_tap_probe(&v);
	if ((v.v_reg = vpc_registry_create(&vpcd_host_ops, &v)) == NULL) {
		vpc_os_log(VPC_LOG_ERR, "cannot create the registry");
		return (1);
	}
	/* Committed objects come back before anyone can connect. */
	if (statedir != NULL && vpcd_state_open(&v, statedir) != 0) {
		vpc_registry_destroy(v.v_reg);
		return (1);
	}
	if ((error = vpcd_server_start(&v, sock, &v.v_server)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "cannot serve on %s: %s", sock,
		    strerror(error));
		vpcd_state_close(&v);
		vpc_registry_destroy(v.v_reg);
		return (1);
	}
	if (pidfile != NULL && (error = pidfile_write(pidfile)) != 0) {
		vpc_os_log(VPC_LOG_ERR, "pid file %s: %s", pidfile,
		    strerror(error));
		vpcd_server_stop(v.v_server);
		vpcd_state_close(&v);
		vpc_registry_destroy(v.v_reg);
		return (1);
	}
	vpc_os_log(VPC_LOG_INFO, "started: pid %d, socket %s, ABI %d%s%s, "
	    "state %s", (int)getpid(), sock, VPC_ABI_VERSION,
	    group != NULL ? ", privileged group " : "",
	    group != NULL ? group : "",
	    statedir != NULL ? statedir : "not kept");

	next_tick = vpc_os_uptime_ms() + VPCD_TICK_MS;
	while (!sig_stop) {
		now = vpc_os_uptime_ms();
		if (now >= next_tick) {
			vpc_registry_tick(v.v_reg);
			vpcd_state_tick(&v);
			next_tick = now + VPCD_TICK_MS;
		}
		/* The journal's group commit may want to wake us earlier. */
		wait = (int)(next_tick - now);
		if ((sw = vpcd_state_sync(&v, now)) >= 0 && sw < wait)
			wait = sw;
		error = vpcd_loop_run(v.v_loop, wait);
		if (error != 0) {
			vpc_os_log(VPC_LOG_ERR, "event loop: %s",
			    strerror(error));
			break;
		}
	}

	vpc_os_log(VPC_LOG_INFO, "shutting down");
	vpcd_server_stop(v.v_server);
	/* A last snapshot; committed NICs keep their TAPs. */
	vpcd_state_close(&v);
	vpc_registry_destroy(v.v_reg);
	vpcd_ev_del(sigev);
	vpcd_loop_flush(v.v_loop);
	if (pidfile != NULL && unlink(pidfile) == -1 && errno != ENOENT)
		vpc_os_log(VPC_LOG_WARN, "unlink %s: %s", pidfile,
		    strerror(errno));
	vpcd_loop_destroy(v.v_loop);
	free(v.v_units[0]);
	free(v.v_units[1]);
	vpc_os_log(VPC_LOG_INFO, "stopped");
	return (error != 0 ? 1 : 0);
}
