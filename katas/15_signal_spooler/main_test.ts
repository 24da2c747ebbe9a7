// Tests of kata 15: one spooler process, driven through four phases by the
// harness as a submitter would drive it (drop job files, send SIGUSR2), while
// the kernel says which signals it catches, when it is stopped, what is pending.
import { assertFinished, assertNothingLeft, fail, kataSuite, ms, once, type RunningProgram } from "../../harness/mod.ts";
import {
  caughtSignals,
  dropJob,
  jobsIn,
  makeSpool,
  pendingSignals,
  STALL_MS,
  startsOf,
  untilDone,
  untilStopped,
} from "./_support/spool.ts";

const UNIT_MS = 100;
const BURST = 20;
/** Long enough that the harness's signals land while the job is still in hand, even when its lines come late. */
const DURING_DRAIN_UNITS = 5;
const LONG_JOB_UNITS = 10;
/** The jobs waiting at the start take this long each: a spooler that drains them before it handles signals is caught in the act. */
const EARLY_UNITS = 10;
/** How long a stopped process may take to show state T (it must run to stop): generous, for a loaded machine. */
const STOP_WAIT_MS = 30_000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 120_000 });

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);
const early = names("a", 2);
const burst = names("b", BURST);
const drainFirst = names("c", 4);
const drainLate = names("c", 7).slice(4);
const last = names("d", 3);

/** Sends the spooler a signal; a lesson if it is gone. */
function send(running: RunningProgram, signal: NodeJS.Signals): void {
  try {
    process.kill(running.pid, signal);
  } catch {
    const tail = running.lines.slice(-4).map((l) => `  ${l.stream}: ${l.text}`).join("\n");
    fail(`Cannot send ${signal}: the spooler (pid ${running.pid}) has ended. Its last lines:\n${tail}`, {
      hint: "A signal with no handler ends a Node process: did a SIGUSR2 find no handler?",
    });
  }
}

const HANDLER_HINT = 'Install the handlers (process.on("SIGUSR2", ...), process.on("SIGTERM", ...)) before the ' +
  "spooler prints that it is ready: a signal with no handler ends a Node process.";

/** The spooler, started over a spool where two jobs already wait; its signal mask read at its "ready". */
const session = once(async () => {
  const spool = makeSpool();
  for (const name of early) dropJob(spool, name, EARLY_UNITS);
  const running = program.start("spooler.ts", { args: [spool.dir] });
  const ready = await running.waitForLine(/^spooler: ready, pid \d+$/).catch((err: Error) => fail(err.message));
  const caught = running.tree.records().some((p) => p.pid === running.pid && p.endedAt === undefined)
    ? caughtSignals(running.pid)
    : new Set<string>();
  return { spool, running, ready, caught };
});

/** Phase 1: the jobs that waited before the start, with no signal sent. */
const startup = once(async () => {
  const { running } = await session();
  return { left: await untilDone(running, early) };
});

/** Phase 2: the spooler stopped, twenty jobs and twenty SIGUSR2, then continued. */
const stopped = once(async () => {
  await startup();
  const { spool, running } = await session();
  send(running, "SIGSTOP");
  await untilStopped(running.pid, STOP_WAIT_MS);
  for (const name of burst) dropJob(spool, name, 0);
  for (let i = 0; i < BURST; i++) send(running, "SIGUSR2");
  const pendingWhileStopped = pendingSignals(running.pid);
  send(running, "SIGCONT");
  return { pendingWhileStopped, left: await untilDone(running, burst) };
});

/** Phase 3: more wake-ups, and more jobs, while a drain is under way. */
const duringDrain = once(async () => {
  await stopped();
  const { spool, running } = await session();
  for (const name of drainFirst) dropJob(spool, name, DURING_DRAIN_UNITS);
  send(running, "SIGUSR2");
  await running.waitForLine(`spooler: working on ${drainFirst[0]}`, { timeoutMs: STALL_MS }).catch(() => {});
  send(running, "SIGUSR2");
  send(running, "SIGUSR2");
  for (const name of drainLate) dropJob(spool, name, DURING_DRAIN_UNITS);
  send(running, "SIGUSR2");
  return { left: await untilDone(running, [...drainFirst, ...drainLate]) };
});

/** Phase 4: SIGTERM while a long job is in hand; then the spooler should exit. */
const terminated = once(async () => {
  await duringDrain();
  const { spool, running } = await session();
  for (const name of last) dropJob(spool, name, LONG_JOB_UNITS);
  send(running, "SIGUSR2");
  const inHand = await running.waitForLine(/^spooler: working on d-/, { timeoutMs: STALL_MS }).catch(() => undefined);
  send(running, "SIGTERM");
  const sentAt = running.now();
  // It may take the rest of the job in hand; after that it should be gone.
  const limit = new Promise<"hung">((resolve) => {
    const timer = setTimeout(() => resolve("hung"), LONG_JOB_UNITS * UNIT_MS + STALL_MS);
    running.result.then(() => clearTimeout(timer), () => clearTimeout(timer));
  });
  const hung = (await Promise.race([running.result, limit])) === "hung";
  if (hung) running.kill("SIGKILL");
  const result = await running.result;
  return { inHand, sentAt, hung, result, incoming: jobsIn(spool.incoming), done: jobsIn(spool.done) };
});

test("the spooler catches SIGUSR2 by the time it says it is ready (SigCgt in /proc)", async () => {
  const { running, ready, caught } = await session();
  if (!ready.text.endsWith(`pid ${running.pid}`)) {
    fail(`The spooler printed "${ready.text}", but its pid is ${running.pid}.`);
  }
  // Node itself catches SIGTERM and SIGINT (to restore the terminal, then die of them), so SigCgt shows
  // SIGTERM in any Node process: the spooler's own SIGTERM handler is judged by what it does, later.
  if (!caught.has("SIGUSR2")) {
    fail(`When the spooler said it was ready, /proc/${running.pid}/status (SigCgt) showed no handler for ` +
      `SIGUSR2; it catches ${[...caught].join(", ") || "nothing"}.`, { hint: HANDLER_HINT });
  }
});

test("jobs already waiting when it starts are processed without any signal", async () => {
  const { left } = await startup();
  if (left.length === 0) return;
  fail(`${early.join(" and ")} were waiting in incoming/ when the spooler started; ${ms(STALL_MS)} after its ` +
    `last line, ${left.join(", ")} had still not been done.`, {
    hint: "Nobody signals for a job dropped before the spooler ran (its SIGUSR2 found no spooler): drain once at " +
      "the start for the jobs already waiting.",
  });
});

test("twenty SIGUSR2 sent while it is stopped come as one wake-up, which processes all twenty jobs", async () => {
  const { pendingWhileStopped, left } = await stopped();
  if (left.length === 0) return;
  const pending = pendingWhileStopped.has("SIGUSR2") ? " While it was stopped, /proc showed SIGUSR2 pending: " +
    "one bit, however many were sent." : "";
  fail(`The harness stopped the spooler (SIGSTOP), dropped ${BURST} jobs, sent ${BURST} SIGUSR2 and let it go ` +
    `on (SIGCONT). ${BURST - left.length} of the ${BURST} jobs got done; ${left.length} still waited ${ms(STALL_MS)} ` +
    `after its last line: ${left.slice(0, 3).join(", ")}${left.length > 3 ? ", ..." : ""}.${pending}`, {
    hint: "Standard signals do not queue: while one is pending, more of the same kind are lost, so the spooler " +
      "got one SIGUSR2 for twenty jobs. At each wake-up, take every job waiting, not one.",
  });
});

test("a wake-up during a drain starts no second drain: each job is worked on once", async () => {
  const { running } = await session();
  await duringDrain();
  const twice = [...startsOf(running)].filter(([, n]) => n > 1);
  if (twice.length === 0) return;
  fail(`The spooler worked on ${twice.map(([name, n]) => `${name} ${n} times`).join(", ")}. The harness sent ` +
    `SIGUSR2 while a drain was under way, and a second drain began beside it, on the same job.`, {
    hint: "A wake-up while a drain is under way must not start another drain: remember that one is running. " +
      "The drain under way reads incoming/ again before it stops, so it will see the new jobs.",
  });
});

test("jobs dropped during a drain, with their signal, are processed too", async () => {
  const { left } = await duringDrain();
  if (left.length === 0) return;
  fail(`${drainLate.join(", ")} were dropped, and SIGUSR2 sent, while the spooler worked on the first jobs; ` +
    `${left.join(", ")} still waited ${ms(STALL_MS)} after its last line.`, {
    hint: "A drain that works through the list it read at its start, and ignores wake-ups meanwhile, misses " +
      "what arrived during it: read the folder again after each job, until it is empty.",
  });
});

test("SIGTERM mid-job: the job in hand completes, and no new job starts", async () => {
  const { inHand, result } = await terminated();
  if (!inHand) fail(`The harness dropped ${last.join(", ")} and sent SIGUSR2, but the spooler never began any.`);
  const lines = result.lines.map((l) => l.text);
  const term = lines.indexOf("spooler: SIGTERM, finishing the job in hand");
  if (term < 0) {
    fail(`The harness sent SIGTERM while the spooler worked on a job, and it never printed "spooler: SIGTERM, ` +
      `finishing the job in hand"; it ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}.`,
      { hint: HANDLER_HINT });
  }
  const begun = lines.flatMap((l) => /^spooler: working on (\S+)$/.exec(l)?.[1] ?? []);
  const unfinished = begun.filter((name) => !lines.includes(`spooler: done ${name}`));
  if (unfinished.length > 0) {
    fail(`The spooler began ${unfinished.join(", ")} but never finished it: SIGTERM came while it was in hand, ` +
      `and the spooler ${result.signal ? `was killed by ${result.signal}` : `exited (code ${result.exitCode})`} ` +
      `without completing it.`, {
      hint: "On SIGTERM, finish the job in hand before exiting: note that a stop was asked for, and let the drain " +
        "stop after its current job.",
    });
  }
  const after = lines.slice(term + 1).find((l) => l.startsWith("spooler: working on "));
  if (after) {
    fail(`After "spooler: SIGTERM, finishing the job in hand", the spooler printed "${after}": it started a new ` +
      `job after SIGTERM.`, { hint: "Once SIGTERM came, no new job may start: the drain checks before each job." });
  }
});

test("after SIGTERM it exits with code 0, and every job is done or still waiting: none lost", async () => {
  const { hung, result, incoming, done, sentAt } = await terminated();
  if (hung) {
    fail(`The harness sent SIGTERM at ${ms(sentAt)}; the job in hand needed at most ${LONG_JOB_UNITS} units, ` +
      `yet ${ms(STALL_MS)} after that the spooler was still running, so the harness killed it.`, {
      hint: "A listener does not keep Node running, but a timer does: keepAlive keeps the event loop alive " +
        "until it is cleared.",
    });
  }
  assertFinished(result);
  const all = [...early, ...burst, ...drainFirst, ...drainLate, ...last];
  const lost = all.filter((n) => !incoming.includes(n) && !done.includes(n));
  const both = all.filter((n) => incoming.includes(n) && done.includes(n));
  if (lost.length > 0 || both.length > 0) {
    fail(`After the spooler exited, ${lost.length > 0 ? `${lost.join(", ")} were in neither incoming/ nor done/` : ""}` +
      `${both.length > 0 ? `${both.join(", ")} were in both` : ""}.`);
  }
  const waiting = last.filter((n) => incoming.includes(n));
  if (waiting.length === 0) {
    fail(`All of ${last.join(", ")} were done, though SIGTERM came while the first was in hand.`, {
      hint: "Once SIGTERM came, no new job may start.",
    });
  }
  assertNothingLeft(result);
});

test.run();
