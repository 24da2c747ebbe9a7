// Kata 20: a counting semaphore for unrelated processes, on a Unix socket,
// open only to clients that know the key.
//
//   SEMAPHORE_KEY=<key> server.ts <socket path> <permits>
//
// Any process that can reach the socket may connect (client.ts is one). The
// server challenges it; only a client that answers with the key may ask for a
// permit. At most <permits> clients hold one at a time; the others wait, and
// a permit comes back when its holder releases it or hangs up (killed, even).
// A message that breaks the protocol gets an error, and that connection ends:
// the server goes on. SIGTERM stops it, and its socket file goes with it.
// Done when: `npm run kata -- run 20` passes. Try it by hand (see the README).
import { createServer, type Socket } from "node:net";
import { isRightAnswer, newChallenge } from "./auth.ts";
import { KEY_VAR, type Message, onLines, refuse, send } from "./protocol.ts";

const [path, permitsArg] = process.argv.slice(2);
const permits = Number(permitsArg);
const key = process.env[KEY_VAR] ?? "";
if (!path || !Number.isInteger(permits) || permits < 1 || key === "") {
  console.error(`Usage: ${KEY_VAR}=<key> server.ts <socket path> <permits>   (permits: a whole number, 1 or more)`);
  process.exit(2);
}

/** Clients that hold a permit. */
const holders = new Set<Socket>();
/** Clients waiting for a permit, the longest-waiting first. */
const waiting: Socket[] = [];
/** Every open connection, to end them all on SIGTERM. */
const connections = new Set<Socket>();

/** Hands free permits to the clients that have waited longest. */
function grant(): void {
  while (holders.size < permits && waiting.length > 0) {
    const next = waiting.shift()!;
    holders.add(next);
    send(next, { kind: "granted" });
  }
}

/** The client no longer holds a permit nor waits for one (it released it, or hung up). */
function forget(client: Socket): void {
  // A client that hangs up while it waits must leave the queue too: else the
  // next free permit would go to nobody, and be lost.
  const at = waiting.indexOf(client);
  if (at >= 0) waiting.splice(at, 1);
  // The permit goes straight to the next client waiting.
  if (holders.delete(client)) grant();
}

const KINDS = new Set(["answer", "acquire", "release"]);

/** The message a client sent in `line`, or what is wrong with it. */
function parse(line: string): Message | { wrong: string } {
  // The line is whatever a client sent: JSON.parse throws on some, and valid
  // JSON may still be null, a number, or an object of no kind we know.
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { wrong: `not JSON: ${JSON.stringify(line.slice(0, 60))}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { wrong: `not a JSON object: ${JSON.stringify(line.slice(0, 60))}` };
  }
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    return { wrong: `unknown kind ${JSON.stringify(kind)}: a client sends answer, acquire or release` };
  }
  return value as Message;
}

const server = createServer((client) => {
  connections.add(client);
  // A fresh challenge for each connection: an answer overheard on one is of
  // no use on the next.
  const challenge = newChallenge();
  let welcome = false;
  send(client, { kind: "challenge", challenge });

  onLines(client, (line) => {
    const message = parse(line);
    // A broken message ends this connection with an error that says why; it
    // must never end the server, which serves every other client too.
    if ("wrong" in message) return refuse(client, message.wrong);
    // Until the challenge is answered, nothing else is heard.
    if (!welcome) {
      if (message.kind !== "answer") return refuse(client, `answer the challenge first (got "${message.kind}")`);
      if (!isRightAnswer(key, challenge, message.answer)) {
        return refuse(client, "wrong answer to the challenge: this client does not have the key");
      }
      welcome = true;
      return send(client, { kind: "welcome" });
    }
    if (message.kind === "acquire") {
      if (holders.has(client) || waiting.includes(client)) return refuse(client, "acquire again before a release");
      waiting.push(client);
      grant();
    } else if (message.kind === "release") {
      if (!holders.has(client)) return refuse(client, "release without holding a permit");
      forget(client);
    } else {
      refuse(client, `unexpected "${message.kind}": the challenge was answered already`);
    }
  });
  // However the client went (released, hung up, killed: the kernel closes its
  // sockets), the server learns it here, and frees what it held.
  client.on("close", () => {
    connections.delete(client);
    forget(client);
  });
});

server.on("error", (err) => {
  console.error(`server: cannot listen on ${path}: ${err.message}`);
  process.exit(1);
});
server.listen(path, () => console.log(`server: listening on ${path}, ${permits} permits`));

// Closing the server removes its socket file; open connections are ended, so that nothing keeps it running.
process.on("SIGTERM", () => {
  console.log("server: SIGTERM, stopping");
  server.close();
  for (const c of connections) c.destroy();
});
