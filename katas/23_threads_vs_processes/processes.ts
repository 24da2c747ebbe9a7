// Counting with processes: each child counts in its own memory, which no
// other process can see, and sends its count back as a message.
import { fork } from "node:child_process";

const CHILD = new URL("./child.ts", import.meta.url).pathname;

/** Forks `workers` children that each count to `each`; resolves with the sum of their counts once every child has ended. */
export function countWithProcesses(workers: number, each: number): Promise<number> {
  // TODO: fork every child at once: fork(CHILD, [String(each)]). Add up the
  // count each one sends ({ count }, a "message" event), and resolve with the
  // sum when every child has ended ("exit"). A child that ended without
  // sending its count adds nothing.
  void fork, CHILD, workers, each;
  return Promise.resolve(0);
}
