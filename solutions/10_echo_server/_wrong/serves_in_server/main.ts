// Wrong on purpose: the server answers every client itself, in its own process,
// instead of handing each connection to a handler process. It echoes well, and
// the event loop even serves clients side by side, but no client has a process
// of its own.
import { type AddressInfo, createServer } from "node:net";

const server = createServer({ pauseOnConnect: true }, (socket) => {
  socket.on("data", (chunk: Buffer) => socket.write(chunk.toString("latin1").toUpperCase(), "latin1"));
  socket.on("error", () => socket.destroy());
  socket.resume();
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`server: listening on 127.0.0.1 port ${port}`);
});

process.on("SIGTERM", () => server.close());
