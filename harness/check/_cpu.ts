// The CPU time a process tree used: this process's own, plus that of every
// child it has reaped (which includes what their reaped children used, and so
// on down). Processes orphaned and reaped by pid 1 are not counted.
import { readFileSync } from "node:fs";
import { CLOCK_TICKS_PER_SECOND } from "../_proc.ts";

/** CPU ms so far of this process and its reaped descendants; undefined where /proc cannot say. */
export function treeCpuMs(): number | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/stat", "latin1");
  } catch {
    return undefined;
  }
  // After the command name: field 3 is the state; utime, stime, cutime, cstime are fields 14-17.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
  return ticks * (1000 / CLOCK_TICKS_PER_SECOND);
}
