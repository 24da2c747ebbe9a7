// Counts in three ways and says how each came out:
//
//   threads    worker threads in this one process add to one shared counter
//              for a while, each addition one atomic step (Atomics.add)
//   racy       the same threads, each addition a plain `+= 1`: updates are lost
//   processes  child processes, each counting in its own memory and sending
//              its count back as a message; this process adds them up
//
// Given whole: the counting is yours, in threads.ts, thread.ts, processes.ts
// and child.ts. Done looks like
//
//   threads: counted 41230000 of 41230000 additions (4 threads, 300 ms)
//   racy: counted 30517311 of 52410000 additions (4 threads, 300 ms): 21892689 lost
//   processes: counted 8000000 of 8000000 (4 processes × 2000000)
//
// Run it: node --import tsx katas/23_threads_vs_processes/main.ts threads 4
// Its tests: npm run kata -- run 23
import { countWithProcesses } from "./processes.ts";
import { countWithThreads } from "./threads.ts";

const UNIT_MS = Number(process.env.KATA_UNIT_MS ?? 1000);
/** How long the threads add, in time units. */
const COUNTING_UNITS = 3;
/** How far each process counts. */
const EACH = 2_000_000;

const mode = process.argv[2] ?? "threads";
const workers = Number(process.argv[3] ?? 4);
if (!["threads", "racy", "processes"].includes(mode) || !(workers >= 1)) {
  console.error("usage: main.ts threads|racy|processes [workers]");
  process.exit(2);
}

const lost = (count: number, of: number) => (count < of ? `: ${of - count} lost` : "");
if (mode === "processes") {
  const count = await countWithProcesses(workers, EACH);
  const expected = workers * EACH;
  console.log(`processes: counted ${count} of ${expected} (${workers} processes × ${EACH})${lost(count, expected)}`);
} else {
  const forMs = COUNTING_UNITS * UNIT_MS;
  const { count, made } = await countWithThreads(workers, forMs, { atomic: mode === "threads" });
  console.log(`${mode}: counted ${count} of ${made} additions (${workers} threads, ${forMs} ms)${lost(count, made)}`);
}
