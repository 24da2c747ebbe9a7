// Kata 11: a process pool.
//
// Runs TASK_COUNT tasks on a pool of POOL_SIZE worker processes instead of a
// process per task. The pool (pool.ts, yours to write) starts its workers once
// and keeps them: each worker (worker.ts, given) takes one task at a time and
// sends back the result, then takes the next. A worker that crashes is
// replaced, and the task it had is done by another. This file is given.
// Done when: `npm run kata -- run 11` passes. Run it by hand with
//   node --import tsx katas/11_process_pool/main.ts
// and, while task 5 runs, kill its worker (`kill -9 <pid>`) to see the pool recover.
import { startPool } from "./pool.ts";
import type { Task } from "./task.ts";

const WORKER = new URL("./worker.ts", import.meta.url).pathname;
const POOL_SIZE = 3;
const TASK_COUNT = 12;
/** Task 5 takes long enough to kill its worker in the middle of it. */
const LONG_TASK = 5;
const SHORT_UNITS = 2;
const LONG_UNITS = 12;

const tasks: Task[] = Array.from({ length: TASK_COUNT }, (_, i) => ({
  id: i + 1,
  units: i + 1 === LONG_TASK ? LONG_UNITS : SHORT_UNITS,
}));

const pool = startPool(WORKER, POOL_SIZE);
console.log(`main: pid ${process.pid}, ${TASK_COUNT} tasks on a pool of ${POOL_SIZE} workers`);
await Promise.all(tasks.map(async (task) => {
  const done = await pool.run(task);
  console.log(`main: task ${done.id} done by worker ${done.pid}: ${done.result}`);
}));
await pool.close();
console.log("main: all tasks done");
