// Checks of kata 08 (c) on a run of double_fork.ts: the middle starts the
// worker and exits at once; the program reaps the middle at once.
import { currentParent, fail, findLine, ms, parentHistory, type RunResult } from "../../../harness/mod.ts";
import { ending, processRunning, workerCrash } from "./trees.ts";

const MIDDLE_HINT = "Fork MIDDLE from double_fork.ts.";
const WORKER_HINT = "Fork WORKER from middle.ts, with WORK_UNITS as its argument.";

/** The worker is the middle's, not the program's, and the middle ends while it runs. */
export function middleLeavesAtOnce(r: RunResult): void {
  const middle = processRunning(r, "middle.ts", MIDDLE_HINT);
  const worker = processRunning(r, "worker.ts", WORKER_HINT);
  if (worker.ppid === r.pid) {
    return fail(`The worker (pid ${worker.pid}) is a child of double_fork.ts itself: the program would ` +
      "have to reap it, which is what the double fork avoids.", {
      hint: "Start the worker from middle.ts, and let the program start only middle.ts.",
    });
  }
  const middleEnd = middle.lastAlive ?? middle.firstSeen;
  const workerEnd = worker.lastAlive ?? worker.firstSeen;
  if (middleEnd >= workerEnd) {
    fail(`middle.ts (pid ${middle.pid}) was still alive at ${ms(middleEnd)}, and the worker it started was ` +
      `last seen alive at ${ms(workerEnd)}: the middle waited for the worker instead of exiting at once.` +
      ending(r), {
      hint: "Node keeps middle.ts running while its child runs. Exit on purpose once the worker has said " +
        "it started.",
    });
  }
}

/** The worker ends under an adopter, neither the middle nor the program. */
export function workerIsAdopted(r: RunResult): void {
  const middle = processRunning(r, "middle.ts", MIDDLE_HINT);
  const worker = processRunning(r, "worker.ts", WORKER_HINT);
  const adopter = currentParent(worker);
  if (adopter === middle.pid || adopter === r.pid) {
    fail(`The worker (pid ${worker.pid}) kept its parent (${parentHistory(worker)}) to the end: it was ` +
      "never orphaned.", { hint: "middle.ts must exit while the worker still runs." });
  }
  const expected = `worker: done, parent now ${adopter}`;
  const done = findLine(r, /^worker: done/);
  const crash = done?.text === expected ? undefined : workerCrash(r);
  if (crash) {
    fail(`Expected the worker to finish with "${expected}", but it printed ` +
      `${done ? `"${done.text}"` : "no such line"}: it crashed. ${crash.text}`, { hint: crash.hint });
  }
  if (done?.text !== expected) {
    fail(`Expected the worker to finish with "${expected}", but it printed ` +
      `${done ? `"${done.text}"` : "no such line"}.${ending(r)}`, {
      hint: "The middle leaves by exiting, not by killing the worker.",
    });
  }
}

/** The program reaps the middle itself, at once: a zombie for a moment at most. */
export function reapsMiddleAtOnce(r: RunResult): void {
  const middle = processRunning(r, "middle.ts", MIDDLE_HINT);
  if (middle.parents.length > 0 || middle.goneAt === undefined) {
    return fail(`double_fork.ts did not reap middle.ts (pid ${middle.pid}): the middle's parents were ` +
      `${parentHistory(middle)}.${ending(r)}`, {
      hint: "Wait for the middle's \"exit\" event: that is the join, and Node reaps the middle then.",
    });
  }
  // Reaped at once, a middle may still show as Z for a while when the machine is busy (the program
  // has to get the CPU to reap it); a program that blocks its loop keeps it for units.
  if (middle.zombieFrom !== undefined && middle.zombieUntil! - middle.zombieFrom > 2 * r.unitMs) {
    fail(`middle.ts (pid ${middle.pid}) was a zombie of double_fork.ts from ${ms(middle.zombieFrom)} to ` +
      `${ms(middle.zombieUntil!)}: the program did not reap it at once.`, {
      hint: "Node reaps a child only while its event loop runs. Do not block it (busy loops, Atomics.wait, " +
        "sync calls) while the middle may exit: await its \"exit\" event.",
    });
  }
  const expected = `double_fork: reaped middle ${middle.pid} (exit code 0); the worker is not mine to wait for`;
  const line = findLine(r, /^double_fork: reaped/);
  if (line?.text !== expected) {
    fail(`Expected double_fork.ts to print "${expected}", but it printed ` +
      `${line ? `"${line.text}"` : 'no line starting "double_fork: reaped"'}.${ending(r)}`, {
      hint: 'The join is awaiting the middle\'s "exit" event: its listener gets the exit code (null while ' +
        "the middle has not been waited for).",
    });
  }
}

/** After the join the program does its own work to the end. */
export function goesOnWithItsWork(r: RunResult): void {
  if (!findLine(r, "double_fork: own work done")) {
    fail(`double_fork.ts never printed "double_fork: own work done".${ending(r)}`);
  }
}
