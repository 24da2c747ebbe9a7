// Kata 02: the three modes of main.ts, given complete. main.ts (yours) writes
// startTask(), join(), together() and oneByOne(); this file runs the mode named
// on the command line with them and prints the lines the tests read.
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";

/** The time unit: KATA_UNIT_MS, 1000 ms when run by hand. */
export const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** The four tasks of the Python tutorial: a name, and the units it sleeps. */
export const TASKS: ReadonlyArray<readonly [string, number]> = [["qq", 1], ["tmall", 2], ["jd", 3], ["pxx", 4]];

/** The functions main.ts writes. */
export interface Joins {
  startTask(name: string, units: number): ChildProcess;
  join(child: ChildProcess, timeoutMs?: number): Promise<boolean>;
  together(): Promise<void>;
  oneByOne(): Promise<void>;
}

/** Runs `mode` (together, one_by_one or timeout); the first two end with their total time. */
export async function runMode(mode: string, joins: Joins): Promise<void> {
  const started = performance.now();
  if (mode === "together") await joins.together();
  else if (mode === "one_by_one") await joins.oneByOne();
  else if (mode === "timeout") return timeout(joins);
  else throw new RangeError(`Unknown mode "${mode}": use together, one_by_one or timeout`);
  console.log(`${mode}: total ${Math.round(performance.now() - started)} ms`);
}

/**
 * join() with a timeout on "slow", a task of 3 units, once it is running; then
 * join() on children that have already ended: slow, which ended by itself, and
 * "doomed", killed by a signal long before.
 */
async function timeout({ startTask, join }: Joins): Promise<void> {
  const slow = startTask("slow", 3);
  const doomed = startTask("doomed", 3);
  doomed.kill();
  // task.ts says "running" once it has loaded: slow has its 3 units ahead of it now.
  await once(slow, "message");
  console.log(`timeout: slow is running, pid ${slow.pid}`);
  console.log(`timeout: join(slow, 1 unit) -> ${await join(slow, UNIT_MS)}`);
  console.log(`timeout: join(slow, 30 units) -> ${await join(slow, 30 * UNIT_MS)}`);
  console.log(`timeout: join(slow) again -> ${await join(slow)}`);
  console.log(`timeout: join(doomed), killed by SIGTERM long ago -> ${await join(doomed)}`);
}
