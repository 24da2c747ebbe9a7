// Tests of kata 21: two runs of main.ts, judged on the workers' phase work
// (each phase a `sleep` child of its worker) as the kernel showed it, and on
// how main.ts, which is given, reports each worker's end.
import {
  aliveInterval,
  assertFinished,
  assertNothingLeft,
  assertOverlap,
  describeEnd,
  fail,
  kataSuite,
  ms,
  once,
} from "../../harness/mod.ts";
import {
  type EarlyStart,
  firstEarlyStart,
  fullRun,
  KILL_PLANS,
  killRun,
  phaseLives,
  phasesBegun,
  PLANS,
  STALL_MS,
  VICTIM,
  type Watched,
  workersOf,
} from "./_support/phases.ts";

const UNIT_MS = 200;
/** Generous: on a machine loaded far past its 2 cores, a TypeScript program has taken 25 s to start. */
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 180_000 });

const killed = once(() => killRun(program));
// The kill run starts once the full run has its verdict (stopped early, or ended), so that its
// five start-ups do not compete with that run's: a barrier that lets everyone through is told at once.
const full = once(async () => {
  const w = await fullRun(program);
  void killed();
  return w;
});

/** The lesson of a phase that began while the phase before was still going on somewhere. */
function earlyMessage(e: EarlyStart, phase: number): string {
  return `Worker ${e.early.worker}'s phase-${phase} work (pid ${e.early.job.pid}) was seen at ` +
    `${ms(e.early.job.firstSeen)}, while worker ${e.still.worker}'s phase-${phase - 1} work (pid ` +
    `${e.still.job.pid}) was still alive at ${ms(e.still.job.lastAlive ?? e.still.job.firstSeen)}.`;
}

/** Fails when a run was stuck: which workers were still waiting, and why that may be. */
function assertNotStuck(w: Watched, what: string, hint: string): void {
  if (!w.stalled) return;
  fail(`${what}: nothing happened for ${ms(STALL_MS)}, so the test stopped the run at ${ms(w.stalled.at)}; ` +
    `worker${w.stalled.alive.length === 1 ? "" : "s"} ${w.stalled.alive.join(", ") || "(none)"} still waited.`, { hint });
}

test("no phase-2 work starts before every phase-1 work has ended, and then every worker's does", async () => {
  const w = await full();
  const workers = workersOf(w.r.tree, w.r.pid);
  const early = firstEarlyStart(workers, 2);
  if (early) {
    fail(earlyMessage(early, 2), {
      hint: "A barrier lets nobody through until every worker has arrived: waitAtBarrier() resolves only when " +
        "main.ts says so, and main.ts says so only once all of them have arrived, not one fewer.",
      kind: "timing",
      intervals: phaseLives(workers, 1, 2),
    });
  }
  assertNotStuck(w, "Every worker finished phase 1 and waited at the barrier", "When the last worker arrives, " +
    "tell every waiting worker to go on, not only the last one to arrive.");
  if (workers.length !== PLANS.length) fail(`Expected ${PLANS.length} worker processes, but main.ts had ${workers.length}.`);
  const without = workers.filter((x) => !phasesBegun(w.r.lines, x.id).includes(2)).map((x) => x.id);
  if (without.length > 0) {
    fail(`Worker${without.length > 1 ? "s" : ""} ${without.join(", ")} never began phase 2; main.ts ${describeEnd(w.r)}.`, {
      hint: "When the last worker arrives, tell every waiting worker to go on.",
    });
  }
});

test("the barrier works again: no phase-3 work starts before every phase-2 work has ended", async () => {
  const w = await full();
  const workers = workersOf(w.r.tree, w.r.pid);
  const early = firstEarlyStart(workers, 3);
  if (early) {
    fail(earlyMessage(early, 3), {
      hint: "The barrier is used once a phase: once it lets everyone through, reset its count of arrivals, or " +
        "the next crossing finds it full already and lets each worker straight through.",
      kind: "timing",
      intervals: phaseLives(workers, 2, 3),
    });
  }
  assertNotStuck(w, "Every worker finished phase 2 and waited at the barrier again", "After each crossing, the " +
    "barrier starts counting afresh: reset it, so that it works again for the next phase.");
  const short = workers.filter((x) => !phasesBegun(w.r.lines, x.id).includes(3)).map((x) => x.id);
  if (short.length > 0) fail(`Worker${short.length > 1 ? "s" : ""} ${short.join(", ")} never began phase 3; main.ts ${describeEnd(w.r)}.`);
});

test("the workers are processes alive side by side, and main.ts then exits 0", async () => {
  const w = await full();
  const workers = workersOf(w.r.tree, w.r.pid);
  assertOverlap(workers.map((x) => aliveInterval(x.process, `worker ${x.id} (pid ${x.process.pid})`)), {
    hint: "The workers run side by side and meet at the barrier: start them all at once.",
  });
  assertFinished(w.r);
  assertNothingLeft(w.r);
});

test("a worker that dies before the barrier makes the others give up with an error, not wait for ever", async () => {
  const w = await killed();
  const { r, killedAt, arrivedBefore } = w;
  if (killedAt === undefined) {
    fail(`The test meant to kill worker ${VICTIM} once worker 1 had finished phase 1, but it never could: main.ts ` +
      `${describeEnd(r)}.`);
  }
  const workers = workersOf(r.tree, r.pid);
  const onward = workers.filter((x) => x.id !== VICTIM && (x.jobs.has(2) || phasesBegun(r.lines, x.id).includes(2)));
  if (onward.length > 0) {
    const seen = onward.find((x) => x.jobs.has(2));
    fail(`The test killed worker ${VICTIM} at ${ms(killedAt)}, in its phase 1, yet worker ${(seen ?? onward[0]).id} ` +
      `began phase 2${seen ? ` (its work was seen at ${ms(seen.jobs.get(2)!.firstSeen)})` : ""}: the barrier let it ` +
      "through though a party had died before arriving.", {
      hint: "A worker that died will never arrive: the barrier is broken, not passed. Do not count the dead worker " +
        "as arrived; tell the others \"broken\", and waitAtBarrier() must reject then (BrokenBarrierError), never resolve.",
    });
  }
  if (w.stalled) {
    const late = w.stalled.alive.filter((id) => !arrivedBefore.includes(id));
    const told = w.stalled.alive.length > 0 && late.length === w.stalled.alive.length;
    fail(`The test killed worker ${VICTIM} at ${ms(killedAt)}; worker${arrivedBefore.length === 1 ? "" : "s"} ` +
      `${arrivedBefore.join(", ")} waited at the barrier then. ${ms(STALL_MS)} after anything last happened, ` +
      `worker${w.stalled.alive.length === 1 ? "" : "s"} ${w.stalled.alive.join(", ")} still waited, for ever.`, {
      hint: told
        ? `Those waiting when worker ${VICTIM} died were told; worker${late.length === 1 ? "" : "s"} ${late.join(", ")} ` +
          "arrived later. A broken barrier stays broken: a worker that arrives after the break must be told at once."
        : `main.ts gets an "exit" event for every worker, however it died: then break the barrier, and tell every ` +
          "waiting worker that it is broken, so that it gives up with an error instead of waiting for ever.",
    });
  }
  const lines = r.lines.map((l) => l.text);
  for (const id of KILL_PLANS.map((_, i) => String(i + 1)).filter((id) => id !== VICTIM)) {
    const end = lines.find((l) => l.startsWith(`main: worker ${id} `));
    if (end !== `main: worker ${id} exited with code 3`) {
      fail(`Worker ${id} should give up with an error (exit code 3: waitAtBarrier() rejected with a ` +
        `BrokenBarrierError), but main.ts said ${end ? `"${end}"` : "nothing of its end"}.`, {
        hint: "Reject with a BrokenBarrierError (worker.ts catches it, says it gave up, and exits with code 3).",
      });
    }
  }
  if (r.exitCode !== 1) fail(`With a worker killed and the others giving up, main.ts should exit with code 1, but it ${describeEnd(r)}.`);
  assertNothingLeft(r);
});

test.run();
