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

// The IPC channel closes when the server ends, however it ends: the kernel
// closes a dead process's end of it. Without this, stdin would keep us alive.
process.on("disconnect", () => process.exit(0));

socket.bind(0, host, () => {
  // The server takes the admin's words from this address only.
  process.send?.(socket.address());
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.trim() === "") return;
    const request = `C ${ADMIN_NAME} ${line}`;
    if (!fits(request)) return console.error("console: that line is too long for a datagram; not sent");
    socket.send(request, port, host);
  });
  lines.on("close", () => {
    // Nothing more to say: letting go of the socket and the channel ends this process.
    socket.close();
    if (process.connected) process.disconnect?.();
  });
});
