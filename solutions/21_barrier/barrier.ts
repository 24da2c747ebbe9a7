// The barrier: every worker waits at it until all of them have arrived, then
// all go on together. It can be used again and again (one crossing a phase),
// and it breaks when a worker dies before it arrives: every worker waiting,
// and every worker that arrives later, then gets a BrokenBarrierError.
//
// main.ts calls serveBarrier() once, in the parent, with every worker it
// forked (all of them are the barrier's parties); each worker calls
// waitAtBarrier() between two phases. main.ts and worker.ts also exchange
// { kind: "ready" } and { kind: "go" } over the same IPC channel.
import type { ChildProcess } from "node:child_process";

/** What waitAtBarrier() rejects with when the barrier is broken: a party died before all had arrived. */
export class BrokenBarrierError extends Error {
  override name = "BrokenBarrierError";
}

/** The barrier's messages on the IPC channel. */
interface BarrierMessage {
  kind: "barrier:arrive" | "barrier:pass" | "barrier:broken";
  /** Why the barrier broke (with "barrier:broken"). */
  reason?: string;
}

function isBarrierMessage(message: unknown): message is BarrierMessage {
  const kind = (message as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && kind.startsWith("barrier:");
}

/** In main.ts: the barrier of `workers` (forked, so each has an IPC channel). */
export function serveBarrier(workers: ChildProcess[]): void {
  /** The workers waiting at this crossing. */
  const arrived = new Set<ChildProcess>();
  /** Why the barrier broke, once it has: then it stays broken. */
  let broken: string | undefined;
  const tell = (worker: ChildProcess, message: BarrierMessage) => {
    if (worker.connected) worker.send(message);
  };

  workers.forEach((worker, i) => {
    worker.on("message", (message: unknown) => {
      if (!isBarrierMessage(message) || message.kind !== "barrier:arrive") return;
      // A broken barrier stays broken: a worker that arrives after the break
      // is told at once, or it would wait for a party that will never come.
      if (broken) return tell(worker, { kind: "barrier:broken", reason: broken });
      arrived.add(worker);
      if (arrived.size < workers.length) return;
      // The last party arrived: every waiting worker goes on, not only the
      // last; and the barrier is empty again for the next crossing.
      for (const waiting of arrived) tell(waiting, { kind: "barrier:pass" });
      arrived.clear();
    });
    // The parent hears of every child's end, however it died. A worker that
    // ends can no longer arrive: the crossing it misses would never complete.
    // (One that ends after its last phase breaks nothing anyone still waits for.)
    worker.on("exit", (code, signal) => {
      if (broken) return;
      broken = `worker ${i + 1} ended (${signal ?? `code ${code}`}) before every worker had arrived`;
      for (const waiting of arrived) tell(waiting, { kind: "barrier:broken", reason: broken });
      arrived.clear();
    });
  });
}

/** In a worker: resolves once every worker has arrived; rejects with BrokenBarrierError if the barrier broke. */
export function waitAtBarrier(): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isBarrierMessage(message) || message.kind === "barrier:arrive") return;
      process.off("message", onMessage);
      // Broken is an error, not a pass: the phase after it must not start.
      if (message.kind === "barrier:broken") reject(new BrokenBarrierError(message.reason ?? "the barrier broke"));
      else resolve();
    };
    // Listen before asking, so that no answer can come before the listener.
    process.on("message", onMessage);
    process.send!({ kind: "barrier:arrive" } satisfies BarrierMessage);
  });
}
