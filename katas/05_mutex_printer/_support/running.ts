// Test helpers for a program while it runs: wait for a condition on its output,
// and stop its whole tree at once when a test has seen enough.
import { setTimeout as sleep } from "node:timers/promises";
import type { RunningProgram, RunResult } from "../../../harness/mod.ts";

const POLL_MS = 10;
/** How long a program gets to reap its killed children before it is killed too. */
const REAP_WAIT_MS = 500;

/**
 * Polls `probe` until it returns a value (resolves with it), the program ends
 * (resolves with undefined after one last probe), or `limitAt()` (ms since the
 * run started, asked again on every poll) has passed (resolves with "late").
 */
export function pollUntil<T>(
  running: RunningProgram,
  probe: () => T | undefined,
  limitAt: () => number = () => Infinity,
): Promise<T | "late" | undefined> {
  return new Promise((resolve) => {
    let ended = false;
    running.result.then(() => (ended = true));
    const timer = setInterval(() => {
      const found = probe();
      if (found !== undefined || ended || running.now() > limitAt()) {
        clearInterval(timer);
        resolve(found !== undefined ? found : ended ? undefined : "late");
      }
    }, POLL_MS);
  });
}

/**
 * SIGKILLs every process of the run, the program's children first so that the
 * program itself can reap them (orphaned zombies wait for pid 1), then waits
 * for the harness's clean-up.
 */
export async function stopAll(running: RunningProgram): Promise<RunResult> {
  running.tree.sample();
  for (const p of running.tree.alive()) if (p.pid !== running.pid) kill(p.pid);
  const until = running.now() + REAP_WAIT_MS;
  while (running.tree.records().some((p) => p.pid !== running.pid && p.goneAt === undefined) && running.now() < until) {
    await sleep(POLL_MS);
  }
  kill(running.pid);
  return running.result;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Ended meanwhile.
  }
}

/** The observed process running worker.ts with the given id, if any. */
export function workerProcess(running: RunningProgram, id: string): { pid: number } | undefined {
  return running.tree.records().find((p) => {
    const at = p.argv.findIndex((a) => a.endsWith("worker.ts"));
    return at >= 0 && p.argv[at + 1] === id && p.goneAt === undefined;
  });
}
