// Two tools for zombie.ts, given complete. Both are synchronous on purpose: they
// work while the event loop is blocked, which is when a zombie can be seen.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** What the kernel says about a process: running, exited but not reaped, or gone. */
export type ProcessState = "alive" | "zombie" | "gone";

const HAS_PROC = existsSync("/proc/self/stat");

/** The state of `pid` right now, as `ps` would show it (Z means zombie). */
export function stateOf(pid: number): ProcessState {
  const letter = HAS_PROC ? procLetter(pid) : psLetter(pid);
  if (letter === undefined) return "gone";
  return letter === "Z" ? "zombie" : "alive";
}

/** Blocks this whole process, event loop included, for `ms` milliseconds. */
export function blockFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function procLetter(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    // The state letter follows the command name, which is in parentheses.
    return stat[stat.lastIndexOf(")") + 2];
  } catch {
    return undefined;
  }
}

function psLetter(pid: number): string | undefined {
  try {
    const out = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
    return out.trim()[0];
  } catch {
    return undefined; // ps exits non-zero when there is no such process.
  }
}
