// One chat session from start to end: the server, three client programs (alice,
// bob, carol) and a raw test socket (dave), driven step by step. The session
// records what happened; the tests judge the record.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { fail, type KataProgram, type ProcessRecord, socketsHeld } from "../../../harness/mod.ts";
import { type Datagram, openPeer, type Peer } from "./peer.ts";
import { DELIVERY_MS, expectLine, type Proc, START_MS, startProc, typeLine } from "./procs.ts";
import { joinedNotice, leftNotice, OK, saysNotice } from "../protocol.ts";

export const CLIENTS = ["alice", "bob", "carol"];
export const ALICE_SAYS = "hello from alice";
export const DAVE_SAYS = "hi from dave";
export const ADMIN_SAYS = "hello from the admin";
export const FROZEN_LINE = "typed while my sender was stopped";
const PING = "ping while bob's sender is stopped";
/** How long a typed line must wait while the sender is stopped: a sending receiver takes a few ms. */
const FROZEN_HOLD_MS = 800;

/** What the session saw. Times are ms on the server's run clock. */
export interface Session {
  server: Proc;
  clients: Map<string, Proc>;
  dave?: Peer;
  /** Steps done, by name: ready, login, chat, admin, frozen, quit, end. */
  reached: Set<string>;
  /** The lesson of the step that stopped the session early. */
  stopped?: string;
  /** Client name to the UDP ports each of its processes held while everyone was in. */
  holders: Map<string, Map<number, number[]> | undefined>;
  /** When the admin's line reached the last user. */
  adminHeardAt?: number;
  frozen?: { problem?: string; receiverPrinted: boolean; leaked: string[]; sentAfter: boolean };
  /** The first datagram dave got after sending `Q dave`. */
  daveQuitReply?: Datagram;
  /** How many datagrams dave had got when he quit. */
  daveGotBeforeQuit: number;
  /** Whether a test has already reported why the session stopped. */
  told?: boolean;
}

/** The local ports of the UDP sockets each of `pids` holds (from the kernel), or undefined without /proc. */
function udpPortsHeld(pids: number[]): Map<number, number[]> | undefined {
  const held = socketsHeld(pids);
  if (!held) return undefined;
  return new Map([...held].map(([pid, sockets]) => [pid, sockets.filter((k) => k.protocol === "udp").map((k) => k.localPort)]));
}

/** The child of a client running sender.ts, as the kernel showed it. */
export function senderOf(client: Proc): ProcessRecord | undefined {
  return client.run.tree.records().find((p) =>
    p.ppid === client.run.pid && p.argv.some((a) => a.endsWith("sender.ts"))
  );
}

/** The lesson, if more than one process of a client holds a UDP socket right now. */
export function sharedSocketNote(client: Proc): string {
  const held = udpPortsHeld(client.run.tree.alive().map((r) => r.pid));
  const holders = [...held ?? []].filter(([, ports]) => ports.length > 0).map(([pid]) => pid);
  if (holders.length < 2) return "";
  return `\n  Note: ${holders.length} processes of ${client.label} hold a UDP socket (pids ${holders.join(", ")}). ` +
    "In Node every process that holds a UDP socket reads from it: the datagrams are shared out " +
    "between them, and those read by a process with no use for them are lost.";
}

async function logIn(client: Proc, name: string): Promise<void> {
  typeLine(client, name);
  await expectLine(client, `client: you are in the room as ${name} `, START_MS,
    `The client sends "L ${name}" and, when the server answers OK, prints ` +
      `"client: you are in the room as ${name} (receiver pid <pid>, sender pid <pid>)".`, sharedSocketNote);
}

async function hear(listeners: Proc[], dave: Peer | undefined, text: string, hint: string): Promise<void> {
  await Promise.all(listeners.map((p) => expectLine(p, text, DELIVERY_MS, hint, sharedSocketNote)));
  if (dave && !(await dave.waitFor((d) => d.text === text, DELIVERY_MS))) {
    fail(`Expected the test socket "dave" to get "${text}", but it did not within ${DELIVERY_MS / 1000} s.`, { hint });
  }
}

async function stopped(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      if (/\) T /.test(readFileSync(`/proc/${pid}/stat`, "utf8"))) return true;
    } catch {
      return false;
    }
    await sleep(10);
  }
  return false;
}

/** Stops bob's sender: his receiver must still print, and his typed line must wait for the sender. */
async function freezeSender(bob: Proc, others: Proc[], dave: Peer): Promise<Session["frozen"]> {
  const sender = senderOf(bob);
  const result = { receiverPrinted: false, leaked: [] as string[], sentAfter: false };
  if (!sender) return { ...result, problem: "bob's client has no child process running sender.ts" };
  const line = saysNotice("bob", FROZEN_LINE);
  process.kill(sender.pid, "SIGSTOP");
  try {
    await stopped(sender.pid);
    typeLine(bob, FROZEN_LINE);
    dave.send(`C dave ${PING}`);
    result.receiverPrinted = await bob.run.waitForLine(saysNotice("dave", PING), { timeoutMs: DELIVERY_MS })
      .then(() => true, () => false);
    await sleep(FROZEN_HOLD_MS);
    for (const p of others) if (p.run.lines.some((l) => l.text === line)) result.leaked.push(p.label);
    if (dave.count(line) > 0) result.leaked.push("the test socket dave");
  } finally {
    process.kill(sender.pid, "SIGCONT");
  }
  result.sentAfter = (await dave.waitFor((d) => d.text === line, DELIVERY_MS)) !== undefined;
  return result;
}

async function ends(client: Proc, name: string): Promise<void> {
  await Promise.race([client.done, sleep(DELIVERY_MS, undefined, { ref: false })]);
  if (!client.result) {
    fail(`Expected ${name}'s client to end after "quit", but it was still running ${DELIVERY_MS / 1000} s later.`, {
      hint: "The receiver ends when the server answers EXIT: close the socket and let the sender go.",
    });
  }
}

async function script(program: KataProgram, s: Session): Promise<void> {
  const ready = await expectLine(s.server, /listening on \S+:\d+\s*$/, START_MS,
    'Once its socket is bound and the admin console runs, the server prints "server: listening on <host>:<port>".');
  const port = Number(/:(\d+)\s*$/.exec(ready.text)![1]);
  s.reached.add("ready");
  for (const name of CLIENTS) {
    s.clients.set(name, startProc(program, `${name}'s client`, "client.ts", ["127.0.0.1", String(port)]));
  }
  const dave = s.dave = await openPeer("dave", port);
  const [alice, bob, carol] = CLIENTS.map((n) => s.clients.get(n)!);
  const notice = "The server tells every user already in the room when someone enters or leaves.";

  await logIn(alice, "alice");
  await logIn(bob, "bob");
  await expectLine(alice, joinedNotice("bob"), DELIVERY_MS, notice, sharedSocketNote);
  typeLine(carol, "alice");
  await expectLine(carol, /^refused: .*taken/, START_MS, 'A taken name gets "refused: the name alice is taken".',
    sharedSocketNote);
  typeLine(carol, "admin");
  await expectLine(carol, /^refused: .*reserved/, DELIVERY_MS, "The admin's name is reserved: refuse it.",
    sharedSocketNote);
  await logIn(carol, "carol");
  await hear([alice, bob], undefined, joinedNotice("carol"), notice);
  dave.send("L dave");
  if (!(await dave.waitFor((d) => d.text === OK, DELIVERY_MS))) fail('The server did not answer "L dave" with OK.');
  await hear([alice, bob, carol], undefined, joinedNotice("dave"), notice);
  s.reached.add("login");
  for (const [name, p] of s.clients) s.holders.set(name, udpPortsHeld(p.run.tree.alive().map((r) => r.pid)));

  const relay = "The server relays `C <name> <text>` as `<name> says: <text>` to every other user.";
  typeLine(alice, ALICE_SAYS);
  await hear([bob, carol], dave, saysNotice("alice", ALICE_SAYS), relay);
  dave.send(`C dave ${DAVE_SAYS}`);
  await hear([alice, bob, carol], undefined, saysNotice("dave", DAVE_SAYS), relay);
  s.reached.add("chat");

  typeLine(s.server, ADMIN_SAYS);
  await hear([alice, bob, carol], dave, saysNotice("admin", ADMIN_SAYS),
    'The admin console reads the server\'s stdin and sends "C admin <line>" to the server\'s socket.');
  s.adminHeardAt = s.server.run.now();
  s.reached.add("admin");

  s.frozen = await freezeSender(bob, [alice, carol], dave);
  s.reached.add("frozen");

  s.daveGotBeforeQuit = dave.got.length;
  dave.send("Q dave");
  s.daveQuitReply = await dave.waitFor(() => true, DELIVERY_MS, s.daveGotBeforeQuit);
  await hear([alice, bob, carol], undefined, leftNotice("dave"), notice);
  typeLine(bob, "quit");
  await ends(bob, "bob");
  await hear([alice, carol], undefined, leftNotice("bob"), notice);
  typeLine(alice, "quit");
  typeLine(carol, "quit");
  await ends(alice, "alice");
  await ends(carol, "carol");
  s.reached.add("quit");

  s.server.run.kill("SIGKILL");
  await s.server.done;
  s.reached.add("end");
}

/** Runs the whole session; a step that fails stops it, and everything is cleaned up. */
export async function runSession(program: KataProgram): Promise<Session> {
  const s: Session = {
    server: startProc(program, "the server", "server.ts", ["127.0.0.1", "0"]),
    clients: new Map(), reached: new Set(), holders: new Map(), daveGotBeforeQuit: 0,
  };
  try {
    await script(program, s);
  } catch (err) {
    // Undo the indentation a KataCheckError adds: fail() will add it again.
    s.stopped = err instanceof Error ? err.message.replaceAll("\n    ", "\n") : String(err);
  }
  s.dave?.close();
  for (const p of [...s.clients.values(), s.server]) if (!p.result) p.run.kill("SIGKILL");
  await Promise.all([...s.clients.values(), s.server].map((p) => p.done));
  return s;
}

/**
 * Fails unless the session got through `step`: the first test to find it
 * stopped tells why, the later ones only refer to it.
 */
export function need(s: Session, step: string): void {
  if (s.reached.has(step)) return;
  if (s.told) fail("Not checked: the chat session stopped early (see the first failure above).");
  s.told = true;
  fail(s.stopped ?? `The session never reached the step "${step}".`);
}
