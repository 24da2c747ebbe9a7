// Kata 18: all the cores (reference solution).
//
// Counts the primes below LIMIT, a job of a couple of seconds of pure CPU
// work. One process runs on one core at a time, however many the machine
// has; to use them all, split the range into one part per core, give each
// part to a worker process of its own (worker.ts, given), and add up the
// counts they send back.
import { fork } from "node:child_process";
import { once } from "node:events";
import { availableParallelism } from "node:os";
import type { Count, Range } from "./worker.ts";

const LIMIT = 12_000_000;
const WORKER = new URL("./worker.ts", import.meta.url).pathname;

/** [from, to) cut into `parts` ranges that cover every number exactly once. */
function split(from: number, to: number, parts: number): Range[] {
  const size = Math.ceil((to - from) / parts);
  return Array.from({ length: parts }, (_, i) => ({
    from: from + i * size,
    to: Math.min(to, from + (i + 1) * size),
  }));
}

// One worker per core: fewer leaves cores idle, more only makes them share.
// availableParallelism() counts the cores this process may run on.
const ranges = split(2, LIMIT, availableParallelism());

// Every worker is started and given its part before this process waits for
// any of them, so that all of them compute at the same time. This process
// only hands out work and adds up: it computes nothing itself.
const counts = ranges.map(async (range) => {
  const worker = fork(WORKER);
  worker.send(range);
  const [answer] = (await once(worker, "message")) as [Count];
  // Its work is done: disconnecting closes the IPC channel, the last thing
  // keeping the worker alive, so it ends instead of waiting for more.
  worker.disconnect();
  await once(worker, "exit");
  return answer.count;
});

const total = (await Promise.all(counts)).reduce((a, b) => a + b, 0);
console.log(`main: ${total} primes below ${LIMIT}, counted by ${ranges.length} workers`);
