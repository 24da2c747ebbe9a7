// Tests of kata 10: one server run, talked to by TCP clients on loopback,
// judged on the replies and on which process the kernel shows holding each
// client's connection.
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { assertFinished, assertNothingLeft, fail, kataSuite, once, type ProcessRecord } from "../../harness/mod.ts";
import { type Client, connectClient, dropAll, leave } from "./_support/client.ts";
import {
  capital,
  describe,
  expectEcho,
  handlerOf,
  isHandler,
  liveProcesses,
  REPLY_MS,
  type Server,
  startServer,
} from "./_support/server.ts";

const { test, program } = kataSuite(import.meta.url, { deadlineMs: 90_000 });
const server = once(() => startServer(program));

const CONNECT_MS = 5000;
/** How long a handler may outlive its client (a right one ends in milliseconds). */
const HANDLER_END_MS = 5000;
/** How long the server may take to exit after SIGTERM once its clients are gone. */
const STOP_MS = 8000;
const PYTHON_CLIENT = fileURLToPath(new URL("./_support/client.py", import.meta.url));
const POLL_MS = 20;

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

/** Pids of the server's live handlers now. */
function handlerPids(s: Server): Set<number> {
  return new Set(liveProcesses(s).filter((p) => isHandler(s, p)).map((p) => p.pid));
}

/** Waits until `handler` is gone (exited and reaped); a failed check after HANDLER_END_MS. */
async function expectGone(s: Server, handler: ProcessRecord, whose: string): Promise<void> {
  const leftAt = s.running.now();
  while (handler.goneAt === undefined && s.running.now() - leftAt < HANDLER_END_MS) await sleepPoll();
  if (handler.goneAt !== undefined) return;
  if (handler.state === "Z") {
    fail(`The handler of ${whose} (pid ${handler.pid}) exited, but was still a zombie ${HANDLER_END_MS} ms ` +
      `later: the server never reaped it.`, {
      hint: "Node reaps a child as soon as its event loop runs: is the server blocking its loop?",
    });
  }
  fail(`The handler of ${whose} (pid ${handler.pid}) was still running ${HANDLER_END_MS} ms after its client left.`, {
    hint: "A forked child stays alive while it listens for messages: its IPC channel keeps it going. Take the " +
      "socket with process.once(\"message\", ...), or end the process when the socket closes.",
  });
}

function sleepPoll(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, POLL_MS));
}

test("four clients at once are each served by a handler process of their own", async () => {
  const s = await server();
  const names = ["client 1", "client 2", "client 3", "client 4"];
  const clients = await connectAll(s, names);
  try {
    await Promise.all(clients.map((c) => expectEcho(s, c, `hello from ${c.name}`)));
    // All four are still connected: the kernel shows who holds each connection now.
    const before = new Set<number>();
    const handlers = clients.map((c) => handlerOf(s, c, before));
    for (let i = 0; i < handlers.length; i++) {
      const j = handlers.findIndex((h) => h.pid === handlers[i].pid);
      if (j !== i) {
        fail(`${capital(clients[j].name)} and ${clients[i].name} are both served by ${describe(s, handlers[i])}.`, {
          hint: "Each connection needs a process of its own: fork a new handler for every connection.",
        });
      }
    }
  } finally {
    await Promise.all(clients.map((c) => leave(c)));
  }
});

test("a client that stays connected does not hold up the others", async () => {
  const s = await server();
  const [slow] = await connectAll(s, ["the slow client"]);
  const others: Client[] = [];
  try {
    await expectEcho(s, slow, "i am thinking");
    // The slow client now sits connected and says nothing, like a person at the seed's prompt.
    others.push(...await connectAll(s, ["the quick client"]));
    await expectEcho(s, others[0], "quick question");
    await expectEcho(s, slow, "still here");
  } finally {
    await Promise.all([slow, ...others].map((c) => leave(c)));
  }
});

test("a handler ends and is reaped when its own client leaves, not before", async () => {
  const s = await server();
  const seen = handlerPids(s);
  const [a] = await connectAll(s, ["client A"]);
  const clients = [a];
  try {
    await expectEcho(s, a, "first");
    const ha = handlerOf(s, a, seen);
    seen.add(ha.pid);
    clients.push(...await connectAll(s, ["client B"]));
    const b = clients[1];
    await expectEcho(s, b, "second");
    const hb = handlerOf(s, b, seen);
    await leave(a);
    await expectGone(s, ha, "client A");
    if (hb.goneAt !== undefined || hb.state === "Z") {
      fail(`The handler of client B (pid ${hb.pid}) ended when client A left, though client B was still connected.`, {
        hint: "Each handler ends with its own client: watch the socket it was given, nothing else.",
      });
    }
    await expectEcho(s, b, "still connected");
    await leave(b);
    await expectGone(s, hb, "client B");
  } finally {
    dropAll(clients);
  }
});

test("the seed's Python client gets its messages back in upper case", async () => {
  const s = await server();
  if (spawnSync("python3", ["--version"]).error) {
    console.log("  (python3 is not installed: the Python client was not tried)");
    return;
  }
  const messages = ["hello", "process per client"];
  const out = await new Promise<{ stdout: string; error: string }>((resolve) => {
    execFile("python3", [PYTHON_CLIENT, String(s.port), ...messages], {
      timeout: REPLY_MS + 3000,
      killSignal: "SIGKILL",
    }, (err, stdout, stderr) => resolve({ stdout, error: !err ? "" : err.killed
      ? `It was stopped after ${(REPLY_MS + 3000) / 1000} s.`
      : `It ended with: ${stderr.trim().split("\n").at(-1) ?? err.message}` }));
  });
  const expected = messages.map((m) => m.toUpperCase()).join("\n") + "\n";
  if (out.stdout !== expected) {
    fail(`The Python client sent ${messages.map((m) => `"${m}"`).join(" and ")} and printed ` +
      `${JSON.stringify(out.stdout)}, expected ${JSON.stringify(expected)}. ${out.error}`.trim(), {
      hint: "It sends raw bytes and reads one recv() per message: reply with exactly those bytes, shouted.",
    });
  }
});

test("the server exits on SIGTERM once its clients are gone, leaving nothing behind", async () => {
  const s = await server();
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
