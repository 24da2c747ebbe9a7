// Kata 07: the chat server's rules, and its admin console (reference solution).
//
// Users are keyed by address: the name in a datagram is only a claim, checked
// against the name logged in from the address the datagram came from.
import { fork } from "node:child_process";
import { ADMIN_NAME, errorReply, EXIT, fits, joinedNotice, leftNotice, MAX_USERS, nameProblem, OK, refused, saysNotice } from "./protocol.ts";
import { type Address, addressKey, type ChatServer, enter, leave, nameAt, others } from "./room.ts";

/** `L <name>` from `from`. */
export function login(server: ChatServer, name: string, from: Address): void {
  const { room, send } = server;
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

/** Whether `from` is logged in as `name`; if not, tells them why they cannot act as `name`. */
function isSelf({ room, send }: ChatServer, name: string, from: Address): boolean {
  const current = nameAt(room, from);
  if (current === name) return true;
  send(errorReply(current ? `you are ${current}, not ${name}` : "log in first with L <name>"), from);
  return false;
}

/** `C <name> <text>` from `from`. */
export function chat(server: ChatServer, name: string, text: string, from: Address): void {
  const { room, send } = server;
  // The admin is no user: its words count only from the console's own address.
  const isAdmin = name === ADMIN_NAME && addressKey(from) === server.adminKey;
  if (!isAdmin && !isSelf(server, name, from)) return;
  if (text.trim() === "") return; // nothing to say
  const message = saysNotice(name, text);
  if (!fits(message)) return send(errorReply("message too long"), from);
  // Once to each other user: the speaker knows what they said.
  for (const [, to] of others(room, name)) send(message, to);
}

/** `Q <name>` from `from`. */
export function quit(server: ChatServer, name: string, from: Address): void {
  const { room, send } = server;
  if (!isSelf(server, name, from)) return;
  // EXIT alone to the leaver: the classic client stops on exactly that datagram.
  send(EXIT, from);
  leave(room, name);
  for (const [, to] of others(room)) send(leftNotice(name), to);
  console.log(`server: ${name} left`);
}

/** Forks the admin console, which sends to `host`:`port`; resolves with the address it sends from. */
export function startConsole(host: string, port: number): Promise<Address> {
  // The console is a child process, like the seed's fork: it reads our stdin and
  // talks to our socket over UDP. It ends when we do (it watches the IPC channel).
  const admin = fork(new URL("./console.ts", import.meta.url).pathname, [host, String(port)]);
  admin.on("exit", () => console.log("server: the admin console has ended; serving on"));
  // Its first message says where it sends from: the admin's words count from there only.
  return new Promise((resolve) => admin.once("message", (from: Address) => resolve(from)));
}
