// Kata 07: the chat client's receiver. Given complete: what it does with its
// sender and with each datagram is yours, in receiver.ts.
//
// This process holds the user's UDP socket, and only this one: in Node, every
// process that holds a UDP socket reads from it. It receives and prints what
// the server sends, and puts on the wire the requests that its child, the
// sender (sender.ts), makes of what the user types. It ends on EXIT.
// Run it by hand:
//   node --import tsx katas/07_udp_chat/client.ts 127.0.0.1 8888
import { createSocket } from "node:dgram";
import { onDatagram, startSender } from "./receiver.ts";
import type { Receiver } from "./wire.ts";

const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);

const socket = createSocket("udp4");
let ended = false;
const receiver: Receiver = {
  socket, sender: undefined, name: undefined, asked: undefined,
  unitMs: Number(process.env.KATA_UNIT_MS ?? 1000),
  end(why) {
    if (ended) return;
    ended = true;
    console.log(`client: ${why}`);
    // An open socket and an open IPC channel keep this process alive: close both.
    socket.close();
    if (receiver.sender?.connected) receiver.sender.disconnect();
  },
};

// Connected, the socket takes datagrams from the server only.
socket.connect(port, host, () => startSender(receiver));
socket.on("message", (data) => onDatagram(receiver, data.toString("utf8")));
socket.on("error", (err) => {
  process.exitCode = 1;
  receiver.end(`cannot talk to the server at ${host}:${port}: ${err.message}`);
});
