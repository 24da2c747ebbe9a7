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

// TODO: at most `permits` clients hold a permit at once; the others wait, and
// a free permit goes to the client that has waited longest. A permit comes
// back when its holder sends "release", and also when its connection closes:
// a client killed with SIGKILL never says goodbye, but the kernel closes its
// socket. A client that hangs up while it waits must not get a permit later.
void holders;
void waiting;

const server = createServer((client) => {
  connections.add(client);
  // TODO: before anything else, send this connection a challenge of its own
  // (newChallenge(), in auth.ts), and hear nothing but its answer until the
  // answer is right (isRightAnswer()): then send "welcome". A wrong answer, or
  // any other message first, is refused (refuse(), in protocol.ts).
  void newChallenge;
  void isRightAnswer;
  void key;
  send(client, { kind: "welcome" });

  onLines(client, (line) => {
    // TODO: the line is whatever the client sent. A line that is not JSON, not
    // an object, or of a kind the server does not know gets an error that says
    // what was wrong (refuse()), and must never end the server.
    const message = JSON.parse(line) as Message;
    if (message.kind === "acquire") send(client, { kind: "granted" });
  });
  client.on("close", () => {
    connections.delete(client);
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
