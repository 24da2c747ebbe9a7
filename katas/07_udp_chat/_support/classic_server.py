# A test fixture: a chat server written the way the classic Python programs
# are. It keys users by name alone and has no checks at all; a forked child
# reads stdin and sends each line to the server's own socket as the admin.
#   python3 -u classic_server.py <host> <port>    (port 0: any free port)
import os
import socket
import sys

ADMIN = "admin"


def serve(sock):
    users = {}
    while True:
        data, sender = sock.recvfrom(1024)
        words = data.decode().split(" ")
        kind, name = words[0], words[1] if len(words) > 1 else ""
        if kind == "L":
            if name in users or name == ADMIN:
                sock.sendto("that name is in use".encode(), sender)
                continue
            sock.sendto(b"OK", sender)
            for other in users.values():
                sock.sendto(("\nwelcome, " + name).encode(), other)
            users[name] = sender
        elif kind == "C":
            text = "\n" + name + ": " + " ".join(words[2:])
            for who, other in users.items():
                if who != name:
                    sock.sendto(text.encode(), other)
        elif kind == "Q" and name in users:
            sock.sendto(b"EXIT", users.pop(name))
            for other in users.values():
                sock.sendto(("\n" + name + " has gone").encode(), other)


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((sys.argv[1], int(sys.argv[2])))
    here = sock.getsockname()
    print("classic server: listening on %s:%d" % here, flush=True)
    if os.fork() == 0:
        for line in sys.stdin:
            sock.sendto(("C " + ADMIN + " " + line.rstrip("\n")).encode(), here)
        os._exit(0)
    serve(sock)


main()
