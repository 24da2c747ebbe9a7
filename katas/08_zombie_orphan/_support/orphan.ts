// Checks of kata 08 (b) on a run of orphan.ts: the worker outlives its parent
// and the kernel gives it a new one.
import { currentParent, fail, findLine, ms, type RunResult } from "../../../harness/mod.ts";
import { ending, processRunning, workerCrash } from "./trees.ts";

const START_HINT = "Fork WORKER with WORK_UNITS as its argument.";

/** The worker is still alive after orphan.ts ended, with another parent. */
export function outlivesAndIsAdopted(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  const programEnd = r.root?.lastAlive ?? r.durationMs;
  const workerEnd = worker.lastAlive ?? worker.firstSeen;
  if (workerEnd <= programEnd) {
    return fail(`The worker (pid ${worker.pid}) was last seen alive at ${ms(workerEnd)}, but orphan.ts was ` +
      `still alive at ${ms(programEnd)}: the worker never outlived its parent, so it never became an orphan.` +
      ending(r), {
      hint: "Node keeps a program running until the children it started have ended. Once the worker " +
        "has said it started, leave on purpose.",
    });
  }
  if (currentParent(worker) === r.pid) {
    fail(`The worker (pid ${worker.pid}) outlived orphan.ts, but the harness never saw its parent change ` +
      `from ${r.pid}.`, { hint: "An orphan gets a new parent as soon as its parent exits." });
  }
}

/** The worker is first seen as orphan.ts's child (adoption is the test above). */
export function childThenAdopted(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  if (worker.ppid !== r.pid) {
    fail(`The worker (pid ${worker.pid}) was first seen with the parent ${worker.ppid}, already adopted; ` +
      `expected it to be seen as the child of orphan.ts (pid ${r.pid}) first.${ending(r)}`, {
      hint: "Wait for the worker's first message (it sends one when it is up) before the program leaves.",
    });
  }
}

/** The orphan ends its work by itself and names the parent the harness saw. */
export function orphanFinishes(r: RunResult, graceMs: number): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  const done = findLine(r, /^worker: done, parent now /);
  const expected = `worker: done, parent now ${currentParent(worker)}`;
  if (done?.text === expected) return;
  const crash = workerCrash(r);
  if (crash) {
    fail(`Expected the worker to finish with "${expected}", but it printed ` +
      `${done ? `"${done.text}"` : "no such line"}: it crashed. ${crash.text}`, { hint: crash.hint });
  }
  const cut = r.leftovers.some((p) => p.pid === worker.pid)
    ? ` (it was still running ${ms(graceMs)} after orphan.ts exited, and the harness killed it)`
    : "";
  fail(`Expected the worker to finish with "${expected}", but it printed ` +
    `${done ? `"${done.text}"` : "no such line"}${cut}.${ending(r)}`, {
    hint: "Leaving must not end the worker: exit the program, do not kill the child.",
  });
}

/** orphan.ts's own line names the worker's real pid. */
export function saysItLeaves(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  const expected = `orphan: worker ${worker.pid} is running; leaving without waiting for it`;
  const line = findLine(r, /^orphan: /);
  if (line?.text !== expected) {
    fail(`Expected orphan.ts to print "${expected}", but it printed ` +
      `${line ? `"${line.text}"` : 'no line starting "orphan: "'}.${ending(r)}`);
  }
}
