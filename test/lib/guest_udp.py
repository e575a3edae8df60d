"""guest_udp.py: the UDP receiver e2e tests run inside a guest.

udp_receiver(port, payload_src) is the source of a script (run with
python3 -u -c) that binds UDP 'port' on every address, prints "ready",
and takes datagrams until none has come for 3 s (30 s before the first).
A datagram's sequence number is the five digits after its "seq:" head;
its bytes must equal payload(seq), from 'payload_src', the source of a
function payload(seq) -> bytes.  At the end it prints one JSON line:
{"got": [[source port, seq], ...] in arrival order, "bad": [seq, ...]}.

wait_ready(proc) and json_result(proc) wait for such a script, started
with Netns.spawn: for its "ready" line, and for its JSON line, decoded.
"""

import json
import time

_RECEIVER = """
import json, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(("0.0.0.0", %d))
print("ready", flush=True)
got, bad = [], []
s.settimeout(30)
while True:
    try:
        data, src = s.recvfrom(65536)
    except socket.timeout:
        break
    seq = int(data[4:9])
    got.append([src[1], seq])
    if data != payload(seq):
        bad.append(seq)
    s.settimeout(3)
print(json.dumps({"got": got, "bad": bad}), flush=True)
"""


def udp_receiver(port, payload_src):
    """The receiver script for 'port', checking against 'payload_src'."""
    return payload_src + _RECEIVER % port


def wait_ready(proc, timeout=10):
    """Wait until spawned script 'proc' has printed "ready"."""
    end = time.monotonic() + timeout
    while "ready" not in proc.log():
        assert time.monotonic() < end, "not ready:\n" + proc.log()
        time.sleep(0.1)


def json_result(proc, timeout=60):
    """The first JSON line spawned script 'proc' prints, decoded."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for line in proc.log().splitlines():
            if line.startswith("{"):
                return json.loads(line)
        time.sleep(0.2)
    raise AssertionError("no result:\n" + proc.log())
