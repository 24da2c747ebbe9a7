// The admin console: a child process of the server. It reads the server's
// stdin (a forked child inherits it) and sends each line to the server's socket
// as the admin's words, `C admin <line>`, so that every user sees them.
//   (forked by server.ts with two arguments: the server's host and port)
import { createSocket } from "node:dgram";
import { createInterface } from "node:readline";
import { ADMIN_NAME, fits } from "./protocol.ts";

const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);
const socket = createSocket("udp4");

// TODO: end with the server, however it ends (even killed by SIGKILL): exit on
// the process's "disconnect" event, which fires when the IPC channel to the
// parent closes.

socket.bind(0, host, () => {
  // TODO: send the server this socket's address over IPC (process.send), so
  // that it can tell the admin's words from a forgery.
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    // TODO: skip a blank line; send `C ${ADMIN_NAME} <line>` to host:port if it
    // fits a datagram, else say so on stderr.
  });
  lines.on("close", () => {
    // TODO: the end of input: close the socket and, if still connected
    // (process.connected), disconnect; the server serves on without a console.
  });
});
