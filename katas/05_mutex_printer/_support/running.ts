// Test helpers for a program while it runs: wait for a condition on its output,
// and stop its whole tree at once when a test has seen enough.
import { setTimeout as sleep } from "node:timers/promises";
import type { RunningProgram, RunResult } from "../../../harness/mod.ts";
import { printerEvents } from "./printer.ts";

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

/** A worker the harness paused (SIGSTOP) while it waited, and when (ms since the run started). */
export interface Pause {
  worker: string;
  from: number;
  to: number;
}

/**
 * Pauses the second worker to ask, half a unit after it asked (its request is
 * on its way by then) and before the printer is free, until 3.5 units after it
 * asked. A lock that keeps a queue still hands the printer to it, however long
 * it cannot act; a lock that waiters grab by retrying goes to a worker that
 * asked later, for the paused one cannot retry. Resolves once it is running
 * again, or undefined if the run ended or the worker was printing already.
 */
export async function pauseSecondAsker(running: RunningProgram, unitMs: number): Promise<Pause | undefined> {
  const asks = await pollUntil(running, () => printerEvents(running.lines).filter((e) => e.step === "asks")[1]);
  if (asks === undefined || asks === "late") return undefined;
  await sleep(Math.max(0, asks.at + unitMs / 2 - running.now()));
  const started = printerEvents(running.lines).some((e) => e.step === "starts" && e.worker === asks.worker);
  const worker = workerProcess(running, asks.worker);
  if (started || !worker) return undefined;
  const from = running.now();
  if (!signal(worker.pid, "SIGSTOP")) return undefined;
  try {
    await sleep(Math.max(0, asks.at + 3.5 * unitMs - running.now()));
  } finally {
    signal(worker.pid, "SIGCONT");
  }
  return { worker: asks.worker, from, to: running.now() };
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
