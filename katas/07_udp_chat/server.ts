// Kata 07: the chat server. Given complete: its rules, and the admin console it
// starts, are yours in rules.ts.
//
// One UDP socket (wire.ts) serves the chat protocol (protocol.ts) in this
// process and hands each request to login, chat or quit. Like the Python
// server, it starts an admin console (console.ts), a child that reads this
// program's stdin and sends each line to this socket as the admin's words.
// Run it by hand (host and port are optional; port 0 picks a free one):
//   node --import tsx katas/07_udp_chat/server.ts 127.0.0.1 8888
import { addressKey, type ChatServer, createRoom } from "./room.ts";
import { chat, login, quit, startConsole } from "./rules.ts";
import { openWire } from "./wire.ts";

const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);

const { socket, send } = openWire({
  login: (name, from) => login(server, name, from),
  chat: (name, text, from) => chat(server, name, text, from),
  quit: (name, from) => quit(server, name, from),
}, `${host}:${port}`);
const server: ChatServer = { room: createRoom(), send, adminKey: undefined };

socket.bind(port, host, () => {
  const bound = socket.address().port;
  // The console sends to this socket: through loopback when we listen everywhere.
  startConsole(host === "0.0.0.0" ? "127.0.0.1" : host, bound).then((from) => {
    server.adminKey = addressKey(from);
    // Ready only now: the port is bound and the admin's words can be told from forgeries.
    console.log(`server: listening on ${host}:${bound}`);
  }, (err: Error) => {
    console.error(`server: cannot start the admin console: ${err.message}`);
    process.exit(1);
  });
});
