// Test helper: watches a running sale for the race itself, two buyers paying at
// once, so that a test can fail as soon as it happens rather than at the end.
import { setTimeout as sleep } from "node:timers/promises";
import { describeProcess, fail, type RunningProgram } from "../../../harness/mod.ts";
import { LOCK_HINT } from "./judge.ts";

const PAYING = /^buyer (\d+): (paying|bought a ticket)$/;
const EARLY_POLL_MS = 5;

/**
 * Watches a running sale for two buyers paying at once (both read the count
 * before either wrote it back): the race, seen before the sale is over. Resolves
 * with the lesson, or with undefined once the sale ended without it.
 */
export function doublePayment(running: RunningProgram, stock: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let ended = false;
    running.result.then(() => (ended = true), () => (ended = true));
    const timer = setInterval(() => {
      const paying = new Map<number, number>();
      for (const line of running.lines) {
        const m = PAYING.exec(line.text);
        if (!m) continue;
        const pid = Number(m[1]);
        if (m[2] === "bought a ticket") {
          paying.delete(pid);
          continue;
        }
        const other = [...paying].find(([p]) => isBuyer(running, p) && isBuyer(running, pid));
        if (other) {
          clearInterval(timer);
          return resolve(
            `Buyer ${pid} began paying at ${Math.round(line.at)} ms while buyer ${other[0]} was still paying ` +
              `(since ${Math.round(other[1])} ms): both read the count before either wrote it back, so both ` +
              `sell a ticket from the same count (${stock} in stock).`,
          );
        }
        paying.set(pid, line.at);
      }
      if (ended) {
        clearInterval(timer);
        resolve(undefined);
      }
    }, EARLY_POLL_MS);
  });
}

function isBuyer(running: RunningProgram, pid: number): boolean {
  return running.tree.records().some((p) => p.pid === pid && p.ppid === running.pid);
}

/** Fails with the lesson of a double payment and the hint of every oversold sale. */
export function failDoublePayment(message: string): never {
  return fail(message, { hint: LOCK_HINT });
}

const PROGRESS = /^buyer \d+: (paying|sold out|bought a ticket)$/;
const STALL_POLL_MS = 20;

/**
 * Waits until the sale ends, or until no buyer has made progress (paying, sold
 * out, bought) for `stallMs` since `from` (ms on the run's clock); then kills
 * the sale and says which processes were left. Resolves with undefined if the sale ended.
 */
export async function untilEndOrStall(running: RunningProgram, from: number, stallMs: number): Promise<string | undefined> {
  let ended = false;
  running.result.then(() => (ended = true), () => (ended = true));
  for (;;) {
    if (ended) return undefined;
    const progress = running.lines.filter((l) => PROGRESS.test(l.text)).map((l) => l.at);
    if (running.now() - Math.max(from, ...progress) > stallMs) break;
    await sleep(STALL_POLL_MS);
  }
  const left = running.tree.alive().map((p) => `  ${describeProcess(p)}`).join("\n");
  running.kill("SIGKILL");
  return left;
}
