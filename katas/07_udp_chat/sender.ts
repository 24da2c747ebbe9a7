// The chat client's sender: a child process of the client. It reads what the
// user types and turns each line into a request, which the client (its parent,
// the only holder of the socket) puts on the wire: `L <name>` until the server
// says OK, then `C <name> <line>` for each line, and `Q <name>` for `quit`.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { isatty } from "node:tty";

// TODO: end when the client ends: exit on the process's "disconnect" event.

const prompt = (text: string) => isatty(0) && process.stdout.write(text);

/** Sends `L <name>` to the client and resolves with whether the server let us in. */
async function logIn(name: string): Promise<boolean> {
  // TODO: process.send the request, then wait for the client's answer, the
  // next "message" event of the process: { in: boolean }.
  return false;
}

let name: string | undefined;
prompt("your name: ");
for await (const line of createInterface({ input: process.stdin })) {
  // TODO: without a name yet, the line is a name to log in with (prompt again
  // if it is refused). Then `quit` ends the loop, and any other line is sent as
  // `C <name> <line>`.
}
// TODO: after quit or at the end of input, send `Q <name>` if logged in, then
// disconnect; on Node 20 disconnect only in process.send's callback.
