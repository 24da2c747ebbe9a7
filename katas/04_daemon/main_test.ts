// Tests of kata 04: run main.ts as a real process tree and watch when its
// daemon child and its ordinary child end: on a normal run, when the program
// is killed by SIGTERM or SIGKILL while the daemon is on duty (below a
// subreaper, as on many desktops), and when it dies before the daemon is set up.
import { setTimeout as sleep } from "node:timers/promises";
import {
  assertFinished, assertNothingLeft, describeEnd, fail, hasPython, kataSuite, ms, once, type ProcessRecord,
  type RunResult, stderrTail,
} from "../../harness/mod.ts";
import {
  childFor, type Fate, lineOrEnd, ORPHAN_TICKS, orStop, type Started, startMain, watchOrphan,
} from "./_support/runs.ts";

const UNIT_MS = 200;
const DEADLINE_MS = 90_000;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: DEADLINE_MS });
/** Own work long enough that a signal lands in its middle, with both children up. */
const LONG_WORK_UNITS = "1000";
/** Python starts the subreaper; without it, the SIGKILL run is an ordinary one. */
const SUBREAPER = hasPython();

/** After its daemon went off duty, how long main.ts may take to end by itself before its test stops the run. */
const OFF_DUTY_GRACE_UNITS = 10;

/**
 * A normal run: main.ts with its 2 units of own work, to its end. A daemon
 * that served its whole duty has shown the lesson, and its open channel may
 * hold it and main.ts for ever: then the run is stopped soon after, not at
 * its deadline.
 */
async function normalRun(): Promise<{ started: Started; result: RunResult }> {
  const started = await startMain(program, { deadlineMs: DEADLINE_MS });
  const { running } = started;
  let ended = false;
  running.waitForLine(/^daemon: off duty$/).then(async () => {
    await sleep(OFF_DUTY_GRACE_UNITS * UNIT_MS);
    if (!ended) await running.expire();
  }, () => {});
  const result = await running.result;
  ended = true;
  return { started, result };
}

/** What happened when main.ts died while (or before) its daemon was on duty. */
interface Death {
  mainPid: number;
  how: string;
  daemon: ProcessRecord;
  fate: Fate;
  result: RunResult;
}

/** main.ts gets `signal` once its daemon is on duty; then the daemon is watched. */
async function killOnDuty(signal: "SIGTERM" | "SIGKILL", subreaper: boolean): Promise<Death> {
  // The grace outlasts the watch: the harness must not kill the daemon for it.
  const s = await startMain(program, {
    args: [LONG_WORK_UNITS], graceMs: DEADLINE_MS, deadlineMs: DEADLINE_MS, subreaper,
  });
  return orStop(s, async () => {
    const daemon = childFor(s, "daemon");
    childFor(s, "worker");
    await lineOrEnd(s, /^worker: pid/, childFor(s, "worker"), "The ordinary child never said it was working.");
    if (!await lineOrEnd(s, /^daemon: on duty/, daemon, "The daemon child never went on duty.")) {
      fail(`The daemon child (pid ${daemon.pid}) ended before it went on duty, while main.ts was still in its ` +
        `own work (${LONG_WORK_UNITS} units), alive and well.`, {
        hint: "A daemon stands by as long as its parent works: end it only when the parent is gone or ends it. " +
          "Did it end on something else, such as the end of its stdin?",
      });
    }
    process.kill(s.mainPid, signal);
    const fate = await watchOrphan(s, daemon);
    return { mainPid: s.mainPid, how: `The harness sent main.ts (pid ${s.mainPid}) ${signal} while its daemon ` +
      `child was on duty`, daemon, fate, result: await s.running.result };
  });
}

/** main.ts dies by SIGKILL right after starting its children (its `crash` mode); then the daemon is watched. */
async function crashAtStart(): Promise<Death> {
  const s = await startMain(program, { args: ["crash"], graceMs: DEADLINE_MS, deadlineMs: DEADLINE_MS });
  return orStop(s, async () => {
    const daemon = childFor(s, "daemon", true);
    const fate = await watchOrphan(s, daemon);
    return { mainPid: s.mainPid, how: `main.ts (pid ${s.mainPid}) died by SIGKILL right after starting its ` +
      "children, before its daemon child had set itself up", daemon, fate, result: await s.running.result };
  });
}

const normal = once(normalRun);
const sigterm = once(() => killOnDuty("SIGTERM", false));
const sigkill = once(() => killOnDuty("SIGKILL", SUBREAPER));
const crash = once(crashAtStart);
// The four runs are independent: start them side by side, not one after another.
for (const run of [normal, sigterm, sigkill, crash]) run();

/** The index of the first stdout line matching `pattern`, or -1. */
function lineIndex(r: RunResult, pattern: RegExp): number {
  return r.lines.findIndex((l) => l.stream === "stdout" && pattern.test(l.text));
}

test("the program starts a daemon child and an ordinary child before its own work", async () => {
  const { started } = await normal();
  childFor(started, "daemon");
  childFor(started, "worker");
});

test("the daemon child ends as soon as the program's own work is done", async () => {
  const { started, result: r } = await normal();
  const daemon = childFor(started, "daemon");
  const done = lineIndex(r, /^main: own work done$/);
  if (done < 0) {
    fail(`main.ts ${describeEnd(r)} without printing "main: own work done".` +
      (stderrTail(r) ? ` The end of its stderr:\n${stderrTail(r)}` : ""));
  }
  // main.ts's own lines say in which order it saw its children end, and a daemon left to itself goes off
  // duty. (A daemon that ends too early is caught by the runs below, which wait until it is on duty.)
  const daemonEnded = lineIndex(r, /^main: daemon ended with /);
  // Only a worker that finished its work by itself (code 0) says the daemon was late: one killed
  // with it at the same moment may be reported first, and is the next test's lesson.
  const workerEnded = lineIndex(r, /^main: worker ended with code 0$/);
  const offDuty = lineIndex(r, /^daemon: off duty$/) >= 0;
  const late = offDuty || (r.timedOut && r.aliveAtDeadline.some((p) => p.pid === daemon.pid)) ||
    (workerEnded >= 0 && (daemonEnded < 0 || daemonEnded > workerEnded));
  if (late) {
    const killed = r.timedOut || r.leftovers.some((p) => p.pid === daemon.pid) ? " (then the harness killed it)" : "";
    const what = offDuty
      ? "served its whole duty and went off duty by itself: nobody ended it"
      : `was still alive when main.ts saw its ordinary child end${killed}`;
    fail(
      `The daemon child (pid ${daemon.pid}) ${what}, though main's own work was done long before ` +
        `(${ms(r.lines[done].at)}).`,
      {
        hint: "A daemon child ends when the program's own work ends, not when the program exits. Node waits " +
          "for every child it forked (its open IPC channel), and an 'exit' handler runs only after the ordinary " +
          "child is done: end the daemon yourself right after the program's own work.",
      },
    );
  }
});

test("the program exits only after its ordinary child has finished", async () => {
  const { started, result: r } = await normal();
  const worker = childFor(started, "worker");
  const exitAt = r.timedOut ? Infinity : r.durationMs;
  if (worker.lastAlive !== undefined && worker.lastAlive > exitAt) {
    const killed = r.leftovers.some((p) => p.pid === worker.pid) ? " (then the harness killed it)" : "";
    fail(`The ordinary child (pid ${worker.pid}) was still alive at ${ms(worker.lastAlive)}, after main.ts ` +
      `exited at ${ms(exitAt)}: it was orphaned before it had finished its work${killed}.`, {
      hint: "Did main.ts call process.exit()? Node exits by itself once its ordinary children are done.",
    });
  }
  if (lineIndex(r, /^worker: done$/) < 0) {
    fail(`The ordinary child (pid ${worker.pid}) never printed "worker: done": main.ts ` +
      `${describeEnd(r)}, and its child was cut off before its work ended.`, {
      hint: "Did main.ts kill the worker? Only the daemon ends with the program's own work; an ordinary " +
        "child is left to finish, and the program waits for it.",
    });
  }
  const report = r.lines[lineIndex(r, /^main: worker ended/)];
  if (report?.text !== "main: worker ended with code 0") {
    fail(`Expected main.ts to print "main: worker ended with code 0", but it printed ` +
      `${report ? `"${report.text}"` : "no line about how the worker ended"}.`, {
      hint: "Pass both children to ownWork(), and let the worker run to its end.",
    });
  }
});

test("the program exits with code 0 and leaves nothing behind", async () => {
  const { result } = await normal();
  assertFinished(result);
  assertNothingLeft(result);
});

/** Fails with `hint` unless the daemon ended by itself once main.ts was gone. */
function judgeDeath(d: Death, hint: string): void {
  if (d.result.timedOut) assertFinished(d.result);
  if (d.fate.ended) return;
  const ticks = d.fate.orphanTicks.map((l) => `"${l.text}"`).join(", ");
  const subreaper = d.fate.adoptedBy === 1 ? "" : ` Its new parent, pid ${d.fate.adoptedBy}, is a subreaper ` +
    "(as systemd --user is on many desktops), not pid 1: a daemon that waits for its parent pid to become 1 " +
    "waits for ever there. Notice that the parent pid is no longer the one you started with, or better, " +
    "that the channel closed.";
  fail(
    `${d.how}. main.ts was gone, but its daemon child (pid ${d.daemon.pid}) went on without it: ` +
      `${ticks} (then the harness killed it after ${ORPHAN_TICKS} such ticks).${subreaper}`,
    { hint },
  );
}

test("the daemon child dies with the program when the program gets SIGTERM", async () => {
  judgeDeath(
    await sigterm(),
    "A program that dies of a signal it does not handle runs no 'exit' handler. The daemon must notice " +
      "by itself that its parent is gone: the IPC channel fork() opened closes when either side dies.",
  );
});

test("the daemon child dies with the program when the program gets SIGKILL, even below a subreaper", async () => {
  if (!SUBREAPER) console.log("    (python3 is not installed: the SIGKILL run is not below a subreaper)");
  judgeDeath(
    await sigkill(),
    "SIGKILL cannot be caught: nothing in main.ts runs, not an 'exit' handler, not a signal handler. " +
      "Only the daemon itself can notice that its parent is gone: the IPC channel fork() opened closes, " +
      "and its parent pid changes when it is orphaned.",
  );
});

test("the daemon child dies with a program that dies before the daemon is set up", async () => {
  judgeDeath(
    await crash(),
    "A watch that starts only once the daemon is set up misses a death that came before. Watch first " +
      "thing, before the set-up, and check process.connected: it is already false when the parent was " +
      "gone before your 'disconnect' listener existed.",
  );
});

test.run();
