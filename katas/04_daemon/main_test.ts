// Tests of kata 04: run main.ts as a real process tree and watch when its
// daemon child and its ordinary child end, on a normal run and when the
// program is killed by SIGTERM or SIGKILL in the middle of its work.
import {
  assertFinished,
  assertNothingLeft,
  describeEnd,
  fail,
  findLine,
  kataSuite,
  ms,
  once,
} from "../../harness/mod.ts";
import { childFor, expectLine, orStop, startMain } from "./_support/runs.ts";

const UNIT_MS = 150;
const { test, program } = kataSuite(import.meta.url, { unitMs: UNIT_MS, deadlineMs: 15_000 });

/** How long after the end of main's own work its daemon may still be seen alive. */
const DAEMON_END_MS = 500;
/** How long after a signal kills main its daemon may still be seen alive ("about a second"). */
const ORPHAN_DAEMON_MS = 1000;
/** Own work long enough that a signal lands in its middle, with both children up. */
const LONG_WORK_UNITS = "100";
/** Longer than ORPHAN_DAEMON_MS, so that a daemon left behind is seen alive past that bound. */
const KILL_GRACE_MS = 2500;

const normal = once(() => startMain(program));
const normalEnd = once(async () => (await normal()).running.result);

test("the program starts a daemon child and an ordinary child before its own work", async () => {
  const s = await normal();
  childFor(s, "daemon");
  childFor(s, "worker");
});

test("the daemon child ends as soon as the program's own work is done", async () => {
  const s = await normal();
  const daemon = childFor(s, "daemon");
  const r = await normalEnd();
  const done = findLine(r, /^main: own work done/);
  if (!done) return fail(`main.ts ${ending(r.timedOut, r.durationMs)} without printing "main: own work done".`);
  const daemonEnd = daemon.endedAt ?? Infinity;
  const workerDone = findLine(r, /^worker: done/);
  const killed = r.timedOut || r.leftovers.some((p) => p.pid === daemon.pid) ? " (then the harness killed it)" : "";
  if (workerDone && daemonEnd > workerDone.at) {
    fail(
      `The daemon child (pid ${daemon.pid}) was still alive at ${ms(daemon.lastAlive ?? 0)}${killed}, after the ` +
        `ordinary child finished at ${ms(workerDone.at)}, though main's own work was done at ${ms(done.at)}.`,
      {
        hint: "A daemon child ends when the program's own work ends, not when the program exits. Node waits " +
          "for every child it forked, and an 'exit' handler runs only after the ordinary child is done: end " +
          "the daemon yourself right after the program's own work.",
      },
    );
  }
  if (daemonEnd - done.at > DAEMON_END_MS) {
    fail(
      `The daemon child (pid ${daemon.pid}) was still alive ${ms(daemonEnd - done.at)} after main's own work ` +
        `was done${killed}; expected it gone within ${ms(DAEMON_END_MS)}.`,
      { hint: "End the daemon right after the program's last line of work, without waiting for anything." },
    );
  }
});

test("the program exits only after its ordinary child has finished", async () => {
  const s = await normal();
  const worker = childFor(s, "worker");
  const r = await normalEnd();
  const exitAt = r.timedOut ? Infinity : r.durationMs;
  if (worker.lastAlive !== undefined && worker.lastAlive > exitAt) {
    const killed = r.leftovers.some((p) => p.pid === worker.pid) ? " (then the harness killed it)" : "";
    fail(`The ordinary child (pid ${worker.pid}) was still alive at ${ms(worker.lastAlive)}, after main.ts ` +
      `exited at ${ms(exitAt)}: it was orphaned before it had finished its work${killed}.`, {
      hint: "Did main.ts call process.exit()? Node exits by itself once its ordinary children are done.",
    });
  }
  if (!findLine(r, /^worker: done/)) {
    fail(`The ordinary child (pid ${worker.pid}) never printed "worker: done": main.ts ` +
      `${ending(r.timedOut, r.durationMs)} and its child was cut off before its work ended.`, {
      hint: "Did main.ts kill the worker? Let it run to its end, as Node does by itself.",
    });
  }
  const report = findLine(r, /^main: worker ended/);
  if (report?.text !== "main: worker ended with code 0") {
    fail(`Expected main.ts to print "main: worker ended with code 0", but it printed ` +
      `${report ? `"${report.text}"` : "no line about how the worker ended"}.`, {
      hint: "Keep the reportEnd() calls, and let the worker run to its end.",
    });
  }
});

test("the program exits with code 0 and leaves nothing behind", async () => {
  const r = await normalEnd();
  assertFinished(r);
  assertNothingLeft(r);
});

/** Starts main.ts with long own work, sends `signal` once both children are up, and checks the daemon dies. */
async function killMidRun(signal: "SIGTERM" | "SIGKILL", hint: string): Promise<void> {
  const s = await startMain(program, { args: [LONG_WORK_UNITS], graceMs: KILL_GRACE_MS, deadlineMs: 25_000 });
  const daemon = await orStop(s, async () => {
    const found = childFor(s, "daemon");
    childFor(s, "worker");
    await expectLine(s, /^daemon: pid/, "The daemon child never said it was on duty.", 8000);
    await expectLine(s, /^worker: pid/, "The ordinary child never said it was working.", 8000);
    s.running.tree.sample();
    if (found.endedAt === undefined) return found;
    return fail(`The daemon child (pid ${found.pid}) ended at ${ms(found.endedAt)}, while main.ts was still ` +
      `in its own work (${LONG_WORK_UNITS} units): a daemon lasts as long as that work.`);
  });
  const sentAt = s.running.now();
  s.running.kill(signal);
  const r = await s.running.result;
  const alive = daemon.lastAlive ?? sentAt;
  if (daemon.endedAt === undefined || daemon.endedAt - sentAt > ORPHAN_DAEMON_MS) {
    const killed = r.leftovers.some((p) => p.pid === daemon.pid) ? ", until the harness killed it" : "";
    fail(`The harness sent main.ts ${signal} at ${ms(sentAt)} (main.ts then ${describeEnd(r)}); ` +
      `its daemon child (pid ${daemon.pid}) was still alive ` +
      `${ms(alive - sentAt)} later${killed}. Expected it gone within ${ms(ORPHAN_DAEMON_MS)}.`, { hint });
  }
}

test("the daemon child dies with the program when the program gets SIGTERM", async () => {
  await killMidRun(
    "SIGTERM",
    "A program that dies of a signal it does not handle runs no 'exit' handler. The daemon must notice " +
      "by itself that its parent is gone: the IPC channel fork() opened closes when either side dies.",
  );
});

test("the daemon child dies within a second when the program gets SIGKILL", async () => {
  await killMidRun(
    "SIGKILL",
    "SIGKILL cannot be caught: nothing in main.ts runs, not an 'exit' handler, not a signal handler. " +
      "Only the daemon itself can notice that its parent is gone: the IPC channel fork() opened closes, " +
      "and its parent pid changes when it is orphaned.",
  );
});

function ending(timedOut: boolean, at: number): string {
  return timedOut ? "was still running at its deadline" : `exited at ${ms(at)}`;
}

test.run();
