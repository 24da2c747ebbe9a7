// Counting with worker threads: every thread adds to one counter in memory
// they all share (a SharedArrayBuffer), inside this one process.
import { COUNT, GATE, slotsFor, startThread, TALLY, type ThreadCount } from "./shared.ts";

const THREAD = new URL("./thread.ts", import.meta.url);

/**
 * Starts `threads` threads that, all at once, add to one shared count for
 * `forMs` ms; resolves, once every thread has ended, with the count and the
 * number of additions they made.
 */
export function countWithThreads(threads: number, forMs: number, options: { atomic: boolean }): Promise<ThreadCount> {
  // A SharedArrayBuffer is handed to a thread as the same memory, not a copy.
  const buffer = new SharedArrayBuffer(slotsFor(threads) * Int32Array.BYTES_PER_ELEMENT);
  const shared = new Int32Array(buffer);
  return new Promise((resolve, reject) => {
    let ready = 0;
    let ended = 0;
    // Every thread is started before any is waited for: they run side by side.
    for (let i = 0; i < threads; i++) {
      const thread = startThread(THREAD, { buffer, index: i, forMs, atomic: options.atomic });
      thread.on("error", reject);
      // The gate opens when the last thread waits at it, so that they all add at once.
      // ("online" is too early: a thread is online before its file has even loaded.)
      thread.on("message", (message: unknown) => {
        if (message !== "ready" || ++ready < threads) return;
        Atomics.store(shared, GATE, 1);
        Atomics.notify(shared, GATE);
      });
      // The count is final only when every thread has ended: a running thread may still add.
      thread.on("exit", () => {
        if (++ended < threads) return;
        let made = 0;
        for (let t = 0; t < threads; t++) made += Atomics.load(shared, TALLY + t);
        resolve({ count: Atomics.load(shared, COUNT), made });
      });
    }
  });
}
