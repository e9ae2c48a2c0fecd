# A stand-in for systemd's notification socket: binds an AF_UNIX datagram socket (Node cannot) and prints each
# datagram as one JSON line. Receiving without ancillary space drops systemd-notify's BARRIER=1 fd, which
# releases its wait just as the real manager does by closing it.
import json, os, socket, sys

path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print(json.dumps({"bound": path}), flush=True)
while True:
    data = s.recv(65536)
    print(json.dumps({"message": data.decode("utf-8", "replace")}), flush=True)
