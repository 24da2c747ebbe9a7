// Kata 02: join, and what it does to timing.
//
// Four tasks (qq, tmall, jd, pxx) sleep 1, 2, 3 and 4 time units, each in a
// child process. modes.ts (given) runs the mode named as the argument with the
// four functions below:
//   together    start all four, then join each: about 4 units in all
//   one_by_one  start each and join it before starting the next: 10 units
//   timeout     join with a timeout, and join on children that already ended
// Done when: `npm run kata -- run 02` passes. Run it by hand with
//   node --import tsx katas/02_join_timing/main.ts together
import { type ChildProcess, fork } from "node:child_process";
import { runMode, TASKS } from "./modes.ts";

const TASK = new URL("./task.ts", import.meta.url).pathname;

/** Starts task.ts in a child process that sleeps `units` time units. */
function startTask(name: string, units: number): ChildProcess {
  // TODO: fork TASK with the arguments name and units (as a string), and return the child.
  throw new Error(`startTask("${name}", ${units}) is not written yet: see its TODO in main.ts`);
}

/**
 * Waits until `child` has ended and resolves true; with `timeoutMs`, resolves
 * false if that much time passes first (the child keeps running).
 */
function join(child: ChildProcess, timeoutMs?: number): Promise<boolean> {
  // TODO: resolve true when the child's "exit" event fires, or at once if it
  // has already exited (child.exitCode or child.signalCode is set); with
  // timeoutMs, resolve false when a timer fires first. Clear the timer you set.
  return Promise.resolve(false);
}

async function together(): Promise<void> {
  // TODO: start all four tasks first, and only then join each of them.
  for (const [name, units] of TASKS) await join(startTask(name, units));
}

async function oneByOne(): Promise<void> {
  // TODO: start each task and join it before starting the next one.
  await Promise.all(TASKS.map(([name, units]) => join(startTask(name, units))));
}

await runMode(process.argv[2] ?? "together", { startTask, join, together, oneByOne });
