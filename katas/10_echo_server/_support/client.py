# A client in the style of the seed's Python one, for kata 10's tests and for
# trying the server by hand: for each message, send its bytes (no newline),
# read one reply with recv(1024) and print it.
#
#   python3 katas/10_echo_server/_support/client.py <port> hello world
import socket
import sys

# The first reply waits for a handler process to start, slow on a loaded machine.
TIMEOUT_S = 120

port = int(sys.argv[1])
with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as conn:
    for text in sys.argv[2:]:
        conn.sendall(text.encode("utf-8"))
        print(conn.recv(1024).decode("utf-8"), flush=True)
