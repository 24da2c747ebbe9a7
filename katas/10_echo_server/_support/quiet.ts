// Private helper of kata 10's tests (it could move to the harness): whether a
// process and everything below it sit quiet, asleep and using no CPU. A handler
// still loading on a slow machine is never quiet for long (it runs, or waits
// for its loader's helper, which runs); a loaded one that leaves a message
// unanswered is quiet at once. So "no reply" is decided by what the kernel
// shows, not by a deadline that a loaded machine could overrun.
import { readdirSync, readFileSync } from "node:fs";

/** A share of the elapsed time a process may use and still count as quiet (V8 collects garbage now and then). */
const QUIET_CPU_SHARE = 0.05;
const TICKS_PER_SECOND = 100;

/** The fields of a /proc stat file after the command name (which may hold spaces and parentheses). */
function statFields(path: string): string[] | undefined {
  try {
    const text = readFileSync(path, "latin1");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * Whether every thread of `pid` sleeps (a thread waiting for the CPU shows R:
 * Node's loader hooks run in a thread of their own while the main one waits),
 * and the CPU ticks the process used so far; undefined if it is gone.
 */
function readUsage(pid: number): { asleep: boolean; ticks: number } | undefined {
  const fields = statFields(`/proc/${pid}/stat`);
  if (!fields) return undefined;
  let threads: string[] = [];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  const asleep = threads.every((tid) => (statFields(`/proc/${pid}/task/${tid}/stat`)?.[0] ?? "S") === "S");
  return { asleep, ticks: Number(fields[11]) + Number(fields[12]) };
}

/** `pid` and all its descendants, from the kernel's list of each thread's children. */
function family(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${out[i]}/task/${tid}/children`, "utf8").trim();
        if (children) out.push(...children.split(" ").map(Number));
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return out;
}

/**
 * Starts watching `pid`; each call of the function returned says for how many
 * ms it and its descendants have been quiet: every thread asleep (state S),
 * together using next to no CPU. Call it every few hundred ms.
 */
export function watchQuiet(pid: number): () => number {
  let since = performance.now();
  let last = performance.now();
  let ticks = -1;
  return () => {
    const now = performance.now();
    const usage = family(pid).map(readUsage).filter((u) => u !== undefined);
    const total = usage.reduce((sum, u) => sum + u.ticks, 0);
    const allowed = ((now - last) / 1000) * TICKS_PER_SECOND * QUIET_CPU_SHARE;
    const asleep = usage.length > 0 && usage.every((u) => u.asleep);
    if (!asleep || ticks < 0 || total - ticks > Math.max(allowed, 1)) since = now;
    ticks = total;
    last = now;
    return now - since;
  };
}
