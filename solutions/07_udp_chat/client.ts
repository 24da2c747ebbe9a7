// Kata 07: the chat client's receiver (reference solution).
//
// This process holds the user's UDP socket, and only this one: in Node, every
// process that holds a UDP socket reads from it. It receives and prints what
// the server sends, and puts on the wire the requests that its child, the
// sender (sender.ts), makes of what the user types. It ends on EXIT.
//   node --import tsx katas/07_udp_chat/client.ts 127.0.0.1 8888
import { type ChildProcess, fork } from "node:child_process";
import { createSocket } from "node:dgram";
import { EXIT, OK } from "./protocol.ts";

const SENDER = new URL("./sender.ts", import.meta.url).pathname;
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** How long to wait for EXIT once the sender has sent its last request. */
const QUIT_WAIT_UNITS = 5;
const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);

const socket = createSocket("udp4");
let sender: ChildProcess | undefined;
let name: string | undefined; // set when the server says OK
let asked: string | undefined; // the name of the login under way
let ended = false;

/** Says why, closes the socket and lets the sender go; the process then ends by itself. */
function end(why: string): void {
  if (ended) return;
  ended = true;
  console.log(`client: ${why}`);
  socket.close();
  if (sender?.connected) sender.disconnect();
}

// Connected, the socket takes datagrams from the server only.
socket.connect(port, host, () => {
  // The sender gets no socket: a second holder would read, and lose, datagrams
  // meant for this process. It hands us its requests over IPC instead, so the
  // server still sees one address per user, as with the Python client's fork.
  sender = fork(SENDER);
  sender.on("message", (request: string) => {
    if (request.startsWith("L ")) asked = request.slice(2);
    socket.send(request);
  });
  sender.on("exit", () => {
    if (name === undefined) return end("no name, no chat: bye");
    // Its last request was Q: the server's EXIT is on its way, unless the server is gone.
    setTimeout(() => end("the server never said EXIT; leaving anyway"), QUIT_WAIT_UNITS * UNIT_MS).unref();
  });
});

socket.on("message", (data) => {
  const text = data.toString("utf8");
  if (name === undefined && asked !== undefined) {
    // Only the server talks to a connected socket, and before OK it only answers logins.
    const ok = text === OK;
    if (ok) {
      name = asked;
      console.log(`client: you are in the room as ${name} (receiver pid ${process.pid}, sender pid ${sender?.pid})`);
    } else console.log(text);
    sender?.send({ in: ok });
    return;
  }
  if (text === EXIT) return end("you left the room");
  console.log(text);
});

socket.on("error", (err) => {
  process.exitCode = 1;
  end(`cannot talk to the server at ${host}:${port}: ${err.message}`);
});
