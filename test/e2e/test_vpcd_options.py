"""vpcd's -P option: how long it polls for the next control request.

  refused   a value that is not whole microseconds from 0 to 10,000 makes
            vpcd exit 2 before it serves anything, naming -P, the range
            and the value, with no socket left behind
  served    with -P 0 (never poll) and -P 10000 (the most), 300 switches
            are created, committed, listed and destroyed through libvpc
            over one vpcd each, and the vpcd stops cleanly (the lab's
            teardown checks exit 0 and a log free of sanitizer reports)
"""

import os
import subprocess
import uuid

import pytest

import vpc

BAD = ["", "x", "-1", "+5", " 5", "5us", "10001", "0x10",
       "99999999999999999999999"]


def test_linger_refused(lab, vpcd_bin):
    sock = lab.path("bad.sock")
    for value in BAD:
        p = subprocess.run([vpcd_bin, "-n", "-s", sock, "-P", value],
                           stdin=subprocess.DEVNULL, capture_output=True,
                           text=True, timeout=10)
        assert p.returncode == 2, (value, p.returncode, p.stderr)
        want = ("vpcd: -P: expected microseconds from 0 to 10000, got "
                "\"%s\"" % value)
        assert want in p.stderr, (value, p.stderr)
        assert not os.path.exists(sock), value


@pytest.mark.sanitizer
@pytest.mark.parametrize("linger", [0, 10000])
def test_linger_served(lab, vpcd_bin, linger):
    ns = lab.netns("h1")
    sock = lab.path("ctl.sock")
    proc = ns.spawn([vpcd_bin, "-n", "-s", sock, "-P", str(linger)], "vpcd")
    why = proc.wait_unix_socket(sock)
    assert why is None, "vpcd " + why
    ids = [uuid.uuid4() for _ in range(300)]
    with vpc.Handle(sock) as h:
        for oid in ids:
            sw = h.create(oid, vpc.TYPE_SWITCH)
            sw.commit()
            sw.close()
        m = h.mgmt()
        assert set(m.mgmt_list(vpc.TYPE_SWITCH)) == set(ids)
        for oid in ids:
            sw = h.open(oid, vpc.TYPE_SWITCH)
            sw.destroy()
            sw.close()
        assert m.mgmt_list(vpc.TYPE_SWITCH) == []
