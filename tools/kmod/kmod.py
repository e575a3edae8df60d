#!/usr/bin/env python3
"""kmod.py: build vpc.ko on Linux against FreeBSD 14.2 and 15.0 headers.

FreeBSD's kernel headers come from the PyPI package ziglang, which ships
the installed /usr/include of a FreeBSD release for each target (0.15.x:
FreeBSD 14.2, 0.17.x: FreeBSD 15.0).  Each wheel is downloaded once into
build/kmod/dl and only its FreeBSD header directories are extracted into
build/kmod/zig-<ver>.  Concurrency Kit headers (ck_*.h, which the kernel
keeps in sys/contrib/ck) come from Debian's libck-dev.

Sources are compiled with clang-19 and the flags FreeBSD's kern.mk and
kmod.mk give an amd64 module, linked with ld.lld-19 as kmod.mk links
(-m elf_x86_64_fbsd -r, the amd64 kmod linker script), then every global
symbol the module defines is made local as kmod.mk does without
EXPORT_SYMS, and debug info is stripped.  tools/kmod/verify.py checks the
result.

  kmod.py all            fetch, build and verify both versions, compile
                         libvpc for each release's userland, run the
                         verifier's negative test; ends "N passed, N failed"
  kmod.py fetch          only fetch headers
  kmod.py build VER      build build/kmod/VER/vpc.ko (VER: 14.2 or 15.0)
"""

import concurrent.futures
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "build", "kmod")
sys.path.insert(0, HERE)
import verify  # noqa: E402

CC = "clang-19"
LD = "ld.lld-19"
NM = "llvm-nm-19"
OBJCOPY = "llvm-objcopy-19"
LDSCRIPT = os.path.join(HERE, "ldscript.kmod.amd64")
ALLOWLIST = os.path.join(HERE, "kpi-allowlist.txt")
COMPAT = os.path.join(ROOT, "sys", "vpc", "freebsd", "vpc_compat.h")

# One entry per FreeBSD release the module is built for.
#   zig:     ziglang version on PyPI carrying that release's headers
#   version: __FreeBSD_version of the release (sys/sys/param.h); the zig
#            headers leave it to the compiler, so it is passed with -D
#   std:     the C dialect that release's kern.mk selects
VERSIONS = {
    "14.2": {"zig": "0.15.2", "version": 1402000,
             "triple": "x86_64-unknown-freebsd14.2", "std": "iso9899:1999"},
    "15.0": {"zig": "0.17.1", "version": 1500068,
             "triple": "x86_64-unknown-freebsd15.0", "std": "gnu17"},
}

# Kernel option headers of a module built outside a kernel build
# (sys/conf/config.mk, !KERNBUILDDIR): opt_global.h carries what every
# GENERIC kernel has, the rest what the network modules expect.
OPT_HEADERS = {
    "opt_global.h": ["SMP", "MAC", "VIMAGE", "NEW_PCIB"],
    "opt_inet.h": ["INET", "TCP_OFFLOAD"],
    "opt_inet6.h": ["INET6"],
    "opt_bpf.h": ["DEV_BPF"],
    "opt_ipsec.h": ["IPSEC_SUPPORT"],
    "opt_ratelimit.h": ["RATELIMIT"],
    "opt_route.h": [],
    "opt_rss.h": [],
    "opt_kern_tls.h": [],
    "opt_sctp.h": ["SCTP_SUPPORT"],
}

# kern.mk's CFLAGS and warnings for amd64 with clang, and kmod.mk's.
KERN_CFLAGS = [
    "-O2", "-pipe", "-fno-strict-aliasing", "-Werror",
    "-D_KERNEL", "-DKLD_MODULE", "-nostdinc",
    "-fno-common", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer",
    "-mcmodel=kernel", "-mno-red-zone", "-mno-mmx", "-mno-sse",
    "-msoft-float", "-fno-asynchronous-unwind-tables",
    "-ffreestanding", "-fwrapv", "-fstack-protector",
    "-Wall", "-Wredundant-decls", "-Wnested-externs",
    "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wpointer-arith",
    "-Wcast-qual", "-Wundef", "-Wno-pointer-sign",
    "-D__printf__=__freebsd_kprintf__",
    "-Wmissing-include-dirs", "-fdiagnostics-show-option",
    "-Wno-unknown-pragmas", "-Wswitch",
    "-Wno-error=tautological-compare", "-Wno-error=empty-body",
    "-Wno-error=parentheses-equality", "-Wno-error=unused-function",
    "-Wno-error=pointer-sign", "-Wno-error=shift-negative-value",
    "-Wno-address-of-packed-member", "-Wno-format-zero-length",
    "-mno-aes", "-mno-avx",
]

# The module's sources: the whole portable core and the FreeBSD glue.
SRC_GLOBS = ["sys/vpc/core/*.c", "sys/vpc/freebsd/*.c"]
INC_DIRS = ["sys", "sys/vpc/core", "sys/vpc/freebsd"]

# libvpc, the library both hosts share, for FreeBSD userland: the flags
# of the Linux build (Makefile) against the release's libc headers.  Its
# FreeBSD-only part (the module's system calls, found with modfind(2)
# and modstat(2)) is compiled nowhere else, so the objects must refer
# to LIBVPC_FREEBSD_SYMS.
LIBVPC_GLOB = "lib/libvpc/*.c"
LIBVPC_INC = ["sys", "lib/libvpc"]
USER_CFLAGS = [
    "-O2", "-fPIC", "-std=gnu11", "-nostdinc", "-Werror", "-Wall",
    "-Wextra", "-Wmissing-prototypes", "-Wstrict-prototypes", "-Wshadow",
    "-Wpointer-arith", "-Wcast-qual",
]
LIBVPC_FREEBSD_SYMS = {"modfind", "modstat", "syscall"}


class BuildError(Exception):
    """A step failed; the message says which and why."""


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    """Run 'cmd'; return (exit status, combined output)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, **kw)
    return p.returncode, p.stdout


# ---------------------------------------------------------------- fetch

def zig_dir(ver):
    return os.path.join(BUILD, "zig-" + VERSIONS[ver]["zig"])


def include_roots(ver):
    base = os.path.join(zig_dir(ver), "ziglang", "lib", "libc", "include")
    return [os.path.join(base, "x86_64-freebsd-none"),
            os.path.join(base, "generic-freebsd")]


def need_tools():
    """Make sure clang-19, lld-19, llvm-19 tools and libck-dev exist."""
    missing = [t for t in (CC, LD, NM, OBJCOPY) if shutil.which(t) is None]
    if not os.path.exists("/usr/include/ck_epoch.h"):
        missing.append("ck_epoch.h")
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("kmod: installing clang-19 lld-19 llvm-19 libck-dev")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "clang-19",
                     "lld-19", "llvm-19", "libck-dev"]):
            st, out = run(cmd, env=env)
            if st != 0:
                raise BuildError("%s failed:\n%s" % (" ".join(cmd), out))
        return
    raise BuildError("missing %s: install clang-19 lld-19 llvm-19 "
                     "libck-dev" % ", ".join(missing))


def fetch_zig(ver):
    """Download the ziglang wheel of 'ver' and extract FreeBSD headers."""
    zv = VERSIONS[ver]["zig"]
    dest = zig_dir(ver)
    stamp = os.path.join(dest, ".extracted")
    if os.path.exists(stamp):
        return
    dl = os.path.join(BUILD, "dl")
    os.makedirs(dl, exist_ok=True)
    wheels = glob.glob(os.path.join(dl, "ziglang-%s-*.whl" % zv))
    if not wheels:
        log("kmod: downloading ziglang %s (FreeBSD %s headers)" % (zv, ver))
        # Any platform's wheel carries the same FreeBSD headers: take
        # this machine's.
        st, out = run([sys.executable, "-m", "pip", "download", "--no-deps",
                       "--only-binary=:all:", "-q", "-d", dl,
                       "ziglang==%s" % zv])
        wheels = glob.glob(os.path.join(dl, "ziglang-%s-*.whl" % zv))
        if st != 0 or not wheels:
            raise BuildError("pip download ziglang==%s failed:\n%s" %
                             (zv, out))
    prefixes = ("ziglang/lib/libc/include/x86_64-freebsd-none/",
                "ziglang/lib/libc/include/generic-freebsd/")
    shutil.rmtree(dest, ignore_errors=True)
    with zipfile.ZipFile(wheels[0]) as z:
        for name in z.namelist():
            if name.startswith(prefixes):
                z.extract(name, dest)
    for d in include_roots(ver):
        if not os.path.isfile(os.path.join(d, "sys", "param.h")) and \
                not os.path.isdir(os.path.join(d, "machine")):
            raise BuildError("ziglang %s has no FreeBSD headers in %s" %
                             (zv, d))
    open(stamp, "w").close()


def gen_dir(ver):
    """Write the generated headers of 'ver'; return their directory."""
    d = os.path.join(BUILD, ver, "gen")
    os.makedirs(d, exist_ok=True)
    files = {}
    for name, opts in OPT_HEADERS.items():
        files[name] = "".join("#define %s 1\n" % o for o in opts)
    # Concurrency Kit: Debian's headers, with a ck_md.h for the amd64
    # kernel (no SSE, which kernel code may not use).
    files["ck_md.h"] = (
        "/* ck_md.h for the FreeBSD amd64 kernel (generated) */\n"
        "#ifndef CK_MD_H\n#define CK_MD_H\n"
        "#define CK_MD_CACHELINE (64)\n#define CK_MD_PAGESIZE (4096)\n"
        "#define CK_MD_RTM_DISABLE\n#define CK_MD_LSE_DISABLE\n"
        "#define CK_MD_POINTER_PACK_DISABLE\n#define CK_MD_TSO\n"
        "#define CK_MD_VMA_BITS_UNKNOWN\n#define CK_PR_ENABLE_DOUBLE\n"
        "#define CK_VERSION \"0.7.1\"\n#define CK_GIT_SHA \"\"\n"
        "#endif\n")
    for name, text in files.items():
        p = os.path.join(d, name)
        if not os.path.exists(p) or open(p).read() != text:
            with open(p, "w") as f:
                f.write(text)
    return d


def ck_dir():
    """Copy Debian's ck headers (all but ck_md.h) under build/kmod/ck."""
    d = os.path.join(BUILD, "ck")
    if os.path.exists(os.path.join(d, ".copied")):
        return d
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for p in glob.glob("/usr/include/ck_*.h"):
        if os.path.basename(p) != "ck_md.h":
            shutil.copy(p, d)
    for sub in ("gcc", "spinlock"):
        shutil.copytree(os.path.join("/usr/include", sub),
                        os.path.join(d, sub))
    open(os.path.join(d, ".copied"), "w").close()
    return d


def cflags(ver, gen):
    v = VERSIONS[ver]
    f = ["--target=" + v["triple"],
         "-D__FreeBSD_version=%d" % v["version"]]
    f += KERN_CFLAGS
    f += ["-std=" + v["std"]]
    f += ["-include", os.path.join(gen, "opt_global.h"),
          "-include", COMPAT]
    f += ["-I" + gen]
    f += ["-I" + r for r in include_roots(ver)]
    f += ["-I" + ck_dir()]
    f += ["-I" + os.path.join(ROOT, d) for d in INC_DIRS]
    return f


def up_to_date(obj, dep, flagsum):
    """True if 'obj' is newer than every file 'dep' lists, same flags."""
    try:
        if open(obj + ".flags").read() != flagsum:
            return False
        t = os.path.getmtime(obj)
        text = open(dep).read().replace("\\\n", " ")
    except OSError:
        return False
    for tok in text.split(":", 1)[1].split():
        try:
            if os.path.getmtime(tok) > t:
                return False
        except OSError:
            return False
    return True


def compile_one(src, obj, flags):
    """Compile 'src' to 'obj' unless up to date; return error text."""
    dep = obj[:-2] + ".d"
    flagsum = hashlib.sha1("\0".join(flags).encode()).hexdigest()
    if up_to_date(obj, dep, flagsum):
        return None
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    st, out = run([CC] + flags + ["-MD", "-MF", dep, "-c", src, "-o", obj])
    if st != 0:
        for p in (obj, obj + ".flags"):
            if os.path.exists(p):
                os.unlink(p)
        return out
    with open(obj + ".flags", "w") as f:
        f.write(flagsum)
    return out.strip() or None


def link(objs, out):
    """Link 'objs' into the module 'out' as kmod.mk does."""
    st, msg = run([LD, "-m", "elf_x86_64_fbsd", "-warn-common",
                   "--build-id=sha1", "-T", LDSCRIPT, "-r", "-d",
                   "-o", out] + objs)
    if st != 0:
        raise BuildError("link of %s failed:\n%s" % (out, msg))
    # No EXPORT_SYMS: every symbol the module defines becomes local.
    st, msg = run([NM, "--defined-only", "--extern-only", "-j", out])
    if st != 0:
        raise BuildError("nm failed:\n" + msg)
    syms = [s for s in msg.split() if s]
    args = []
    for s in syms:
        args += ["--localize-symbol", s]
    st, msg = run([OBJCOPY, "--strip-debug"] + args + [out])
    if st != 0:
        raise BuildError("objcopy failed:\n" + msg)


def build(ver, srcs=None, outdir=None, name="vpc", extra=None):
    """
    Build module 'name'.ko for FreeBSD 'ver' from 'srcs' (default: the
    core and the glue) under 'outdir' (default build/kmod/VER).  Returns
    (path of the .ko, notes).  Raises BuildError.
    """
    fetch_zig(ver)
    gen = gen_dir(ver)
    notes = []
    flags = cflags(ver, gen) + (extra or [])
    if srcs is None:
        srcs = []
        for pat in SRC_GLOBS:
            srcs += sorted(glob.glob(os.path.join(ROOT, pat)))
    outdir = outdir or os.path.join(BUILD, ver)
    objdir = os.path.join(outdir, "obj")
    jobs = []
    for s in srcs:
        rel = os.path.relpath(s, ROOT)
        if rel.startswith(".."):
            rel = os.path.basename(s)
        jobs.append((s, os.path.join(objdir, rel[:-2] + ".o")))
    errors = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        futs = {ex.submit(compile_one, s, o, flags): s for s, o in jobs}
        for fu in concurrent.futures.as_completed(futs):
            out = fu.result()
            if out:
                src = os.path.relpath(futs[fu], ROOT)
                if os.path.exists([o for s, o in jobs
                                   if s == futs[fu]][0]):
                    notes.append("warnings in %s:\n%s" % (src, out))
                else:
                    lines = out.splitlines()
                    if len(lines) > 30:
                        lines = lines[:30] + ["... (%d more lines)" %
                                              (len(lines) - 30)]
                    errors.append("%s:\n%s" % (src, "\n".join(lines)))
    if errors:
        raise BuildError("compile failed for FreeBSD %s:\n%s" %
                         (ver, "\n".join(sorted(errors))))
    ko = os.path.join(outdir, name + ".ko")
    link([o for s, o in jobs], ko)
    return ko, notes


# ---------------------------------------------------------------- main

def check_version(ver):
    """Build and verify vpc.ko for 'ver'; True if both succeed."""
    t0 = time.time()
    try:
        ko, notes = build(ver)
    except BuildError as e:
        log("kmod: FreeBSD %s: FAIL (build)\n%s" % (ver, e))
        return False
    for n in notes:
        log("kmod: FreeBSD %s: note: %s" % (ver, n))
    problems = verify.verify(ko, verify.load_allowlist(ALLOWLIST),
                             include_roots(ver))
    nsrc = len(sources_list())
    if problems:
        log("kmod: FreeBSD %s: FAIL (verify %s)" %
            (ver, os.path.relpath(ko, ROOT)))
        for p in problems:
            log("    " + p)
        return False
    log("kmod: FreeBSD %s: PASS: %d sources compiled, %s linked and "
        "verified (%.1fs)" % (ver, nsrc, os.path.relpath(ko, ROOT),
                              time.time() - t0))
    return True


def check_libvpc(ver):
    """Compile libvpc for FreeBSD 'ver' userland; True if it builds."""
    t0 = time.time()
    v = VERSIONS[ver]
    flags = ["--target=" + v["triple"],
             "-D__FreeBSD_version=%d" % v["version"]] + USER_CFLAGS
    flags += ["-isystem" + r for r in include_roots(ver)]
    flags += ["-I" + os.path.join(ROOT, d) for d in LIBVPC_INC]
    srcs = sorted(glob.glob(os.path.join(ROOT, LIBVPC_GLOB)))
    objdir = os.path.join(BUILD, ver, "libvpc")
    objs, errors = [], []
    for src in srcs:
        obj = os.path.join(objdir, os.path.basename(src)[:-2] + ".o")
        out = compile_one(src, obj, flags)
        if not os.path.exists(obj):
            errors.append("%s:\n%s" % (os.path.relpath(src, ROOT), out))
        elif out:
            log("kmod: libvpc for FreeBSD %s: note: warnings in %s:\n%s" %
                (ver, os.path.relpath(src, ROOT), out))
        objs.append(obj)
    if not errors:
        st, out = run([NM, "--undefined-only", "-j"] + objs)
        missing = LIBVPC_FREEBSD_SYMS - set(out.split())
        if st != 0:
            errors.append("nm failed:\n" + out)
        elif missing:
            errors.append("no reference to %s: the FreeBSD backend was "
                          "not compiled" % ", ".join(sorted(missing)))
    if errors:
        log("kmod: libvpc for FreeBSD %s: FAIL\n%s" %
            (ver, "\n".join(errors)))
        return False
    log("kmod: libvpc for FreeBSD %s: PASS: %d sources compiled for "
        "userland (%.1fs)" % (ver, len(srcs), time.time() - t0))
    return True


def sources_list():
    srcs = []
    for pat in SRC_GLOBS:
        srcs += glob.glob(os.path.join(ROOT, pat))
    return srcs


def main(argv):
    cmd = argv[1] if len(argv) > 1 else "all"
    try:
        need_tools()
        if cmd == "fetch":
            for v in VERSIONS:
                fetch_zig(v)
            return 0
        if cmd == "build":
            ko, notes = build(argv[2])
            for n in notes:
                log("note: " + n)
            log(ko)
            return 0
    except BuildError as e:
        log("kmod: %s" % e)
        return 1
    if cmd != "all":
        log(__doc__)
        return 2
    t0 = time.time()
    passed = failed = 0
    try:
        need_tools()
        for v in VERSIONS:
            fetch_zig(v)
    except BuildError as e:
        log("kmod: FAIL (setup): %s" % e)
        print("kmod: 0 passed, %d failed" % (2 * len(VERSIONS) + 1))
        return 1
    for v in VERSIONS:
        for check in (check_version, check_libvpc):
            if check(v):
                passed += 1
            else:
                failed += 1
    sys.path.insert(0, os.path.join(ROOT, "test", "kmod"))
    import test_verify  # noqa: E402
    p, f = test_verify.run()
    passed += p
    failed += f
    log("kmod: done in %.1fs" % (time.time() - t0))
    print("kmod: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
