// The sleep log of a benchmarked run: every process of the run appends the
// timers that fired in it (see _record_sleeps.ts). The floor of the run is the
// longest total of sleeps that followed one another: sleeps that overlap (two
// children sleeping at once) count as one, sleeps in sequence add up, and the
// time spent starting processes between them does not count at all.
import { readFileSync } from "node:fs";
import { nodeRunsTypeScript } from "../_loader.ts";

/** The variable that names the log file; a process without it records nothing. */
export const SLEEP_LOG_VAR = "KATA_SLEEP_LOG";
/** Shorter timers are polls (the harness samples /proc every 4 ms), not sleeps. */
export const MIN_SLEEP_MS = 20;

/** One timer that fired: wall-clock ms (performance.timeOrigin based) it was pending. */
export interface Sleep {
  pid: number;
  from: number;
  to: number;
}

/** Every sleep in the log at `path`; a missing log means no process slept. */
export function readSleeps(path: string): Sleep[] {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  // A process killed mid-write leaves a partial last line: skip it.
  return text.split("\n").flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as Sleep] : [];
    } catch {
      return [];
    }
  });
}

/** Sleeps that overlap by less than this still count as one after the other (timer jitter). */
const SLACK_MS = 5;

/**
 * The largest total of sleeps no two of which overlap, in ms: a lower bound on
 * the wall time of any run that waits for them (weighted interval scheduling).
 */
export function sleepFloor(sleeps: Sleep[]): number {
  const byEnd = [...sleeps].sort((a, b) => a.to - b.to);
  // best[i]: the largest total using only the first i sleeps by end.
  const best = [0];
  for (let i = 0; i < byEnd.length; i++) {
    const s = byEnd[i];
    let lo = 0;
    let hi = i;
    // How many of the earlier sleeps end before this one starts (binary search on ends).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byEnd[mid].to <= s.from + SLACK_MS) lo = mid + 1;
      else hi = mid;
    }
    best.push(Math.max(best[i], best[lo] + (s.to - s.from)));
  }
  return best[byEnd.length];
}

/**
 * NODE_OPTIONS that load the recorder into every Node process of a run (children
 * inherit the variable). On Node 20 tsx must load first to read a .ts preload;
 * the same URL as the harness's own `--import` keeps it loaded once.
 */
export function recorderNodeOptions(existing = process.env.NODE_OPTIONS ?? ""): string {
  const recorder = new URL("./_record_sleeps.ts", import.meta.url).href;
  const imports = nodeRunsTypeScript() ? [recorder] : [import.meta.resolve("tsx"), recorder];
  return [...imports.map((url) => `--import=${url}`), existing].join(" ").trim();
}
