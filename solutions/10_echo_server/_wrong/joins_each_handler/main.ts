// Wrong on purpose: the server waits for each handler to end before it hands
// the next connection to a new one, like calling join() right after start() in
// the accept loop. Each client has a process of its own, but one at a time: a
// client that stays connected holds up every client after it.
import { fork } from "node:child_process";
import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";

const HANDLER = new URL("./handler.ts", import.meta.url).pathname;

let previous: Promise<unknown> = Promise.resolve();

async function serve(socket: Socket): Promise<void> {
  const handler = fork(HANDLER);
  handler.send("connection", socket);
  await once(handler, "exit");
}

const server = createServer({ pauseOnConnect: true }, (socket) => {
  previous = previous.then(() => serve(socket));
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`server: listening on 127.0.0.1 port ${port}`);
});

process.on("SIGTERM", () => server.close());
