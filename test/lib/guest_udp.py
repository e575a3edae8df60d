"""guest_udp.py: the UDP receiver e2e tests run inside a guest.

udp_receiver(port, payload_src) is the source of a script (run with
python3 -u -c) that binds UDP 'port' on every address, prints "ready",
and takes datagrams until none has come for 3 s (30 s before the first).
A datagram's sequence number is the five digits after its "seq:" head;
its bytes must equal payload(seq), from 'payload_src', the source of a
function payload(seq) -> bytes.  At the end it prints one JSON line:
{"got": [[source port, seq], ...] in arrival order, "bad": [seq, ...]}.
"""

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
