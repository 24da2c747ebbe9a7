// Wrong on purpose: terminate() sends SIGKILL, so a terminated child reports -9,
// and never gets the chance to clean up that SIGTERM gives it.
import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";

/**
 * How the child ended, as Python's exitcode says it: null while it runs, the
 * code it passed to exit, or minus the number of the signal that ended it.
 */
export function exitcode(child: ChildProcess): number | null {
  // A child ended by a signal has no exit code: Node sets signalCode instead.
  if (child.signalCode !== null) return -constants.signals[child.signalCode];
  return child.exitCode;
}

/** Whether the child still runs: true until Node has reaped it. */
export function isAlive(child: ChildProcess): boolean {
  // Both stay null until the child has ended and been reaped. child.killed
  // would be wrong: it turns true as soon as a signal is sent, not delivered.
  return child.exitCode === null && child.signalCode === null;
}

/** Ends the child at once. */
export function terminate(child: ChildProcess): void {
  child.kill("SIGKILL");
}

/** Waits until the child is no longer alive (true), or `timeoutMs` passed first (false). */
export function join(child: ChildProcess, timeoutMs?: number): Promise<boolean> {
  if (!isAlive(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, timeoutMs);
  });
}
