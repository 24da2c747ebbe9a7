// The printer lock: lets the workers, each a process of its own, use the
// printer one at a time. It must be fair (first to ask, first to print) and
// must survive a worker that dies while it holds the printer.
//
// main.ts calls servePrinter() once, in the parent, with every worker it forked;
// each worker calls acquirePrinter() before it prints and releasePrinter() after.
// main.ts and worker.ts also exchange { kind: "ready" } and { kind: "go" } over
// the same IPC channel: leave messages that are not your lock's alone.
// Done when: `npm run kata -- run 05` passes (README.md compares the ways to build it).
import type { ChildProcess } from "node:child_process";

/** In main.ts: lets `workers` (forked, so each has an IPC channel) share the printer. */
export function servePrinter(workers: ChildProcess[]): void {
  // TODO: keep track of which worker holds the printer and which ones wait for
  // it, in the order they asked. Hand the printer to the longest-waiting worker
  // when the holder gives it back, and also when the holder's process ends
  // without giving it back: a killed worker never will.
  void workers;
}

/** In a worker: resolves once this worker holds the printer. */
export function acquirePrinter(): Promise<void> {
  // TODO: ask main.ts for the printer (process.send) and resolve only when it
  // answers that the printer is yours. Until then, this worker must wait.
  return Promise.resolve();
}

/** In a worker: gives the printer back; resolves once the message is on its way. */
export function releasePrinter(): Promise<void> {
  // TODO: tell main.ts that the printer is free. process.send takes a callback,
  // called once the message has been handed to the channel.
  return Promise.resolve();
}
