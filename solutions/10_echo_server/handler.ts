// Kata 10: the handler, a process for one client (reference solution).
//
// The server forks this file for each connection it accepts and sends it the
// connection's socket over IPC. This process serves that client alone: it
// sends back every chunk it receives, shouted (upper case), and ends when the
// client leaves.
import type { Socket } from "node:net";

/** Upper-cases ASCII letters byte by byte, as Python's bytes.upper() does; other bytes pass unchanged. */
function shout(chunk: Buffer): Buffer {
  return Buffer.from(chunk.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
}

// once(): a handler serves one connection, and removing the listener after it
// frees the IPC channel, so nothing but the socket keeps this process alive.
// When the client leaves, the socket closes and the process ends by itself.
process.once("message", (_message: unknown, socket?: Socket) => {
  if (!socket) return;
  // Each chunk goes back as it came, byte for byte: no framing, no newline
  // added, which is what the seed's client expects from recv().
  socket.on("data", (chunk: Buffer) => socket.write(shout(chunk)));
  // A client that resets the connection is a client gone, not a crash.
  socket.on("error", () => socket.destroy());
});
