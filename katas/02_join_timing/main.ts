// Kata 02: join, and what it does to timing.
//
// Four tasks (qq, tmall, jd, pxx) sleep 1, 2, 3 and 4 time units, each in a
// child process. The program runs them in the mode given as its argument:
//   together    start all four, then join each: about 4 units in all
//   one_by_one  start each and join it before starting the next: 10 units
//   timeout     show join with a timeout on a task that sleeps 3 units
// Done when: `npm run kata -- run 02` passes. Run it by hand with
//   node --import tsx katas/02_join_timing/main.ts together
import { type ChildProcess, fork } from "node:child_process";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const TASK = new URL("./task.ts", import.meta.url).pathname;
const TASKS: Array<[string, number]> = [["qq", 1], ["tmall", 2], ["jd", 3], ["pxx", 4]];

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
  for (const [name, units] of TASKS) {
    const child = startTask(name, units);
    await join(child);
  }
}

async function oneByOne(): Promise<void> {
  // TODO: start each task and join it before starting the next one.
  const children = TASKS.map(([name, units]) => startTask(name, units));
  for (const child of children) await join(child);
}

async function timeout(): Promise<void> {
  const slow = startTask("slow", 3);
  console.log(`timeout: started slow, pid ${slow.pid}`);
  console.log(`timeout: join(slow, 1 unit) -> ${await join(slow, UNIT_MS)}`);
  console.log(`timeout: join(slow, 10 units) -> ${await join(slow, 10 * UNIT_MS)}`);
  console.log(`timeout: join(slow) again -> ${await join(slow)}`);
}

const mode = process.argv[2] ?? "together";
const started = performance.now();
if (mode === "together") await together();
else if (mode === "one_by_one") await oneByOne();
else if (mode === "timeout") await timeout();
else throw new RangeError(`Unknown mode "${mode}": use together, one_by_one or timeout`);
if (mode !== "timeout") console.log(`${mode}: total ${Math.round(performance.now() - started)} ms`);
