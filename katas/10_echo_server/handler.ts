// Kata 10: the handler, a process for one client.
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

// TODO: take the socket the server sends: a "message" listener on process gets
// it as its second argument (a net.Socket). Write shout(chunk) back for every
// chunk of data the client sends, and let this process end when the client
// leaves: while it listens for messages, the IPC channel keeps it alive.
