// Checks of kata 08 (a) on a run of zombie.ts: a zombie made on purpose, then reaped.
import { currentParent, fail, findLine, ms, parentHistory, type RunResult } from "../../../harness/mod.ts";
import { ending, processRunning } from "./trees.ts";

const BLOCK_HINT = "Node reaps a dead child as soon as its event loop runs, and an await or a timer " +
  "lets it run. Block the loop with blockFor(), never an await, while stateOf() says the worker is " +
  "alive, and for HOLD_UNITS more once it says zombie.";
const START_HINT = 'Fork WORKER with the argument "0": it prints one line and exits at once.';

/** The worker is seen in state Z, as zombie.ts's child, for about the two units it is held. */
export function seenAsZombie(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  if (worker.zombieFrom === undefined) {
    const gone = worker.goneAt === undefined ? "" : `, and it was gone (reaped) by ${ms(worker.goneAt)}`;
    return fail(
      `The worker (pid ${worker.pid}) was never seen in state Z: it was last seen alive at ` +
        `${ms(worker.lastAlive ?? worker.firstSeen)}${gone}.${ending(r)}`,
      { hint: BLOCK_HINT },
    );
  }
  if (worker.parents.some((c) => c.at <= worker.zombieFrom!)) {
    fail(`The worker (pid ${worker.pid}) became a zombie only after zombie.ts had exited (its parents: ` +
      `${parentHistory(worker)}): it was the adopter's zombie, not the program's.`, {
      hint: "Keep zombie.ts blocked, and alive, until the worker has exited.",
    });
  }
  // Held for two units. The samples bound the real span from above: from the last
  // one that saw the worker alive to the first that found it gone. Only a span
  // shorter than a unit even at that bound is a hold cut short, whatever the load.
  const atMost = (worker.goneAt ?? worker.zombieUntil!) - (worker.lastAlive ?? worker.firstSeen);
  if (atMost < r.unitMs) {
    fail(`The worker (pid ${worker.pid}) was a zombie for at most ${ms(atMost)} (seen in state Z from ` +
      `${ms(worker.zombieFrom)} to ${ms(worker.zombieUntil!)}); expected about 2 units (${ms(2 * r.unitMs)}), ` +
      `long enough for ps to see it.${ending(r)}`, { hint: BLOCK_HINT });
  }
}

/** zombie.ts's own line names the worker's real pid and says it is a zombie. */
export function saysZombie(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  const expected = `zombie: worker ${worker.pid} is zombie`;
  const line = findLine(r, /^zombie: worker \S+ is /);
  if (line?.text !== expected) {
    fail(`Expected zombie.ts to print "${expected}", but it printed ` +
      `${line ? `"${line.text}"` : 'no line starting "zombie: worker"'}.${ending(r)}`, {
      hint: "Print the line once stateOf(pid) no longer says alive: then it says zombie.",
    });
  }
}

/** zombie.ts reaps the worker itself: never adopted, gone, and the program says so. */
export function reapsItsZombie(r: RunResult): void {
  const worker = processRunning(r, "worker.ts", START_HINT);
  if (worker.parents.length > 0 || worker.goneAt === undefined) {
    const by = worker.parents.length > 0 ? ` The kernel handed it to pid ${currentParent(worker)}.` : "";
    fail(`zombie.ts did not reap its worker (pid ${worker.pid}): the worker's parents were ` +
      `${parentHistory(worker)}.${by}${ending(r)}`, {
      hint: "Wait for the worker's \"exit\" event before the program ends: letting the event loop run " +
        "is how Node collects a dead child's exit status.",
    });
  }
  const reaped = findLine(r, /^zombie: reaped worker /);
  const expected = `zombie: reaped worker ${worker.pid} (exit code 0), now it is gone`;
  if (reaped?.text !== expected) {
    fail(`Expected zombie.ts to print "${expected}" after the worker's "exit" event, but it printed ` +
      `${reaped ? `"${reaped.text}"` : 'no line starting "zombie: reaped worker"'}.${ending(r)}`, {
      hint: '"exit" hands its listener the exit code; stateOf() says gone once Node has reaped the worker.',
    });
  }
}
