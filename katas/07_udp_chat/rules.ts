// Kata 07: the chat server's rules, and its admin console.
//
// server.ts (given) binds one UDP socket and hands every request it reads to
// login, chat or quit below; once bound, it calls startConsole and prints its
// ready line when the console has said where it sends from. A UDP server knows
// a sender only by its address: check every request against it.
// Done when: `npm run kata -- run 07` passes.
import { fork } from "node:child_process";
import { ADMIN_NAME, errorReply, EXIT, fits, joinedNotice, leftNotice, MAX_USERS, nameProblem, OK, refused, saysNotice } from "./protocol.ts";
import { type Address, addressKey, type ChatServer, enter, leave, nameAt, others } from "./room.ts";

/** `L <name>` from `from`. */
export function login(server: ChatServer, name: string, from: Address): void {
  // TODO: answer every login (a classic client waits for the answer). Refuse,
  // with refused(<why>), a name nameProblem() objects to, an address already in
  // the room (nameAt), a name already taken, and a room of MAX_USERS. Otherwise
  // answer OK, send joinedNotice(name) to everyone already in, then enter().
  // server.room is the room, server.send(text, to) sends.
}

/** `C <name> <text>` from `from`. */
export function chat(server: ChatServer, name: string, text: string, from: Address): void {
  // TODO: the name in a datagram is only a claim. Accept it when it is the name
  // logged in from `from`, or ADMIN_NAME sent from server.adminKey; otherwise
  // answer with errorReply(<why>). Ignore an empty text; refuse (errorReply) a
  // saysNotice(name, text) that does not fit a datagram; relay it to every
  // other user, once each, never back to the speaker.
}

/** `Q <name>` from `from`. */
export function quit(server: ChatServer, name: string, from: Address): void {
  // TODO: only as yourself (as in chat). Answer exactly EXIT to the leaver,
  // leave() the room, then send leftNotice(name) to everyone still in.
}

/** Forks the admin console, which sends to `host`:`port`; resolves with the address it sends from. */
export function startConsole(host: string, port: number): Promise<Address> {
  // TODO: fork console.ts (new URL("./console.ts", import.meta.url).pathname)
  // with two arguments, host and port. Its first IPC message is the address it
  // sends from: resolve with it.
  return Promise.reject(new Error("startConsole() in rules.ts is still to write"));
}
