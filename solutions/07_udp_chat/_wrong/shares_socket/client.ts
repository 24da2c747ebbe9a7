// Wrong on purpose: a literal copy of the Python client's fork. The client hands
// its socket to the sender over IPC and both keep it; in Node both then read
// from it, and the datagrams the sender happens to read are lost.
import { type ChildProcess, fork } from "node:child_process";
import { createSocket } from "node:dgram";
import { EXIT, OK } from "./protocol.ts";

const SENDER = new URL("./sender.ts", import.meta.url).pathname;
const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const QUIT_WAIT_UNITS = 5;
const host = process.argv[2] ?? "127.0.0.1";
const port = Number(process.argv[3] ?? 8888);

const socket = createSocket("udp4");
let sender: ChildProcess | undefined;
let name: string | undefined;
let asked: string | undefined;
let ended = false;

function end(why: string): void {
  if (ended) return;
  ended = true;
  console.log(`client: ${why}`);
  socket.close();
  if (sender?.connected) sender.disconnect();
}

socket.bind(0, "127.0.0.1", () => {
  sender = fork(SENDER, [host, String(port)]);
  sender.send("socket", socket);
  sender.on("message", (login: string) => (asked = login));
  sender.on("exit", () => {
    if (name === undefined) return end("no name, no chat: bye");
    setTimeout(() => end("the server never said EXIT; leaving anyway"), QUIT_WAIT_UNITS * UNIT_MS).unref();
  });
});

socket.on("message", (data) => {
  const text = data.toString("utf8");
  if (name === undefined && asked !== undefined) {
    const ok = text === OK;
    if (ok) {
      name = asked;
      console.log(`client: you are in the room as ${name} (receiver pid ${process.pid}, sender pid ${sender?.pid})`);
    } else console.log(text);
    sender?.send({ in: ok });
    return;
  }
  if (text === EXIT) return end("you left the room");
  console.log(text);
});
