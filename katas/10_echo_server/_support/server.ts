// Private helper of kata 10's tests: the running server, its handlers as the
// kernel shows them, and echo exchanges that fail with a lesson.
import { setTimeout as sleep } from "node:timers/promises";
import {
  canSeeSockets,
  currentParent,
  describeEnd,
  fail,
  type KataProgram,
  type ProcessRecord,
  readableStderr,
  type RunningProgram,
  socketsHeld,
  stderrTail,
} from "../../../harness/mod.ts";
import { ask, type Client } from "./client.ts";

/** How long the server may take to print its ready line (a loaded machine is slow to start tsx). */
const READY_MS = 15_000;
/** How long a reply may take: the first one waits for a handler process to start. */
export const REPLY_MS = 20_000;
/**
 * How long the server itself may keep a connection it has not answered. A right
 * server passes it on within milliseconds; one that waits for an earlier
 * handler keeps it until that client leaves.
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
 * server's end of its connection (from /proc). Where sockets cannot be seen,
 * the one handler that appeared since `before` was taken.
 */
export function handlerOf(s: Server, client: Client, before: Set<number>): ProcessRecord {
  const live = liveProcesses(s);
  if (!canSeeSockets()) {
    const fresh = live.filter((p) => isHandler(s, p) && !before.has(p.pid));
    if (fresh.length === 1) return fresh[0];
    return fail(`Expected one new handler process for ${client.name}, but the server has ${fresh.length} new ` +
      `children running handler.ts.`, { hint: "Fork one handler for each connection the server accepts." });
  }
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

/** Sends `text` and expects it back shouted, and nothing more; a failed check that names the cause. */
export async function expectEcho(s: Server, client: Client, text: string): Promise<void> {
  const askedAt = performance.now();
  const stuck = () => performance.now() - askedAt > HANDOFF_MS && heldByServer(s, client);
  const answer = await ask(client, text, REPLY_MS, stuck);
  const waited = performance.now() - askedAt;
  const expected = text.toUpperCase();
  if (answer.kind === "closed") {
    const got = answer.text ? ` after only "${answer.text}"` : "";
    const tail = stderrOf(s);
    fail(
      `${capital(client.name)} sent "${text}", and the connection was closed with no reply${got}.` +
        (tail ? ` The server's stderr (its handlers' too) ends with:\n${tail}` : ""),
      {
        hint: "Each connection goes to a new handler: fork(HANDLER), then child.send(message, socket). A socket " +
          "the server destroys, or a handler that crashes, closes the connection unanswered.",
      },
    );
  }
  if (answer.kind === "timeout") failNoReply(s, client, text, answer.text, waited);
  if (answer.text !== expected) {
    fail(`${capital(client.name)} sent "${text}" and expected "${expected}" back, but got "${answer.text}".`, {
      hint: "Send back each chunk as it came, shouted: no greeting, no newline added.",
    });
  }
  await sleep(EXTRA_BYTES_MS);
  if (client.pending.length > 0) {
    fail(`${capital(client.name)} sent "${text}" and got "${expected}" back, then "${client.pending}" as well.`, {
      hint: "The reply is the message itself, shouted, and nothing more: the seed's client reads it with " +
        "one recv() and would show the extra bytes with its next answer.",
    });
  }
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

/** Whether the server process itself holds the server's end of the client's connection. */
function heldByServer(s: Server, client: Client): boolean {
  return canSeeSockets() && holdersOf(s.port, client.port, [s.running.pid]).length > 0;
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
    fail(`${seen} Its connection is held by ${describe(s, byHandler)}, which did not answer.`, {
      hint: "In handler.ts, take the socket from the server's message and write back every chunk of " +
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
