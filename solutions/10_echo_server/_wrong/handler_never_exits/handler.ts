// Wrong on purpose: the handler serves its client well but keeps listening for
// messages with process.on(), so its IPC channel holds it alive after the
// client has left: every client leaves a process behind.
import type { Socket } from "node:net";

function shout(chunk: Buffer): Buffer {
  return Buffer.from(chunk.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
}

process.on("message", (_message: unknown, socket?: Socket) => {
  if (!socket) return;
  socket.on("data", (chunk: Buffer) => socket.write(shout(chunk)));
  socket.on("error", () => socket.destroy());
});
