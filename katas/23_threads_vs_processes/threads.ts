// Counting with worker threads: every thread adds to one counter in memory
// they all share (a SharedArrayBuffer), inside this one process.
import { COUNT, GATE, slotsFor, startThread, TALLY, type ThreadCount, type ThreadJob } from "./shared.ts";

const THREAD = new URL("./thread.ts", import.meta.url);

/**
 * Starts `threads` threads that, all at once, add to one shared count for
 * `forMs` ms; resolves, once every thread has ended, with the count and the
 * number of additions they made.
 */
export function countWithThreads(threads: number, forMs: number, options: { atomic: boolean }): Promise<ThreadCount> {
  // TODO: make the memory the threads share: a SharedArrayBuffer of
  // slotsFor(threads) Int32 slots (Int32Array.BYTES_PER_ELEMENT bytes each),
  // seen through an Int32Array.
  //
  // TODO: start every thread at once, thread i with startThread(THREAD, job)
  // and job = { buffer, index: i, forMs, atomic: options.atomic } (the buffer
  // is shared, not copied, because it is a SharedArrayBuffer).
  //
  // TODO: each thread sends the message "ready" just before it waits at the
  // gate. When the last thread is ready, open the gate: Atomics.store 1 at
  // GATE, then Atomics.notify to wake the threads waiting there.
  //
  // TODO: once every thread has ended ("exit"), not before (a thread still
  // running is still adding), resolve with the count at COUNT and the sum of
  // the tallies at TALLY + i (read each with Atomics.load).
  void THREAD, COUNT, GATE, TALLY, slotsFor, startThread, threads, forMs, options;
  const none: ThreadJob[] = [];
  void none;
  return Promise.resolve({ count: 0, made: 0 });
}
