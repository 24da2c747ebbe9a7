// Kata 02: join, and what it does to timing (reference solution).
//
// Four tasks (qq, tmall, jd, pxx) sleep 1, 2, 3 and 4 time units, each in a
// child process. The program runs them in the mode given as its argument:
//   together    start all four, then join each: about 4 units in all
//   one_by_one  start each and join it before starting the next: 10 units
//   timeout     show join with a timeout on a task that sleeps 3 units
import { type ChildProcess, fork } from "node:child_process";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
const TASK = new URL("./task.ts", import.meta.url).pathname;
const TASKS: Array<[string, number]> = [["qq", 1], ["tmall", 2], ["jd", 3], ["pxx", 4]];

/** Starts task.ts in a child process that sleeps `units` time units. */
function startTask(name: string, units: number): ChildProcess {
  // fork() returns as soon as the child exists; it does not wait for it.
  return fork(TASK, [name, String(units)]);
}

/**
 * Waits until `child` has ended and resolves true; with `timeoutMs`, resolves
 * false if that much time passes first (the child keeps running).
 */
function join(child: ChildProcess, timeoutMs?: number): Promise<boolean> {
  // A child that already ended will never emit "exit" again: answer at once.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    // "exit" fires once Node has reaped the child, like Python's join().
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
    // The timer only stops the waiting, never the child; unset, it never fires.
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
  });
}

async function together(): Promise<void> {
  // All four start before the first join, so their sleeps overlap: the total
  // is the longest sleep, not the sum.
  const children = TASKS.map(([name, units]) => startTask(name, units));
  for (const child of children) await join(child);
}

async function oneByOne(): Promise<void> {
  // Joining right after starting makes each task wait for the one before it:
  // the total is the sum of the sleeps.
  for (const [name, units] of TASKS) await join(startTask(name, units));
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
