// Kata 02: join, and what it does to timing (reference solution).
//
// Four tasks sleep 1 to 4 time units, each in a child process; modes.ts runs
// them with the functions below in the mode named as the argument.
import { type ChildProcess, fork } from "node:child_process";
import { runMode, TASKS } from "./modes.ts";

const TASK = new URL("./task.ts", import.meta.url).pathname;

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
  // A child that already ended will never emit "exit" again, and one killed by
  // a signal has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    // "exit" fires once Node has reaped the child, like Python's join(). A
    // timer left armed would keep this program alive to no purpose: clear it.
    const ended = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", ended);
    if (timeoutMs === undefined) return;
    // The timer stops the waiting, never the child, which runs on.
    timer = setTimeout(() => {
      child.off("exit", ended);
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

await runMode(process.argv[2] ?? "together", { startTask, join, together, oneByOne });
