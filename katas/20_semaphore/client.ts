// A client of the semaphore, given whole: it runs one job while it holds a
// permit, like `flock` or GNU `sem`, but across any processes that know the
// socket and the key.
//
//   SEMAPHORE_KEY=<key> client.ts <socket path> -- <command> [args...]
//
// It connects, answers the server's challenge with the key (answerTo() in
// auth.ts, yours), asks for a permit, runs the command once it is granted,
// gives the permit back, and exits with the command's exit code. Refused, it
// prints the server's reason and exits with code 1.
import { spawn } from "node:child_process";
import { createConnection } from "node:net";
import { answerTo } from "./auth.ts";
import { KEY_VAR, type Message, onLines, send } from "./protocol.ts";

const [path, dashes, ...command] = process.argv.slice(2);
if (!path || dashes !== "--" || command.length === 0) {
  console.error("Usage: client.ts <socket path> -- <command> [args...]   (the key in SEMAPHORE_KEY)");
  process.exit(2);
}
// Without a key the client still talks to the server, which must refuse it.
const key = process.env[KEY_VAR] ?? "";

const socket = createConnection(path);
let job: ReturnType<typeof spawn> | undefined;
socket.on("error", (err) => {
  console.error(`client: cannot talk to the server at ${path}: ${err.message}`);
  process.exit(1);
});
socket.on("close", () => {
  if (job) return;
  console.error("client: the server hung up before granting a permit");
  process.exit(1);
});

onLines(socket, (line) => {
  const message = JSON.parse(line) as Message;
  if (message.kind === "challenge") {
    send(socket, { kind: "answer", answer: answerTo(key, message.challenge) });
  } else if (message.kind === "welcome") {
    // Written before the line is printed, so that "asked" means the server has the request.
    socket.write(JSON.stringify({ kind: "acquire" }) + "\n", () => console.log("client: asked for a permit"));
  } else if (message.kind === "granted") {
    console.log(`client: permit granted; running ${command.join(" ")}`);
    job = spawn(command[0], command.slice(1), { stdio: "inherit" });
    job.on("error", (err) => console.error(`client: cannot run ${command[0]}: ${err.message}`));
    job.on("close", (code, signal) => {
      send(socket, { kind: "release" });
      socket.end();
      console.log(`client: job ended ${signal ? `by ${signal}` : `with code ${code}`}; permit given back`);
      process.exitCode = code ?? 1;
    });
  } else if (message.kind === "error") {
    console.error(`client: refused: ${message.error}`);
    process.exit(1);
  }
});
