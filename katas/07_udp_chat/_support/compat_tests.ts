// Tests of kata 07, registered by main_test.ts: the wire stays the classic one.
// A Python client written the classic way chats through the server, and the
// client chats through a Python server written the classic way (both are
// fixtures in this folder, run on loopback only).
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { fail, hasPython, type KataProgram, type KataSuite, startPython } from "../../../harness/mod.ts";
import { openPeer, type Peer } from "./peer.ts";
import {
  DELIVERY_MS, expectLine, GRACE_MS, type Proc, SESSION_DEADLINE_MS, START_MS, startProc, typeLine,
} from "./procs.ts";
import { OK } from "../protocol.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** A Python fixture of this folder, run so that the harness observes and cleans it up. */
function startClassic(label: string, script: string, args: string[]): Proc {
  const run = startPython(join(HERE, script), args, {
    interactive: true, deadlineMs: SESSION_DEADLINE_MS, graceMs: GRACE_MS,
  });
  const proc: Proc = { label, run, done: run.result };
  run.result.then((r) => (proc.result = r));
  return proc;
}

async function peerIn(name: string, port: number): Promise<Peer> {
  const peer = await openPeer(name, port);
  peer.send(`L ${name}`);
  if (!(await peer.waitFor((d) => d.text === OK, DELIVERY_MS))) fail(`The test socket could not log in as ${name}.`);
  return peer;
}

async function heard(peer: Peer, text: string, hint: string): Promise<void> {
  if (await peer.waitFor((d) => d.text === text, DELIVERY_MS)) return;
  fail(`Expected the test socket ${peer.label} to get "${text}", but it got ` +
    `${JSON.stringify(peer.got.map((d) => d.text))}.`, { hint });
}

/** One round of chat through a server: dave to the client, the client to dave, the admin to all. */
interface Round {
  daveSays: string;
  clientGets: string;
  relayHint: string;
  clientTypes: string;
  daveGets: string;
  sendHint: string;
  adminTypes: string;
  clientGetsAdmin: string;
  adminHint: string;
}

async function chatRound(server: Proc, client: Proc, dave: Peer, round: Round): Promise<void> {
  dave.send(`C dave ${round.daveSays}`);
  await expectLine(client, round.clientGets, DELIVERY_MS, round.relayHint);
  typeLine(client, round.clientTypes);
  await heard(dave, round.daveGets, round.sendHint);
  typeLine(server, round.adminTypes);
  await expectLine(client, round.clientGetsAdmin, DELIVERY_MS, round.adminHint);
}

/** Adds the tests against the Python fixtures to the suite. */
export function compatTests(test: KataSuite["test"], program: KataProgram): void {
  const ready = /listening on \S+:(\d+)\s*$/;
  const portOf = (line: string) => Number(ready.exec(line)![1]);

  test("a Python client written the classic way chats through the server", async () => {
    if (!hasPython()) return console.log("    (python3 is not installed: skipped)");
    const server = startProc(program, "the server", "server.ts", ["127.0.0.1", "0"]);
    let client: Proc | undefined;
    let dave: Peer | undefined;
    try {
      const port = portOf((await expectLine(server, ready, START_MS, "The server prints its ready line.")).text);
      dave = await peerIn("dave", port);
      client = startClassic("the classic Python client", "classic_client.py", ["127.0.0.1", String(port)]);
      typeLine(client, "py");
      await expectLine(client, "classic client: in as py", START_MS, 'Answer "L py" with exactly OK.');
      await heard(dave, "* py joined the chat", "Announce the newcomer to those already in.");
      await chatRound(server, client, dave, {
        daveSays: "hello python", clientGets: "dave says: hello python", relayHint: "Relay to every other user.",
        clientTypes: "hello node", daveGets: "py says: hello node",
        sendHint: "The classic client's child sends from the same address as its parent.",
        adminTypes: "the admin speaks", clientGetsAdmin: "admin says: the admin speaks",
        adminHint: "The admin's words reach every user.",
      });
      typeLine(client, "quit");
      await expectLine(client, "classic client: out", DELIVERY_MS,
        'The classic client ends on a datagram that is exactly "EXIT".');
    } finally {
      dave?.close();
      client?.run.kill("SIGTERM");
      server.run.kill("SIGTERM");
      await Promise.all([server.done, client?.done]);
    }
  });

  test("the client chats through a Python server written the classic way", async () => {
    if (!hasPython()) return console.log("    (python3 is not installed: skipped)");
    const server = startClassic("the classic Python server", "classic_server.py", ["127.0.0.1", "0"]);
    let client: Proc | undefined;
    let dave: Peer | undefined;
    try {
      const port = portOf((await expectLine(server, ready, START_MS, "(the fixture did not start)")).text);
      dave = await peerIn("dave", port);
      client = startProc(program, "alice's client", "client.ts", ["127.0.0.1", String(port)]);
      typeLine(client, "dave");
      await expectLine(client, "that name is in use", START_MS, "Print any answer to a login but OK, and ask again.");
      typeLine(client, "alice");
      await expectLine(client, /^client: you are in the room as alice /, DELIVERY_MS, "OK, exactly, means you are in.");
      await heard(dave, "\nwelcome, alice", "(the fixture announces newcomers)");
      await chatRound(server, client, dave, {
        daveSays: "hi alice", clientGets: "dave: hi alice", relayHint: "Print whatever the server sends.",
        clientTypes: "hi dave", daveGets: "\nalice: hi dave", sendHint: 'The sender turns a typed line into "C alice <line>".',
        adminTypes: "admin here", clientGetsAdmin: "admin: admin here", adminHint: "Print whatever the server sends.",
      });
      typeLine(client, "quit");
      const r = await Promise.race([client.done, sleep(DELIVERY_MS, undefined, { ref: false })]);
      if (!r) fail(`Expected alice's client to end on the classic server's "EXIT", but it was still running.`);
    } finally {
      dave?.close();
      client?.run.kill("SIGKILL");
      server.run.kill("SIGTERM");
      await Promise.all([server.done, client?.done]);
    }
  });
}
