// Kata 17: a worker of the prefork server (given whole).
//
// The upper-case echo server of kata 10, without a process per client: this
// process serves every client the kernel gives it, one after another or side
// by side, for as long as it lives. The primary (main.ts) starts it with
// cluster.fork(); its listen() then goes through the primary, which shares one
// listening socket among all its workers.
//
// When the primary calls worker.disconnect(), cluster closes this server: no
// new connections, while the open ones go on. The process then ends by itself
// once its last client has left.
import { createServer } from "node:net";

/** Upper-cases ASCII letters byte by byte, as Python's bytes.upper() does; other bytes pass unchanged. */
function shout(chunk: Buffer): Buffer {
  return Buffer.from(chunk.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
}

const server = createServer((socket) => {
  socket.on("data", (chunk: Buffer) => socket.write(shout(chunk)));
  // A client that resets the connection is a client gone, not a crash.
  socket.on("error", () => socket.destroy());
});

// Port 0: the first worker's listen() picks a free port; as long as one worker
// still holds the socket, every later worker that listens on 0 gets the same one.
server.listen(0, "127.0.0.1");
