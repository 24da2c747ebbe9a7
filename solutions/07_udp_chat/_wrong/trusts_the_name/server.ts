// Wrong on purpose: like the Python server, it believes the name in a datagram.
// Anyone may speak, or make someone leave, as anyone, the admin included.
// Kata 07: the chat server.
//
// One UDP socket serves the protocol in this process; a forked child, the admin
// console, reads this program's stdin and sends each line to the socket as the
// admin's words. Run it by hand (host and port are optional):
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
  const problem = nameProblem(name);
  const current = nameAt(room, from);
  // Every login gets an answer: a classic client waits for one before it goes on.
  if (problem) return send(refused(problem), from);
  if (current) return send(refused(`you are already in as ${current}`), from);
  if (room.byName.has(name)) return send(refused(`the name ${name} is taken`), from);
  if (room.byName.size >= MAX_USERS) return send(refused(`the room is full (${MAX_USERS} users)`), from);
  send(OK, from);
  for (const [, to] of others(room)) send(joinedNotice(name), to);
  enter(room, name, from);
  console.log(`server: ${name} joined from ${addressKey(from)}`);
}

/** Whether `name` is in the room (wrong: it never asks who is sending). */
function isSelf(name: string, from: Address): boolean {
  if (room.byName.has(name)) return true;
  send(errorReply("log in first with L <name>"), from);
  return false;
}

/** `C <name> <text>` from `from`. */
function chat(name: string, text: string, from: Address): void {
  // The admin is no user: its words count only from the console's own address.
  const isAdmin = name === ADMIN_NAME;
  if (!isAdmin && !isSelf(name, from)) return;
  if (text.trim() === "") return; // nothing to say
  const message = saysNotice(name, text);
  if (!fits(message)) return send(errorReply("message too long"), from);
  // Once to each other user: the speaker knows what they said.
  for (const [, to] of others(room, name)) send(message, to);
}

/** `Q <name>` from `from`. */
function quit(name: string, from: Address): void {
  if (!isSelf(name, from)) return;
  // EXIT alone to the leaver: the classic client stops on exactly that datagram.
  send(EXIT, room.byName.get(name)!);
  leave(room, name);
  for (const [, to] of others(room)) send(leftNotice(name), to);
  console.log(`server: ${name} left`);
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

socket.bind(port, host, () => {
  const bound = socket.address().port;
  // The console is a child process, like the seed's fork: it reads our stdin and
  // talks to our socket over UDP. It ends when we do (it watches the IPC channel).
  const admin = fork(CONSOLE, [host === "0.0.0.0" ? "127.0.0.1" : host, String(bound)]);
  admin.once("message", (from: Address) => {
    adminKey = addressKey(from);
    // Ready only now: the port is bound and admin lines can be told from forgeries.
    console.log(`server: listening on ${host}:${bound}`);
  });
  admin.on("exit", () => console.log("server: the admin console has ended; serving on"));
});
