// Wrong on purpose (with client.ts): the sender sends on the client's own
// socket, handed over IPC, as the Python client's forked child does.
import type { Socket } from "node:dgram";
import { once } from "node:events";
import { createInterface } from "node:readline";

process.on("disconnect", () => process.exit(0));
const host = process.argv[2];
const port = Number(process.argv[3]);
const [, socket] = (await once(process, "message")) as [string, Socket];
const send = (request: string) => socket.send(request, port, host);

async function logIn(name: string): Promise<boolean> {
  process.send?.(name);
  send(`L ${name}`);
  const [answer] = await once(process, "message");
  return (answer as { in: boolean }).in;
}

let name: string | undefined;
for await (const line of createInterface({ input: process.stdin })) {
  if (name === undefined) {
    if (await logIn(line)) name = line;
  } else if (line.trim() === "quit") {
    break;
  } else {
    send(`C ${name} ${line}`);
  }
}
if (name !== undefined) send(`Q ${name}`);
socket.close();
process.disconnect?.();
