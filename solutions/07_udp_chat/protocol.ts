// The chat's wire format, shared by every program of the kata and given to you
// complete. It speaks the classic Python programs' protocol: UTF-8 datagrams of
// at most 1024 bytes, requests `L <name>`, `C <name> <text>`, `Q <name>`, and
// two special replies, `OK` (you are in) and `EXIT` (you are out).

/** The largest datagram either side sends or accepts, in bytes (the seed's recvfrom(1024)). */
export const MAX_DATAGRAM_BYTES = 1024;
/** The name the admin console speaks as; no user may take it. */
export const ADMIN_NAME = "admin";
/** The longest name a user may take, in characters. */
export const MAX_NAME_CHARS = 20;
/** How many users the room holds at once. */
export const MAX_USERS = 32;
/** The reply to a login that succeeded. */
export const OK = "OK";
/** The reply to a user who leaves: the last datagram they get. */
export const EXIT = "EXIT";

/** A request a user (or the admin console) sends to the server. */
export type Request =
  | { kind: "login"; name: string }
  | { kind: "chat"; name: string; text: string }
  | { kind: "quit"; name: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a datagram as a request, or says why it is not one (for an `error: ...` reply). */
export function parseRequest(data: Uint8Array): Request | { error: string } {
  if (data.length === 0) return { error: "empty datagram" };
  if (data.length > MAX_DATAGRAM_BYTES) return { error: `datagram over ${MAX_DATAGRAM_BYTES} bytes` };
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { error: "not UTF-8 text" };
  }
  text = text.replace(/\r?\n$/, ""); // tolerate a line typed into netcat
  const space = text.indexOf(" ");
  const command = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? "" : text.slice(space + 1);
  if (command !== "L" && command !== "C" && command !== "Q") {
    return { error: `unknown command "${command.slice(0, 10)}": use L, C or Q` };
  }
  if (command === "C") {
    const gap = rest.indexOf(" ");
    const name = gap < 0 ? rest : rest.slice(0, gap);
    if (name === "") return { error: "missing name: use C <name> <text>" };
    return { kind: "chat", name, text: gap < 0 ? "" : rest.slice(gap + 1) };
  }
  if (rest === "") return { error: `missing name: use ${command} <name>` };
  return command === "L" ? { kind: "login", name: rest } : { kind: "quit", name: rest };
}

/** Why `name` cannot be taken, or undefined if it can (whether it is free is the room's business). */
export function nameProblem(name: string): string | undefined {
  if (/\s/.test(name)) return "a name cannot contain spaces";
  if (name === ADMIN_NAME) return `the name ${ADMIN_NAME} is reserved for the admin`;
  if ([...name].length > MAX_NAME_CHARS) return `a name has at most ${MAX_NAME_CHARS} characters`;
  return undefined;
}

/** The answer to a login that cannot be: `refused: <why>`. */
export function refused(why: string): string {
  return `refused: ${why}`;
}

/** The answer to a datagram the server will not act on: `error: <why>`. */
export function errorReply(why: string): string {
  return `error: ${why}`;
}

/** The notice the others get when `name` enters. */
export function joinedNotice(name: string): string {
  return `* ${name} joined the chat`;
}

/** The notice the others get when `name` leaves. */
export function leftNotice(name: string): string {
  return `* ${name} left the chat`;
}

/** What the others get when `name` says `text`. */
export function saysNotice(name: string, text: string): string {
  return `${name} says: ${text}`;
}

/** Whether `text` fits in one datagram. */
export function fits(text: string): boolean {
  return Buffer.byteLength(text) <= MAX_DATAGRAM_BYTES;
}
