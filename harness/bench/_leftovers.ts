// What a run of the suite left behind: live processes that carry its marker in
// their environment, and zombies that a live process of the run has yet to reap.
// A zombie adopted by pid 1 is no longer the run's to reap (as in run.ts).
import { setTimeout as sleep } from "node:timers/promises";
import { findMarked, type ProcessSnapshot } from "../cleanup.ts";
import { listPids, readStat } from "../_proc.ts";

/** How long processes get to end after the suite exits, as the check allows its own runs. */
export const LEFTOVER_WAIT_MS = 3000;
const POLL_MS = 100;

/** Processes of the run that are alive, and zombies whose parent is one of them. */
export function leftoversOf(marker: string): ProcessSnapshot[] {
  const live = findMarked(marker);
  const parents = new Set(live.map((p) => p.pid));
  const zombies: ProcessSnapshot[] = [];
  for (const pid of listPids()) {
    const s = readStat(pid);
    if (s?.state === "Z" && parents.has(s.ppid)) zombies.push({ pid, ppid: s.ppid, state: "Z", argv: [] });
  }
  return [...live, ...zombies];
}

/** The leftovers once they had LEFTOVER_WAIT_MS to end by themselves. */
export async function waitForLeftovers(marker: string): Promise<ProcessSnapshot[]> {
  const until = Date.now() + LEFTOVER_WAIT_MS;
  let left = leftoversOf(marker);
  while (left.length > 0 && Date.now() < until) {
    await sleep(POLL_MS);
    left = leftoversOf(marker);
  }
  return left;
}
