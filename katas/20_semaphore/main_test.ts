// Tests of kata 20: two servers (2 permits and 1), clients started as runs of
// their own, and probes from the test process that speak the protocol byte by
// byte. Jobs are judged as the kernel showed them, on the test's own clock.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  assertInOrder,
  assertNothingLeft,
  describeEnd,
  fail,
  type Interval,
  kataSuite,
  ms,
  once,
  type RunResult,
  stderrTail,
} from "../../harness/mod.ts";
import {
  type Client,
  finishAll,
  holdAll,
  jobLife,
  jobProcess,
  mostAtOnce,
  type Server,
  STALL_MS,
  startClient,
  startServer,
  untilAsked,
} from "./_support/clients.ts";
import { canConnect, connect, hmac, type Probe, type Reply, REPLY_MS, told, welcomed } from "./_support/probe.ts";

const UNIT_MS = 100;
/**
 * A job's length: long enough that the harness's samples of /proc surely see
 * it, and that two clients granted together surely overlap, however busy the machine.
 */
const JOB_UNITS = 20;
const KEY = `kata20-${randomBytes(8).toString("hex")}`;
const WRONG_KEY = `${KEY}-not`;
/** Generous: on a machine loaded far past its 2 cores, a TypeScript program has taken 25 s to start. */
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 300_000 });

const job = (units: number) => ["sleep", String((units * UNIT_MS) / 1000)];
const twoPermits = once(() => startServer(program, 2, KEY));
const onePermit = once(() => startServer(program, 1, KEY));

/**
 * Clients of a server with `permits`, asking while the test holds every
 * permit, so that all of them wait at once however long each takes to start;
 * then the test gives its permits back, all together.
 */
async function queuedRun(server: Server, permits: number, names: string[]) {
  const holds = await holdAll(server.path, KEY, permits);
  const clients = names.map((n) => startClient(program, `client ${n}`, server.path, KEY, job(JOB_UNITS)));
  await untilAsked(clients);
  // Nobody may run a job while the test holds every permit.
  const early = clients.find((c) => jobProcess(c.running.tree.records(), c.running.pid));
  for (const hold of holds) await hold.send({ kind: "release" });
  const finished = await finishAll(clients);
  for (const hold of holds) hold.destroy();
  return { clients, early, ...finished };
}
const sharedRun = once(async () => queuedRun(await twoPermits(), 2, ["A", "B", "C"]));
const serialRun = once(async () => queuedRun(await onePermit(), 1, ["D", "E"]));
const keyless = once(async () => {
  const { path } = await twoPermits();
  return (await finishAll([startClient(program, "the keyless client", path, undefined, job(JOB_UNITS))])).results[0];
});

/** Says how the server ended, if it has: a lesson that it must not, with its stderr. */
async function assertServing(server: Server, after: string, hint: string): Promise<void> {
  const within = (t: number) =>
    Promise.race([server.running.result, new Promise<undefined>((r) => setTimeout(() => r(undefined), t))]);
  let ended = await within(10);
  // A server that died a moment ago may not be reaped yet: a socket nobody listens on says so first.
  if (!ended && !(await canConnect(server.path))) {
    ended = await within(REPLY_MS);
    if (!ended) fail(`The server no longer accepts connections ${after}.`, { hint });
  }
  if (!ended) return;
  const tail = stderrTail(ended);
  fail(`The server ended ${after}: it ${describeEnd(ended)}.${tail ? ` The end of its stderr:\n${tail}` : ""}`, { hint });
}

/** Fails unless `reply` is an error message with a reason. */
function assertRefused(reply: Reply, what: string, hint: string): void {
  if (reply.kind === "error" && typeof reply.error === "string" && reply.error.length > 0) return;
  fail(`${what}, the server should answer {"kind":"error","error":"<why>"} and hang up, but ${told(reply)}.`, { hint });
}

test("the server challenges each connection afresh, and lets in only a client with the key", async () => {
  // The clients' runs start beside this test, for later tests: they take their time to start.
  for (const later of [sharedRun, serialRun, keyless]) later().catch(() => {});
  const server = await twoPermits();
  const first = await connect(server.path, "first");
  const second = await connect(server.path, "a second time");
  const c1 = await first.next();
  const c2 = await second.next();
  for (const c of [c1, c2]) {
    if (c.kind !== "challenge" || typeof c.challenge !== "string" || !/^[0-9a-f]{64}$/.test(c.challenge)) {
      fail(`On connecting, the test expected {"kind":"challenge","challenge":"<64 hex digits>"} first, but ${told(c)}.`, {
        hint: "Anyone who can reach a socket file can connect to it. Before anything else, send each connection a " +
          "challenge (32 random bytes) and let it in only once it answers with the key.",
      });
    }
  }
  if (c1.challenge === c2.challenge) {
    fail(`Two connections got the same challenge, ${c1.challenge}: whoever overheard one right answer can replay ` +
      "it, without the key.", { hint: "Make a new random challenge for each connection, never one for the server's life." });
  }
  await first.send({ kind: "answer", answer: hmac(WRONG_KEY, c1.challenge as string) });
  assertRefused(await first.next(), "When a client answered the challenge with another key", "Check the answer " +
    "against the HMAC that your own key gives (isRightAnswer): a client without the key must not get in.");

  await second.send({ kind: "answer", answer: "c0ffee" });
  const short = await second.next();
  await assertServing(server, "when a client sent a 3-byte answer", "timingSafeEqual throws when the two buffers " +
    "differ in length: compare the lengths first; a short answer is simply wrong.");
  assertRefused(short, "When a client answered with 3 bytes instead of 32", "An answer of the wrong length is wrong: " +
    "compare the lengths first, for timingSafeEqual throws when the two buffers differ in length.");

  const third = await connect(server.path, "a third time");
  await third.next();
  await third.send({ kind: "acquire" });
  assertRefused(await third.next(), "When a client asked for a permit without answering the challenge", "Nothing " +
    "but an answer is heard until the challenge is answered: the key check protects nothing if \"acquire\" works " +
    "before it.");
  third.destroy();
  const right = await welcomed(server.path, KEY, "and answered with the key");
  right.destroy();
});

test("a client without the key is refused, and its job never runs", async () => {
  const r: RunResult = await keyless();
  const ran = jobProcess(r.tree, r.pid);
  if (ran) {
    fail(`client.ts ran without SEMAPHORE_KEY (it answers with an empty key), yet its job (pid ${ran.pid}) ran: the ` +
      "server granted it a permit.", { hint: "Only an answer made with the server's key lets a client in." });
  }
  if (r.exitCode !== 1 || !/client: refused: \S/.test(r.stderr)) {
    fail(`client.ts without the key should say "client: refused: <the server's reason>" and exit with code 1, but it ` +
      `${describeEnd(r)}.${stderrTail(r) ? ` Its stderr:\n${stderrTail(r)}` : ""}`, {
      hint: "Refuse a wrong answer with an error that says why (refuse() in protocol.ts), and hang up.",
    });
  }
});

test("a malformed message gets a clear error, and the server goes on", async () => {
  const server = await twoPermits();
  const before = ["this is not JSON", "null", "[1, 2]", '{"kind":"dance"}', '{"answer":"00"}'];
  for (const line of before) {
    const probe = await connect(server.path, `to send ${JSON.stringify(line)}`);
    await probe.next();
    probe.sendLine(line);
    const reply = await probe.next();
    probe.destroy();
    await assertServing(server, `when a client sent ${JSON.stringify(line)} instead of an answer`, "A malformed " +
      "message must not end the server, which serves every other client too: JSON.parse throws on text that is " +
      "not JSON, and valid JSON may be null or an array. Catch it, refuse that client, and go on.");
    assertRefused(reply, `When a client sent ${JSON.stringify(line)} instead of an answer`, "Say what was wrong " +
      "with a clear error (refuse()), for a message of an unknown kind too: a client left waiting for a reply " +
      "that never comes cannot tell what it did wrong. And a malformed message must not end the server: valid " +
      "JSON may be null or an array.");
  }
  for (const line of ['{"kind":"acquire"', '{"kind":"dance"}']) {
    const after = await welcomed(server.path, KEY, `to send ${JSON.stringify(line)} once welcome`);
    after.sendLine(line);
    const reply = await after.next();
    after.destroy();
    await assertServing(server, `when a welcome client sent ${JSON.stringify(line)}`, "A malformed message must not end the server.");
    assertRefused(reply, `When a welcome client sent ${JSON.stringify(line)}`, "Say what was wrong with a clear " +
      "error, for a message of a kind the server does not know too: a client left waiting for a reply that never " +
      "comes cannot tell what it did wrong.");
  }
  (await welcomed(server.path, KEY, "after the malformed messages")).destroy();
});

/** Fails if a client ran its job while the test held every permit. */
function assertNoneEarly(early: Client | undefined, permits: number): void {
  if (!early) return;
  fail(`The test held all ${permits} permit${permits > 1 ? "s" : ""}, yet ${early.name} was granted one and ran its ` +
    "job: the server granted more permits than it has.", {
    hint: "Grant a permit only while fewer clients than the permits hold one; the others wait in a queue.",
  });
}

test("with 2 permits, never more than two jobs run at once, and two do", async () => {
  const { clients, results, stalled, early } = await sharedRun();
  assertNoneEarly(early, 2);
  const lives = jobsOf(clients, results, stalled, 2);
  const most = mostAtOnce(lives);
  if (most.length > 2) {
    fail(`With 2 permits, ${most.length} jobs were alive at once: ${most.map((i) => i.label).join(", ")}.`, {
      hint: "Grant a permit only while fewer clients than the permits hold one; the others wait in a queue.",
      kind: "timing",
      intervals: lives,
    });
  }
  if (most.length < 2) {
    fail("With 2 permits and three clients waiting, the test gave back both permits it held, yet the jobs ran one at a time.", {
      hint: "Grant as many permits as the server has: a semaphore of 2 lets two clients in at once.",
      kind: "timing",
      intervals: lives,
    });
  }
});

test("with 1 permit, the jobs run one after another", async () => {
  const { clients, results, stalled, early } = await serialRun();
  assertNoneEarly(early, 1);
  const lives = jobsOf(clients, results, stalled, 1).sort((a, b) => a.start - b.start);
  assertInOrder(lives, { hint: "With 1 permit the semaphore is a lock: a second client waits until the first gives its permit back." });
});

test("a permit held by a client killed with SIGKILL comes back", async () => {
  await serialRun();
  const server = await onePermit();
  const holder = startClient(program, "the holder", server.path, KEY, ["sleep", "600"]);
  try {
    await holderLosesPermit(server, holder);
  } finally {
    // Whatever the verdict, the holder and its job end now, not at their deadline.
    for (const p of holder.running.tree.alive()) kill(p.pid);
    await holder.running.result;
  }
});

async function holderLosesPermit(server: Server, holder: Client): Promise<void> {
  const holding = await untilJob(holder);
  const waiter = await welcomed(server.path, KEY, "to wait for the permit");
  await waiter.send({ kind: "acquire" });
  const early = await waiter.next(UNIT_MS);
  if (early.kind !== "silent") {
    fail(`With 1 permit, held by a client whose job was running, the test asked for a permit and ${told(early)}.`, {
      hint: "Only as many clients as the permits may hold one: the others wait until one comes back.",
    });
  }
  const killedAt = holder.running.now();
  kill(holder.running.pid);
  kill(holding);
  const granted = await waiter.next(REPLY_MS);
  if (granted.kind !== "granted") {
    fail(`The test killed the client that held the only permit (pid ${holder.running.pid}) with SIGKILL at ` +
      `${ms(killedAt)}, while the test waited for the permit; then ${told(granted)}: the permit stayed with a dead client.`, {
      hint: "A killed client never sends \"release\", but the kernel closes its socket: free its permit when its " +
        "connection closes, however it hangs up.",
    });
  }
  lastHolder = waiter;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}

/** The test's waiter that got the permit back, which the next test hands on. */
let lastHolder: Probe | undefined;

test("a client that hangs up while it waits takes no permit with it", async () => {
  const server = await onePermit();
  const holder = lastHolder ?? fail("The previous test left no client holding the permit.");
  const quitter = await welcomed(server.path, KEY, "to wait, and then hang up");
  await quitter.send({ kind: "acquire" });
  quitter.destroy();
  const next = await welcomed(server.path, KEY, "to wait after it");
  await next.send({ kind: "acquire" });
  await holder.send({ kind: "release" });
  const granted = await next.next(REPLY_MS);
  holder.destroy();
  next.destroy();
  if (granted.kind !== "granted") {
    fail(`A client asked for the permit and hung up while it waited; another then asked, and the holder released ` +
      `the permit. The one still waiting should have got it, but ${told(granted)}: the permit went to the client ` +
      "that was gone, and was lost with it.", {
      hint: "When a waiting client's connection closes, take it out of the queue of those waiting, so that a free " +
        "permit only goes to a client that is still there.",
    });
  }
});

test("each server runs until SIGTERM, then leaves no socket file and no process", async () => {
  for (const server of [await twoPermits(), await onePermit()]) {
    await assertServing(server, "before the harness stopped it", "The server must keep running for every client.");
    server.running.kill("SIGTERM");
    const r = await server.running.result;
    if (r.exitCode !== 0) fail(`Stopped with SIGTERM, the server ${describeEnd(r)}.${stderrTail(r) ? `\n${stderrTail(r)}` : ""}`);
    if (existsSync(server.path)) fail(`The server stopped, but its socket file ${server.path} is still there.`);
    assertNothingLeft(r);
  }
});

/** Each client's job life, after checking that all ran and ended well. */
function jobsOf(clients: Client[], results: RunResult[], stalled: boolean, permits: number): Interval[] {
  const lives: Interval[] = [];
  results.forEach((r, i) => {
    const life = jobLife(clients[i], r);
    if (!life) {
      fail(`${clients[i].name} never ran its job: it ${describeEnd(r)}` +
        (stalled ? `, after all the clients had waited ${ms(STALL_MS)} with no job running.` : ".") +
        (stderrTail(r) ? ` Its stderr:\n${stderrTail(r)}` : ""), {
        hint: stalled
          ? `A permit that comes back (released, or its holder gone) goes at once to a client waiting for one; with ${permits} ` +
            `permit${permits > 1 ? "s" : ""} free, nobody may be left waiting.`
          : "Did the server refuse it, or hang up?",
      });
    }
    if (r.exitCode !== 0) fail(`${clients[i].name} ${describeEnd(r)}.${stderrTail(r) ? ` Its stderr:\n${stderrTail(r)}` : ""}`);
    lives.push(life);
  });
  return lives;
}

/** Resolves with the pid of the client's job once it runs; a lesson if the client ends first. */
async function untilJob(client: Client): Promise<number> {
  for (;;) {
    const job = jobProcess(client.running.tree.records(), client.running.pid);
    if (job) return job.pid;
    const ended = await Promise.race([client.running.result, new Promise<undefined>((r) => setTimeout(() => r(undefined), 20))]);
    if (ended) fail(`${client.name} ended before its job ran: it ${describeEnd(ended)}.`);
  }
}

test.run();
