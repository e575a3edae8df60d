"""netns.py: network namespaces, veths, processes and captures for tests.

A Lab is a context manager owning everything a test creates: namespaces
(named with a per-run prefix so parallel runs never collide), the processes
started inside them and the scratch directory.  Leaving the `with` block
removes it all, whether the block ended normally, by an exception, or by
SIGINT/SIGTERM (SIGTERM is turned into an exception while a Lab is open so
the unwinding runs).  Namespaces left behind by a run that was SIGKILLed are
removed by the next Lab (their prefix names a pid that no longer exists).

    with Lab("demo") as lab:
        h1, h2 = lab.netns("h1"), lab.netns("h2")
        lab.veth(h1, "ul0", h2, "ul0")
        h1.addr_add("ul0", "198.51.100.1/24")
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

RUN_DIR = "/run/netns"
NS_PREFIX = "vpct"            # every namespace of ours: vpct<pid>x<hex>-...
_NS_RE = re.compile(r"^%s(\d+)x[0-9a-f]+-" % NS_PREFIX)


def _run(argv, check=True, timeout=30, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise RuntimeError("command failed (exit %d): %s\n%s%s" %
                           (p.returncode, " ".join(argv), p.stdout,
                            p.stderr))
    return p


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale():
    """Delete namespaces of earlier runs whose process is gone."""
    try:
        names = os.listdir(RUN_DIR)
    except FileNotFoundError:
        return []
    gone = []
    for name in names:
        m = _NS_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            _run(["ip", "netns", "del", name], check=False)
            gone.append(name)
    return gone


class Terminated(BaseException):
    """Raised in the main thread when SIGTERM arrives during a Lab."""


class Netns:
    """One network namespace."""

    def __init__(self, lab, role, name):
        self.lab = lab
        self.role = role        # short name for messages: "h1", "gA1"
        self.name = name        # the namespace's real name

    def __repr__(self):
        return "Netns(%s)" % self.name

    def exec_argv(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def run(self, argv, check=True, timeout=30):
        """Run 'argv' inside the namespace and wait; return the result."""
        return _run(self.exec_argv(argv), check=check, timeout=timeout)

    def ip(self, *args, check=True):
        return _run(["ip", "-n", self.name] + list(args), check=check)

    def sysctl(self, key, value):
        self.run(["sysctl", "-q", "-w", "%s=%s" % (key, value)])

    def link_up(self, dev, mtu=None):
        if mtu is not None:
            self.ip("link", "set", dev, "mtu", str(mtu))
        self.ip("link", "set", dev, "up")

    def addr_add(self, dev, cidr):
        """Add an address; IPv6 ones with nodad (usable at once)."""
        extra = ["nodad"] if ":" in cidr else []
        self.ip("addr", "add", cidr, "dev", dev, *extra)

    def mtu(self, dev):
        out = self.ip("-o", "link", "show", dev).stdout
        return int(re.search(r"\bmtu (\d+)", out).group(1))

    def mac(self, dev):
        out = self.ip("-o", "link", "show", dev).stdout
        return re.search(r"link/ether ([0-9a-f:]{17})", out).group(1)

    def links(self):
        out = self.ip("-o", "link", "show").stdout
        return [re.match(r"\d+: ([^:@]+)", l).group(1)
                for l in out.splitlines() if l.strip()]

    def ping(self, dst, count=3, interval=0.2, wait=1, pattern=None,
             size=None, check=False):
        """Ping 'dst' from here; return (received, output)."""
        argv = ["ping", "-n", "-q", "-c", str(count), "-i", str(interval),
                "-W", str(wait)]
        if ":" in str(dst):
            argv.append("-6")
        if pattern:
            argv += ["-p", pattern]
        if size is not None:
            argv += ["-s", str(size)]
        p = self.run(argv + [str(dst)], check=False,
                     timeout=count * (interval + wait) + 10)
        m = re.search(r"(\d+) received", p.stdout)
        got = int(m.group(1)) if m else 0
        if check and got == 0:
            raise AssertionError("ping %s from %s: no reply\n%s%s" %
                                 (dst, self.role, p.stdout, p.stderr))
        return got, p.stdout + p.stderr

    def spawn(self, argv, log_name, **kw):
        """Start 'argv' in the namespace (see Lab.spawn)."""
        return self.lab.spawn(self.exec_argv(argv), log_name, **kw)

    def capture(self, dev, name, bpf=None, snaplen=0):
        """Start a tcpdump capture of 'dev' (see Capture)."""
        return Capture(self, dev, name, bpf, snaplen)


class Proc:
    """A process started by a Lab: its Popen, its log file and its name."""

    def __init__(self, name, popen, log_path):
        self.name = name
        self.popen = popen
        self.log_path = log_path
        self.returncode = None

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def wait_unix_socket(self, path, timeout=15):
        """Wait until this process accepts connections on the Unix socket
        'path'.  Returns None, or why not (it exited, or 'timeout' seconds
        passed) with the end of its log."""
        end = time.monotonic() + timeout
        while True:
            if not self.alive():
                return "exited %s at start:\n%s" % (self.popen.returncode,
                                                     self.log()[-3000:])
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return None
            except OSError:
                pass
            finally:
                s.close()
            if time.monotonic() > end:
                return "socket %s not ready after %ds:\n%s" % (
                    path, timeout, self.log()[-3000:])
            time.sleep(0.05)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Send 'sig' (by pid) and wait; SIGKILL after 'timeout'.

        Returns the exit status (negative: killed by that signal).
        """
        if self.popen.poll() is None:
            try:
                self.popen.send_signal(sig)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        # Anything the process left behind in its own process group (it
        # was started as a session leader, so the group is ours alone).
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.returncode = self.popen.returncode
        return self.returncode

    def wait_log(self, pattern, timeout=5):
        """Wait until the log matches regex 'pattern'; return the match."""
        end = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.log())
            if m:
                return m
            if not self.alive() or time.monotonic() > end:
                raise RuntimeError("%s: no %r in its log (%s)\n%s" %
                                   (self.name, pattern,
                                    "exited %s" % self.popen.returncode
                                    if not self.alive() else "timeout",
                                    self.log()[-2000:]))
            time.sleep(0.05)


class Capture:
    """tcpdump on one interface of a namespace, into a pcap file.

    Started on construction, ready once tcpdump says it is listening;
    stop() ends it with SIGINT and returns the pcap path.  packets() reads
    the file with scapy.
    """

    def __init__(self, ns, dev, name, bpf=None, snaplen=0):
        self.ns = ns
        self.dev = dev
        self.path = os.path.join(ns.lab.dir, "%s.pcap" % name)
        argv = ["tcpdump", "-n", "-U", "--immediate-mode", "-p",
                "-s", str(snaplen), "-i", dev, "-w", self.path]
        if bpf:
            argv.append(bpf)
        self.proc = ns.spawn(argv, "%s.tcpdump" % name)
        self.proc.wait_log(r"listening on", timeout=10)
        time.sleep(0.1)

    def stop(self):
        if self.proc.alive():
            time.sleep(0.2)     # let the last frames be written
            self.proc.stop(signal.SIGINT)
        return self.path

    def packets(self):
        from scapy.utils import rdpcap
        self.stop()
        return list(rdpcap(self.path))

    def tshark(self, fields, display_filter=None, occurrence="a"):
        """Dissect with tshark; one list of field values per packet.

        Each value is the list of that field's occurrences (outer first).
        """
        self.stop()
        argv = ["tshark", "-n", "-r", self.path, "-T", "fields",
                "-E", "separator=\t", "-E", "occurrence=%s" % occurrence,
                "-E", "aggregator=,"]
        if display_filter:
            argv += ["-Y", display_filter]
        for f in fields:
            argv += ["-e", f]
        out = _run(argv, timeout=60).stdout
        rows = []
        for line in out.splitlines():
            cols = line.split("\t")
            cols += [""] * (len(fields) - len(cols))
            rows.append([c.split(",") if c else [] for c in cols])
        return rows


class Lab:
    """Owner of a test's namespaces, processes and scratch directory."""

    def __init__(self, tag="e2e", keep_dir=False):
        self.tag = re.sub(r"[^a-z0-9]", "", tag.lower())[:12] or "x"
        self.prefix = "%s%dx%s-" % (NS_PREFIX, os.getpid(),
                                    secrets.token_hex(2))
        self.namespaces = []
        self.procs = []
        self.dir = None
        self.keep_dir = keep_dir
        self._cleanups = []
        self._old_term = None
        self._old_int = None
        self._closed = False

    # context manager ----------------------------------------------------
    def __enter__(self):
        reap_stale()
        self.dir = tempfile.mkdtemp(prefix="vpc-%s." % self.tag)
        try:
            self._old_term = signal.signal(signal.SIGTERM, self._on_term)
            # also when started with SIGINT ignored (a background job)
            self._old_int = signal.signal(signal.SIGINT,
                                          signal.default_int_handler)
        except ValueError:      # not the main thread
            self._old_term = self._old_int = None
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False

    @staticmethod
    def _on_term(signum, frame):
        raise Terminated("SIGTERM")

    def on_close(self, fn):
        """Run 'fn' at close, before processes stop (last added first)."""
        self._cleanups.append(fn)

    def close(self):
        """Remove everything; safe to call twice; never raises."""
        if self._closed:
            return
        self._closed = True
        # Block SIGINT/SIGTERM while tearing down so a second ^C cannot
        # leave namespaces behind.
        old = signal.pthread_sigmask(signal.SIG_BLOCK,
                                     {signal.SIGINT, signal.SIGTERM})
        try:
            for fn in reversed(self._cleanups):
                try:
                    fn()
                except Exception:
                    pass
            for p in reversed(self.procs):
                try:
                    p.stop(signal.SIGTERM, timeout=10)
                except Exception:
                    pass
            for ns in reversed(self.namespaces):
                _run(["ip", "netns", "del", ns.name], check=False)
            if self.dir and not self.keep_dir:
                shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            if self._old_term is not None:
                signal.signal(signal.SIGTERM, self._old_term)
                signal.signal(signal.SIGINT, self._old_int)
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    # building -------------------------------------------------------------
    def netns(self, role):
        """Create namespace '<prefix><role>' with lo up."""
        name = self.prefix + role
        _run(["ip", "netns", "add", name])
        ns = Netns(self, role, name)
        self.namespaces.append(ns)
        ns.ip("link", "set", "lo", "up")
        return ns

    def veth(self, ns_a, dev_a, ns_b, dev_b, mtu=None, up=True):
        """A veth pair: 'dev_a' in 'ns_a', 'dev_b' in 'ns_b'.

        It is created directly inside the namespaces, so the names only
        need to be unique there.
        """
        _run(["ip", "-n", ns_a.name, "link", "add", dev_a, "type", "veth",
              "peer", "name", dev_b, "netns", ns_b.name])
        if up:
            ns_a.link_up(dev_a, mtu)
            ns_b.link_up(dev_b, mtu)

    def spawn(self, argv, log_name, env=None):
        """Start 'argv' with stdout and stderr in <dir>/<log_name>.log."""
        log_path = os.path.join(self.dir, "%s.log" % log_name)
        log = open(log_path, "wb")
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, env=env,
                                 start_new_session=True)
        finally:
            log.close()
        proc = Proc(log_name, p, log_path)
        self.procs.append(proc)
        return proc

    def path(self, name):
        return os.path.join(self.dir, name)


def iperf3(server, client, server_ip, port=5201, seconds=2, streams=1,
           udp=False, extra=(), nbytes=None):
    """One iperf3 test from namespace 'client' to a one-shot server in
    namespace 'server' listening on 'port'.  Returns the parsed JSON
    result of the client; raises RuntimeError (with both logs) on failure.
    """
    import json
    srv = server.spawn(["iperf3", "-s", "-1", "-p", str(port),
                        "--forceflush"],
                       "iperf3-s-%s-%d" % (server.role, port))
    try:
        srv.wait_log(r"Server listening", timeout=10)
        argv = ["iperf3", "-c", str(server_ip), "-p", str(port), "-P",
                str(streams), "-J"] + list(extra)
        # a volume ('nbytes', e.g. "2M") instead of a duration
        argv += ["-n", str(nbytes)] if nbytes else ["-t", str(seconds)]
        if udp:
            argv.append("-u")
        argv += ["--connect-timeout", "3000"]
        try:
            p = client.run(argv, check=False, timeout=seconds + 20)
        except subprocess.TimeoutExpired:
            raise RuntimeError("iperf3 %s -> %s:%d did not finish in %ds "
                               "(stalled connection?); server log:\n%s" %
                               (client.role, server_ip, port, seconds + 20,
                                srv.log()[-1500:])) from None
        try:
            res = json.loads(p.stdout)
        except ValueError:
            res = {"error": "no JSON: %s %s" % (p.stdout[-500:], p.stderr)}
        if p.returncode != 0 or "error" in res:
            raise RuntimeError("iperf3 %s -> %s:%d failed (exit %d): %s\n"
                               "server log:\n%s" %
                               (client.role, server_ip, port, p.returncode,
                                res.get("error"), srv.log()[-1500:]))
        return res
    finally:
        srv.stop(signal.SIGTERM, timeout=5)


def iperf3_bps(res):
    """Received bits per second of an iperf3 JSON result (TCP)."""
    end = res["end"]
    s = end.get("sum_received") or end.get("sum")
    return float(s["bits_per_second"])


# ETHTOOL_STXCSUM through SIOCETHTOOL, run inside a namespace (no ethtool
# binary needed).
_TXCSUM = r"""
import array, fcntl, socket, struct, sys
dev, on = sys.argv[1].encode(), int(sys.argv[2])
val = array.array("B", struct.pack("II", 0x17, on))   # ETHTOOL_STXCSUM
addr, _ = val.buffer_info()
ifr = struct.pack("16sP", dev, addr)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
fcntl.ioctl(s.fileno(), 0x8946, ifr)                  # SIOCETHTOOL
"""


def set_tx_checksum(ns, dev, on):
    """Turn transmit checksum offload of 'dev' in 'ns' on or off.

    Across veths the kernel never computes an offloaded checksum: a frame
    sent with a partial checksum reaches the other namespace that way.  A
    VTEP outside the kernel (vpcd) receives the VXLAN payload through a
    UDP socket and cannot know the inner checksum is incomplete, where a
    real NIC would have filled it in; turning offload off on the kernel
    host's underlay makes its stack compute it, as a NIC would.
    """
    ns.run(["/usr/bin/python3", "-c", _TXCSUM, dev, str(int(bool(on)))])
