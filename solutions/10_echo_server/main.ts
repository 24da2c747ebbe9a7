// Kata 10: an echo server with a process per client (reference solution).
//
// The server accepts TCP connections on 127.0.0.1 and hands each one to a new
// child process running handler.ts, which serves that client and no other.
import { fork } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";

const HANDLER = new URL("./handler.ts", import.meta.url).pathname;

// pauseOnConnect: this process reads nothing from a new connection, so every
// byte the client sends stays in the socket for the handler it is passed to.
const server = createServer({ pauseOnConnect: true }, (socket) => {
  // A new process for each client, started at once: no client waits for
  // another. The socket travels with the message (its file descriptor is
  // copied into the child), and once it is sent this process closes its own
  // copy, so the handler alone holds the connection. fork() returns before the
  // child has loaded; Node keeps the message until the child is listening.
  const handler = fork(HANDLER);
  handler.send("connection", socket);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`server: listening on 127.0.0.1 port ${port}`);
});

// On SIGTERM the server stops accepting; it ends once its last handler has ended.
process.on("SIGTERM", () => server.close());
