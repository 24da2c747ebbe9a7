// Kata 09: Python's Process.exitcode, is_alive() and terminate() for a Node
// ChildProcess (reference solution). join.ts (given) builds on isAlive().
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

/** Asks the child to end, as Python's terminate() does: SIGTERM, which it may handle. */
export function terminate(child: ChildProcess): void {
  // kill() only sends the signal and returns: the child may still be running.
  child.kill("SIGTERM");
}
