// Kata 07: the chat server.
//
// One UDP socket serves the chat protocol (protocol.ts) in this process. Like
// the Python server, it forks an admin console (console.ts): that child reads
// this program's stdin and sends each line to this socket as the admin's words.
// Done when: `npm run kata -- run 07` passes. Run it by hand (host and port are
// optional; port 0 picks a free one):
//   node --import tsx katas/07_udp_chat/server.ts 127.0.0.1 8888
import { fork } from "node:child_process";
import { createSocket } from "node:dgram";
import {
  ADMIN_NAME, errorReply, EXIT, fits, joinedNotice, leftNotice, MAX_USERS, nameProblem, OK, parseRequest,
  refused, saysNotice,
} from "./protocol.ts";
import { type Address, addressKey, createRoom, enter, leave, nameAt, others } from "./room.ts";

const CONSOLE = new URL("./console.ts", import.meta.url).pathname;
const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);

const socket = createSocket("udp4");
const room = createRoom();
/** Where the admin console sends from: the only address allowed to speak as the admin. */
let adminKey: string | undefined;

function send(text: string, to: Address): void {
  socket.send(text, to.port, to.address);
}

/** `L <name>` from `from`. */
function login(name: string, from: Address): void {
  // TODO: answer every login (a classic client waits for the answer). Refuse,
  // with refused(<why>), a name nameProblem() objects to, an address already in
  // the room (nameAt), a name already taken, and a room of MAX_USERS. Otherwise
  // answer OK, send joinedNotice(name) to everyone already in, then enter().
}

/** `C <name> <text>` from `from`. */
function chat(name: string, text: string, from: Address): void {
  // TODO: the name in a datagram is only a claim. Accept it when it is the name
  // logged in from `from`, or ADMIN_NAME sent from adminKey; otherwise answer
  // with errorReply(<why>). Ignore an empty text; refuse (errorReply) a
  // saysNotice(name, text) that does not fit a datagram; relay it to every
  // other user, once each, never back to the speaker.
}

/** `Q <name>` from `from`. */
function quit(name: string, from: Address): void {
  // TODO: only as yourself (as in chat). Answer exactly EXIT to the leaver,
  // leave() the room, then send leftNotice(name) to everyone still in.
}

socket.on("message", (data, from) => {
  const request = parseRequest(data);
  // A bad datagram gets an answer, never a crash: the service goes on.
  if ("error" in request) return send(errorReply(request.error), from);
  if (request.kind === "login") login(request.name, from);
  else if (request.kind === "chat") chat(request.name, request.text, from);
  else quit(request.name, from);
});

socket.on("error", (err) => {
  console.error(`server: cannot serve on ${host}:${port}: ${err.message}`);
  process.exit(1);
});

// TODO: bind the socket to host and port. Once it is bound, fork CONSOLE with
// two arguments: the host to send to ("127.0.0.1" if host is "0.0.0.0") and the
// bound port (socket.address().port). The console's first IPC message is the
// address it sends from: keep its addressKey() in adminKey, and only then print
// "server: listening on <host>:<bound port>".
