// The chat client's sender: a child process of the client. It reads what the
// user types and turns each line into a request, which the client (its parent,
// the only holder of the socket) puts on the wire: `L <name>` until the server
// says OK, then `C <name> <line>` for each line, and `Q <name>` for `quit`.
import { once } from "node:events";
import { createInterface } from "node:readline";
import { isatty } from "node:tty";

// The client has ended (or was killed): no one is left to send for.
process.on("disconnect", () => process.exit(0));

const prompt = (text: string) => isatty(0) && process.stdout.write(text);

/** Sends `L <name>` to the client and resolves with whether the server let us in. */
async function logIn(name: string): Promise<boolean> {
  process.send?.(`L ${name}`);
  // The client answers every login attempt, in order, so the next message is ours.
  const [answer] = await once(process, "message");
  return (answer as { in: boolean }).in;
}

let name: string | undefined;
prompt("your name: ");
// The loop awaits each login: lines typed meanwhile wait in the iterator, so a
// line after a refused name is the next name, not a message.
for await (const line of createInterface({ input: process.stdin })) {
  if (name === undefined) {
    if (await logIn(line)) name = line;
    else prompt("your name: ");
  } else if (line.trim() === "quit") {
    break;
  } else {
    process.send?.(`C ${name} ${line}`);
  }
}
// Leaving the loop closed stdin; after the channel too, nothing keeps us alive.
if (!process.connected) process.exit(0); // the client is gone already
if (name !== undefined) process.send?.(`Q ${name}`, () => process.disconnect());
else process.disconnect?.();
