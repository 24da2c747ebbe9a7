// Kata 09: Python's Process.exitcode, is_alive() and terminate() for a Node
// ChildProcess. main.ts (given) uses them on children that end in four ways;
// join.ts (given) waits for a child with the help of your isAlive().
// Done when: `npm run kata -- run 09` passes.
import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";

/**
 * How the child ended, as Python's exitcode says it: null while it runs, the
 * code it passed to exit, or minus the number of the signal that ended it.
 */
export function exitcode(child: ChildProcess): number | null {
  // TODO: null while the child runs; once it ended, its exit code, or, if a
  // signal ended it, minus that signal's number (constants.signals maps names to numbers).
  return null;
}

/** Whether the child still runs: true until Node has seen it end. */
export function isAlive(child: ChildProcess): boolean {
  // TODO: true until the child has ended and Node has reaped it (then "exit" fires).
  return false;
}

/** Asks the child to end, as Python's terminate() does. */
export function terminate(child: ChildProcess): void {
  // TODO: send the child SIGTERM, the polite request that Python's terminate() sends.
}
