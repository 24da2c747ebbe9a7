// Private helper of kata 10's tests: the running server, its handlers as the
// kernel shows them, and echo exchanges that fail with a lesson.
import { setTimeout as sleep } from "node:timers/promises";
import {
  canSeeSockets,
  currentParent,
  describeEnd,
  fail,
  type HeldSocket,
  type KataProgram,
  type ProcessRecord,
  readableStderr,
  type RunningProgram,
  socketsHeld,
  stderrTail,
} from "../../../harness/mod.ts";
import { ask, type Client } from "./client.ts";
import { watchQuiet } from "./quiet.ts";

/** How long the server may take to print its ready line (a loaded machine is slow to start tsx). */
const READY_MS = 60_000;
/**
 * The longest a reply may take, whatever the kernel shows: the first one waits
 * for a handler process to start, which a loaded machine makes slow. A handler
 * that will not answer is found sooner (see QUIET_MS).
 */
export const REPLY_MS = 120_000;
/** How long the handler holding a connection may sit quiet (asleep, no CPU) with a message unanswered. */
export const QUIET_MS = 4000;
/**
 * How long the server itself may keep a connection with no handler starting to
 * take it. A right server forks one within milliseconds; one that waits for an
 * earlier handler keeps the connection until that client leaves.
 */
export const HANDOFF_MS = 8000;
/** How long after a full reply extra bytes are looked for (a newline added, a greeting). */
const EXTRA_BYTES_MS = 50;

/** The server while it runs. */
export interface Server {
  running: RunningProgram;
  port: number;
}

/** Starts main.ts and waits for its ready line; a failed check if it never comes. */
export async function startServer(program: KataProgram): Promise<Server> {
  const running = program.start("main.ts");
  try {
    const line = await running.waitForLine(/^server: listening on 127\.0\.0\.1 port \d+$/, { timeoutMs: READY_MS });
    return { running, port: Number(/port (\d+)$/.exec(line.text)![1]) };
  } catch {
    running.kill("SIGKILL");
    const r = await running.result;
    const tail = stderrTail(r);
    return fail(
      `main.ts ${describeEnd(r)} without printing its ready line "server: listening on 127.0.0.1 port <port>".` +
        (tail ? ` The end of its stderr:\n${tail}` : ""),
    );
  }
}

/** Whether a record is a live process running handler.ts whose parent is the server. */
export function isHandler(s: Server, p: ProcessRecord): boolean {
  return currentParent(p) === s.running.pid && p.argv.some((a) => a.endsWith("handler.ts"));
}

/** Processes of the run alive right now, after a fresh sample. */
export function liveProcesses(s: Server): ProcessRecord[] {
  s.running.tree.sample();
  return s.running.tree.alive();
}

/** "pid 123 (handler.ts)", for messages. */
export function describe(s: Server, p: ProcessRecord): string {
  if (p.pid === s.running.pid) return `the server itself (pid ${p.pid})`;
  const file = p.argv.at(-1)?.split("/").pop() ?? "?";
  return `pid ${p.pid} (${file}, child of ${currentParent(p)})`;
}

/**
 * The handler process serving `client`: the child of the server that holds the
 * server's end of its connection (from /proc); undefined where the kernel does
 * not show sockets (the caller then skips what needs it).
 */
export function handlerOf(s: Server, client: Client): ProcessRecord | undefined {
  if (client.closed) {
    fail(`${capital(client.name)}'s connection was closed from the server's side after ${client.replies} ` +
      "reply(ies), while the client was still there.", { hint: MANY_MESSAGES });
  }
  if (!canSeeSockets()) return undefined;
  const live = liveProcesses(s);
  const holderPids = holdersOf(s.port, client.port, live.map((p) => p.pid));
  const holders = live.filter((p) => holderPids.includes(p.pid));
  const handler = holders.find((p) => isHandler(s, p));
  if (handler) return handler;
  const who = holders.length === 0 ? "no process of the run" : holders.map((p) => describe(s, p)).join(" and ");
  return fail(
    `Expected ${client.name}'s connection to be held by a child of the server running handler.ts, ` +
      `but the kernel shows it held by ${who}.`,
    {
      hint: holders.some((p) => p.pid === s.running.pid)
        ? "The server served the client itself. Fork a handler for the connection and pass the socket on: " +
          "child.send(message, socket) moves it into the child."
        : "Fork handler.ts from the server for each connection, and pass the socket to it.",
    },
  );
}

/** `text` as Python's bytes.upper() gives it back: ASCII letters in upper case, every other byte as it was. */
export function pythonUpper(text: string): string {
  return Buffer.from(Buffer.from(text).map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b))).toString();
}

/** Sends `text` and expects it back shouted, and nothing more; a failed check that names the cause. */
export async function expectEcho(s: Server, client: Client, text: string): Promise<void> {
  const askedAt = performance.now();
  const quiet = new Map<number, () => number>();
  // No reply will come when the server keeps the connection with no handler on
  // its way, or when the handler that holds it sits quiet with the message unread.
  const giveUp = () => {
    if (performance.now() - askedAt > HANDOFF_MS && stuckInServer(s, client)) return true;
    const holder = handlerHolding(s, client);
    if (!holder) return false;
    if (!quiet.has(holder.pid)) quiet.set(holder.pid, watchQuiet(holder.pid));
    return quiet.get(holder.pid)!() > QUIET_MS;
  };
  const answer = await ask(client, text, REPLY_MS, giveUp);
  const waited = performance.now() - askedAt;
  const expected = pythonUpper(text);
  if (answer.kind === "closed") failClosed(s, client, text, answer.text);
  if (answer.kind === "timeout") failNoReply(s, client, text, answer.text, waited);
  if (answer.text !== expected) {
    fail(`${capital(client.name)} sent "${text}" and expected "${expected}" back, but got "${answer.text}".`, {
      hint: answer.text === text.toUpperCase()
        ? "Python's bytes.upper() changes ASCII letters only, byte by byte; every other byte goes back as it " +
          "came. toUpperCase() on a string changes other letters too: send back shout(chunk)."
        : "Send back each chunk as it came, shouted: no greeting, no newline added.",
    });
  }
  await sleep(EXTRA_BYTES_MS);
  if (client.pending.length > 0) {
    fail(`${capital(client.name)} sent "${text}" and got "${expected}" back, then "${client.pending}" as well.`, {
      hint: "The reply is the message itself, shouted, and nothing more: the seed's client reads it with " +
        "one recv() and would show the extra bytes with its next answer.",
    });
  }
  client.replies++;
}

const MANY_MESSAGES = "A client may send many messages on one connection: keep echoing every chunk until the " +
  "client leaves, and let the socket close only then, from the client's side.";

function failClosed(s: Server, client: Client, text: string, partial: string): never {
  const got = partial ? ` after only "${partial}"` : "";
  const closed = `${capital(client.name)} sent "${text}", and the connection was closed with no reply${got}.`;
  if (client.replies > 0) {
    fail(`${closed} The same connection had answered ${client.replies} message(s) before.`, { hint: MANY_MESSAGES });
  }
  const tail = stderrOf(s);
  fail(closed + (tail ? ` The server's stderr (its handlers' too) ends with:\n${tail}` : ""), {
    hint: "Each connection goes to a new handler: fork(HANDLER), then child.send(message, socket). A socket " +
      "the server destroys, or a handler that crashes, closes the connection unanswered.",
  });
}

/**
 * Which of `pids` hold the server's end of the connection from client port
 * `clientPort` to server port `serverPort`, as the kernel shows it.
 */
function holdersOf(serverPort: number, clientPort: number, pids: number[]): number[] {
  const held = socketsHeld(pids);
  return pids.filter((pid) =>
    held?.get(pid)?.some((k) => k.protocol === "tcp" && k.localPort === serverPort && k.remotePort === clientPort)
  );
}

/** The handler (a child of the server running handler.ts) that holds the client's connection now, if any. */
function handlerHolding(s: Server, client: Client): ProcessRecord | undefined {
  if (!canSeeSockets()) return undefined;
  const live = liveProcesses(s);
  const holders = holdersOf(s.port, client.port, live.map((p) => p.pid));
  return live.find((p) => holders.includes(p.pid) && isHandler(s, p));
}

/**
 * Whether the server keeps the client's connection with no handler on its way
 * to take it: the server alone holds it, and every live handler already holds
 * a connection of its own (none is still starting). A server that waits for an
 * earlier handler looks so; a right one on a slow machine has a handler starting.
 */
function stuckInServer(s: Server, client: Client): boolean {
  if (!canSeeSockets()) return false;
  const live = liveProcesses(s);
  const held = socketsHeld(live.map((p) => p.pid));
  const holds = (pid: number, clientPort?: number) =>
    held?.get(pid)?.some((k) => k.protocol === "tcp" && k.localPort === s.port && k.remotePort !== 0 &&
      (clientPort === undefined || k.remotePort === clientPort)) ?? false;
  const holders = live.filter((p) => holds(p.pid, client.port));
  const starting = live.filter((p) => isHandler(s, p) && !holds(p.pid));
  return holders.length === 1 && holders[0].pid === s.running.pid && starting.length === 0;
}

/** The client connections the server process itself holds now (its listening socket aside). */
export function connectionsOfServer(s: Server): HeldSocket[] {
  const held = socketsHeld([s.running.pid])?.get(s.running.pid) ?? [];
  return held.filter((k) => k.protocol === "tcp" && k.localPort === s.port && k.remotePort !== 0);
}

function failNoReply(s: Server, client: Client, text: string, partial: string, waitedMs: number): never {
  const live = liveProcesses(s);
  // One read of the kernel's socket tables for all of them (none where /proc cannot show sockets).
  const holderPids = holdersOf(s.port, client.port, live.map((p) => p.pid));
  const holders = live.filter((p) => holderPids.includes(p.pid));
  const byHandler = holders.find((p) => isHandler(s, p));
  const seen = `${capital(client.name)} sent "${text}" and got ${partial ? `only "${partial}"` : "no reply"} ` +
    `in ${(waitedMs / 1000).toFixed(1)} s.`;
  if (byHandler) {
    fail(`${seen} Its connection is held by ${describe(s, byHandler)}, which sat idle without answering` +
      (client.replies > 0 ? `, though it had answered ${client.replies} message(s) before.` : "."), {
      hint: client.replies > 0
        ? "A client may send many messages on one connection: write back every chunk of \"data\", for as " +
          "long as the client stays, not only the first."
        : "In handler.ts, take the socket from the server's message and write back every chunk of " +
          "\"data\", shouted.",
    });
  }
  const where = holders.length > 0 ? ` Its connection is held by ${holders.map((p) => describe(s, p)).join(" and ")}.` : "";
  const handlers = live.filter((p) => isHandler(s, p)).length;
  fail(`${seen}${where} The server had ${handlers} live handler process(es) at that moment.`, {
    hint: "Is the server waiting for an earlier handler to end before it hands on the next connection? " +
      "Start a handler for each connection as soon as it arrives, and let them run side by side.",
  });
}

/** The last readable lines of the server's stderr, which its handlers share. */
function stderrOf(s: Server): string {
  const text = s.running.lines.filter((l) => l.stream === "stderr").map((l) => l.text).join("\n");
  return readableStderr(text).slice(-8).map((l) => `  ${l}`).join("\n");
}

/** The text with its first letter in upper case, to open a sentence with a client's name. */
export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
