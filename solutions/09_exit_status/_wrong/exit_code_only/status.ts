// Wrong on purpose: looks only at child.exitCode, which stays null for a child
// ended by a signal, so such a child seems alive forever and has no exitcode.
import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";

/**
 * How the child ended, as Python's exitcode says it: null while it runs, the
 * code it passed to exit, or minus the number of the signal that ended it.
 */
export function exitcode(child: ChildProcess): number | null {
  return child.exitCode;
}

/** Whether the child still runs: true until Node has reaped it. */
export function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null;
}

/** Asks the child to end, as Python's terminate() does: SIGTERM, which it may handle. */
export function terminate(child: ChildProcess): void {
  // kill() only sends the signal and returns: the child may still be running.
  child.kill("SIGTERM");
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
