// Self-tests of the socket reader: what the kernel shows a process holding.
import { once } from "node:events";
import { connect, createServer, type AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { start } from "./run.ts";
import { canSeeSockets, socketsHeld } from "./sockets.ts";

const fixture = (name: string) => new URL(`./fixtures/${name}.ts`, import.meta.url).pathname;

test("the sockets a child process holds are read from the kernel, and only its own", async () => {
  if (!canSeeSockets()) return;
  const running = start(fixture("hold_sockets"), { deadlineMs: 20_000 });
  try {
    const line = await running.waitForLine(/^udp \d+ tcp \d+$/, { timeoutMs: 15_000 });
    const [, udpPort, , tcpPort] = line.text.split(" ").map(Number);
    const held = socketsHeld([running.pid, process.pid])!;
    const child = held.get(running.pid)!;
    assert.ok(child.some((s) => s.protocol === "udp" && s.localPort === udpPort && s.remotePort === 0), "its UDP socket");
    assert.ok(child.some((s) => s.protocol === "tcp" && s.localPort === tcpPort && s.remotePort === 0), "its listener");
    assert.not.ok(held.get(process.pid)!.some((s) => s.localPort === udpPort || s.localPort === tcpPort),
      "the test process holds neither");
  } finally {
    running.kill("SIGKILL");
    await running.result;
  }
});

test("both ends of a connection are told apart by their ports, and a gone process holds nothing", async () => {
  if (!canSeeSockets()) return;
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const serverPort = (server.address() as AddressInfo).port;
  const client = connect(serverPort, "127.0.0.1");
  const [accepted] = await once(server, "connection");
  const clientPort = client.localPort!;
  try {
    const mine = socketsHeld([process.pid])!.get(process.pid)!.filter((s) => s.protocol === "tcp");
    assert.ok(mine.some((s) => s.localPort === serverPort && s.remotePort === clientPort), "the server's end");
    assert.ok(mine.some((s) => s.localPort === clientPort && s.remotePort === serverPort), "the client's end");
    // Pid 2^22 + 1 is above Linux's largest pid: no such process.
    assert.equal(socketsHeld([4_194_305])!.get(4_194_305), []);
  } finally {
    client.destroy();
    accepted.destroy();
    server.close();
  }
});

test.run();
