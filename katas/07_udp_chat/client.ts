// Kata 07: the chat client's receiver.
//
// This process holds the user's UDP socket, and only this one: in Node, every
// process that holds a UDP socket reads from it. It receives and prints what
// the server sends, and puts on the wire the requests that its child, the
// sender (sender.ts), makes of what the user types. It ends on EXIT.
// Done when: `npm run kata -- run 07` passes. Run it by hand:
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

// TODO: connect the socket to the server (socket.connect(port, host, ...)): a
// connected socket takes datagrams from the server only. Once connected, fork
// SENDER. Each IPC message from it is a request: remember the name of an
// `L <name>` in `asked`, and send the request to the server. When the sender
// exits: without a name, end(); with one, it has sent Q, so give the server
// QUIT_WAIT_UNITS units to answer EXIT before end() (with an unref'd timer).

socket.on("message", (data) => {
  const text = data.toString("utf8");
  // TODO: while a login is under way, the answer is OK or a refusal. On OK,
  // remember the name and print "client: you are in the room as <name>
  // (receiver pid <pid>, sender pid <pid>)"; else print the refusal. Either way,
  // tell the sender over IPC: { in: true } or { in: false }.
  // Later, EXIT means end("you left the room"); anything else is printed as is.
});

socket.on("error", (err) => {
  process.exitCode = 1;
  end(`cannot talk to the server at ${host}:${port}: ${err.message}`);
});
