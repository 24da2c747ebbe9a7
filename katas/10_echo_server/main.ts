// Kata 10: an echo server with a process per client.
//
// The server accepts TCP connections on 127.0.0.1 and hands each one to a new
// child process running handler.ts, which serves that client and no other:
// it sends back whatever the client sends, in upper case, until the client
// leaves. The server itself never reads from a connection.
// Done when: `npm run kata -- run 10` passes. Run it by hand with
//   node --import tsx katas/10_echo_server/main.ts
// and talk to it from another terminal with
//   python3 katas/10_echo_server/_support/client.py <port> hello world
import { fork } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";

const HANDLER = new URL("./handler.ts", import.meta.url).pathname;

// pauseOnConnect: this process reads nothing from a new connection, so every
// byte the client sends stays in the socket for the handler it is passed to.
const server = createServer({ pauseOnConnect: true }, (socket) => {
  // TODO: fork HANDLER and pass it this connection: child.send(message, socket)
  // sends the socket itself along with the message. Until then, every client is
  // turned away unanswered.
  socket.destroy();
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`server: listening on 127.0.0.1 port ${port}`);
});

// On SIGTERM the server stops accepting; it ends once its last handler has ended.
process.on("SIGTERM", () => server.close());
