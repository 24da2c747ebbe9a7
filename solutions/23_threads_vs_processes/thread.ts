// A worker thread: it runs inside the process that started it, beside that
// process's main thread, and shares the memory it was handed (workerData).
// It waits at the gate until every thread is ready, then adds one to the
// shared count, again and again, for `forMs` ms (and at least AT_LEAST
// times); last, it writes how many additions it made into its own tally,
// which no other thread touches.
//
// Started by threads.ts with startThread(): run main.ts, not this.
import { writeFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { COUNT, GATE, TALLY, THREAD_NAME, type ThreadJob } from "./shared.ts";

const { buffer, index, forMs, atomic } = workerData as ThreadJob;
const shared = new Int32Array(buffer);
/** Additions between two looks at the clock. */
const BATCH = 1000;
/** The fewest additions a thread makes, however soon its time is up. */
const AT_LEAST = 5_000_000;

// Names this thread "counter", as `ps -L`, `top -H` and /proc/<pid>/task/<tid>/comm
// show it, so that you (and the tests) can tell it from Node's own threads.
try {
  writeFileSync("/proc/thread-self/comm", THREAD_NAME);
} catch {
  // Not Linux: the thread keeps its name.
}

// Tell the main thread this one is ready, then sleep until the gate opens, so
// that every thread starts adding at the same moment.
parentPort?.postMessage("ready");
Atomics.wait(shared, GATE, 0);

const until = performance.now() + forMs;
let made = 0;
do {
  for (let i = 0; i < BATCH; i++) {
    if (atomic) {
      // One atomic step: the read, the addition and the write happen as one, so
      // no other thread's addition can fall between them and be overwritten.
      Atomics.add(shared, COUNT, 1);
    } else {
      // The race, on purpose: read the count, add one, write it back. Another
      // thread that writes between the read and the write has its addition lost.
      shared[COUNT] += 1;
    }
  }
  made += BATCH;
  // At least AT_LEAST additions, so that even on a busy machine, which runs
  // each thread only now and then, the threads take turns many times.
} while (made < AT_LEAST || performance.now() < until);
Atomics.store(shared, TALLY + index, made);
