// Kata 07: what the chat client's receiver does with its sender child and with
// each datagram from the server (reference solution).
import { fork } from "node:child_process";
import { EXIT, OK } from "./protocol.ts";
import type { Receiver } from "./wire.ts";

/** How long to wait for EXIT once the sender has sent its last request, in units. */
const QUIT_WAIT_UNITS = 5;

/** Called once the socket is connected to the server. */
export function startSender(receiver: Receiver): void {
  // The sender gets no socket: a second holder would read, and lose, datagrams
  // meant for this process. It hands us its requests over IPC instead, so the
  // server still sees one address per user, as with the Python client's fork.
  const sender = receiver.sender = fork(new URL("./sender.ts", import.meta.url).pathname);
  sender.on("message", (request: string) => {
    if (request.startsWith("L ")) receiver.asked = request.slice(2);
    receiver.socket.send(request);
  });
  sender.on("exit", () => {
    if (receiver.name === undefined) return receiver.end("no name, no chat: bye");
    // Its last request was Q: the server's EXIT is on its way, unless the server is gone.
    const leave = () => receiver.end("the server never said EXIT; leaving anyway");
    setTimeout(leave, QUIT_WAIT_UNITS * receiver.unitMs).unref();
  });
}

/** Called with each datagram from the server, as text. */
export function onDatagram(receiver: Receiver, text: string): void {
  if (receiver.name === undefined && receiver.asked !== undefined) {
    // Only the server talks to a connected socket, and before OK it only answers logins.
    const ok = text === OK;
    if (ok) {
      receiver.name = receiver.asked;
      console.log(`client: you are in the room as ${receiver.name} ` +
        `(receiver pid ${process.pid}, sender pid ${receiver.sender?.pid})`);
    } else console.log(text);
    receiver.sender?.send({ in: ok });
    return;
  }
  if (text === EXIT) return receiver.end("you left the room");
  console.log(text);
}
