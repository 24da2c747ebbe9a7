// Kata 11: the pool.
//
// startPool() forks `size` workers at once and keeps exactly that many alive
// until close(): tasks wait in a queue, and each goes to a worker that is idle.
// A worker that dies while the pool is open has crashed: a new one takes its
// place, and the task it had goes back in the queue, so every task is done
// exactly once.
import { type ChildProcess, fork } from "node:child_process";
import type { Done, Pool, Task } from "./task.ts";

/** Starts a pool of `size` processes running `workerFile`. */
export function startPool(workerFile: string, size: number): Pool {
  // TODO: fork `size` workers running workerFile now, once; keep track of which
  // are idle and which task each busy one has. A worker sends back a Done for
  // each task it gets (listen for its "message"), and is idle again after it.

  // TODO: when a worker exits while the pool is open, it has crashed: fork a
  // replacement, and put the task it had (if any) back at the front of the queue.

  return {
    run(task) {
      // TODO: queue the task and hand it to an idle worker (worker.send(task)).
      return Promise.reject(new Error(`startPool() is still a stub: task ${task.id} cannot run`));
    },
    async close() {
      // TODO: disconnect every worker, so that it ends, and wait for each one's "exit".
    },
  };
}
