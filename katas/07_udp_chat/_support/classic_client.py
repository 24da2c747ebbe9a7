# A test fixture: a chat client written the way the classic Python programs
# are. One UDP socket; after login, os.fork() gives it to two processes: the
# parent only receives and prints, the child only reads lines and sends them.
# Both talk from the same address because they share the socket itself.
#   python3 -u classic_client.py <host> <port>    (loopback only)
import os
import socket
import sys


def log_in(sock, server):
    for line in sys.stdin:
        name = line.rstrip("\n")
        sock.sendto(("L " + name).encode(), server)
        answer, _ = sock.recvfrom(1024)
        if answer == b"OK":
            return name
        print(answer.decode(), flush=True)
    return None


def type_and_send(sock, server, name):
    for line in sys.stdin:
        text = line.rstrip("\n")
        if text.strip() == "quit":
            sock.sendto(("Q " + name).encode(), server)
            break
        sock.sendto(("C " + name + " " + text).encode(), server)
    os._exit(0)


def main():
    server = (sys.argv[1], int(sys.argv[2]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    name = log_in(sock, server)
    if name is None:
        return
    print("classic client: in as " + name, flush=True)
    child = os.fork()
    if child == 0:
        type_and_send(sock, server, name)
    while True:
        data, _ = sock.recvfrom(1024)
        if data == b"EXIT":
            break
        print(data.decode(), flush=True)
    os.waitpid(child, 0)
    print("classic client: out", flush=True)


main()
