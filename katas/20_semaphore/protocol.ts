// The semaphore's wire protocol, given whole: one JSON object a line, over a
// Unix socket. Both sides use it; the server and the key check are yours.
//
//   server → client  {"kind":"challenge","challenge":"<64 hex digits>"}   at once, on connecting
//   client → server  {"kind":"answer","answer":"<hex HMAC-SHA256 of the challenge's bytes, keyed>"}
//   server → client  {"kind":"welcome"}                                    or an error, then it hangs up
//   client → server  {"kind":"acquire"}
//   server → client  {"kind":"granted"}                                    once a permit is free
//   client → server  {"kind":"release"}                                    or it hangs up: the permit comes back
//   server → client  {"kind":"error","error":"<what was wrong>"}           then it hangs up
import type { Socket } from "node:net";

/** The environment variable that holds the shared key, on the server's side and the client's. */
export const KEY_VAR = "SEMAPHORE_KEY";
/** The longest line either side accepts, in bytes: a peer that sends more is cut off. */
export const MAX_LINE_BYTES = 4096;

/** Every message of the protocol. */
export type Message =
  | { kind: "challenge"; challenge: string }
  | { kind: "answer"; answer: string }
  | { kind: "welcome" }
  | { kind: "acquire" }
  | { kind: "granted" }
  | { kind: "release" }
  | { kind: "error"; error: string };

/** Sends one message as a line. */
export function send(socket: Socket, message: Message): void {
  if (socket.writable) socket.write(JSON.stringify(message) + "\n");
}

/** Sends an error, then hangs up: the peer learns what was wrong, and this connection is over. */
export function refuse(socket: Socket, error: string): void {
  send(socket, { kind: "error", error });
  socket.end();
}

/**
 * Calls `onLine` with each line the peer sends, without its newline, as text.
 * The text is the peer's: it may be anything, JSON or not. A peer that sends a
 * line longer than MAX_LINE_BYTES is refused (and nothing more is read from it).
 */
export function onLines(socket: Socket, onLine: (line: string) => void): void {
  let pending = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    if (socket.destroyed || socket.writableEnded) return;
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0 && !socket.writableEnded) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      onLine(line);
    }
    if (Buffer.byteLength(pending) > MAX_LINE_BYTES && !socket.writableEnded) {
      pending = "";
      refuse(socket, `line too long: more than ${MAX_LINE_BYTES} bytes without a newline`);
    }
  });
  // A peer that vanishes (killed, say) may leave a reset behind: that is a hang-up, not an error.
  socket.on("error", () => socket.destroy());
}
