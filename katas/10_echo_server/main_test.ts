// Tests of kata 10: one server run, talked to by TCP clients on loopback,
// judged on the replies and on which process the kernel shows holding each
// client's connection.
import {
  assertFinished,
  assertNothingLeft,
  canSeeSockets,
  fail,
  kataSuite,
  ms,
  once,
  type ProcessRecord,
} from "../../harness/mod.ts";
import { type Client, connectClient, dropAll, leave, reset } from "./_support/client.ts";
import {
  capital,
  connectionsOfServer,
  describe,
  expectEcho,
  handlerOf,
  isHandler,
  liveProcesses,
  QUIET_MS,
  type Server,
  startServer,
} from "./_support/server.ts";
import { watchQuiet } from "./_support/quiet.ts";
import { PYTHON_MESSAGES, type PythonOutcome, runPythonClient } from "./_support/python.ts";

// The deadline only stops a hung server: the tests end it themselves (SIGTERM) in the last one.
const { test, program } = kataSuite(import.meta.url, { deadlineMs: 170_000 });

const CONNECT_MS = 5000;
/** The longest a handler may take to end after its client left, however busy (a right one takes milliseconds). */
const HANDLER_END_MS = 60_000;
/** How long the server may take to exit after SIGTERM once its clients are gone. */
const STOP_MS = 8000;
const POLL_MS = 250;
/**
 * The longest the server may hold a connection after its handler has answered
 * on it, however busy. A right one closes its copy within milliseconds of the
 * handler's acknowledgement; one that keeps it open never does, and is found
 * as soon as it sits quiet (see QUIET_MS).
 */
const COPY_CLOSED_MS = 60_000;
/**
 * The four clients the tests share. They connect at once as soon as the server
 * is up, so that their handlers start together (a handler's start-up is not
 * what is tested), and each test goes on with them where the one before left
 * off: five handler start-ups in all, the Python client's included, not twelve.
 */
const CLIENTS = ["client 1", "client 2", "client 3", "client 4"];

/** The one server run, its clients, and the seed's Python client run beside them. */
interface Session {
  s: Server;
  clients: Map<string, Client>;
  python: Promise<PythonOutcome>;
}

const session = once(async (): Promise<Session> => {
  const s = await startServer(program);
  const python = runPythonClient(s.port, PYTHON_MESSAGES);
  const clients = await connectAll(s, CLIENTS);
  return { s, clients: new Map(clients.map((c) => [c.name, c])), python };
});

/** The session's clients called `names`. */
function clientsOf(x: Session, ...names: string[]): Client[] {
  return names.map((n) => x.clients.get(n)!);
}

/** Connects every named client; if one fails, drops the others and fails. */
async function connectAll(s: Server, names: string[]): Promise<Client[]> {
  const settled = await Promise.allSettled(names.map((n) => connectClient(n, s.port, CONNECT_MS)));
  const clients = settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) {
    dropAll(clients);
    fail(String(failed.reason instanceof Error ? failed.reason.message : failed.reason));
  }
  return clients;
}

/**
 * Waits until `handler` is gone (exited and reaped). It fails once the handler
 * has sat quiet (asleep, using no CPU) for QUIET_MS while still alive: nothing
 * is left that would end it. One that is busy ending, slow on a loaded
 * machine, gets until HANDLER_END_MS.
 */
async function expectGone(s: Server, handler: ProcessRecord, whose: string): Promise<void> {
  const leftAt = s.running.now();
  const quiet = watchQuiet(handler.pid);
  let quietFor = 0;
  while (handler.goneAt === undefined && quietFor <= QUIET_MS && s.running.now() - leftAt < HANDLER_END_MS) {
    await sleepPoll();
    s.running.tree.sample();
    if (handler.state !== "Z") quietFor = quiet();
  }
  if (handler.goneAt !== undefined) return;
  const waited = ms(s.running.now() - leftAt);
  if (handler.state === "Z") {
    fail(`The handler of ${whose} (pid ${handler.pid}) exited, but was still a zombie ${waited} later: the ` +
      "server never reaped it.", {
      hint: "Node reaps a child as soon as its event loop runs: is the server blocking its loop?",
    });
  }
  fail(`The handler of ${whose} (pid ${handler.pid}) was still running ${waited} after its client left, idle ` +
    "in its event loop.", {
    hint: "A forked child stays alive while it listens for messages: its IPC channel keeps it going. Take the " +
      "socket with process.once(\"message\", ...), or end the process when the socket closes.",
  });
}

function sleepPoll(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

test("four clients at once are each served by a handler process of their own", async () => {
  const x = await session();
  const { s } = x;
  const clients = clientsOf(x, ...CLIENTS);
  await Promise.all(clients.map((c) => expectEcho(s, c, `hello from ${c.name}`)));
  // All four stay connected: the kernel shows who holds each connection now.
  const handlers = clients.map((c) => handlerOf(s, c));
  for (let i = 0; i < handlers.length; i++) {
    const j = handlers.findIndex((h) => h !== undefined && h.pid === handlers[i]?.pid);
    if (j !== i && handlers[i]) {
      fail(`${capital(clients[j].name)} and ${clients[i].name} are both served by ${describe(s, handlers[i]!)}.`, {
        hint: "Each connection needs a process of its own: fork a new handler for every connection.",
      });
    }
  }
});

test("the server keeps no copy of a connection once its handler has it", async () => {
  const x = await session();
  const { s } = x;
  const [c] = clientsOf(x, "client 1");
  if (!canSeeSockets()) {
    console.log("  (this system does not show its sockets in /proc: not checked)");
    return;
  }
  // Client 1 was answered by its handler: the server has no reason left to hold its connection.
  // Only connections whose handler has answered count: others may still be on their way.
  // A server that sits quiet (asleep, no CPU, its handlers too) still holding it will never let it go.
  const kept = () => connectionsOfServer(s).some((k) => k.remotePort === c.port);
  const quiet = watchQuiet(s.running.pid);
  const since = s.running.now();
  while (kept() && quiet() <= QUIET_MS && s.running.now() - since < COPY_CLOSED_MS) await sleepPoll();
  if (kept()) {
    const copies = connectionsOfServer(s);
    fail(`The server itself (pid ${s.running.pid}) still held client 1's connection ${ms(s.running.now() - since)} ` +
      `after its handler had answered on it; it holds ${copies.length} client connection(s) in all, from ` +
      `client ports ${copies.map((k) => k.remotePort).join(", ")}.`, {
      hint: "child.send(message, socket) gives the handler the socket and closes the server's own copy once " +
        "the handler has it; with { keepOpen: true } the server keeps its own copy, one more open file for " +
        "every client, even after the client has gone. The handler alone should hold the connection.",
    });
  }
});

test("one connection carries many messages, each shouted byte for byte as bytes.upper() does", async () => {
  const x = await session();
  const { s } = x;
  const [c] = clientsOf(x, "client 2");
  // The seed's client sends line after line on one connection; bytes.upper() leaves non-ASCII bytes alone.
  for (const text of ["one more", "two, ça va? déjà 3", "and the last"]) await expectEcho(s, c, text);
});

test("a client that stays connected does not hold up the others", async () => {
  const x = await session();
  const { s } = x;
  // Client 3 was answered, and has sat connected and silent since, like a person at the seed's prompt.
  const [slow, quick] = clientsOf(x, "client 3", "client 4");
  await expectEcho(s, quick, "quick question");
  await expectEcho(s, slow, "still here");
});

test("a handler ends and is reaped when its own client leaves, not before", async () => {
  const x = await session();
  const { s } = x;
  const [a, b] = clientsOf(x, "client 1", "client 2");
  const ha = handlerOf(s, a);
  const hb = handlerOf(s, b);
  await leave(a);
  if (ha) await expectGone(s, ha, "client 1");
  if (hb && (hb.goneAt !== undefined || hb.state === "Z")) {
    fail(`The handler of client 2 (pid ${hb.pid}) ended when client 1 left, though client 2 was still connected.`, {
      hint: "Each handler ends with its own client: watch the socket it was given, nothing else.",
    });
  }
  await expectEcho(s, b, "still connected");
  await leave(b);
  if (hb) await expectGone(s, hb, "client 2");
});

test("a client that resets its connection ends its handler, with no crash", async () => {
  const x = await session();
  const { s } = x;
  const [c] = clientsOf(x, "client 3");
  try {
    const handler = handlerOf(s, c);
    const resetAt = s.running.now();
    await reset(c);
    if (!handler) {
      console.log("  (this system does not show its sockets in /proc: the handler's end was not checked)");
      return;
    }
    await expectGone(s, handler, "client 3");
    // What the handler wrote before it ended is in the pipe: one more turn of the loop reads it.
    await new Promise((resolve) => setImmediate(resolve));
    const errors = s.running.lines.filter((l) => l.stream === "stderr" && l.at >= resetAt && /Error|ECONN/.test(l.text));
    if (errors.length > 0) {
      fail(`Client 3 reset its connection (as a client that crashes does), and its handler (pid ${handler.pid}) ` +
        `ended with an error:\n${errors.slice(0, 4).map((l) => `  ${l.text}`).join("\n")}`, {
        hint: "A reset makes the handler's socket emit \"error\" (ECONNRESET); with no \"error\" listener " +
          "that error crashes the handler. A reset is only a client gone: listen for \"error\" and let the " +
          "socket close.",
      });
    }
  } finally {
    dropAll([c]);
  }
});

test("the seed's Python client gets its messages back in upper case", async () => {
  const out = await (await session()).python;
  if (out.skipped) {
    console.log("  (python3 is not installed: the Python client was not tried)");
    return;
  }
  const expected = PYTHON_MESSAGES.map((m) => m.toUpperCase()).join("\n") + "\n";
  if (out.stdout !== expected) {
    fail(`The Python client sent ${PYTHON_MESSAGES.map((m) => `"${m}"`).join(" and ")} and printed ` +
      `${JSON.stringify(out.stdout)}, expected ${JSON.stringify(expected)}. ${out.error}`.trim(), {
      hint: "It sends raw bytes and reads one recv() per message: reply with exactly those bytes, shouted.",
    });
  }
});

test("the server exits on SIGTERM once its clients are gone, leaving nothing behind", async () => {
  const x = await session();
  const { s } = x;
  await x.python;
  await Promise.all([...x.clients.values()].map((c) => leave(c)));
  s.running.kill("SIGTERM");
  const ended = await Promise.race([
    s.running.result,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), STOP_MS)),
  ]);
  if (!ended) {
    const handlers = liveProcesses(s).filter((p) => isHandler(s, p)).map((p) => p.pid);
    s.running.kill("SIGKILL");
    await s.running.result;
    fail(`The server was still running ${STOP_MS} ms after SIGTERM, with every client gone` +
      (handlers.length > 0 ? `; its handlers ${handlers.join(", ")} were still alive.` : "."), {
      hint: handlers.length > 0
        ? "A server waits for its children: each handler must end when its client leaves."
        : "Keep the given SIGTERM handler: server.close() stops accepting, and the program then ends.",
    });
  }
  assertFinished(ended!);
  assertNothingLeft(ended!);
});

test.run();
