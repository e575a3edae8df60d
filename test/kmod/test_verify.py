#!/usr/bin/env python3
"""test_verify.py: the module verifier can fail.

For each FreeBSD release of tools/kmod/kmod.py, test/kmod/badmod.c is
built with exactly the pipeline vpc.ko goes through (same flags, headers,
link and symbol localisation) four ways:

  control         no defect: the verifier must ACCEPT it, so that a
                  rejection below is caused by the defect alone;
  BADMOD_SYMBOL   must be rejected for kern_kldload not being allowed;
  BADMOD_COMMON   must be rejected for the COMMON symbol badmod_common;
  BADMOD_TLS      must be rejected for an R_X86_64_TPOFF32 relocation.

Each case is one check; run() returns (passed, failed).  Run alone, the
script also requires the real vpc.ko to pass, and ends with
"N passed, N failed".
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "kmod"))
import kmod  # noqa: E402
import verify  # noqa: E402

SRC = os.path.join(HERE, "badmod.c")

# (case name, extra compiler flag, text a problem must contain or None)
CASES = [
    ("control", None, None),
    ("symbol", "-DBADMOD_SYMBOL",
     "undefined symbol kern_kldload is not in the KPI allow-list"),
    ("common", "-DBADMOD_COMMON", "COMMON symbol badmod_common"),
    ("tls", "-DBADMOD_TLS", "forbidden relocation R_X86_64_TPOFF32"),
]


def one(ver, name, flag, expect, allow):
    """Build and verify one case; return (ok, message)."""
    outdir = os.path.join(kmod.BUILD, ver, "test", name)
    try:
        ko, _ = kmod.build(ver, srcs=[SRC], outdir=outdir, name="badmod",
                           extra=[flag] if flag else [])
    except kmod.BuildError as e:
        return False, "build failed: %s" % e
    problems = verify.verify(ko, allow, kmod.include_roots(ver))
    if expect is None:
        if problems:
            return False, "control rejected: %s" % "; ".join(problems)
        return True, "control accepted"
    if not problems:
        return False, "verifier ACCEPTED a module with the defect"
    if not any(expect in p for p in problems):
        return False, "rejected for the wrong reason: %s" % \
            "; ".join(problems)
    others = [p for p in problems if expect not in p]
    if others:
        return False, "unexpected extra problems: %s" % "; ".join(others)
    return True, "rejected: %s" % expect


def run(real=False):
    """
    Run every case for every release; with 'real', also build vpc.ko and
    require that it passes (kmod.py checks that itself).  Returns
    (passed, failed).
    """
    allow = verify.load_allowlist(kmod.ALLOWLIST)
    passed = failed = 0
    for ver in kmod.VERSIONS:
        if real:
            try:
                ko, _ = kmod.build(ver)
                problems = verify.verify(ko, allow, kmod.include_roots(ver))
            except kmod.BuildError as e:
                problems = ["build failed: %s" % e]
            print("kmod: FreeBSD %s vpc.ko %s%s" %
                  (ver, "FAIL: " if problems else "PASS",
                   "; ".join(problems)), flush=True)
            if problems:
                failed += 1
            else:
                passed += 1
        for name, flag, expect in CASES:
            ok, msg = one(ver, name, flag, expect, allow)
            print("kmod: negative test FreeBSD %s %-8s %s: %s" %
                  (ver, name, "PASS" if ok else "FAIL", msg), flush=True)
            if ok:
                passed += 1
            else:
                failed += 1
    return passed, failed


if __name__ == "__main__":
    kmod.need_tools()
    p, f = run(real=True)
    print("%d passed, %d failed" % (p, f))
    sys.exit(0 if f == 0 else 1)
