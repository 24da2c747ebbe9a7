// The barrier: every worker waits at it until all of them have arrived, then
// all go on together. It can be used again and again (one crossing a phase),
// and it breaks when a worker dies before it arrives: every worker waiting,
// and every worker that arrives later, then gets a BrokenBarrierError.
// Done when: `npm run kata -- run 21` passes (README.md says what the tests check).
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
  // TODO: count the workers that arrive ("barrier:arrive"). When all of them
  // have, tell every waiting worker to go on ("barrier:pass"), and start the
  // count afresh for the next crossing.
  // TODO: a worker that ends (its "exit" event, however it died) can no longer
  // arrive: break the barrier. Tell every waiting worker ("barrier:broken",
  // with the reason), and every worker that arrives later too.
  void workers;
  void isBarrierMessage;
}

/** In a worker: resolves once every worker has arrived; rejects with BrokenBarrierError if the barrier broke. */
export function waitAtBarrier(): Promise<void> {
  // TODO: tell main.ts that this worker arrived (process.send), and resolve
  // only when main.ts says "barrier:pass"; reject with a BrokenBarrierError
  // when it says "barrier:broken". Listen before you send, and stop listening
  // once you have the answer.
  return Promise.resolve();
}
