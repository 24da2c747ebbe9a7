// Kata 07: what the chat client's receiver (client.ts, given) does with its
// sender child and with each datagram from the server.
//
// Done when: `npm run kata -- run 07` passes.
import { fork } from "node:child_process";
import { EXIT, OK } from "./protocol.ts";
import type { Receiver } from "./wire.ts";

/** How long to wait for EXIT once the sender has sent its last request, in units. */
const QUIT_WAIT_UNITS = 5;

/** Called once the socket is connected to the server. */
export function startSender(receiver: Receiver): void {
  // TODO: fork sender.ts (new URL("./sender.ts", import.meta.url).pathname) and
  // keep it in receiver.sender. Each IPC message from it is a request: remember
  // the name of an `L <name>` in receiver.asked, and send the request on
  // receiver.socket. When the sender exits: without a name, receiver.end(why);
  // with one, it has sent Q, so give the server QUIT_WAIT_UNITS units to answer
  // EXIT before receiver.end(why) (with an unref'd timer).
}

/** Called with each datagram from the server, as text. */
export function onDatagram(receiver: Receiver, text: string): void {
  // TODO: while a login is under way, the answer is OK or a refusal. On OK,
  // remember the name and print "client: you are in the room as <name>
  // (receiver pid <pid>, sender pid <pid>)"; else print the refusal. Either way,
  // tell the sender over IPC: { in: true } or { in: false }.
  // Later, EXIT means receiver.end("you left the room"); anything else is printed as is.
}
