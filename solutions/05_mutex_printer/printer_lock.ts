// The printer lock (reference solution): a broker in main.ts, the parent of
// every worker, keeps the queue; workers ask and release over their IPC
// channels. It is fair because the broker serves its queue first in, first
// out, and crash-safe because the parent learns of a worker's death from the
// kernel (its 'exit' event) and frees the printer itself.
import type { ChildProcess } from "node:child_process";

/** The lock's messages over IPC; main.ts and worker.ts use { kind } for theirs. */
type LockMessage = { lock: "acquire" } | { lock: "release" } | { lock: "granted" };

function isLock(message: unknown, lock: LockMessage["lock"]): boolean {
  return (message as { lock?: string } | null)?.lock === lock;
}

/** In main.ts: lets `workers` (forked, so each has an IPC channel) share the printer. */
export function servePrinter(workers: ChildProcess[]): void {
  const waiting: ChildProcess[] = [];
  let holder: ChildProcess | undefined;

  function handOn(): void {
    while (holder === undefined && waiting.length > 0) {
      const next = waiting.shift()!;
      // A worker whose channel closed while it waited is gone: skip it.
      if (!next.connected) continue;
      holder = next;
      next.send({ lock: "granted" } satisfies LockMessage);
    }
  }

  for (const worker of workers) {
    worker.on("message", (message: unknown) => {
      if (isLock(message, "acquire")) {
        waiting.push(worker);
        handOn();
      } else if (isLock(message, "release") && holder === worker) {
        holder = undefined;
        handOn();
      }
    });
    // The kernel tells the parent when a child ends, however it ends (even by
    // SIGKILL, which no handler in the child can catch): free what it held.
    worker.on("exit", () => {
      const at = waiting.indexOf(worker);
      if (at >= 0) waiting.splice(at, 1);
      if (holder === worker) {
        holder = undefined;
        handOn();
      }
    });
  }
}

/** In a worker: resolves once this worker holds the printer. */
export function acquirePrinter(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Listen before asking, so that the answer cannot arrive unheard.
    const onMessage = (message: unknown) => {
      if (!isLock(message, "granted")) return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    send({ lock: "acquire" }).catch(reject);
  });
}

/** In a worker: gives the printer back; resolves once the message is on its way. */
export function releasePrinter(): Promise<void> {
  return send({ lock: "release" });
}

function send(message: LockMessage): Promise<void> {
  if (!process.send) return Promise.reject(new TypeError("Cannot use the printer lock: no IPC channel to main.ts"));
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}
